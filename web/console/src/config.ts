/**
 * The console's run-time configuration, `config.json` next to index.html (same origin, never
 * built into the bundle): where the API is and how staff sign in. Locally the gateway answers it;
 * in AWS the deployment writes it with the Cognito settings of the stack.
 */
export type AuthConfig =
  | { kind: 'local'; tokenEndpoint: string; staffEndpoint: string }
  | { kind: 'cognito'; authority: string; clientId: string; domain: string; redirectUri: string; logoutUri: string; scope?: string | undefined };

export interface ConsoleConfig {
  apiBase: string;
  auth: AuthConfig;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(`The console's configuration (config.json) is not usable: ${message}`);
    this.name = 'ConfigError';
  }
}

const text = (o: Record<string, unknown>, key: string): string => {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw new ConfigError(`${key} is missing`);
  return v;
};

/** Same-origin paths ("/v1") or https URLs (Cognito) only: the console talks to nothing else. */
const pathOrHttps = (o: Record<string, unknown>, key: string): string => {
  const v = text(o, key);
  if (v.startsWith('/') && !v.startsWith('//')) return v;
  if (/^https:\/\/[^/]/.test(v)) return v;
  throw new ConfigError(`${key} must be a path on this site or an https URL`);
};

export function parseConfig(raw: unknown): ConsoleConfig {
  if (!raw || typeof raw !== 'object') throw new ConfigError('it is not a JSON object');
  const o = raw as Record<string, unknown>;
  const apiBase = text(o, 'apiBase');
  if (!apiBase.startsWith('/') || apiBase.startsWith('//')) throw new ConfigError('apiBase must be a path on this site, such as /v1');
  const auth = o.auth && typeof o.auth === 'object' ? (o.auth as Record<string, unknown>) : undefined;
  if (!auth) throw new ConfigError('auth is missing');
  if (auth.kind === 'local') return { apiBase: apiBase.replace(/\/$/, ''), auth: { kind: 'local', tokenEndpoint: pathOrHttps(auth, 'tokenEndpoint'), staffEndpoint: pathOrHttps(auth, 'staffEndpoint') } };
  if (auth.kind === 'cognito') {
    return {
      apiBase: apiBase.replace(/\/$/, ''),
      auth: {
        kind: 'cognito',
        authority: pathOrHttps(auth, 'authority'),
        clientId: text(auth, 'clientId'),
        domain: pathOrHttps(auth, 'domain').replace(/\/$/, ''),
        redirectUri: pathOrHttps(auth, 'redirectUri'),
        logoutUri: pathOrHttps(auth, 'logoutUri'),
        ...(typeof auth.scope === 'string' ? { scope: auth.scope } : {}),
      },
    };
  }
  throw new ConfigError('auth.kind must be "local" or "cognito"');
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const res = await fetch(new URL('config.json', document.baseURI), { cache: 'no-store', credentials: 'omit' });
  if (!res.ok) throw new ConfigError(`the server answered ${res.status}`);
  return parseConfig(await res.json());
}
