import type { DynamoDBStreamEvent } from 'aws-lambda';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { COMPLETE_CHECKLIST, jsonFixture } from '../support/fixtures';
import { apiEvent, capturedMail, eventually, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let handlers: Record<string, unknown>;
let poller: ReturnType<typeof startStreamPoller>;
let agent: string;

beforeAll(async () => {
  env = await freshTable();
  handlers = {
    create: (await import('../../functions/handlers/create-case')).handler,
    reply: (await import('../../functions/handlers/reply-to-case')).handler,
    pending: (await import('../../functions/handlers/set-pending-customer')).handler,
    resume: (await import('../../functions/handlers/clear-pending-customer')).handler,
    resolve: (await import('../../functions/handlers/resolve-case')).handler,
    close: (await import('../../functions/handlers/close-case')).handler,
    escalate: (await import('../../functions/handlers/escalate-case')).handler,
    accept: (await import('../../functions/handlers/accept-escalation')).handler,
    note: (await import('../../functions/handlers/add-case-note')).handler,
    checklist: (await import('../../functions/handlers/update-complaint-checklist')).handler,
    grant: (await import('../../functions/handlers/grant-contact-access')).handler,
    get: (await import('../../functions/handlers/get-case')).handler,
    escalations: (await import('../../functions/handlers/list-escalations')).handler,
  };
  const { handler: outbox } = (await import('../../functions/handlers/outbox-stream')) as { handler: StreamHandler };
  poller = startStreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: env.tableName,
    functionName: 'outbox-stream',
    handler: (e: DynamoDBStreamEvent, c) => outbox(e, c),
    pollIntervalMs: 50,
  });
  agent = await staffToken(['agents'], 'agent-42');
});

afterAll(() => poller.stop());

async function open(email: string, fixture = 'inquiry.json') {
  const res = await invoke(handlers.create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', fixture), email }), headers: { 'content-type': 'application/json' } }));
  return String(res.body?.caseId);
}

const read = (handler: string, caseId: string, suffix: string, token = agent) =>
  invoke(
    handlers[handler],
    apiEvent({ method: 'GET', path: `/v1/cases/${caseId}${suffix}`, routePath: `/v1/cases/{caseId}${suffix}`, pathParameters: { caseId }, headers: { authorization: `Bearer ${token}` } }),
  );

const act = (handler: string, caseId: string, suffix: string, body: unknown, token = agent, method: 'POST' | 'DELETE' = 'POST') =>
  invoke(
    handlers[handler],
    apiEvent({
      method,
      path: `/v1/cases/${caseId}/${suffix}`,
      routePath: `/v1/cases/{caseId}/${suffix}`,
      pathParameters: { caseId },
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    }),
  );

describe('staff actions on a case', () => {
  it('emails an agent reply to the customer and meets initial assistance (M3.1, M7.1)', async () => {
    const email = uniqueEmail('reply');
    const caseId = await open(email);
    const res = await act('reply', caseId, 'replies', { message: 'Your parcel left our warehouse today.' });
    expect(res.status).toBe(200);
    expect(res.body?.case).toMatchObject({ status: 'in_progress', firstRespondedAt: expect.any(String) });
    const mail = await eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(email) && m.body.text?.includes('parcel')), 15_000, 'reply email');
    expect(mail.subject).toContain('CS-');
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.find((e) => e.type === 'agent_replied')).toMatchObject({ actor: { kind: 'agent', id: 'agent-42' }, data: { firstResponse: true } });
  });

  it('chains the reply’s text and, once sent, its SES Message-ID on the timeline (C4.1)', async () => {
    const email = uniqueEmail('thread');
    const caseId = await open(email);
    expect((await act('reply', caseId, 'replies', { message: 'We have refunded the fee.' })).status).toBe(200);
    const sent = await eventually(async () => (await env.store.getTimeline(caseId)).find((e) => e.type === 'reply_sent'), 15_000, 'reply_sent event');
    const replied = (await env.store.getTimeline(caseId)).find((e) => e.type === 'agent_replied');
    expect(replied?.data).toMatchObject({ text: 'We have refunded the fee.' });
    const mail = (await capturedMail()).find((m) => m.destination.to.includes(email) && m.body.text?.includes('refunded the fee'));
    expect(sent?.data).toEqual({ outboxId: (replied?.data as { outboxId: string }).outboxId, messageId: mail?.messageId, recipient: email });
  });

  it('answers with the case version as ETag, and 400 naming If-Match when it is not a version', async () => {
    const caseId = await open(uniqueEmail('etag'));
    const res = await act('note', caseId, 'notes', { text: 'Called the courier' });
    expect(res.status).toBe(200);
    expect(res.headers.etag).toBe(`"${(res.body?.case as { version: number }).version}"`);
    const bad = await invoke(
      handlers.note,
      apiEvent({ method: 'POST', path: `/v1/cases/${caseId}/notes`, pathParameters: { caseId }, body: '{"text":"x"}', headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}`, 'if-match': 'yesterday' } }),
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ issues: [{ path: 'If-Match' }] });
  });

  it('takes JSON alone on staff routes: 415 for a form post, 413 past the size limit', async () => {
    const caseId = await open(uniqueEmail('media'));
    const post = (body: string, contentType: string) =>
      invoke(handlers.note, apiEvent({ method: 'POST', path: `/v1/cases/${caseId}/notes`, pathParameters: { caseId }, body, headers: { 'content-type': contentType, authorization: `Bearer ${agent}` } }));
    expect((await post('text=hello', 'application/x-www-form-urlencoded')).status).toBe(415);
    expect((await post(JSON.stringify({ text: 'x'.repeat(70_000) }), 'application/json')).status).toBe(413);
  });

  it('refuses to resolve an incomplete complaint with 409 naming the missing checklist items, then resolves it complete (M3.2, M9.2)', async () => {
    const caseId = await open(uniqueEmail('checklist'), 'complaint.json');
    const refused = await act('resolve', caseId, 'resolve', { summary: 'Refunded' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ missing: ['complaintHeard', 'empathyShown', 'solutionOffered', 'correctiveAction', 'followUp'], currentVersion: expect.any(Number) });
    const partial = await invoke(
      handlers.checklist,
      apiEvent({ method: 'PATCH', path: `/v1/cases/${caseId}/checklist`, pathParameters: { caseId }, body: JSON.stringify({ complaintHeard: true, empathyShown: true, followUp: { date: '2026-02-30', plan: 'call' } }), headers: { 'content-type': 'application/json', authorization: `Bearer ${agent}` } }),
    );
    expect(partial.status).toBe(400);
    expect(partial.body).toMatchObject({ issues: [{ path: 'followUp.date' }] });
    const resolved = await act('resolve', caseId, 'resolve', { summary: 'Refunded', checklist: COMPLETE_CHECKLIST });
    expect(resolved.status).toBe(200);
    expect(resolved.body?.case).toMatchObject({ status: 'resolved', complaintChecklist: COMPLETE_CHECKLIST, autoCloseAt: expect.any(String) });
  });

  it('shows the feedback team a case without the customer’s contact details until a supervisor grants them (C4.2)', async () => {
    const email = uniqueEmail('private');
    const caseId = await open(email);
    await eventually(async () => (await env.store.getTimeline(caseId)).find((e) => e.type === 'acknowledgement_sent'), 15_000, 'acknowledgement');
    const feedback = await staffToken(['feedback'], 'fb-1');
    const hidden = await read('get', caseId, '', feedback);
    expect(hidden.status).toBe(200);
    expect((hidden.body?.case as { customer: unknown }).customer).toEqual({ name: expect.any(String), contactDetails: 'withheld' });
    expect(JSON.stringify(hidden.body)).not.toContain(email);
    const supervisor = await staffToken(['supervisors'], 'sup-grant');
    expect((await act('grant', caseId, 'contact-access', { staffId: 'fb-1', reason: 'Survey follow-up call', hours: 2 }, supervisor)).status).toBe(200);
    const shown = await read('get', caseId, '', feedback);
    expect((shown.body?.case as { customer: { email: string } }).customer.email).toBe(email);
    expect((await act('grant', caseId, 'contact-access', { staffId: 'fb-1', reason: 'x' }, agent)).status).toBe(403);
  });

  it('returns the whole escalation log with accept, actions and outcome (M3.3, M9.3)', async () => {
    const caseId = await open(uniqueEmail('esc-log'));
    const supervisor = await staffToken(['supervisors'], 'sup-log');
    expect((await act('escalate', caseId, 'escalations', { reason: 'Refund above my authority' })).status).toBe(200);
    expect((await act('accept', caseId, 'escalation/accept', { note: 'On it' }, supervisor)).status).toBe(200);
    const log = await read('escalations', caseId, '/escalations', await staffToken(['auditors'], 'aud-1'));
    expect(log.status).toBe(200);
    expect(log.body?.items).toEqual([
      expect.objectContaining({
        escalationId: 'ESC-01',
        trigger: 'manual',
        reason: 'Refund above my authority',
        acceptedBy: 'sup-log',
        acknowledgedAt: expect.any(String),
        actionsTaken: [expect.objectContaining({ by: 'agent-42' }), expect.objectContaining({ by: 'sup-log', action: 'accepted: On it' })],
      }),
    ]);
  });

  it('logs each outbox delivery with its outbox id and the case id, and no key the logger would drop', async () => {
    const { logger } = await import('../../functions/adapters/observability');
    const info = jest.spyOn(logger, 'info');
    const warn = jest.spyOn(logger, 'warn');
    try {
      const caseId = await open(uniqueEmail('logged'));
      const delivered = await eventually(async () => info.mock.calls.find((c) => c[0] === 'outbox delivery' && (c[1] as { caseId?: string }).caseId === caseId), 15_000, 'the delivery log line');
      expect(delivered[1]).toEqual({ caseId, outboxId: 'acknowledgement', outcome: 'sent' });
      expect(warn.mock.calls.map((c) => String(c[0]))).not.toContainEqual(expect.stringContaining('reserved key'));
    } finally {
      info.mockRestore();
      warn.mockRestore();
    }
  });

  it('moves a case to pending the customer and back, stopping the initial-response clock meanwhile', async () => {
    const caseId = await open(uniqueEmail('pause'));
    expect((await act('pending', caseId, 'pending-customer', { reason: 'asked for the order number' })).status).toBe(200);
    expect((await env.store.getCase(caseId))?.sla.pausedSince).toBeDefined();
    const back = await act('resume', caseId, 'pending-customer', {}, agent, 'DELETE');
    expect(back.status).toBe(200);
    const c = await env.store.getCase(caseId);
    expect(c?.sla.pausedSince).toBeUndefined();
    expect(c?.sla.pausedMs).toBeGreaterThanOrEqual(0);
  });

  it('refuses closing an open case with 409 saying to resolve it first, and an unknown field with 400 naming it', async () => {
    const caseId = await open(uniqueEmail('illegal'));
    const illegal = await act('close', caseId, 'close', {});
    expect(illegal.status).toBe(409);
    expect(String(illegal.body?.error)).toContain('resolve it before closing it');
    const bad = await act('close', caseId, 'close', { status: 'archived' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ issues: [{ path: 'status', message: 'Unknown field status' }] });
  });

  it('escalates by hand one level at a time with the same log and emails as automatic escalations (M3.3)', async () => {
    const caseId = await open(uniqueEmail('manual'));
    const first = await act('escalate', caseId, 'escalations', { reason: 'Refund above my authority' });
    expect(first.status).toBe(200);
    expect(first.body?.case).toMatchObject({ escalation: { level: 1, responsibleParty: process.env.SUPERVISOR_EMAIL } });
    const [record] = await env.store.getEscalations(caseId);
    expect(record).toMatchObject({ level: 1, trigger: 'manual', reason: 'Refund above my authority', escalatedFrom: 'unassigned' });
    const reference = String((first.body?.case as { reference: string }).reference);
    await eventually(async () => (await capturedMail()).find((m) => m.subject.includes(reference) && m.destination.to.includes(process.env.SUPERVISOR_EMAIL ?? '')), 15_000, 'escalation email');
    const supervisor = await staffToken(['supervisors'], 'sup-1');
    expect((await act('escalate', caseId, 'escalations', { reason: 'Supervisor asked for the manager' }, supervisor)).status).toBe(200);
    expect((await env.store.getEscalations(caseId)).map((e) => e.responsibleParty)).toEqual([process.env.SUPERVISOR_EMAIL, process.env.MANAGER_EMAIL]);
    const beyond = await act('escalate', caseId, 'escalations', { reason: 'Higher still' }, await staffToken(['managers'], 'mgr-1'));
    expect(beyond.status).toBe(409);
    const missing = await act('escalate', caseId, 'escalations', {});
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ issues: [{ path: 'reason', message: 'Reason is required' }] });
  });

  it('lets only the escalated party, or a role above them, acknowledge or escalate further (M3.3)', async () => {
    const caseId = await open(uniqueEmail('escalation-authz'));
    const supervisor = await staffToken(['supervisors'], 'sup-2');
    const manager = await staffToken(['managers'], 'mgr-2');
    expect((await act('escalate', caseId, 'escalations', { reason: 'Customer asks for a supervisor' })).status).toBe(200);
    // The agent who escalated cannot take the supervisor's place, neither by climbing nor by acknowledging.
    const climb = await act('escalate', caseId, 'escalations', { reason: 'Straight to the manager' });
    expect(climb.status).toBe(403);
    expect(String(climb.body?.error)).toContain('the supervisor');
    expect((await act('accept', caseId, 'escalation/accept', { note: 'Called the customer' })).status).toBe(403);
    expect((await act('escalate', caseId, 'escalations', { reason: 'Above my authority too' }, supervisor)).status).toBe(200);
    // Level 2 is the manager's: the supervisor cannot acknowledge it in the manager's name.
    const bySupervisor = await act('accept', caseId, 'escalation/accept', { note: 'Approved the refund' }, supervisor);
    expect(bySupervisor.status).toBe(403);
    expect((await env.store.getCase(caseId))?.escalation?.acknowledgedAt).toBeUndefined();
    const byManager = await act('accept', caseId, 'escalation/accept', { note: 'Approved the refund' }, manager);
    expect(byManager.status).toBe(200);
    expect(byManager.body?.case).toMatchObject({ escalation: { level: 2, acknowledgedAt: expect.any(String) } });
    const acknowledged = (await env.store.getTimeline(caseId)).filter((e) => e.type === 'escalation_acknowledged');
    expect(acknowledged).toEqual([expect.objectContaining({ actor: { kind: 'manager', id: 'mgr-2' } })]);
    // Ending the escalation by resolving the case is the manager's act too.
    expect((await act('resolve', caseId, 'resolve', { summary: 'sorted' })).status).toBe(403);
    expect((await act('resolve', caseId, 'resolve', { summary: 'sorted' }, supervisor)).status).toBe(403);
    expect((await act('resolve', caseId, 'resolve', { summary: 'refund approved' }, manager)).status).toBe(200);
  });

  it('refuses a reply on a closed case with 409 and a clear message, and emails nothing (M7.1)', async () => {
    const email = uniqueEmail('closed');
    const caseId = await open(email);
    await eventually(async () => (await env.store.getTimeline(caseId)).find((e) => e.type === 'acknowledgement_sent'), 15_000, 'acknowledgement');
    expect((await act('resolve', caseId, 'resolve', { summary: 'answered by phone' })).status).toBe(200);
    expect((await act('close', caseId, 'close', {})).status).toBe(200);
    const before = await env.store.getTimeline(caseId);
    const res = await act('reply', caseId, 'replies', { message: 'One more thing about your order.' });
    expect(res.status).toBe(409);
    expect(String(res.body?.error)).toMatch(/is closed.*follow-up case/);
    expect(await env.store.getTimeline(caseId)).toEqual(before);
    expect(await env.store.getOutbox(caseId, `agent_reply#${before.length + 1}`)).toBeUndefined();
  });

  it('names the length limit when a reply is too long, and when it is missing says it is required', async () => {
    const caseId = await open(uniqueEmail('long'));
    const long = await act('reply', caseId, 'replies', { message: 'x'.repeat(20_001) });
    expect(long.status).toBe(400);
    expect(long.body).toMatchObject({ issues: [{ path: 'message', message: 'Message must be at most 20,000 characters' }] });
    const blank = await act('reply', caseId, 'replies', { message: '   ' });
    expect(blank.body).toMatchObject({ issues: [{ path: 'message', message: 'Message is required' }] });
  });

  it('answers 404 for an unknown case and 401 without a token', async () => {
    expect((await act('reply', '0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e', 'replies', { message: 'hi' })).status).toBe(404);
    const res = await invoke(handlers.reply, apiEvent({ method: 'POST', path: '/v1/cases/x/replies', pathParameters: { caseId: 'x' }, body: '{}', headers: { 'content-type': 'application/json' } }));
    expect(res.status).toBe(401);
  });
});
