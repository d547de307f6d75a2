import type { FieldIssue } from '../../core/errors';

export interface ErrorBody {
  error: string;
  issues?: FieldIssue[];
  /** A refused change: the case's version now, to reload and retry. */
  currentVersion?: number;
  /** A complaint resolved before its checklist was complete: the items missing. */
  missing?: readonly string[];
}

/**
 * An error with an HTTP status, as middy's httpErrorHandler expects: `expose` is true for 4xx,
 * whose JSON body reaches the client; 5xx details are never exposed.
 */
export class HttpError extends Error {
  readonly expose: boolean;

  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(JSON.stringify(body));
    this.headers = { 'Cache-Control': 'no-store', ...headers };
    this.name = 'HttpError';
    this.expose = statusCode < 500;
  }
}

export const badRequest = (issues: FieldIssue[], error = 'The request has invalid fields') =>
  new HttpError(400, { error, issues });
