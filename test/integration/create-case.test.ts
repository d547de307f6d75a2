import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerPartition, INDEX } from '../../functions/adapters/dynamo/keys';
import { verifyChain } from '../../functions/core/audit-chain';
import { jsonFixture, readFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let handler: unknown;

beforeAll(async () => {
  env = await freshTable();
  ({ handler } = await import('../../functions/handlers/create-case'));
});

const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  invoke(handler, apiEvent({ method: 'POST', path: '/v1/cases', body, headers }));

const inquiry = (email = uniqueEmail()) => ({ ...jsonFixture('web-form', 'inquiry.json'), email });

/** Every case item stored for a customer, through the privacy index. */
async function casesOf(email: string) {
  const out = await env.doc.send(
    new QueryCommand({
      TableName: env.tableName,
      IndexName: INDEX.byCustomer,
      KeyConditionExpression: 'GSI3PK = :pk',
      ExpressionAttributeValues: { ':pk': customerPartition(email) },
    }),
  );
  return out.Items ?? [];
}

describe('POST /v1/cases', () => {
  it('opens a case and answers 201 with its reference and deadlines (M3.1)', async () => {
    const email = uniqueEmail();
    const res = await post(JSON.stringify(inquiry(email)));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ type: 'inquiry', status: 'new', reference: expect.stringMatching(/^CS-[0-9A-Z]{6}$/) });
    const caseId = String(res.body?.caseId);
    const stored = await env.store.getCase(caseId);
    expect(stored).toMatchObject({ reference: res.body?.reference, channel: 'web', orderReference: 'ORD-1234', customer: { email } });
    // 15 minutes after receipt, on the whole second (rounded down: never later than the window allows).
    const window = new Date(String(res.body?.acknowledgementDueAt)).getTime() - new Date(stored!.receivedAt).getTime();
    expect(window).toBeLessThanOrEqual(15 * 60_000);
    expect(window).toBeGreaterThan(15 * 60_000 - 1000);
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.map((e) => e.type)).toEqual(['case_received']);
    expect(verifyChain(timeline).valid).toBe(true);
    expect(await env.store.getOutbox(caseId, 'acknowledgement')).toMatchObject({ status: 'pending' });
  });

  it('opens a complaint with its escalation deadline (M3.2, C3.3)', async () => {
    const res = await post(JSON.stringify({ ...jsonFixture('web-form', 'complaint.json'), email: uniqueEmail() }));
    expect(res.status).toBe(201);
    const stored = await env.store.getCase(String(res.body?.caseId));
    expect(stored?.type).toBe('complaint');
    expect(stored?.sla.escalationDueAt).toBeDefined();
  });

  it('returns the same case for a retry with the same Idempotency-Key, and stores one', async () => {
    const email = uniqueEmail();
    const body = JSON.stringify(inquiry(email));
    const headers = { 'content-type': 'application/json', 'idempotency-key': `retry-${email}` };
    const first = await post(body, headers);
    const second = await post(body, headers);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await casesOf(email)).toHaveLength(1);
  });

  it('answers concurrent duplicates with one case', async () => {
    const email = uniqueEmail();
    const body = JSON.stringify(inquiry(email));
    const headers = { 'content-type': 'application/json', 'idempotency-key': `race-${email}` };
    const results = await Promise.all(Array.from({ length: 5 }, () => post(body, headers)));
    expect(new Set(results.map((r) => r.body?.caseId)).size).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await casesOf(email)).toHaveLength(1);
  });

  it('refuses an Idempotency-Key reused for a different submission with 422', async () => {
    const email = uniqueEmail();
    const headers = { 'content-type': 'application/json', 'idempotency-key': `reuse-${email}` };
    await post(JSON.stringify(inquiry(email)), headers);
    const res = await post(JSON.stringify({ ...inquiry(email), subject: 'Another matter' }), headers);
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ issues: [{ path: 'Idempotency-Key' }] });
    expect(await casesOf(email)).toHaveLength(1);
  });

  it('names every bad field in a 400 and stores nothing', async () => {
    const email = 'not-an-email';
    const res = await post(JSON.stringify(jsonFixture('web-form', 'missing-fields.json')));
    expect(res.status).toBe(400);
    const paths = (res.body?.issues as { path: string }[]).map((i) => i.path).sort();
    expect(paths).toEqual(['email', 'message', 'name', 'privacyConsent', 'subject', 'type']);
    expect(await casesOf(email)).toHaveLength(0);
  });

  it('answers malformed JSON with a 400 naming the body', async () => {
    const res = await post('{"name": "Ada",');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ issues: [{ path: 'body', message: 'Malformed JSON' }] });
  });

  it('answers 415 for content types other than JSON and form posts', async () => {
    const res = await post('name=Ada', { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.headers.accept).toContain('application/json');
  });

  it('answers 413 for a body over the limit, before parsing it', async () => {
    const res = await post(JSON.stringify({ ...inquiry(), message: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
  });

  it('rejects an unusable Idempotency-Key', async () => {
    const res = await post(JSON.stringify(inquiry()), { 'content-type': 'application/json', 'idempotency-key': 'has spaces in it' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ issues: [{ path: 'Idempotency-Key' }] });
  });

  it('answers an HTML form post with a confirmation page showing the reference', async () => {
    const res = await post(readFixture('web-form', 'form-post.txt'), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html,*/*' });
    expect(res.status).toBe(201);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toMatch(/data-testid="reference">CS-[0-9A-Z]{6}</);
  });

  it('answers a form post with a page whatever the client accepts, unless it asks for JSON alone', async () => {
    for (const accept of [undefined, '*/*']) {
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...(accept ? { accept } : {}) };
      const res = await post(readFixture('web-form', 'form-post.txt').replace('ada%40example.com', encodeURIComponent(uniqueEmail())), headers);
      expect(res.status).toBe(201);
      expect(res.headers['content-type']).toContain('text/html');
    }
    const json = await post(readFixture('web-form', 'form-post.txt').replace('ada%40example.com', encodeURIComponent(uniqueEmail())), { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' });
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.body).toMatchObject({ reference: expect.stringMatching(/^CS-/) });
  });

  it('answers an invalid HTML form post with a page listing the fields to correct', async () => {
    const res = await post('name=&email=x&privacyConsent=on', { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).toContain('<li data-field="name">Name is required</li>');
    expect(res.text).toContain('data-field="email"');
    // The page's inline style is allowed by the page's own Content-Security-Policy.
    const style = /<style>([^<]*)<\/style>/.exec(res.text)?.[1] ?? '';
    const hash = (await import('node:crypto')).createHash('sha256').update(style).digest('base64');
    expect(res.headers['content-security-policy']).toContain(`style-src 'sha256-${hash}'`);
  });

  it('escapes customer text in the confirmation page', async () => {
    const body = new URLSearchParams({ name: '<script>alert(1)</script>', email: uniqueEmail(), subject: '<b>x</b>', message: 'hi', privacyConsent: 'on' });
    const res = await post(body.toString(), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
    expect(res.status).toBe(201);
    expect(res.text).not.toContain('<script>alert');
  });

  it('uses the idempotency key from the form when there is no header', async () => {
    const email = uniqueEmail();
    const fields = new URLSearchParams({ ...Object.fromEntries(new URLSearchParams(readFixture('web-form', 'form-post.txt'))), email, idempotencyKey: `form-${email}` });
    const headers = { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' };
    await post(fields.toString(), headers);
    await post(fields.toString(), headers);
    expect(await casesOf(email)).toHaveLength(1);
  });
});
