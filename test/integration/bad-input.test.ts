import type { QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { API_ROUTES, type StaffRoute } from '../../functions/handlers/routes';
import { COMPLETE_CHECKLIST, jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * The foundation's treatment of bad input, on every case route of the staff API: 404 for an
 * unknown case, 400 naming a malformed case id or bad field, 415 for another media type, 413 past
 * the size limit — and nothing written to the case for any of them.
 */
const caseRoutes = API_ROUTES.filter((r): r is StaffRoute => r.auth === 'staff' && r.path.startsWith('/v1/cases/{caseId}'));
const writeRoutes = caseRoutes.filter((r) => r.body);

/** A body each action would accept on a case in the right state. */
const VALID: Record<string, unknown> = {
  'acknowledge-case': {},
  'assign-case': { assigneeId: 'bad-input-sup' },
  'unassign-case': {},
  'claim-case': {},
  'reclassify-case': { type: 'complaint', reason: 'The customer is unhappy' },
  'set-case-priority': { priority: 'high' },
  'reply-to-case': { message: 'Hello' },
  'add-case-note': { text: 'A note' },
  'log-case-call': { direction: 'inbound', durationSeconds: 60, transcript: 'Hello' },
  'set-pending-customer': {},
  'clear-pending-customer': {},
  'escalate-case': { reason: 'Needs approval' },
  'accept-escalation': {},
  'record-escalation-action': { action: 'Called finance' },
  'resolve-escalation': { outcome: 'Approved' },
  'deescalate-case': { reason: 'Back to the agent' },
  'update-complaint-checklist': { complaintHeard: true },
  'resolve-case': { summary: 'Done', checklist: COMPLETE_CHECKLIST },
  'close-case': {},
  'reopen-case': { reason: 'More to do' },
  'grant-contact-access': { staffId: 'bad-input-fb', reason: 'Survey call' },
  'revoke-contact-access': { staffId: 'bad-input-fb' },
  'update-customer': { phone: '+44 20 7946 0001', reason: 'Customer gave a new number' },
  'place-legal-hold': { basis: 'litigation', matter: 'Claim 1' },
  'release-legal-hold': {},
  'record-follow-up': { outcome: 'Customer confirms the refund arrived', satisfied: true },
};

/** A body each action refuses, and the field the 400 must name. */
const INVALID: Record<string, [unknown, string]> = {
  'acknowledge-case': [{ force: true }, 'force'],
  'assign-case': [{ assigneeId: '' }, 'assigneeId'],
  'unassign-case': [{ reason: 7 }, 'reason'],
  'claim-case': [{ for: 'someone' }, 'for'],
  'reclassify-case': [{ type: 'praise', reason: 'x' }, 'type'],
  'set-case-priority': [{ priority: 'asap' }, 'priority'],
  'reply-to-case': [{ message: '   ' }, 'message'],
  'add-case-note': [{}, 'text'],
  'log-case-call': [{ direction: 'sideways', durationSeconds: 60, transcript: 'x' }, 'direction'],
  'set-pending-customer': [{ reason: 'x'.repeat(501) }, 'reason'],
  'clear-pending-customer': [{ reason: ['x'] }, 'reason'],
  'escalate-case': [{}, 'reason'],
  'accept-escalation': [{ note: 'x'.repeat(5001) }, 'note'],
  'record-escalation-action': [{ action: '' }, 'action'],
  'resolve-escalation': [{}, 'outcome'],
  'deescalate-case': [{ reason: 'x', assigneeId: '' }, 'assigneeId'],
  'update-complaint-checklist': [{ followUp: { date: 'next week', plan: 'call' } }, 'followUp.date'],
  'resolve-case': [{ summary: '' }, 'summary'],
  'close-case': [{ reason: 12 }, 'reason'],
  'reopen-case': [{}, 'reason'],
  'grant-contact-access': [{ staffId: 'x', reason: 'y', hours: 10_000 }, 'hours'],
  'revoke-contact-access': [{}, 'staffId'],
  'update-customer': [{ email: 'not an address', reason: 'typo' }, 'email'],
  'place-legal-hold': [{ basis: 'because' }, 'basis'],
  'release-legal-hold': [{ note: 'x'.repeat(2001) }, 'note'],
  'record-follow-up': [{ outcome: 'Called', satisfied: true, nextFollowUpDate: 'next week' }, 'nextFollowUpDate'],
};

let env: Awaited<ReturnType<typeof freshTable>>;
let token: string;
/** The legal-hold routes are the admins' (the privacy requests' role). */
let adminToken: string;
let caseId: string;
const handlers = new Map<string, unknown>();
const UNKNOWN = '0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e';
/** A well-formed file hash, for the routes on one of a case's files. */
const ANY_FILE = 'a'.repeat(64);

beforeAll(async () => {
  env = await freshTable();
  for (const route of caseRoutes) handlers.set(route.handler, ((await import(`../../functions/handlers/${route.handler}`)) as { handler: unknown }).handler);
  // A supervisor may call every case route but the admins' legal holds: the refusals below are the input's, not the role's.
  token = await staffToken(['supervisors'], 'bad-input-sup');
  adminToken = await staffToken(['admins'], 'bad-input-admin');
  await staffToken(['feedback'], 'bad-input-fb');
  const create = (await import('../../functions/handlers/create-case')).handler;
  const opened = await invoke(create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email: uniqueEmail('bad') }), headers: { 'content-type': 'application/json' } }));
  caseId = String(opened.body?.caseId);
});

const call = (route: StaffRoute, id: string, body: string | undefined, contentType = 'application/json') =>
  invoke(
    handlers.get(route.handler),
    apiEvent({
      method: route.method,
      path: route.path.replace('{caseId}', id).replace('{sha256}', ANY_FILE),
      routePath: route.path,
      pathParameters: { caseId: id, ...(route.path.includes('{sha256}') ? { sha256: ANY_FILE } : {}) },
      ...(body !== undefined ? { body } : {}),
      headers: { authorization: `Bearer ${route.roles.includes('admins') ? adminToken : token}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    }),
  );

/** Everything stored in the case's partition: nothing may change when a request is refused. */
async function partition(): Promise<unknown[]> {
  const out: QueryCommandOutput = await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CASE#${caseId}` }, ConsistentRead: true }));
  return out.Items ?? [];
}

describe('bad input on every case route of the staff API', () => {
  it('has a valid and an invalid example body for every case action', () => {
    expect(writeRoutes.map((r) => r.handler).sort()).toEqual(Object.keys(VALID).sort());
    expect(Object.keys(INVALID).sort()).toEqual(Object.keys(VALID).sort());
  });

  it.each(caseRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: 404 for an unknown case, 400 naming caseId for a malformed one', async (_, route) => {
    const body = route.body ? JSON.stringify(VALID[route.handler]) : undefined;
    const unknown = await call(route, UNKNOWN, body);
    expect(unknown.status).toBe(404);
    expect(String(unknown.body?.error)).toContain(UNKNOWN);
    const malformed = await call(route, 'not-a-case', body);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ issues: [{ path: 'caseId' }] });
  });

  it.each(writeRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: 400 naming the bad field, 400 for malformed JSON, 415, 413 — and nothing written', async (_, route) => {
    const before = await partition();
    const [invalid, field] = INVALID[route.handler] ?? [{}, '?'];
    const bad = await call(route, caseId, JSON.stringify(invalid));
    expect(bad.status).toBe(400);
    expect((bad.body?.issues as { path: string }[]).map((i) => i.path)).toContain(field);
    const broken = await call(route, caseId, '{"reason": ');
    expect(broken.status).toBe(400);
    expect(broken.body).toMatchObject({ issues: [{ path: 'body' }] });
    expect((await call(route, caseId, 'reason=x', 'text/plain')).status).toBe(415);
    expect((await call(route, caseId, JSON.stringify({ text: 'x'.repeat((route.maxBodyBytes ?? 64 * 1024) + 1) }))).status).toBe(413);
    expect(await partition()).toEqual(before);
  });
});
