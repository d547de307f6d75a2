import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

let handlers: Record<string, unknown>;
let agent: string;
let supervisor: string;
let feedback: string;
let caseId = '';

beforeAll(async () => {
  await freshTable();
  handlers = {
    create: (await import('../../functions/handlers/create-case')).handler,
    list: (await import('../../functions/handlers/list-cases')).handler,
    get: (await import('../../functions/handlers/get-case')).handler,
    escalations: (await import('../../functions/handlers/list-escalations')).handler,
    audit: (await import('../../functions/handlers/get-audit-trail')).handler,
    note: (await import('../../functions/handlers/add-case-note')).handler,
    escalate: (await import('../../functions/handlers/escalate-case')).handler,
  };
  agent = await staffToken(['agents'], 'agent-cg');
  supervisor = await staffToken(['supervisors'], 'sup-cg');
  feedback = await staffToken(['feedback'], 'fb-cg');
  const res = await invoke(
    handlers.create,
    apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'complaint.json'), email: uniqueEmail() }), headers: { 'content-type': 'application/json' } }),
  );
  caseId = String(res.body?.caseId);
});

/** The four reads a client polls, each as the route table names it. */
const READS = [
  { name: 'GET /v1/cases', handler: 'list', path: () => '/v1/cases', routePath: '/v1/cases', query: { queue: 'all' } as Record<string, string> },
  { name: 'GET /v1/cases/{caseId}', handler: 'get', path: () => `/v1/cases/${caseId}`, routePath: '/v1/cases/{caseId}' },
  { name: 'GET /v1/cases/{caseId}/escalations', handler: 'escalations', path: () => `/v1/cases/${caseId}/escalations`, routePath: '/v1/cases/{caseId}/escalations' },
  { name: 'GET /v1/cases/{caseId}/audit', handler: 'audit', path: () => `/v1/cases/${caseId}/audit`, routePath: '/v1/cases/{caseId}/audit' },
];

function read(r: (typeof READS)[number], token: string, ifNoneMatch?: string) {
  return invoke(
    handlers[r.handler],
    apiEvent({
      method: 'GET',
      path: r.path(),
      routePath: r.routePath,
      ...(r.routePath.includes('{caseId}') ? { pathParameters: { caseId } } : {}),
      ...(r.query ? { query: r.query } : {}),
      headers: { authorization: `Bearer ${token}`, ...(ifNoneMatch !== undefined ? { 'if-none-match': ifNoneMatch } : {}) },
    }),
  );
}

const act = (handler: string, suffix: string, body: unknown, token: string, ifMatch?: string) =>
  invoke(
    handlers[handler],
    apiEvent({
      method: 'POST',
      path: `/v1/cases/${caseId}/${suffix}`,
      routePath: `/v1/cases/{caseId}/${suffix}`,
      pathParameters: { caseId },
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    }),
  );

describe('conditional reads for polling', () => {
  it.each(READS.map((r) => [r.name, r] as const))('%s answers the same request with 304 and no body, and with 200 and a new ETag once the case changed', async (_name, r) => {
    const token = r.handler === 'audit' ? supervisor : agent;
    const first = await read(r, token);
    expect(first.status).toBe(200);
    const etag = first.headers.etag ?? '';
    expect(etag).toMatch(/^"(\d+-)?[A-Za-z0-9_-]{43}"$/);

    const again = await read(r, token, etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('no-store');
    // A weak form of the tag, among others, matches too (If-None-Match compares weakly).
    expect((await read(r, token, `"other", W/${etag}`)).status).toBe(304);
    expect((await read(r, token, '"not-the-etag"')).status).toBe(200);

    // The escalation log changes with an escalation; the rest with any event (a note).
    const change = r.handler === 'escalations' ? act('escalate', 'escalations', { reason: 'The customer asks for a supervisor' }, agent) : act('note', 'notes', { text: `Checked after ${r.name}` }, agent);
    expect((await change).status).toBe(200);
    const changed = await read(r, token, etag);
    expect(changed.status).toBe(200);
    expect(changed.body).toBeDefined();
    expect(changed.headers.etag).not.toBe(etag);
    expect((await read(r, token, changed.headers.etag)).status).toBe(304);
  });

  it('gives a case another ETag for a caller who sees it without contact details (the feedback team, C4.2)', async () => {
    const get = READS[1]!;
    const asAgent = await read(get, agent);
    const asFeedback = await read(get, feedback);
    expect(JSON.stringify(asFeedback.body)).toContain('withheld');
    expect(asFeedback.headers.etag).not.toBe(asAgent.headers.etag);
    expect((await read(get, feedback, asAgent.headers.etag)).status).toBe(200);
  });

  it('keeps the case version in front of a case’s ETag, so it still serves as If-Match for a change', async () => {
    const seen = await read(READS[1]!, agent);
    const etag = seen.headers.etag ?? '';
    const version = (seen.body?.case as { version: number }).version;
    expect(etag.startsWith(`"${version}-`)).toBe(true);
    expect((await act('note', 'notes', { text: 'Applies to the version seen' }, agent, etag)).status).toBe(200);
    const stale = await act('note', 'notes', { text: 'The case moved on' }, agent, etag);
    expect(stale.status).toBe(409);
    expect(stale.body?.currentVersion).toBe(version + 1);
  });
});
