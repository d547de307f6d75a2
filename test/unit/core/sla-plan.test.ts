import type { Case } from '../../../functions/core/case';
import { fixedClock } from '../../../functions/core/clock';
import { transition } from '../../../functions/core/lifecycle';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { nextStep, planSla } from '../../../functions/core/sla-plan';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MIN = 60_000;
const HOUR = 60 * MIN;
const policy = slaPolicy();

async function newCase(type: 'inquiry' | 'complaint' = 'inquiry'): Promise<Case> {
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ type }), channel: 'web' },
    { store: new InMemoryCaseStore(), clock: fixedClock(new Date(T0).toISOString()), newCaseId: () => '33333333-3333-4333-8333-333333333333', random: seededRandom(), policy },
  );
  return c;
}

const at = (ms: number) => new Date(T0 + ms).toISOString();

describe('planning the SLA workflow', () => {
  it('waits for the acknowledgement warning point first: 75% of 15 minutes (M3.1)', async () => {
    const plan = planSla(await newCase(), T0 + 1000, policy);
    expect(plan).toEqual({ due: [], nextAt: T0 + 11.25 * MIN });
    expect(nextStep(plan)).toEqual({ action: 'wait', until: '2026-03-02T09:11:15Z' });
  });

  it('warns and then breaches an acknowledgement that never went out', async () => {
    const c = await newCase();
    expect(planSla(c, T0 + 12 * MIN, policy).due).toEqual([{ type: 'warn', milestone: 'acknowledgement', dueAt: at(15 * MIN) }]);
    const warned = { ...c, sla: { ...c.sla, warned: ['acknowledgement' as const] } };
    expect(planSla(warned, T0 + 12 * MIN, policy)).toMatchObject({ due: [], nextAt: T0 + 15 * MIN });
    expect(planSla(warned, T0 + 15 * MIN, policy).due).toEqual([{ type: 'breach', milestone: 'acknowledgement', dueAt: at(15 * MIN) }]);
  });

  it('moves on to initial assistance once acknowledged: warning at 18 h, deadline at 24 h (M3.1, C3.1)', async () => {
    const c = { ...(await newCase()), acknowledgedAt: at(5000) };
    expect(planSla(c, T0 + 20 * MIN, policy).nextAt).toBe(T0 + 18 * HOUR);
    const warned = { ...c, sla: { ...c.sla, warned: ['initial_response' as const] } };
    expect(planSla(warned, T0 + 18 * HOUR, policy).nextAt).toBe(T0 + 24 * HOUR);
    expect(planSla(warned, T0 + 24 * HOUR, policy).due).toEqual([{ type: 'breach', milestone: 'initial_response', dueAt: at(24 * HOUR) }]);
  });

  it('has nothing left to enforce for an answered inquiry', async () => {
    const c = { ...(await newCase()), acknowledgedAt: at(5000), firstRespondedAt: at(HOUR) };
    expect(nextStep(planSla(c, T0 + 2 * HOUR, policy))).toEqual({ action: 'done', until: null });
  });

  it('ends for a resolved or closed case whatever is pending', async () => {
    const c = await newCase('complaint');
    for (const status of ['resolved', 'closed'] as const) expect(nextStep(planSla({ ...c, status }, T0 + 30 * HOUR, policy)).action).toBe('done');
  });

  it('escalates an unresolved complaint to a supervisor 24 hours after receipt (M3.2, C3.3)', async () => {
    const c = { ...(await newCase('complaint')), acknowledgedAt: at(5000), firstRespondedAt: at(HOUR) };
    expect(planSla(c, T0 + 2 * HOUR, policy).nextAt).toBe(T0 + 18 * HOUR);
    expect(planSla(c, T0 + 18 * HOUR, policy).due).toEqual([{ type: 'warn', milestone: 'escalation', dueAt: at(24 * HOUR) }]);
    const warned = { ...c, sla: { ...c.sla, warned: ['escalation' as const] } };
    expect(planSla(warned, T0 + 24 * HOUR, policy).due).toEqual([{ type: 'escalate', level: 1, reason: expect.stringContaining('not resolved') }]);
  });

  it('escalates to the next level when the supervisor does not act within 24 hours (M3.3)', async () => {
    const base = { ...(await newCase('complaint')), acknowledgedAt: at(5000), firstRespondedAt: at(HOUR) };
    const escalated = { ...base, escalation: { level: 1, escalatedAt: at(24 * HOUR), responsibleParty: 'sup@example.com', respondBy: at(48 * HOUR) } };
    expect(planSla(escalated, T0 + 30 * HOUR, policy)).toEqual({ due: [], nextAt: T0 + 48 * HOUR });
    expect(planSla(escalated, T0 + 48 * HOUR, policy).due).toEqual([{ type: 'escalate', level: 2, reason: expect.stringContaining('sup@example.com') }]);
    const acted = { ...escalated, escalation: { ...escalated.escalation, acknowledgedAt: at(30 * HOUR) } };
    expect(nextStep(planSla(acted, T0 + 48 * HOUR, policy)).action).toBe('done');
    const top = { ...escalated, escalation: { ...escalated.escalation, level: policy.maxEscalationLevel } };
    expect(nextStep(planSla(top, T0 + 96 * HOUR, policy)).action).toBe('done');
  });

  it('stops the initial-response clock while waiting for the customer, never the acknowledgement clock', async () => {
    const c = await newCase();
    const paused = transition(c, 'pending_customer', new Date(T0 + 2 * MIN), { kind: 'agent', id: 'a1' }).next;
    // The acknowledgement still falls due on time.
    expect(planSla(paused, T0 + 15 * MIN, policy).due).toEqual([{ type: 'breach', milestone: 'acknowledgement', dueAt: at(15 * MIN) }]);
    const acknowledged = { ...paused, acknowledgedAt: at(3 * MIN) };
    // Ten hours into a pause, nothing falls due at 24 h: the deadline moves with the pause.
    const during = planSla(acknowledged, T0 + 10 * HOUR, policy);
    expect(during.due).toEqual([]);
    // The warning still comes after 18 h of running clock, that is 18 h + the pause so far.
    expect(during.nextAt).toBe(T0 + 18 * HOUR + (10 * HOUR - 2 * MIN));
    // The customer answers after 10 hours: the deadline is 24 h + the paused time.
    const resumed = transition(acknowledged, 'in_progress', new Date(T0 + 10 * HOUR), { kind: 'customer' }).next;
    expect(resumed.sla.pausedMs).toBe(10 * HOUR - 2 * MIN);
    expect(resumed.sla.pausedSince).toBeUndefined();
    const due = T0 + 24 * HOUR + 10 * HOUR - 2 * MIN;
    expect(planSla({ ...resumed, sla: { ...resumed.sla, warned: ['initial_response'] } }, T0 + 30 * HOUR, policy).nextAt).toBe(due);
    expect(planSla({ ...resumed, sla: { ...resumed.sla, warned: ['initial_response'] } }, due, policy).due).toEqual([
      { type: 'breach', milestone: 'initial_response', dueAt: new Date(due).toISOString() },
    ]);
  });

  it('rounds wait times up to the whole second, so the workflow never wakes before a deadline', () => {
    expect(nextStep({ due: [], nextAt: Date.parse('2026-03-02T09:15:00.562Z') }).until).toBe('2026-03-02T09:15:01Z');
    expect(nextStep({ due: [], nextAt: Date.parse('2026-03-02T09:15:00.000Z') }).until).toBe('2026-03-02T09:15:00Z');
  });
});
