import { assignCase } from '../../../functions/core/actions/assignment';
import { closeCase } from '../../../functions/core/actions/close';
import { recordFollowUp } from '../../../functions/core/actions/record-follow-up';
import { reopenCase } from '../../../functions/core/actions/reopen';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { verifyChain } from '../../../functions/core/audit-chain';
import { CaseStateError, ForbiddenError, InvalidInputError } from '../../../functions/core/errors';
import { listFollowUps, remindersOwed, type FollowUpDue } from '../../../functions/core/follow-up';
import { sendFollowUpReminders } from '../../../functions/core/follow-up-reminders';
import type { OutgoingEmail } from '../../../functions/core/ports';
import { COMPLETE_CHECKLIST } from '../../support/fixtures';
import { staffDirectory } from '../../support/staff-directory';
import { agent, DAY, opened, otherAgent, supervisor } from './actions/support';

// T0 is 2026-03-02 09:00 UTC: the follow-up is planned three days on.
const FOLLOW_UP_DAY = '2026-03-05';
const CHECKLIST = { ...COMPLETE_CHECKLIST, followUp: { date: FOLLOW_UP_DAY, plan: 'Call to confirm the refund arrived' } };

/** A complaint assigned to Ana and resolved by her with a follow-up planned for FOLLOW_UP_DAY. */
async function resolvedComplaint() {
  const world = await opened('complaint');
  await assignCase(world.caseId, { assigneeId: 'agent-ana' }, { actor: supervisor }, world.deps);
  await resolveCase(world.caseId, { summary: 'Refunded the second charge', checklist: CHECKLIST }, { actor: agent }, world.deps);
  return world;
}

function capturingMailer() {
  const sent: OutgoingEmail[] = [];
  return { sent, send: async (m: OutgoingEmail) => (sent.push(m), { messageId: `m-${sent.length}` }) };
}

describe('complaint follow-ups (M3.2 documentation)', () => {
  it('schedules the checklist’s follow-up for the assignee when the complaint is resolved, on the due list by its day (M3.2)', async () => {
    const { store, caseId } = await resolvedComplaint();
    expect((await store.getCase(caseId))?.followUp).toEqual({ date: FOLLOW_UP_DAY, responsible: 'agent-ana', state: 'pending' });
    expect(await store.dueBy('2026-03-04')).toEqual([]);
    expect(await store.dueBy(FOLLOW_UP_DAY)).toEqual([expect.objectContaining({ caseId, date: FOLLOW_UP_DAY, responsible: 'agent-ana' })]);
  });

  it('owes the responsible member a reminder from the due day and the supervisor from the day after, each once (M3.2)', () => {
    const entry: FollowUpDue = { caseId: '44444444-4444-4444-8444-000000000001', reference: 'CS-7K3M9Q', date: FOLLOW_UP_DAY, responsible: 'agent-ana' };
    expect(remindersOwed(entry, '2026-03-04')).toEqual([]);
    expect(remindersOwed(entry, FOLLOW_UP_DAY)).toEqual(['responsible']);
    expect(remindersOwed({ ...entry, remindedAt: '2026-03-05T06:00:00.000Z' }, '2026-03-06')).toEqual(['supervisor']);
    expect(remindersOwed({ ...entry, remindedAt: '2026-03-05T06:00:00.000Z', supervisorRemindedAt: '2026-03-06T06:00:00.000Z' }, '2026-03-07')).toEqual([]);
  });

  it('mails the responsible member on the due day with the case reference and a console link, no customer details, and a rerun sends nothing (M3.2)', async () => {
    const { store, caseId, clock } = await resolvedComplaint();
    const mailer = capturingMailer();
    const deps = { followUps: store, staff: staffDirectory(), mailer, clock, supervisorEmail: 'supervisor@example.com', consoleUrl: 'https://console.example/' };
    expect(await sendFollowUpReminders(deps)).toMatchObject({ responsible: 0, supervisor: 0 });
    clock.advance(3 * DAY);
    expect(await sendFollowUpReminders(deps)).toMatchObject({ responsible: 1, supervisor: 0 });
    const c = await store.getCase(caseId);
    const [mail] = mailer.sent;
    expect(mail?.to).toBe('ana@staff.example');
    expect(mail?.subject).toContain(c?.reference);
    expect(mail?.text).toContain(`https://console.example/#/cases/${caseId}`);
    for (const personal of [c?.customer.email, c?.customer.name, c?.subject, CHECKLIST.followUp.plan]) expect(`${mail?.subject}\n${mail?.text}\n${mail?.html}`).not.toContain(personal);
    expect(await sendFollowUpReminders(deps)).toMatchObject({ responsible: 0, supervisor: 0 });
    expect(mailer.sent).toHaveLength(1);
  });

  it('reminds the supervisor’s role address the day after when the outcome is still not recorded, once (M3.2)', async () => {
    const { store, clock } = await resolvedComplaint();
    const mailer = capturingMailer();
    const deps = { followUps: store, staff: staffDirectory(), mailer, clock, supervisorEmail: 'supervisor@example.com' };
    clock.advance(3 * DAY);
    await sendFollowUpReminders(deps);
    clock.advance(DAY);
    expect(await sendFollowUpReminders(deps)).toMatchObject({ responsible: 0, supervisor: 1 });
    expect(mailer.sent.map((m) => m.to)).toEqual(['ana@staff.example', 'supervisor@example.com']);
    expect(mailer.sent[1]?.subject).toContain('overdue');
    await sendFollowUpReminders(deps);
    expect(mailer.sent).toHaveLength(2);
  });

  it('takes a reminder’s mark back when its mail fails, so that the next run sends it (M3.2)', async () => {
    const { store, clock } = await resolvedComplaint();
    clock.advance(3 * DAY);
    const failing = { send: async () => Promise.reject(new Error('SES throttled')) };
    await expect(sendFollowUpReminders({ followUps: store, staff: staffDirectory(), mailer: failing, clock })).rejects.toThrow('SES throttled');
    const mailer = capturingMailer();
    expect(await sendFollowUpReminders({ followUps: store, staff: staffDirectory(), mailer, clock })).toMatchObject({ responsible: 1 });
  });

  it('records the follow-up’s outcome on the chained timeline and takes it off the due list (M3.2, M7.3)', async () => {
    const { store, caseId, deps, clock } = await resolvedComplaint();
    clock.advance(3 * DAY);
    const c = await recordFollowUp(caseId, { outcome: 'Customer confirms the refund arrived', satisfied: true }, { actor: agent }, deps);
    expect(c.followUp).toMatchObject({ date: FOLLOW_UP_DAY, state: 'recorded', recordedAt: clock.now().toISOString() });
    const timeline = await store.getTimeline(caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'follow_up_recorded', actor: agent, data: { date: FOLLOW_UP_DAY, outcome: 'Customer confirms the refund arrived', satisfied: true } });
    expect(verifyChain(timeline)).toEqual({ valid: true, length: timeline.length });
    expect(await store.dueBy('2026-12-31')).toEqual([]);
  });

  it('schedules the next follow-up when the outcome asks for one, and refuses a next date not after today (M3.2)', async () => {
    const { store, caseId, deps, clock } = await resolvedComplaint();
    clock.advance(3 * DAY);
    await expect(recordFollowUp(caseId, { outcome: 'No answer', satisfied: false, nextFollowUpDate: FOLLOW_UP_DAY }, { actor: agent }, deps)).rejects.toThrow(InvalidInputError);
    const c = await recordFollowUp(caseId, { outcome: 'Refund not arrived yet', satisfied: false, nextFollowUpDate: '2026-03-12' }, { actor: agent }, deps);
    expect(c.followUp).toEqual({ date: '2026-03-12', responsible: 'agent-ana', state: 'pending' });
    expect(await store.dueBy('2026-12-31')).toEqual([expect.objectContaining({ caseId, date: '2026-03-12', responsible: 'agent-ana' })]);
  });

  it('refuses with a 409 naming why when no follow-up is pending: an inquiry, an unresolved complaint, one recorded already (M3.2)', async () => {
    const inquiry = await opened('inquiry');
    const onInquiry = recordFollowUp(inquiry.caseId, { outcome: 'Called', satisfied: true }, { actor: supervisor }, inquiry.deps);
    await expect(onInquiry).rejects.toBeInstanceOf(CaseStateError);
    await expect(onInquiry).rejects.toThrow('is an inquiry: follow-ups are recorded on complaints');
    const open = await opened('complaint');
    const refusal = recordFollowUp(open.caseId, { outcome: 'Called', satisfied: true }, { actor: supervisor }, open.deps);
    await expect(refusal).rejects.toBeInstanceOf(CaseStateError);
    await expect(refusal).rejects.toThrow('has no follow-up pending');
    const { caseId, deps } = await resolvedComplaint();
    await recordFollowUp(caseId, { outcome: 'Confirmed', satisfied: true }, { actor: agent }, deps);
    await expect(recordFollowUp(caseId, { outcome: 'Again', satisfied: true }, { actor: agent }, deps)).rejects.toThrow(`the one due ${FOLLOW_UP_DAY} was recorded already`);
  });

  it('lets the agent it is for and supervisors record the outcome, and refuses another agent with a 403 (M3.2)', async () => {
    const { caseId, deps } = await resolvedComplaint();
    await expect(recordFollowUp(caseId, { outcome: 'Called', satisfied: true }, { actor: otherAgent }, deps)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(recordFollowUp(caseId, { outcome: 'Called', satisfied: true }, { actor: supervisor }, deps)).resolves.toMatchObject({ followUp: { state: 'recorded' } });
  });

  it('records the outcome on a closed complaint and on a reopened one (M3.2)', async () => {
    const closed = await resolvedComplaint();
    await closeCase(closed.caseId, {}, { actor: agent }, closed.deps);
    await expect(recordFollowUp(closed.caseId, { outcome: 'Confirmed', satisfied: true }, { actor: agent }, closed.deps)).resolves.toMatchObject({ status: 'closed', followUp: { state: 'recorded' } });
    const reopened = await resolvedComplaint();
    await reopenCase(reopened.caseId, { reason: 'The customer wrote again' }, { actor: agent }, reopened.deps);
    await expect(recordFollowUp(reopened.caseId, { outcome: 'Confirmed', satisfied: true }, { actor: agent }, reopened.deps)).resolves.toMatchObject({ followUp: { state: 'recorded' } });
  });

  it('refuses to record a follow-up on a case whose personal data was erased: no new personal text goes on it (M3.2, M5.1)', async () => {
    const { caseId, deps, store } = await resolvedComplaint();
    const c = (await store.getCase(caseId))!;
    store.cases.set(caseId, { ...c, erasure: { requestId: '7d0c8f6e-2f43-4a8e-9d3b-5b2f0c1e9a77', erasedAt: '2026-03-04T09:00:00.000Z' } });
    await expect(recordFollowUp(caseId, { outcome: 'Called', satisfied: true }, { actor: supervisor }, deps)).rejects.toThrow('personal data was erased');
  });

  it('lists the follow-ups due, overdue first: every one for supervisors, their own for an agent (M3.2)', async () => {
    const { store, caseId, clock } = await resolvedComplaint();
    clock.advance(4 * DAY);
    const now = clock.now();
    expect(await listFollowUps({}, supervisor, { followUps: store, now })).toEqual({ day: '2026-03-06', followUps: [expect.objectContaining({ caseId, overdue: true })] });
    expect((await listFollowUps({}, agent, { followUps: store, now })).followUps).toHaveLength(1);
    expect((await listFollowUps({}, otherAgent, { followUps: store, now })).followUps).toEqual([]);
    expect((await listFollowUps({ due: '2026-03-04' }, supervisor, { followUps: store, now })).followUps).toEqual([]);
  });
});
