import { generateKeyPair, SignJWT } from 'jose';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

let createCase: unknown;
let listCases: unknown;
let getCase: unknown;
let agentToken: string;
const opened: { caseId: string; type: string }[] = [];

beforeAll(async () => {
  await freshTable();
  ({ handler: createCase } = await import('../../functions/handlers/create-case'));
  ({ handler: listCases } = await import('../../functions/handlers/list-cases'));
  ({ handler: getCase } = await import('../../functions/handlers/get-case'));
  agentToken = await staffToken(['agents']);
  // Seven cases, alternating types, opened one after the other.
  for (let i = 0; i < 7; i += 1) {
    const fixture = i % 2 === 0 ? 'inquiry.json' : 'complaint.json';
    const res = await invoke(
      createCase,
      apiEvent({
        method: 'POST',
        path: '/v1/cases',
        body: JSON.stringify({ ...jsonFixture('web-form', fixture), email: uniqueEmail(), subject: `case ${i}` }),
        headers: { 'content-type': 'application/json' },
      }),
    );
    opened.push({ caseId: String(res.body?.caseId), type: String(res.body?.type) });
  }
});

const list = (query: Record<string, string> = {}, token: string | null = agentToken) =>
  invoke(listCases, apiEvent({ method: 'GET', path: '/v1/cases', query, headers: token ? { authorization: `Bearer ${token}` } : {} }));

const get = (caseId: string, token: string | null = agentToken) =>
  invoke(getCase, apiEvent({ method: 'GET', path: `/v1/cases/${caseId}`, routePath: '/v1/cases/{caseId}', pathParameters: { caseId }, headers: token ? { authorization: `Bearer ${token}` } : {} }));

describe('staff access to the case API', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await list({}, null);
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toContain('Bearer');
  });

  it('refuses a token signed by another key with 401', async () => {
    const { createLocalIssuer } = await import('../../local/local-auth');
    const real = await createLocalIssuer(process.env.JWT_ISSUER ?? '', process.env.CASEFLOW_TEST_KEY_FILE ?? '');
    const { privateKey } = await generateKeyPair('ES256');
    // Same issuer, same key id, same claims: only the signature is wrong.
    const forged = await new SignJWT({ 'cognito:groups': ['supervisors'], client_id: 'caseflow-local' })
      .setProtectedHeader({ alg: 'ES256', kid: real.jwks.keys[0]?.kid ?? 'local' })
      .setIssuer(process.env.JWT_ISSUER ?? '')
      .setSubject('mallory')
      .setExpirationTime('5m')
      .sign(privateKey);
    expect((await list({}, forged)).status).toBe(401);
  });

  it('refuses an expired token with 401', async () => {
    const { createLocalIssuer } = await import('../../local/local-auth');
    const issuer = await createLocalIssuer(process.env.JWT_ISSUER ?? '', process.env.CASEFLOW_TEST_KEY_FILE ?? '');
    const token = await issuer.mint({ sub: 'agent-1', groups: ['agents'], expiresInSeconds: 60 });
    const [, payload] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as { exp: number };
    expect(claims.exp).toBeGreaterThan(Date.now() / 1000);
    const expired = token.replace(payload ?? '', Buffer.from(JSON.stringify({ ...claims, exp: 1 })).toString('base64url'));
    expect((await list({}, expired)).status).toBe(401);
  });

  it('refuses staff whose role does not read cases (admins) with 403', async () => {
    const res = await list({}, await staffToken(['admins'], 'admin-1'));
    expect(res.status).toBe(403);
  });

  it('lets supervisors read cases', async () => {
    expect((await list({}, await staffToken(['supervisors'], 'sup-1'))).status).toBe(200);
  });
});

describe('GET /v1/cases', () => {
  it('lists open cases newest first by default', async () => {
    const res = await list({ limit: '100' });
    expect(res.status).toBe(200);
    const ids = (res.body?.items as { caseId: string }[]).map((i) => i.caseId);
    expect(ids).toEqual([...opened].reverse().map((o) => o.caseId));
    expect(res.body?.nextCursor).toBeUndefined();
  });

  it('pages through every case exactly once with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list({ limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      const items = res.body?.items as { caseId: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((i) => i.caseId));
      cursor = res.body?.nextCursor as string | undefined;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual([...opened].reverse().map((o) => o.caseId));
  });

  it('filters the all queue by one status or `open`, and by type', async () => {
    const complaints = await list({ type: 'complaint', status: 'new' });
    expect(complaints.status).toBe(200);
    const items = complaints.body?.items as { caseId: string; type: string }[];
    expect(items.every((i) => i.type === 'complaint')).toBe(true);
    expect(items.map((i) => i.caseId)).toEqual(opened.filter((o) => o.type === 'complaint').reverse().map((o) => o.caseId));
    const openInquiries = await list({ queue: 'all', status: 'open', type: 'inquiry' });
    expect((openInquiries.body?.items as { caseId: string }[]).map((i) => i.caseId)).toEqual(opened.filter((o) => o.type === 'inquiry').reverse().map((o) => o.caseId));
    const resolved = await list({ status: 'resolved' });
    expect(resolved.body?.items).toEqual([]);
  });

  it('finds one case by its reference', async () => {
    const first = await get(opened[0]!.caseId);
    const reference = String((first.body?.case as { reference: string }).reference);
    const res = await list({ reference: reference.toLowerCase() });
    expect(res.status).toBe(200);
    expect((res.body?.items as { caseId: string }[]).map((i) => i.caseId)).toEqual([opened[0]!.caseId]);
    expect((await list({ reference: 'CS-ZZZZZZ' })).body?.items).toEqual([]);
  });

  it('names a bad filter in a 400', async () => {
    const res = await list({ status: 'new,acknowledged', limit: '1000' });
    expect(res.status).toBe(400);
    expect((res.body?.issues as { path: string }[]).map((i) => i.path).sort()).toEqual(['limit', 'status']);
    const misplaced = await list({ queue: 'unassigned', priority: 'high' });
    expect(misplaced.status).toBe(400);
    expect((misplaced.body?.issues as { path: string }[]).map((i) => i.path)).toEqual(['priority']);
  });

  it('rejects a cursor that was tampered with or made for other filters', async () => {
    const first = await list({ limit: '2' });
    const cursor = String(first.body?.nextCursor);
    const tampered = await list({ limit: '2', cursor: `${cursor}x` });
    expect(tampered.status).toBe(400);
    expect(tampered.body).toMatchObject({ issues: [{ path: 'cursor' }] });
    const other = await list({ limit: '2', type: 'inquiry', cursor });
    expect(other.status).toBe(400);
    expect(other.body).toMatchObject({ issues: [{ path: 'cursor' }] });
    expect((await list({ queue: 'unassigned', limit: '2', cursor })).status).toBe(400);
  });
});

describe('GET /v1/cases/{caseId}', () => {
  it('returns the case with its timeline and a verified audit chain (M7.3)', async () => {
    const res = await get(opened[0]!.caseId);
    expect(res.status).toBe(200);
    expect(res.body?.case).toMatchObject({ caseId: opened[0]!.caseId, customer: { name: 'Ada Lovelace' } });
    expect((res.body?.timeline as { type: string }[])[0]?.type).toBe('case_received');
    expect(res.body?.integrity).toEqual({ valid: true, length: 1 });
  });

  it('answers 404 for an unknown case and 400 for a malformed id', async () => {
    expect((await get('0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e')).status).toBe(404);
    const bad = await get('not-a-uuid');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ issues: [{ path: 'caseId' }] });
  });

  it('requires a staff token', async () => {
    expect((await get(opened[0]!.caseId, null)).status).toBe(401);
  });
});
