import type { IncomingMessage } from 'node:http';

/**
 * Guards for every HTTP listener of the local stack. They all bind 127.0.0.1, but a web page open
 * in the developer's browser can still reach them: through DNS rebinding (a hostile name that
 * resolves to 127.0.0.1, so the browser sends `Host: evil.example:3000`) or with a cross-site
 * form post. A request is served only when its Host names the listener as the stack does, and a
 * state-changing one only when it does not come from another site.
 */

/** The Host header values under which a loopback listener on `port` is reached. */
export function loopbackHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
}

/** The origins of those hosts (`http://127.0.0.1:3000`, …). */
export const originsOf = (hosts: ReadonlySet<string>): Set<string> => new Set([...hosts].map((h) => `http://${h}`));

export function hostAllowed(req: Pick<IncomingMessage, 'headers'>, hosts: ReadonlySet<string>): boolean {
  const host = req.headers.host?.trim().toLowerCase();
  return host !== undefined && hosts.has(host);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * True for a state-changing request sent by a page of another origin: its `Origin` is not one of
 * ours, or the browser says `Sec-Fetch-Site: cross-site`/`same-site`. Clients that are not browsers
 * (curl, the SDKs, tests) send neither header and pass.
 */
export function crossSiteWrite(req: Pick<IncomingMessage, 'headers' | 'method'>, origins: ReadonlySet<string>): boolean {
  if (SAFE_METHODS.has((req.method ?? 'GET').toUpperCase())) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.has(origin.toLowerCase())) return true;
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

/** The media type of a request body, lower case, without parameters. */
export const mediaType = (req: Pick<IncomingMessage, 'headers'>): string => (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
