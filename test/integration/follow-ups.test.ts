import { clockControl, systemClock } from '../../functions/adapters/system-clock';
import { lambdaContext } from '../../local/lambda-context';
import { COMPLETE_CHECKLIST, jsonFixture } from '../support/fixtures';
import { apiEvent, capturedMail, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Complaint follow-ups through the handlers against DynamoDB Local and the SES capture (M3.2
 * documentation): a complaint resolved with a follow-up date is on the due list; on that day the
 * daily run mails the staff member who resolved it, once; the outcome recorded through the API is
 * on the audit-chained timeline and the follow-up leaves the due list.
 */
type Handler = unknown;
type ReminderRun = { responsible: number; supervisor: number; withoutAddress: number };
let h: Record<'create' | 'resolve' | 'record' | 'list' | 'audit' | 'verify', Handler>;
let remind: () => Promise<ReminderRun>;
let ana: string;
let supervisor: string;
let auditor: string;

const DAY = 24 * 60 * 60 * 1000;
const dayAfter = (days: number) => new Date(systemClock.now().getTime() + days * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  await freshTable();
  process.env.SENDER_EMAIL ??= 'caseflow@example.com';
  process.env.SUPERVISOR_EMAIL = 'supervisor-on-duty@example.com';
  process.env.CONSOLE_URL = 'https://console.example';
  h = {
    create: (await import('../../functions/handlers/create-case')).handler,
    resolve: (await import('../../functions/handlers/resolve-case')).handler,
    record: (await import('../../functions/handlers/record-follow-up')).handler,
    list: (await import('../../functions/handlers/list-follow-ups')).handler,
    audit: (await import('../../functions/handlers/get-audit-trail')).handler,
    verify: (await import('../../functions/handlers/verify-audit-trail')).handler,
  };
  const reminders = (await import('../../functions/handlers/follow-up-reminders')) as { handler: (e: unknown, c: unknown) => Promise<ReminderRun> };
  remind = () => reminders.handler({}, lambdaContext('follow-up-reminders'));
  ana = await staffToken(['agents'], 'fu-ana');
  supervisor = await staffToken(['supervisors'], 'fu-sup');
  auditor = await staffToken(['auditors'], 'fu-aud');
});

const onCase = (handler: Handler, caseId: string, suffix: string, token: string, body?: unknown) =>
  invoke(
    handler,
    apiEvent({
      method: suffix === '/audit' ? 'GET' : 'POST',
      path: `/v1/cases/${caseId}${suffix}`,
      routePath: `/v1/cases/{caseId}${suffix}`,
      pathParameters: { caseId },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    }),
  );

const dueList = async (token: string) => {
  const res = await invoke(h.list, apiEvent({ method: 'GET', path: '/v1/follow-ups', headers: { authorization: `Bearer ${token}` } }));
  expect(res.status).toBe(200);
  return (res.body?.followUps ?? []) as { caseId: string; reference: string; overdue: boolean }[];
};

describe('complaint follow-ups against the table and the mail capture (M3.2)', () => {
  it('reminds the resolver on the follow-up day once, records the outcome on the chained timeline and takes the follow-up off the due list (M3.2, M7.3)', async () => {
    const opened = await invoke(h.create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'complaint.json'), email: uniqueEmail('follow-up') }), headers: { 'content-type': 'application/json' } }));
    expect(opened.status).toBe(201);
    const caseId = String(opened.body?.caseId);
    const reference = String(opened.body?.reference);
    const followUpDay = dayAfter(2);
    const resolved = await onCase(h.resolve, caseId, '/resolve', ana, { summary: 'Refunded the second charge', checklist: { ...COMPLETE_CHECKLIST, followUp: { date: followUpDay, plan: 'Call to confirm the refund arrived' } } });
    expect(resolved.status).toBe(200);
    expect(await remind()).toMatchObject({ responsible: 0, supervisor: 0 });

    clockControl.advance(2 * DAY);
    expect(await remind()).toMatchObject({ responsible: 1, supervisor: 0 });
    const toAna = async () => (await capturedMail()).filter((m) => m.destination.to.includes('fu-ana@staff.example') && m.subject.includes(reference));
    const [mail] = await toAna();
    expect(mail?.subject).toBe(`[${reference}] Complaint follow-up due ${followUpDay}`);
    expect(mail?.body.text).toContain(`https://console.example/#/cases/${caseId}`);
    expect(await remind()).toMatchObject({ responsible: 0, supervisor: 0 });
    expect(await toAna()).toHaveLength(1);
    expect((await dueList(supervisor)).filter((f) => f.caseId === caseId)).toEqual([expect.objectContaining({ reference, overdue: false })]);
    expect((await dueList(ana)).map((f) => f.caseId)).toContain(caseId);

    const recorded = await onCase(h.record, caseId, '/follow-up', ana, { outcome: 'Customer confirms the refund arrived', satisfied: true });
    expect(recorded.status).toBe(200);
    const again = await onCase(h.record, caseId, '/follow-up', ana, { outcome: 'Again', satisfied: true });
    expect(again.status).toBe(409);
    expect(String(again.body?.error)).toContain('has no follow-up pending');

    const trail = await onCase(h.audit, caseId, '/audit', auditor);
    expect(trail.status).toBe(200);
    expect((trail.body?.events as { type: string; data: unknown }[]).at(-1)).toMatchObject({ type: 'follow_up_recorded', data: { date: followUpDay, satisfied: true } });
    const verdict = await onCase(h.verify, caseId, '/audit/verify', auditor);
    expect(verdict.body).toMatchObject({ valid: true });

    expect((await dueList(supervisor)).map((f) => f.caseId)).not.toContain(caseId);
    clockControl.advance(DAY);
    await remind();
    expect((await capturedMail()).filter((m) => m.subject.includes(reference) && m.subject.includes('follow-up'))).toHaveLength(1);
  });
});
