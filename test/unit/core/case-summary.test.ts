import { nextDue, nextDueAt, summarize, type Case } from '../../../functions/core/case';
import { planSla } from '../../../functions/core/sla-plan';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();

function complaint(overrides: Partial<Case> = {}): Case {
  return {
    caseId: '0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e',
    reference: 'CS-7K3M9Q',
    type: 'complaint',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    customer: { name: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0000' },
    subject: 'Charged twice',
    message: 'Hello',
    receivedAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    sla: computeDeadlines('complaint', T0, slaPolicy()),
    version: 1,
    lastEventHash: 'f'.repeat(64),
    ...overrides,
  };
}

describe('the case summary a queue shows', () => {
  it('has the nearest unmet SLA deadline: the acknowledgement first, then initial assistance or escalation (M3.1, M3.2)', () => {
    const c = complaint();
    expect(summarize(c).nextDueAt).toBe(c.sla.acknowledgementDueAt);
    const acknowledged = complaint({ status: 'acknowledged', acknowledgedAt: iso(60_000) });
    expect(nextDueAt(acknowledged)).toBe(iso(24 * HOUR));
  });

  it('drops the complaint-escalation deadline once the complaint is escalated, for the escalated party’s respond-by until they accept (M3.3)', () => {
    const answered = complaint({ status: 'in_progress', acknowledgedAt: iso(60_000), firstRespondedAt: iso(HOUR) });
    expect(nextDueAt(answered)).toBe(answered.sla.escalationDueAt);
    const escalated = { ...answered, escalation: { number: 1, level: 1, escalatedAt: iso(2 * HOUR), responsibleParty: 'sup@example.com', respondBy: iso(26 * HOUR) } };
    expect(nextDueAt(escalated)).toBe(iso(26 * HOUR));
    const accepted = { ...escalated, escalation: { ...escalated.escalation, acknowledgedAt: iso(3 * HOUR), acceptedBy: 'sup-1' } };
    expect(nextDueAt(accepted)).toBeUndefined();
  });

  it('moves initial assistance by the time spent waiting for the customer', () => {
    const c = complaint({ type: 'inquiry', acknowledgedAt: iso(60_000), sla: { ...computeDeadlines('inquiry', T0, slaPolicy()), pausedMs: 3 * HOUR } });
    expect(nextDueAt(c)).toBe(iso(27 * HOUR));
  });

  it('has no deadline for a resolved case, and says when it closes by itself (M7.2)', () => {
    const resolved = complaint({ status: 'resolved', autoCloseAt: iso(7 * 24 * HOUR) });
    const summary = summarize(resolved);
    expect(summary.nextDueAt).toBeUndefined();
    expect(summary.autoCloseAt).toBe(iso(7 * 24 * HOUR));
  });

  it('carries no customer contact details', () => {
    const summary = summarize(complaint());
    const text = JSON.stringify(summary);
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('7946');
  });

  it('names the customer, so a queue row shows who wrote', () => {
    expect(summarize(complaint()).customerName).toBe('Ada');
  });
});

describe('the next timer a queue counts down to', () => {
  const warnings = (c: Case, at: number) => planSla(c, at, slaPolicy()).due.filter((a) => a.type === 'warn');

  it('is the acknowledgement first, amber at the point the SLA workflow warns (M3.1)', () => {
    const c = complaint();
    const next = nextDue(c);
    // 75% of the 15-minute window.
    expect(next).toEqual({ milestone: 'acknowledgement', dueAt: c.sla.acknowledgementDueAt, warnAt: iso(11 * 60_000 + 15_000) });
    expect(summarize(c).nextDue).toEqual(next);
    expect(warnings(c, Date.parse(next?.warnAt ?? '') - 1000)).toEqual([]);
    expect(warnings(c, Date.parse(next?.warnAt ?? ''))).toEqual([expect.objectContaining({ milestone: 'acknowledgement' })]);
  });

  it('is initial assistance once acknowledged, then a complaint’s escalation once answered, each warned where the workflow warns (M3.1, M3.2)', () => {
    const acknowledged = complaint({ status: 'acknowledged', acknowledgedAt: iso(60_000) });
    // Initial assistance and the complaint's escalation fall at the same 24 h: the milestone listed first wins.
    expect(nextDue(acknowledged)).toEqual({ milestone: 'initial_response', dueAt: iso(24 * HOUR), warnAt: iso(18 * HOUR) });
    const answered = complaint({ status: 'in_progress', acknowledgedAt: iso(60_000), firstRespondedAt: iso(HOUR) });
    const next = nextDue(answered);
    expect(next).toEqual({ milestone: 'escalation', dueAt: iso(24 * HOUR), warnAt: iso(18 * HOUR) });
    expect(warnings(answered, Date.parse(next?.warnAt ?? '') - 1000)).toEqual([]);
    expect(warnings(answered, Date.parse(next?.warnAt ?? ''))).toEqual([expect.objectContaining({ milestone: 'escalation' })]);
  });

  it('stays on a breached milestone, in the past, until it is met', () => {
    const late = complaint({ slaBreached: true, sla: { ...computeDeadlines('complaint', T0, slaPolicy()), breached: ['acknowledgement'] } });
    expect(nextDue(late)?.milestone).toBe('acknowledgement');
    expect(nextDueAt(late)).toBe(late.sla.acknowledgementDueAt);
  });

  it('is the escalated party’s respond-by while nobody accepted the escalation, amber at 75% of it (M3.3)', () => {
    const c = complaint({
      type: 'inquiry',
      status: 'in_progress',
      acknowledgedAt: iso(60_000),
      firstRespondedAt: iso(HOUR),
      sla: computeDeadlines('inquiry', T0, slaPolicy()),
      escalation: { number: 1, level: 1, escalatedAt: iso(2 * HOUR), responsibleParty: 'supervisor@example.com', respondBy: iso(26 * HOUR) },
    });
    expect(nextDue(c)).toEqual({ milestone: 'escalation_response', dueAt: iso(26 * HOUR), warnAt: iso(20 * HOUR) });
    expect(nextDueAt(c)).toBe(iso(26 * HOUR));
    expect(nextDue({ ...c, escalation: { ...c.escalation!, endedAt: iso(3 * HOUR), ending: 'resolved' } })).toBeUndefined();
  });

  it('says the initial-assistance clock is stopped while the case waits for the customer, at the earliest it can fall', () => {
    const waiting = complaint({
      type: 'inquiry',
      status: 'pending_customer',
      acknowledgedAt: iso(60_000),
      sla: { ...computeDeadlines('inquiry', T0, slaPolicy()), pausedMs: 2 * HOUR, pausedSince: iso(5 * HOUR) },
    });
    expect(nextDue(waiting)).toEqual({ milestone: 'initial_response', dueAt: iso(26 * HOUR), warnAt: iso(20 * HOUR), paused: true });
  });

  it('is the automatic closure of a resolved case, and nothing for a closed one (M7.2)', () => {
    const resolved = complaint({ status: 'resolved', autoCloseAt: iso(7 * 24 * HOUR) });
    expect(summarize(resolved).nextDue).toEqual({ milestone: 'auto_close', dueAt: iso(7 * 24 * HOUR), warnAt: iso(7 * 24 * HOUR) });
    expect(summarize(complaint({ status: 'closed', closedAt: iso(HOUR) })).nextDue).toBeUndefined();
  });
});
