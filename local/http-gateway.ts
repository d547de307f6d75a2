import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { RouteDef } from '../functions/handlers/routes';
import { invokeLocally } from './lambda-context';
import { crossSiteWrite, hostAllowed, loopbackHosts, mediaType, originsOf } from './request-guard';

export type HttpApiHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2 | string | undefined>;

/** API Gateway's HTTP API payload limit. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|javascript))/i;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.map': 'application/json',
};

/**
 * The staff console's response headers: the same policy CloudFront's response-headers policy
 * sets in AWS (no inline script or style, nothing fetched from elsewhere, never framed, no referrer).
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** The built staff console served at /console/ and its run-time configuration, /console/config.json. */
export interface ConsoleSite {
  dir: string;
  config: unknown;
}

type CompiledRoute = RouteDef & {
  pattern: RegExp;
  params: string[];
};

function compile(route: RouteDef): CompiledRoute {
  const params: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { ...route, pattern: new RegExp(`^${source}$`), params };
}

/** Percent-decodes each value, or undefined when one is malformed (`%FF%FE`, a lone `%`): a 400, as API Gateway answers. */
function decodeAll(entries: [string, string][]): Record<string, string> | undefined {
  try {
    return Object.fromEntries(entries.map(([k, v]) => [k, decodeURIComponent(v)]));
  } catch {
    return undefined;
  }
}

export type LocalRoute = (req: IncomingMessage, res: ServerResponse, body: Buffer) => Promise<void> | void;

export interface GatewayOptions {
  host: string;
  port: number;
  routes: readonly RouteDef[];
  loadHandler: (name: string) => Promise<HttpApiHandler>;
  /** Static files (the web form and console) served for GET requests that match no route. */
  staticDir: string;
  /** Extra local-only endpoints such as /local/token, matched by exact "METHOD /path". */
  localRoutes: Record<string, LocalRoute>;
  /**
   * Whether the stack behind the gateway is ready. Until it is, every request is a 503 with
   * Retry-After: a client never sees a 404 for a route that is still being set up. Default: ready.
   */
  isReady?: () => boolean;
  /** The staff console (built at start); absent: /console is not served. */
  console?: ConsoleSite;
  /**
   * The stack's clock (moved by /local/clock/advance): every answer's `Date` header tells it, as
   * API Gateway's tells AWS's, so the console's countdowns run on the time the deadlines were set in.
   */
  nowMs?: () => number;
}

/**
 * Turns HTTP requests into API Gateway HTTP API (payload 2.0) events for the handlers the CDK
 * app deploys. Routes come from the same table as the CDK API's, method-specific routes first.
 */
export async function startGateway(opts: GatewayOptions): Promise<{ server: Server; port: number; url: string; stop(): Promise<void> }> {
  const compiled = opts.routes.map(compile).sort((a, b) => Number(a.method === 'ANY') - Number(b.method === 'ANY'));
  const staticRoot = resolve(opts.staticDir);
  const consoleRoot = opts.console ? resolve(opts.console.dir) : undefined;

  // Known once the port is bound: the Host values and origins this gateway answers to.
  let hosts = new Set<string>();
  let origins = new Set<string>();

  const server = createServer((req, res) => {
    if (opts.nowMs) res.setHeader('Date', new Date(opts.nowMs()).toUTCString());
    handle(req, res).catch((error: unknown) => {
      console.error(`gateway: ${(error as Error).name}`);
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ message: 'Internal Server Error' }));
    });
  });

  async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  const refuse = (res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers }).end(JSON.stringify({ message }));
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page on another name that resolves to 127.0.0.1 is not the stack's origin.
    if (!hostAllowed(req, hosts)) return refuse(res, 403, 'Invalid Host header: the local stack answers to 127.0.0.1, localhost and [::1] only');
    if (opts.isReady && !opts.isReady()) return refuse(res, 503, 'The local stack is starting; try again in a moment', { 'Retry-After': '1' });
    // Concatenated, not resolved: `//evil.example/x` is a path here, never another host.
    const url = new URL(`http://local${req.url ?? '/'}`);
    const method = (req.method ?? 'GET').toUpperCase();
    if (url.pathname.startsWith('/local/') && !['GET', 'HEAD', 'OPTIONS'].includes(method)) {
      // The local endpoints mint tokens and move the clock: never for another site's page, only for JSON clients.
      if (crossSiteWrite(req, origins)) return refuse(res, 403, 'Cross-site requests to the local endpoints are refused');
      if (mediaType(req) !== 'application/json') return refuse(res, 415, 'Send application/json', { Accept: 'application/json' });
    }
    const body = await readBody(req);
    if (!body) return refuse(res, 413, 'Request Entity Too Large');

    if (consoleRoot && (url.pathname === '/console' || url.pathname.startsWith('/console/'))) {
      if (method !== 'GET' && method !== 'HEAD') return refuse(res, 405, 'Method Not Allowed', { Allow: 'GET, HEAD' });
      return serveConsole(url, res, consoleRoot);
    }

    const local = opts.localRoutes[`${method} ${url.pathname}`];
    if (local) return local(req, res, body);

    for (const route of compiled) {
      if (route.method !== 'ANY' && route.method !== method) continue;
      const match = route.pattern.exec(url.pathname);
      if (!match) continue;
      const pathParameters = decodeAll(route.params.map((p, i) => [p, match[i + 1] ?? '']));
      if (!pathParameters) return refuse(res, 400, 'The path has malformed percent-encoding');
      const fn = await opts.loadHandler(route.handler);
      const event = toEvent(req, url, body, `${route.method} ${route.path}`, pathParameters);
      const result = await invokeLocally(route.handler, fn, event);
      return writeResult(res, result);
    }

    if (method === 'GET' || method === 'HEAD') return serveStatic(url.pathname, res);
    res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ message: 'Not Found' }));
  }

  function toEvent(req: IncomingMessage, url: URL, body: Buffer, routeKey: string, pathParameters: Record<string, string>): APIGatewayProxyEventV2 {
    const headers: Record<string, string> = {};
    const cookies: string[] = [];
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      if (name === 'cookie') cookies.push(...String(value).split(/;\s*/));
      else headers[name] = Array.isArray(value) ? value.join(',') : value;
    }
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const contentType = headers['content-type'] ?? '';
    const isText = body.length === 0 || TEXT_TYPES.test(contentType);
    const now = new Date();
    const remote = req.socket.remoteAddress ?? '127.0.0.1';
    return {
      version: '2.0',
      routeKey,
      rawPath: url.pathname,
      rawQueryString: url.search.replace(/^\?/, ''),
      ...(cookies.length ? { cookies } : {}),
      headers,
      ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
      ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? '127.0.0.1',
        domainPrefix: 'local',
        http: {
          method: (req.method ?? 'GET').toUpperCase(),
          path: url.pathname,
          protocol: `HTTP/${req.httpVersion}`,
          sourceIp: remote.replace(/^::ffff:/, ''),
          userAgent: headers['user-agent'] ?? '',
        },
        requestId: randomUUID(),
        routeKey,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(body.length ? { body: body.toString(isText ? 'utf8' : 'base64') } : {}),
      isBase64Encoded: !isText,
    };
  }

  function writeResult(res: ServerResponse, result: APIGatewayProxyStructuredResultV2 | string | undefined): void {
    if (result === undefined || typeof result === 'string') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(result ?? '');
      return;
    }
    const headers: Record<string, string | string[]> = {};
    // Lambda's JSON serialisation drops undefined header values; so does the gateway.
    for (const [k, v] of Object.entries(result.headers ?? {})) if (v !== undefined && v !== null) headers[k] = String(v);
    if (result.cookies?.length) headers['Set-Cookie'] = result.cookies;
    res.writeHead(result.statusCode ?? 200, headers);
    res.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
  }

  /**
   * /console/…: the built console with its security headers. The pages and config.json are never
   * cached (a new build or configuration shows at once); the assets, whose URLs carry their
   * content hash (`app.js?v=…`), may be kept for a year.
   */
  function serveConsole(url: URL, res: ServerResponse, root: string): void {
    if (url.pathname === '/console') {
      res.writeHead(301, { Location: '/console/', 'Cache-Control': 'no-store', ...CONSOLE_SECURITY_HEADERS }).end();
      return;
    }
    if (url.pathname === '/console/config.json') {
      res.writeHead(200, { 'Content-Type': MIME['.json'] ?? 'application/json', 'Cache-Control': 'no-store', ...CONSOLE_SECURITY_HEADERS }).end(JSON.stringify(opts.console?.config ?? {}));
      return;
    }
    const decoded = decodeAll([['path', url.pathname.slice('/console/'.length)]])?.path;
    if (decoded === undefined) return refuse(res, 400, 'The path has malformed percent-encoding');
    const file = resolve(join(root, decoded === '' ? 'index.html' : normalize(decoded).replace(/^([/\\])+/, '')));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...CONSOLE_SECURITY_HEADERS }).end('Not found');
      return;
    }
    const page = extname(file) === '.html';
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': page ? 'no-store' : url.searchParams.has('v') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...CONSOLE_SECURITY_HEADERS,
    });
    createReadStream(file).pipe(res);
  }

  function serveStatic(pathname: string, res: ServerResponse): void {
    const decoded = decodeAll([['path', pathname]])?.path;
    if (decoded === undefined) return refuse(res, 400, 'The path has malformed percent-encoding');
    const relative = normalize(decoded).replace(/^([/\\])+/, '');
    let file = resolve(join(staticRoot, relative || 'index.html'));
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
    });
    createReadStream(file).pipe(res);
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolvePromise());
  });
  const { port } = server.address() as AddressInfo;
  hosts = loopbackHosts(port);
  origins = originsOf(hosts);
  return {
    server,
    port,
    url: `http://${opts.host}:${port}`,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
