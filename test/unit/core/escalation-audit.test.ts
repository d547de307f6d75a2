import { acceptEscalation, deescalateCase, escalateCase, recordEscalationAction, resolveEscalation } from '../../../functions/core/actions/escalation-handling';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { applySla } from '../../../functions/core/apply-sla';
import type { CaseEvent } from '../../../functions/core/case-event';
import { computeEscalationAudit, type AuditedCase, type EscalationAuditRecord, type EscalationAuditReport } from '../../../functions/core/escalation-audit';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { COMPLETE_CHECKLIST, seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { staffDirectory } from '../../support/staff-directory';
import { agent, contacts, HOUR, manager, movingClock, supervisor } from './actions/support';

const SEC = 1000;
const R0 = Date.parse('2026-03-02T09:00:00.000Z');
const iso = (t: number) => new Date(t).toISOString();
const PERIOD = { from: '2026-03-02', to: '2026-03-03' };
const AS_OF = '2026-03-09T00:00:00.000Z';

const store = new InMemoryCaseStore();
const ids: Record<string, string> = {};
/** Free text written on the cases: none of it may reach the report. */
const FREE_TEXT = ['Refund above my authority', 'Called the bank', 'Refund approved', 'Ada Lovelace', 'ada-'];

/** A case received `receivedAt`, and a clock set to hours after its receipt to act on it. */
async function open(name: string, type: 'inquiry' | 'complaint', receivedAt: number) {
  const clock = movingClock(receivedAt);
  const caseId = `55555555-5555-4555-8555-${String(Object.keys(ids).length + 1).padStart(12, '0')}`;
  ids[name] = caseId;
  await openCaseFromSubmission(
    { submission: submission({ type, email: `ada-${name.toLowerCase()}@example.com` }), channel: 'web' },
    { store, clock, newCaseId: () => caseId, random: seededRandom(Object.keys(ids).length), policy: slaPolicy() },
  );
  const deps = { store, clock, staff: staffDirectory(), contacts };
  const at = (plusMs: number) => {
    clock.advance(receivedAt + plusMs - clock.ms());
    return deps;
  };
  return { caseId, at, deps };
}

const escalateBy = (o: Awaited<ReturnType<typeof open>>, plusMs: number) => escalateCase(o.caseId, { reason: 'Refund above my authority' }, { actor: agent }, o.at(plusMs));
const actBy = (o: Awaited<ReturnType<typeof open>>, plusMs: number, actor = supervisor) => recordEscalationAction(o.caseId, { action: 'Called the bank' }, { actor }, o.at(plusMs));
const acceptBy = (o: Awaited<ReturnType<typeof open>>, plusMs: number, actor = supervisor) => acceptEscalation(o.caseId, {}, { actor }, o.at(plusMs));
const resolveBy = (o: Awaited<ReturnType<typeof open>>, plusMs: number, actor = supervisor) => resolveEscalation(o.caseId, { outcome: 'Refund approved' }, { actor }, o.at(plusMs));

let records: EscalationAuditRecord[];

/*
 * The scenario, worked through the core's actions (hours after each case's receipt; policy
 * 2026-11: complaints escalated within 24 h, an escalation accepted within 24 h, two levels).
 * Received Mon 2 Mar 2026 from 09:00 UTC, an hour apart; audited as of Mon 9 Mar 00:00.
 * LATE     complaint: escalated by hand +30 h (6 h after its deadline), accepted +31 h, an action +32 h, resolved +33 h.
 * NEVER    complaint: nothing done; still new.
 * SLOW     complaint: escalated +3 h (respond by +27 h), accepted +30 h (3 h late), an action +31 h, resolved +32 h.
 * NOACTION inquiry: escalated +2 h, the escalation resolved +4 h with no action recorded.
 * THRICE   complaint: ESC-01 +1 h, accepted +2 h, an action +3 h, handed back +4 h; ESC-02 +6 h, accepted +7 h,
 *          escalated further +8 h: ESC-03 to the manager, accepted +9 h, an action +10 h, resolved +11 h.
 * CLEAN    complaint: escalated +5 h, accepted +6 h, an action +7 h, resolved +8 h; the case resolved +10 h.
 * MISSED   complaint: the SLA workflow escalates 2 s after its deadline (ESC-01, +24 h 2 s); nobody accepts:
 *          it climbs at +48 h 4 s (ESC-02, the manager), accepted 2 h later, an action +1 h, resolved +1 h.
 * EDITED   inquiry: escalated +1 h, accepted +2 h, an action +3 h, resolved +4 h; the action then removed from the log.
 * BLANK    inquiry: the same, its outcome then blank on trail and log (written before outcomes were required).
 * UNENDED  inquiry: escalated +1 h, accepted +2 h, an action +3 h, the case resolved +4 h; the escalation's
 *          ending then missing from trail and log (the same: an old record).
 * OUTSIDE  complaint received Wed 4 Mar 00:00, escalated late: outside the period.
 */
beforeAll(async () => {
  const late = await open('LATE', 'complaint', R0);
  await escalateBy(late, 30 * HOUR);
  await acceptBy(late, 31 * HOUR);
  await actBy(late, 32 * HOUR);
  await resolveBy(late, 33 * HOUR);

  await open('NEVER', 'complaint', R0 + HOUR);

  const slow = await open('SLOW', 'complaint', R0 + 2 * HOUR);
  await escalateBy(slow, 3 * HOUR);
  await acceptBy(slow, 30 * HOUR);
  await actBy(slow, 31 * HOUR);
  await resolveBy(slow, 32 * HOUR);

  const noAction = await open('NOACTION', 'inquiry', R0 + 3 * HOUR);
  await escalateBy(noAction, 2 * HOUR);
  await resolveBy(noAction, 4 * HOUR);

  const thrice = await open('THRICE', 'complaint', R0 + 4 * HOUR);
  await escalateBy(thrice, HOUR);
  await acceptBy(thrice, 2 * HOUR);
  await actBy(thrice, 3 * HOUR);
  await deescalateCase(thrice.caseId, { reason: 'The agent can finish it' }, { actor: supervisor }, thrice.at(4 * HOUR));
  await escalateBy(thrice, 6 * HOUR);
  await acceptBy(thrice, 7 * HOUR);
  await escalateCase(thrice.caseId, { reason: 'Refund above my authority' }, { actor: supervisor }, thrice.at(8 * HOUR));
  await acceptBy(thrice, 9 * HOUR, manager);
  await actBy(thrice, 10 * HOUR, manager);
  await resolveBy(thrice, 11 * HOUR, manager);

  const clean = await open('CLEAN', 'complaint', R0 + 5 * HOUR);
  await escalateBy(clean, 5 * HOUR);
  await acceptBy(clean, 6 * HOUR);
  await actBy(clean, 7 * HOUR);
  await resolveBy(clean, 8 * HOUR);
  await resolveCase(clean.caseId, { summary: 'Refund approved', checklist: COMPLETE_CHECKLIST }, { actor: agent }, clean.at(10 * HOUR));

  const missed = await open('MISSED', 'complaint', R0 + 6 * HOUR);
  await applySla(missed.caseId, missed.at(24 * HOUR + 2 * SEC));
  await applySla(missed.caseId, missed.at(48 * HOUR + 4 * SEC));
  await acceptBy(missed, 50 * HOUR + 4 * SEC, manager);
  await actBy(missed, 51 * HOUR + 4 * SEC, manager);
  await resolveBy(missed, 52 * HOUR + 4 * SEC, manager);

  for (const name of ['EDITED', 'BLANK']) {
    const o = await open(name, 'inquiry', R0 + (name === 'EDITED' ? 7 : 8) * HOUR);
    await escalateBy(o, HOUR);
    await acceptBy(o, 2 * HOUR);
    await actBy(o, 3 * HOUR);
    await resolveBy(o, 4 * HOUR);
  }

  const unended = await open('UNENDED', 'inquiry', R0 + 9 * HOUR);
  await escalateBy(unended, HOUR);
  await acceptBy(unended, 2 * HOUR);
  await actBy(unended, 3 * HOUR);
  await resolveCase(unended.caseId, { summary: 'Refund approved' }, { actor: supervisor }, unended.at(4 * HOUR));

  const outside = await open('OUTSIDE', 'complaint', Date.parse('2026-03-04T00:00:00.000Z'));
  await escalateBy(outside, 30 * HOUR);

  records = [];
  for (const [name, caseId] of Object.entries(ids)) {
    let timeline: CaseEvent[] = await store.getTimeline(caseId);
    let escalations = await store.getEscalations(caseId);
    if (name === 'EDITED') escalations = escalations.map((r) => ({ ...r, actionsTaken: r.actionsTaken.filter((a) => a.action !== 'Called the bank') }));
    if (name === 'BLANK') {
      timeline = timeline.map((e) => (e.type === 'escalation_resolved' ? { ...e, data: { ...e.data, outcome: ' ' } } : e));
      escalations = escalations.map((r) => ({ ...r, outcome: ' ' }));
    }
    if (name === 'UNENDED') {
      timeline = timeline.filter((e) => e.type !== 'escalation_resolved');
      escalations = escalations.map(({ ending: _e, endedAt: _t, outcome: _o, ...r }) => r);
    }
    records.push({ case: (await store.getCase(caseId))!, timeline, escalations });
  }
});

const audit = (options = {}, asOf = AS_OF): EscalationAuditReport => computeEscalationAudit(records, PERIOD, asOf, options);
const row = (report: EscalationAuditReport, name: string): AuditedCase => {
  const found = report.cases.find((c) => c.caseId === ids[name]);
  if (!found) throw new Error(`${name} is not in the report`);
  return found;
};
const rulesOf = (report: EscalationAuditReport, name: string) => row(report, name).findings.map((f) => `${f.rule} ${f.escalationId ?? '-'}`);
const at = (receivedHoursAfterR0: number, plusMs: number) => iso(R0 + receivedHoursAfterR0 * HOUR + plusMs);

describe('the escalation audit (M6.3, C6.3)', () => {
  it('flags a complaint escalated after its 24-hour deadline, saying how late (M3.2)', () => {
    const report = audit();
    expect(rulesOf(report, 'LATE')).toEqual(['M3.2-escalated-late ESC-01']);
    expect(row(report, 'LATE').findings[0]?.text).toBe(
      `ESC-01: the complaint was escalated at ${at(0, 30 * HOUR)}, 6 h after its escalation deadline ${at(0, 24 * HOUR)} (24 h after receipt) (M3.2)`,
    );
    expect(row(report, 'LATE').escalations).toEqual([
      {
        escalationId: 'ESC-01',
        number: 1,
        level: 1,
        trigger: 'manual',
        escalatedAt: at(0, 30 * HOUR),
        timeToEscalateMs: 30 * HOUR,
        escalatedFrom: 'unassigned',
        responsibleParty: 'supervisor@example.com',
        respondBy: at(0, 54 * HOUR),
        acceptedBy: 'sup-sam',
        acceptedAt: at(0, 31 * HOUR),
        timeToAcceptMs: HOUR,
        acceptance: 'on-time',
        actionsTaken: 1,
        actionDates: [at(0, 32 * HOUR)],
        ending: 'resolved',
        endedAt: at(0, 33 * HOUR),
        outcomeRecorded: true,
        timeToResolveMs: 3 * HOUR,
      },
    ]);
  });

  it('flags a complaint left open past its deadline and never escalated, and lists it though it has no escalation (M3.2)', () => {
    const report = audit();
    expect(row(report, 'NEVER')).toMatchObject({ status: 'new', escalations: [], escalatedMoreThanOnce: false, escalationDueAt: at(1, 24 * HOUR) });
    expect(row(report, 'NEVER').findings).toEqual([
      { rule: 'M3.2-not-escalated', kind: 'breach', text: `the complaint was still open at its escalation deadline ${at(1, 24 * HOUR)} (24 h after receipt) and has not been escalated (M3.2)` },
    ]);
  });

  it('flags an escalation accepted after its respond-by, with who accepted it and how late (M3.3)', () => {
    const report = audit();
    expect(rulesOf(report, 'SLOW')).toEqual(['M3.3-accepted-late ESC-01']);
    expect(row(report, 'SLOW').findings[0]?.text).toBe(`ESC-01: accepted by sup-sam at ${at(2, 30 * HOUR)}, 3 h after its respond-by ${at(2, 27 * HOUR)} (M3.3)`);
    expect(row(report, 'SLOW').escalations[0]).toMatchObject({ acceptance: 'late', timeToAcceptMs: 27 * HOUR, timeToResolveMs: 29 * HOUR });
  });

  it('flags an escalation nobody accepted, which the workflow climbed at its respond-by (M3.3), and not the automatic escalation a few seconds after the deadline (M3.2)', () => {
    const report = audit();
    expect(rulesOf(report, 'MISSED')).toEqual(['M3.3-not-accepted ESC-01']);
    expect(row(report, 'MISSED').findings[0]?.text).toBe(
      `ESC-01: supervisor@example.com did not accept it by its respond-by ${at(6, 48 * HOUR + 2 * SEC)}; it was escalated further at ${at(6, 48 * HOUR + 4 * SEC)} (M3.3)`,
    );
    expect(row(report, 'MISSED').escalations.map((e) => [e.escalationId, e.trigger, e.level, e.responsibleParty, e.acceptance, e.ending])).toEqual([
      ['ESC-01', 'automatic', 1, 'supervisor@example.com', 'missed', 'escalated-further'],
      ['ESC-02', 'automatic', 2, 'manager@example.com', 'on-time', 'resolved'],
    ]);
    // Without the grace for the workflow's latency, the automatic escalation 2 s after the deadline is late.
    expect(rulesOf(audit({ escalationGraceMs: 0 }), 'MISSED')).toEqual(['M3.2-escalated-late ESC-01', 'M3.3-not-accepted ESC-01']);
  });

  it('flags an escalation resolved with no action recorded (M9.3)', () => {
    const report = audit();
    expect(row(report, 'NOACTION').findings).toEqual([
      { rule: 'M9.3-no-action', kind: 'breach', escalationId: 'ESC-01', text: `ESC-01: resolved at ${at(3, 4 * HOUR)} with no action recorded by supervisor@example.com (M9.3)` },
    ]);
    // Resolving it accepted it: on time.
    expect(row(report, 'NOACTION').escalations[0]).toMatchObject({ acceptance: 'on-time', acceptedAt: at(3, 4 * HOUR), actionsTaken: 0, actionDates: [], outcomeRecorded: true });
  });

  it('flags an escalation resolved with a blank outcome, and one left without an ending when the case was resolved (M9.3)', () => {
    const report = audit();
    expect(row(report, 'BLANK').findings).toEqual([{ rule: 'M9.3-no-outcome', kind: 'breach', escalationId: 'ESC-01', text: `ESC-01: resolved at ${at(8, 4 * HOUR)} with no outcome recorded (M9.3)` }]);
    expect(row(report, 'BLANK').escalations[0]).toMatchObject({ ending: 'resolved', outcomeRecorded: false });
    expect(row(report, 'UNENDED').findings).toEqual([
      { rule: 'M9.3-no-outcome', kind: 'breach', escalationId: 'ESC-01', text: `ESC-01: the case was resolved at ${at(9, 4 * HOUR)} with the escalation never ended: no outcome recorded (M9.3)` },
    ]);
    expect(row(report, 'UNENDED')).toMatchObject({ status: 'resolved', resolvedAt: at(9, 4 * HOUR), escalationToResolutionMs: 3 * HOUR });
    expect(row(report, 'UNENDED').escalations[0]).toMatchObject({ ending: null, outcomeRecorded: false, acceptance: 'on-time' });
  });

  it('flags an escalation log that differs from the trail, through the escalation-log check (M9.3, M7.3)', () => {
    expect(row(audit(), 'EDITED').findings).toEqual([
      { rule: 'M9.3-log-differs', kind: 'breach', escalationId: 'ESC-01', text: `ESC-01: the escalation log differs from the trail: the action recorded at ${at(7, 3 * HOUR)} is missing or altered (M9.3)` },
    ]);
  });

  it('flags a case escalated three times for review, more than the limit of two, and gives each escalation’s party and ending (M6.3)', () => {
    const report = audit();
    const thrice = row(report, 'THRICE');
    expect(thrice.findings).toEqual([{ rule: 'M6.3-repeated', kind: 'review', text: 'escalated 3 times, more than 2: for review (M6.3)' }]);
    expect(thrice).toMatchObject({ escalatedMoreThanOnce: true, flaggedForReview: true, timeToFirstEscalationMs: HOUR });
    expect(thrice.escalations.map((e) => [e.escalationId, e.level, e.escalatedFrom, e.responsibleParty, e.acceptedBy, e.actionsTaken, e.ending, e.timeToEscalateMs])).toEqual([
      ['ESC-01', 1, 'unassigned', 'supervisor@example.com', 'sup-sam', 1, 'de-escalated', HOUR],
      ['ESC-02', 1, 'unassigned', 'supervisor@example.com', 'sup-sam', 0, 'escalated-further', 6 * HOUR],
      ['ESC-03', 2, 'supervisor@example.com', 'manager@example.com', 'mgr-mia', 1, 'resolved', 8 * HOUR],
    ]);
    // The limit is the caller's: at one, the case escalated twice is flagged too.
    expect(audit({ repeatLimit: 1 }).cases.filter((c) => c.flaggedForReview).map((c) => c.caseId).sort()).toEqual([ids.THRICE, ids.MISSED].sort());
  });

  it('finds nothing wrong with a complaint escalated in time, accepted, acted on, resolved with an outcome', () => {
    const clean = row(audit(), 'CLEAN');
    expect(clean.findings).toEqual([]);
    expect(clean).toMatchObject({ status: 'resolved', resolvedAt: at(5, 10 * HOUR), escalationToResolutionMs: 5 * HOUR, flaggedForReview: false });
  });

  it('lists the cases breaking the protocol first, then those for review, then the rest; leaves out cases received outside the period', () => {
    expect(audit().cases.map((c) => Object.entries(ids).find(([, id]) => id === c.caseId)?.[0])).toEqual([
      'LATE',
      'NEVER',
      'SLOW',
      'NOACTION',
      'MISSED',
      'EDITED',
      'BLANK',
      'UNENDED',
      'THRICE',
      'CLEAN',
    ]);
  });

  it('sums up the period: counts, rates, nearest-rank p50/p90 of the times to escalate, accept and resolve, and findings by rule', () => {
    const { summary, period, repeatLimit, escalationGraceMs } = audit();
    expect({ period, repeatLimit, escalationGraceMs }).toEqual({ period: { ...PERIOD, days: 2 }, repeatLimit: 2, escalationGraceMs: 5 * 60_000 });
    expect(summary).toEqual({
      cases: 10,
      complaints: 6,
      escalatedCases: 9,
      escalationRate: 0.9,
      escalations: 12,
      byTrigger: { automatic: 2, manual: 10 },
      escalatedMoreThanOnce: 2,
      flaggedForReview: 1,
      complaintEscalation: { inTime: 4, late: 1, missing: 1, notOwed: 0, pending: 0 },
      acceptance: { onTime: 10, late: 1, missed: 1, pending: 0, endedFirst: 0 },
      endings: { resolved: 8, deEscalated: 1, escalatedFurther: 2, none: 1 },
      // First escalations: 1, 1, 1, 1, 2, 3, 5 h, 24 h 2 s, 30 h: rank 5 of 9 and rank 9.
      timeToEscalate: { count: 9, p50Ms: 2 * HOUR, p90Ms: 30 * HOUR, maxMs: 30 * HOUR },
      // Acceptances: eight of 1 h, two of 2 h, 27 h: rank 6 of 11 and rank 10.
      timeToAccept: { count: 11, p50Ms: HOUR, p90Ms: 2 * HOUR, maxMs: 27 * HOUR },
      // Resolved escalations: 2, 3, 3, 3, 3, 3, 4, 29 h: rank 4 of 8 and rank 8.
      timeToResolve: { count: 8, p50Ms: 3 * HOUR, p90Ms: 29 * HOUR, maxMs: 29 * HOUR },
      escalationToCaseResolution: { count: 2, p50Ms: 3 * HOUR, p90Ms: 5 * HOUR, maxMs: 5 * HOUR },
      // Nine escalated cases and NEVER, a complaint; all but THRICE (for review) and CLEAN break the protocol.
      audited: 10,
      casesBreakingProtocol: 8,
      breachRate: 0.8,
      findings: {
        'M3.2-not-escalated': 1,
        'M3.2-escalated-late': 1,
        'M3.3-accepted-late': 1,
        'M3.3-not-accepted': 1,
        'M9.3-no-outcome': 2,
        'M9.3-no-action': 1,
        'M9.3-log-differs': 1,
        'M6.3-repeated': 1,
      },
    });
  });

  it('audits the cases as they stood at an earlier time: later events left out, deadlines not yet due pending', () => {
    // 12 h after SLOW's receipt: its escalation waits for acceptance, NEVER's deadline is ahead.
    const report = audit({}, at(2, 12 * HOUR));
    expect(row(report, 'SLOW').escalations[0]).toMatchObject({ acceptance: 'pending', ending: null, actionsTaken: 0 });
    expect(row(report, 'SLOW').findings).toEqual([]);
    expect(report.cases.some((c) => c.caseId === ids.NEVER)).toBe(false);
    expect(report.summary.complaintEscalation).toMatchObject({ missing: 0, pending: 3 });
  });

  it('gives no free text of the cases: no reasons, actions, outcomes or customer details (M5.1)', () => {
    const text = JSON.stringify(audit());
    for (const t of FREE_TEXT) expect(text).not.toContain(t);
  });
});
