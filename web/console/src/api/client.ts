import type { ApiErrorBody } from './types';
import { classifyRefusal, isConcurrentChange, type Refusal } from '../logic/refusal';
import { SERVER_CLOCK } from '../logic/server-clock';

/**
 * The console's one way to the staff API: same origin (CSP connect-src 'self'), the bearer token
 * from the auth module, `If-Match` with the case version on every change, and conditional reads
 * (`If-None-Match`) so that polling a queue or a case that did not change costs a 304 and no body.
 * Personal data goes in request bodies only, never in a path or query string.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** The case version the refused change was sent with (`If-Match`), if any. */
  readonly sentVersion: number | undefined;
  constructor(status: number, body: ApiErrorBody, sentVersion?: number) {
    super(body.error ?? body.message ?? `The server answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.sentVersion = sentVersion;
  }
  /**
   * A change refused because the case moved on since the version sent: reload and try again. A 409
   * for the version sent is the case's state refusing the change (logic/refusal.ts), not a conflict.
   */
  get conflict(): boolean {
    return isConcurrentChange(this.status, this.body, this.sentVersion);
  }
  /** What the refusal means to the person: someone else's change, the case's state (with what is missing), or another error. */
  get refusal(): Refusal {
    return classifyRefusal(this.status, this.body, this.sentVersion, errorMessage(this));
  }
  /** 400 issues by field path ("message", "followUp.date"). */
  get issues(): { path: string; message: string }[] {
    return this.body.issues ?? [];
  }
}

/** The network failed (offline, the stack stopped): nothing was answered. */
export class NetworkError extends Error {
  constructor() {
    super('The server could not be reached. Check your connection; the console keeps trying.');
    this.name = 'NetworkError';
  }
}

export interface ApiClientOptions {
  /** "/v1": the API is on the console's origin. */
  base: string;
  /** A valid access token, refreshed by the auth module when near expiry. */
  token: () => Promise<string | undefined>;
  /** The token was refused (expired, revoked): sign in again. */
  onUnauthorized: () => void;
  fetch?: typeof fetch;
}

export interface ReadResult<T> {
  data: T;
  /** The server answered 304: `data` is what the last read brought. */
  notModified: boolean;
  etag?: string | undefined;
}

export class ApiClient {
  private readonly cache = new Map<string, { etag: string; data: unknown }>();
  private readonly fetchImpl: typeof fetch;
  constructor(private readonly opts: ApiClientOptions) {
    this.fetchImpl = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  /** Forgets every cached answer (sign-out). */
  clear(): void {
    this.cache.clear();
  }

  /** GET; with `conditional`, `If-None-Match` the last ETag of this path, and a 304 answers with the cached data. */
  async get<T>(path: string, opts: { conditional?: boolean; signal?: AbortSignal } = {}): Promise<ReadResult<T>> {
    const cached = opts.conditional ? this.cache.get(path) : undefined;
    const res = await this.request('GET', path, undefined, { ...(cached ? { 'If-None-Match': cached.etag } : {}) }, opts.signal);
    if (res.status === 304 && cached) return { data: cached.data as T, notModified: true, etag: cached.etag };
    const data = (await this.readJson(res)) as T;
    const etag = res.headers.get('ETag') ?? undefined;
    if (etag) this.cache.set(path, { etag, data });
    else this.cache.delete(path);
    return { data, notModified: false, etag };
  }

  /** A change: JSON body, `If-Match` the case version the user saw (a 409 if the case moved on meanwhile). */
  async send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, opts: { version?: number } = {}): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (opts.version !== undefined) headers['If-Match'] = `"${opts.version}"`;
    const res = await this.request(method, path, JSON.stringify(body ?? {}), headers);
    return (await this.readJson(res, opts.version)) as T;
  }

  private async request(method: string, path: string, body: string | undefined, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    const token = await this.opts.token();
    let res: Response;
    try {
      res = await this.fetchImpl(`${this.opts.base}${path}`, {
        method,
        headers: { Accept: 'application/json', ...headers, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
        ...(body !== undefined ? { body } : {}),
        // Same origin only; nothing is cached by the browser on the console's behalf, and no referrer leaves.
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new NetworkError();
    }
    SERVER_CLOCK.observe(res.headers.get('Date'), Date.now());
    if (res.status === 401) this.opts.onUnauthorized();
    return res;
  }

  private async readJson(res: Response, sentVersion?: number): Promise<unknown> {
    if (res.status === 304) throw new ApiError(304, { error: 'Nothing changed' });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const body = parsed && typeof parsed === 'object' ? (parsed as ApiErrorBody) : { error: `The server answered ${res.status}` };
      throw new ApiError(res.status, body, sentVersion);
    }
    if (parsed === undefined) throw new ApiError(res.status, { error: 'The server answered with something that is not JSON' });
    return parsed;
  }
}

/** The message to show for any failure of a request. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your session has ended. Sign in again.';
    if (error.status === 403) return error.body.error ?? error.body.message ?? 'Your role does not allow this.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
