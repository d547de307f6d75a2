import { claimCase } from '../../../functions/core/actions/assignment';
import { applySla } from '../../../functions/core/apply-sla';
import { breachRecordId, openNonCompliance, planCorrectiveAction, REPEAT_POLICY, type NonComplianceRecord } from '../../../functions/core/non-compliance';
import { addCorrectiveAction, applyCorrectiveActionStep, listNonCompliance, planCorrectiveActionStep, reportNonCompliance, signOff } from '../../../functions/core/non-compliance-records';
import type { Mailer, OutgoingEmail } from '../../../functions/core/ports';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { MemoryNonComplianceStore } from '../../support/memory-non-compliance-store';
import { agent, contacts, DAY, HOUR, MIN, movingClock, opened, supervisor } from './actions/support';

const feedbackLead = { kind: 'feedback' as const, id: 'fb-fay' };

function recordingMailer(): Mailer & { sent: OutgoingEmail[] } {
  const sent: OutgoingEmail[] = [];
  return { sent, send: async (e) => (sent.push(e), { messageId: `m-${sent.length}` }) };
}

describe('non-compliance records and the 7-day corrective-action timer (C8.1–C8.3)', () => {
  it('opens a non-compliance record at once when an SLA milestone is breached, naming the case, the milestone and the assignee (C8.1)', async () => {
    const { store, clock, caseId, deps } = await opened('complaint');
    await claimCase(caseId, {}, { actor: agent }, deps);
    clock.advance(16 * MIN);
    const applied = await applySla(caseId, { store, clock, contacts });
    expect(applied.map((a) => a.type)).toContain('breach');
    const record = store.nonCompliance.get(breachRecordId(caseId, 'acknowledgement'));
    expect(record).toMatchObject({
      cause: { kind: 'sla_breach', milestone: 'acknowledgement' },
      caseId,
      staffId: agent.id,
      status: 'open',
      openedAt: new Date(clock.ms()).toISOString(),
      correctiveActionDueAt: new Date(clock.ms() + 7 * DAY).toISOString(),
    });
    // Applied again (a retried step): the breach is recorded once, and so is its record.
    await applySla(caseId, { store, clock, contacts });
    expect([...store.nonCompliance.keys()].filter((id) => id.startsWith(`nc-${caseId}`))).toEqual([breachRecordId(caseId, 'acknowledgement')]);
  });

  it('warns the supervisor before the deadline, then records the missed deadline and tells management when no corrective action is recorded in 7 days (C8.1)', async () => {
    const store = new MemoryNonComplianceStore();
    const clock = movingClock();
    const mailer = recordingMailer();
    const deps = { store, clock, contacts: { supervisor: contacts.supervisor, manager: contacts.manager }, mailer };
    const record = await reportNonCompliance({ description: 'Replied to a complaint without the checklist', staffId: 'agent-ana' }, supervisor, 'nc-report-1', deps);
    // Warning point: the policy's warning ratio of the 7 days (0.75: 5 days and 6 hours).
    expect(await planCorrectiveActionStep(record.id, deps)).toEqual({ action: 'wait', until: new Date(clock.ms() + 5 * DAY + 6 * HOUR).toISOString(), reason: 'warning' });
    clock.advance(5 * DAY + 6 * HOUR);
    expect(await applyCorrectiveActionStep(record.id, deps)).toEqual([{ type: 'warn' }]);
    expect(mailer.sent.map((m) => [m.to, m.subject])).toEqual([[contacts.supervisor, 'Corrective action due: non-compliance nc-report-1']]);
    expect((await planCorrectiveActionStep(record.id, deps)).until).toBe(record.correctiveActionDueAt);
    clock.advance(DAY + 18 * HOUR - 1);
    expect(await applyCorrectiveActionStep(record.id, deps)).toEqual([]);
    clock.advance(1);
    expect(await applyCorrectiveActionStep(record.id, deps)).toEqual([{ type: 'deadline_missed' }]);
    expect(mailer.sent.at(-1)).toMatchObject({ to: contacts.manager, subject: 'Corrective action overdue: non-compliance nc-report-1' });
    const overdue = await store.get(record.id);
    expect(overdue).toMatchObject({ status: 'overdue', deadlineMissedAt: new Date(clock.ms()).toISOString() });
    expect(overdue?.history.map((h) => h.type)).toEqual(['opened', 'warned', 'deadline_missed']);
    expect(await planCorrectiveActionStep(record.id, deps)).toMatchObject({ action: 'done' });
  });

  it('stops the timer when a typed corrective action is recorded with its evidence, and closes the record on a supervisor’s sign-off (C8.1, C8.2)', async () => {
    const store = new MemoryNonComplianceStore();
    const clock = movingClock();
    const deps = { store, clock };
    const record = await reportNonCompliance({ description: 'Escalation not logged', staffId: 'agent-ana' }, feedbackLead, 'nc-report-2', deps);
    clock.advance(2 * DAY);
    const acted = await addCorrectiveAction(record.id, { type: 'retraining', description: 'Complaint-handling refresher', evidence: 'Training record of 2026-03-04' }, supervisor, deps);
    expect(acted.status).toBe('action_recorded');
    expect(planCorrectiveAction(acted, clock.ms() + 10 * DAY)).toEqual({ due: [] });
    const closed = await signOff(record.id, { note: 'Checked the next ten complaints' }, supervisor, deps);
    expect(closed).toMatchObject({ status: 'closed', signedOff: { by: supervisor, note: 'Checked the next ten complaints' } });
    await expect(addCorrectiveAction(record.id, { type: 'process_change', description: 'x', evidence: 'y' }, supervisor, deps)).rejects.toThrow('signed off');
  });

  it('refuses a sign-off without a corrective action, and by the staff member the record is about', async () => {
    const store = new MemoryNonComplianceStore();
    const deps = { store, clock: movingClock() };
    const record = await reportNonCompliance({ description: 'Late callback', staffId: 'sup-sam' }, feedbackLead, 'nc-report-3', deps);
    await expect(signOff(record.id, {}, supervisor, deps)).rejects.toThrow('Record a corrective action before signing');
    await addCorrectiveAction(record.id, { type: 'additional_oversight', description: 'Manager reviews callbacks', evidence: 'Rota' }, { kind: 'manager', id: 'mgr-mia' }, deps);
    await expect(signOff(record.id, {}, supervisor, deps)).rejects.toThrow('cannot sign off their own record');
  });

  it(`flags repeated non-compliance: the ${REPEAT_POLICY.count}rd record of one staff member within ${REPEAT_POLICY.windowDays} days (C8.3)`, async () => {
    const store = new MemoryNonComplianceStore();
    const clock = movingClock(Date.parse('2026-03-30T09:00:00.000Z'));
    const deps = { store, clock };
    const first = await reportNonCompliance({ description: 'One', staffId: 'agent-ana' }, supervisor, 'nc-r-1', deps);
    clock.advance(40 * DAY); // into the next month: the check reads every month of the window
    const second = await reportNonCompliance({ description: 'Two', staffId: 'agent-ana' }, supervisor, 'nc-r-2', deps);
    await reportNonCompliance({ description: 'Someone else', staffId: 'agent-ben' }, supervisor, 'nc-r-x', deps);
    clock.advance(40 * DAY);
    const third = await reportNonCompliance({ description: 'Three', staffId: 'agent-ana' }, supervisor, 'nc-r-3', deps);
    expect([first.repeated, second.repeated, third.repeated]).toEqual([false, false, true]);
    expect(third.repeatOf).toEqual(['nc-r-2', 'nc-r-1']);
    clock.advance(60 * DAY); // the first two are now out of the window
    const fourth = await reportNonCompliance({ description: 'Four', staffId: 'agent-ana' }, supervisor, 'nc-r-4', deps);
    expect(fourth).toMatchObject({ repeated: false, repeatOf: ['nc-r-3'] });
  });

  it('lists a month’s records filtered by status and staff member', async () => {
    const store = new MemoryNonComplianceStore();
    const clock = movingClock(Date.parse('2026-03-10T09:00:00.000Z'));
    const deps = { store, clock };
    await reportNonCompliance({ description: 'A', staffId: 'agent-ana' }, supervisor, 'nc-l-1', deps);
    await reportNonCompliance({ description: 'B', staffId: 'agent-ben' }, supervisor, 'nc-l-2', deps);
    await addCorrectiveAction('nc-l-2', { type: 'revised_responsibilities', description: 'No complaints for now', evidence: 'Rota' }, supervisor, deps);
    expect((await listNonCompliance({ month: '2026-03' }, store, clock.now())).map((r: NonComplianceRecord) => r.id)).toEqual(['nc-l-1', 'nc-l-2']);
    expect((await listNonCompliance({ status: 'open' }, store, clock.now())).map((r) => r.id)).toEqual(['nc-l-1']);
    expect((await listNonCompliance({ staffId: 'agent-ben' }, store, clock.now())).map((r) => r.id)).toEqual(['nc-l-2']);
    expect(await listNonCompliance({ month: '2026-02' }, store, clock.now())).toEqual([]);
  });

  it('keeps the window of the case’s policy version (M8.3)', () => {
    const r = openNonCompliance({ id: 'nc-x', cause: { kind: 'reported', description: 'x' }, openedBy: supervisor, at: new Date('2026-03-02T09:00:00.000Z'), policy: { ...slaPolicy(), version: 'test', correctiveActionDays: 3 }, earlier: [], notify: 'supervisors' });
    expect(r).toMatchObject({ policyVersion: 'test', correctiveActionDueAt: '2026-03-05T09:00:00.000Z' });
  });
});
