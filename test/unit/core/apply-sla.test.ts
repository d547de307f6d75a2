import { applySla } from '../../../functions/core/apply-sla';
import { verifyChain } from '../../../functions/core/audit-chain';
import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const contacts = { teamInbox: 'team@example.com', supervisor: 'supervisor@example.com', manager: 'manager@example.com' };
const clockAt = (ms: number) => fixedClock(new Date(T0 + ms).toISOString());

async function setup(type: 'inquiry' | 'complaint') {
  const store = new InMemoryCaseStore();
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ type }), channel: 'web' },
    { store, clock: clockAt(0), newCaseId: () => '44444444-4444-4444-8444-444444444444', random: seededRandom(), policy: slaPolicy() },
  );
  return { store, caseId: c.caseId };
}

describe('applying SLA actions', () => {
  it('records a breach once, flags the case and emails the supervisor on duty', async () => {
    const { store, caseId } = await setup('inquiry');
    const applied = await applySla(caseId, { store, clock: clockAt(16 * 60_000), contacts });
    expect(applied).toEqual([{ type: 'breach', milestone: 'acknowledgement', dueAt: '2026-03-02T09:15:00.000Z' }]);
    const c = await store.getCase(caseId);
    expect(c).toMatchObject({ slaBreached: true, sla: { breached: ['acknowledgement'] } });
    const breach = (await store.getTimeline(caseId)).at(-1);
    expect(breach).toMatchObject({ type: 'sla_breached', data: { milestone: 'acknowledgement', dueAt: '2026-03-02T09:15:00.000Z', detectedAt: '2026-03-02T09:16:00.000Z' } });
    expect(await store.getOutbox(caseId, 'sla_breach#acknowledgement')).toMatchObject({ to: 'supervisor@example.com', status: 'pending' });
    // Running again at the same moment changes nothing.
    expect(await applySla(caseId, { store, clock: clockAt(16 * 60_000), contacts })).toEqual([]);
    expect(verifyChain(await store.getTimeline(caseId)).valid).toBe(true);
  });

  it('warns the team inbox when nobody is assigned, and the assignee when someone is', async () => {
    const { store, caseId } = await setup('inquiry');
    await applySla(caseId, { store, clock: clockAt(12 * 60_000), contacts });
    expect(await store.getOutbox(caseId, 'sla_warning#acknowledgement')).toMatchObject({ to: 'team@example.com' });

    const other = await setup('inquiry');
    const c = await other.store.getCase(other.caseId);
    other.store.cases.set(other.caseId, { ...c!, assignee: { id: 'a1', email: 'agent@example.com' } });
    await applySla(other.caseId, { store: other.store, clock: clockAt(12 * 60_000), contacts });
    expect(await other.store.getOutbox(other.caseId, 'sla_warning#acknowledgement')).toMatchObject({ to: 'agent@example.com' });
  });

  it('logs an automatic escalation with date, parties, reason and deadline, and ends the one it climbs from (M3.3, M9.3)', async () => {
    const { store, caseId } = await setup('complaint');
    const c = await store.getCase(caseId);
    store.cases.set(caseId, { ...c!, acknowledgedAt: c!.receivedAt, firstRespondedAt: c!.receivedAt, sla: { ...c!.sla, warned: ['escalation'] } });
    await applySla(caseId, { store, clock: clockAt(24 * HOUR), contacts });
    const [record] = await store.getEscalations(caseId);
    expect(record).toMatchObject({
      level: 1,
      trigger: 'automatic',
      escalatedAt: '2026-03-03T09:00:00.000Z',
      escalatedFrom: 'unassigned',
      responsibleParty: 'supervisor@example.com',
      respondBy: '2026-03-04T09:00:00.000Z',
      reason: expect.stringContaining('not resolved'),
      actionsTaken: [expect.objectContaining({ action: expect.stringContaining('notified supervisor@example.com') })],
    });
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'escalated', data: { level: 1, responsibleParty: 'supervisor@example.com' } });
    expect(await store.getOutbox(caseId, 'escalation#1')).toMatchObject({ to: 'supervisor@example.com', kind: 'escalation' });

    await applySla(caseId, { store, clock: clockAt(48 * HOUR), contacts });
    const levels = await store.getEscalations(caseId);
    expect(levels.map((e) => [e.level, e.responsibleParty, e.escalatedFrom])).toEqual([
      [1, 'supervisor@example.com', 'unassigned'],
      [2, 'manager@example.com', 'supervisor@example.com'],
    ]);
    // The level-1 escalation nobody accepted ends as escalated further, with when and why on its log.
    expect(levels[0]).toMatchObject({ ending: 'escalated-further', endedAt: '2026-03-04T09:00:00.000Z' });
    expect(levels[0]?.actionsTaken.at(-1)).toEqual({ at: '2026-03-04T09:00:00.000Z', by: 'caseflow', action: 'not accepted by supervisor@example.com in time: escalated to level 2' });
    expect(levels[1]?.ending).toBeUndefined();
  });
});
