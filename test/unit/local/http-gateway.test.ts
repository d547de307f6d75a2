import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGateway } from '../../../local/http-gateway';

let gateway: Awaited<ReturnType<typeof startGateway>>;
const calls: string[] = [];

beforeAll(async () => {
  const web = mkdtempSync(join(tmpdir(), 'gateway-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html><title>form</title>');
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    routes: [{ method: 'GET', path: '/v1/cases/{caseId}', handler: 'get-case', auth: 'staff', roles: ['agents'], summary: 'A case' }],
    staticDir: web,
    localRoutes: {
      'POST /local/token': (_req, res) => {
        calls.push('token');
        res.writeHead(201, { 'Content-Type': 'application/json' }).end('{"token":"t"}');
      },
    },
    loadHandler: async () => async (event) => ({ statusCode: 200, body: JSON.stringify(event.pathParameters) }),
    nowMs: () => STACK_NOW,
  });
});
/** The stack's clock, moved a day ahead of the machine's (as /local/clock/advance does). */
const STACK_NOW = Date.now() + 24 * 3600_000;
afterAll(() => gateway.stop());
beforeEach(() => calls.splice(0));

/** A raw request, so that Host can be anything a browser under DNS rebinding would send. */
function send(path: string, opts: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: gateway.port, path, method: opts.method ?? 'GET', headers: { host: `127.0.0.1:${gateway.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const json = { 'content-type': 'application/json' };

describe('the local gateway', () => {
  it('tells the stack’s clock, not the machine’s, in every answer’s Date header (the console’s countdowns run on it)', async () => {
    const res = await fetch(`http://127.0.0.1:${gateway.port}/v1/cases/abc`);
    expect(Math.abs(Date.parse(res.headers.get('date') ?? '') - STACK_NOW)).toBeLessThan(1500);
  });

  it('answers 400, not 502, for malformed percent-encoding in a path', async () => {
    expect((await send('/v1/cases/%FF%FE')).status).toBe(400);
    expect((await send('/%')).status).toBe(400);
    expect((await send('/v1/cases/%E2%82%AC')).body).toBe('{"caseId":"€"}');
  });

  it('refuses a request whose Host is not the stack (DNS rebinding)', async () => {
    const res = await send('/local/token', { method: 'POST', headers: { ...json, host: `evil.example:${gateway.port}` }, body: '{"sub":"x","groups":["supervisors"]}' });
    expect(res.status).toBe(403);
    expect((await send('/', { headers: { host: 'evil.example' } })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('serves the names the stack is reached under', async () => {
    expect((await send('/', { headers: { host: `localhost:${gateway.port}` } })).status).toBe(200);
    expect((await send('/', { headers: { host: `[::1]:${gateway.port}` } })).status).toBe(200);
  });

  it('refuses a local endpoint posted as text/plain or a form, which a cross-site page can send without CORS', async () => {
    expect((await send('/local/token', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"sub":"x"}' })).status).toBe(415);
    expect((await send('/local/token', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'sub=x' })).status).toBe(415);
    expect(calls).toEqual([]);
  });

  it('refuses a state-changing request to a local endpoint from another origin', async () => {
    expect((await send('/local/token', { method: 'POST', headers: { ...json, origin: 'http://evil.example' }, body: '{}' })).status).toBe(403);
    expect((await send('/local/token', { method: 'POST', headers: { ...json, 'sec-fetch-site': 'cross-site' }, body: '{}' })).status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('serves a local endpoint to a JSON client on the stack itself or on its own origin', async () => {
    expect((await send('/local/token', { method: 'POST', headers: json, body: '{}' })).status).toBe(201);
    expect((await send('/local/token', { method: 'POST', headers: { ...json, origin: `http://127.0.0.1:${gateway.port}`, 'sec-fetch-site': 'same-origin' }, body: '{}' })).status).toBe(201);
    expect(calls).toEqual(['token', 'token']);
  });

  it('answers 503 with Retry-After, never a 404, until the stack behind it is ready', async () => {
    let ready = false;
    const starting = await startGateway({
      host: '127.0.0.1',
      port: 0,
      routes: [],
      staticDir: __dirname,
      localRoutes: { 'POST /local/token': (_req, res) => void res.writeHead(201).end('{}') },
      isReady: () => ready,
      loadHandler: async () => async () => ({ statusCode: 200 }),
    });
    try {
      const ask = (path: string, method = 'GET') =>
        new Promise<{ status: number; retryAfter: string | undefined }>((resolve, reject) => {
          request({ host: '127.0.0.1', port: starting.port, path, method, headers: { host: `127.0.0.1:${starting.port}`, 'content-type': 'application/json' } }, (res) => {
            res.resume();
            resolve({ status: res.statusCode ?? 0, retryAfter: res.headers['retry-after'] });
          })
            .on('error', reject)
            .end(method === 'GET' ? undefined : '{}');
        });
      expect(await ask('/local/token', 'POST')).toEqual({ status: 503, retryAfter: '1' });
      expect(await ask('/')).toEqual({ status: 503, retryAfter: '1' });
      ready = true;
      expect((await ask('/local/token', 'POST')).status).toBe(201);
    } finally {
      await starting.stop();
    }
  });
});
