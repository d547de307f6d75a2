import type { Channel, CaseType } from '../../../functions/core/case';
import { CaseEventSchema, type CaseEvent, type CaseEventType } from '../../../functions/core/case-event';
import { InvalidInputError } from '../../../functions/core/errors';
import { computeMetrics, metricsPeriod, nearestRank, type MetricsCaseRecord, type MetricsGroup, type MetricsReport } from '../../../functions/core/metrics';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();

type DataOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>['data'];
interface Step {
  type: CaseEventType;
  at: string;
  data: unknown;
}
const step = <T extends CaseEventType>(type: T, at: string, data: DataOf<T>): Step => ({ type, at, data });
const moved = (at: string, from: string, to: string) => step('status_changed', at, { from, to } as DataOf<'status_changed'>);

let ids = 0;
/** A case received at `receivedAt`, its deadlines from the policy, its timeline the steps (hashes are not what is measured). */
function record(spec: {
  type: CaseType;
  channel: Channel;
  receivedAt: string;
  acknowledgedAt?: string;
  firstRespondedAt?: string;
  assignee?: string;
  steps?: Step[];
}): MetricsCaseRecord {
  ids += 1;
  const caseId = `00000000-0000-4000-8000-${String(ids).padStart(12, '0')}`;
  const sla = computeDeadlines(spec.type, new Date(spec.receivedAt), slaPolicy());
  const steps = [step('case_received', spec.receivedAt, { channel: spec.channel, caseType: spec.type, sla }), ...(spec.steps ?? [])];
  const timeline = steps.map((s, i) => CaseEventSchema.parse({ caseId, seq: i + 1, at: s.at, actor: { kind: 'system', id: 'caseflow' }, prevHash: 'p', hash: 'h', type: s.type, data: s.data }));
  return {
    case: {
      caseId,
      type: spec.type,
      channel: spec.channel,
      receivedAt: spec.receivedAt,
      sla,
      ...(spec.acknowledgedAt ? { acknowledgedAt: spec.acknowledgedAt } : {}),
      ...(spec.firstRespondedAt ? { firstRespondedAt: spec.firstRespondedAt } : {}),
      ...(spec.assignee ? { assignee: { id: spec.assignee } } : {}),
    },
    timeline,
  };
}

const to = (id: string) => ({ id });
const escalated = (at: string, escalationId: string, level: number, respondBy: string) =>
  step('escalated', at, { escalationId, level, trigger: 'automatic', escalatedFrom: 'agent', responsibleParty: level === 1 ? 'supervisor' : 'manager', reason: 'not resolved in time', respondBy });

/*
 * The scenario: the period is Sunday 1 to Tuesday 3 March 2026 (UTC), the figures as of Thursday
 * 5 March 12:00. Deadlines: acknowledgement 15 min, initial response 24 h (policy 2026-11).
 *
 * A  web inquiry, Sun 1 Mar 10:00. Acknowledged +5 min, claimed by a1, answered +2 h, resolved
 *    +26 h by a1, then assigned to a3 (+30 h: after its resolution, so it counts for a1).
 * B  email complaint, Mon 2 Mar 08:00. Acknowledgement breach recorded at +15 min, acknowledged
 *    +20 min, assigned to a2; waits for the customer from +2 h to +12 h (10 h paused: the 24 h
 *    deadline moves to +34 h); escalated +24 h (respond by +48 h), accepted +26 h; a call answers
 *    it at +30 h (met: 30 h <= 34 h); resolved +50 h, reopened +60 h, resolved again +70 h;
 *    closed +80 h, which is after the figures' time and left out.
 * C  phone inquiry, Mon 2 Mar 12:00, opened from a call by a1: acknowledged and answered at once.
 * D  web complaint, Tue 3 Mar 09:00. Never acknowledged nor answered, and no breach recorded (a lost
 *    workflow): both deadlines passed with the case open, so both breached. Escalated +24 h
 *    (ESC-01, respond by +48 h), nobody accepts: climbed to ESC-02 at +48 h (respond by +72 h,
 *    after the figures' time: pending). Unassigned.
 * E  api inquiry, Tue 3 Mar 23:59:59.999 (the period's last millisecond): resolved +5 min, before
 *    any deadline, never acknowledged nor answered: both milestones stopped. Unassigned.
 * H  email inquiry, Tue 3 Mar 10:00. Acknowledged +1 min; claimed by a2 +1 h; waiting for the
 *    customer since +2 h (the initial-response clock stopped: pending); unassigned +2.5 h.
 * F  web inquiry, Wed 4 Mar 00:00:00.000, and G, Sat 28 Feb 23:59:59.999: outside the period.
 */
const RA = '2026-03-01T10:00:00.000Z';
const RB = '2026-03-02T08:00:00.000Z';
const RC = '2026-03-02T12:00:00.000Z';
const RD = '2026-03-03T09:00:00.000Z';
const RE = '2026-03-03T23:59:59.999Z';
const RH = '2026-03-03T10:00:00.000Z';
const AS_OF = '2026-03-05T12:00:00.000Z';
const PERIOD = { from: '2026-03-01', to: '2026-03-03' };

const A = record({
  type: 'inquiry',
  channel: 'web',
  receivedAt: RA,
  acknowledgedAt: iso(RA, 5 * MIN),
  firstRespondedAt: iso(RA, 2 * HOUR),
  assignee: 'a3',
  steps: [
    step('acknowledgement_sent', iso(RA, 5 * MIN), { messageId: 'm-1', template: 'acknowledgement', recipient: '[erased]' }),
    moved(iso(RA, 5 * MIN), 'new', 'acknowledged'),
    step('assignment_changed', iso(RA, 10 * MIN), { to: to('a1'), how: 'claimed' }),
    step('agent_replied', iso(RA, 2 * HOUR), { firstResponse: true }),
    moved(iso(RA, 2 * HOUR), 'acknowledged', 'in_progress'),
    moved(iso(RA, 26 * HOUR), 'in_progress', 'resolved'),
    step('assignment_changed', iso(RA, 30 * HOUR), { from: to('a1'), to: to('a3'), how: 'assigned' }),
  ],
});
const B = record({
  type: 'complaint',
  channel: 'email',
  receivedAt: RB,
  acknowledgedAt: iso(RB, 20 * MIN),
  firstRespondedAt: iso(RB, 30 * HOUR),
  assignee: 'a2',
  steps: [
    step('sla_breached', iso(RB, 15 * MIN), { milestone: 'acknowledgement', dueAt: iso(RB, 15 * MIN), detectedAt: iso(RB, 15 * MIN), notify: 'supervisor@example.com' }),
    moved(iso(RB, 20 * MIN), 'new', 'acknowledged'),
    step('assignment_changed', iso(RB, 30 * MIN), { to: to('a2'), how: 'assigned' }),
    moved(iso(RB, 2 * HOUR), 'acknowledged', 'pending_customer'),
    moved(iso(RB, 12 * HOUR), 'pending_customer', 'in_progress'),
    escalated(iso(RB, 24 * HOUR), 'ESC-01', 1, iso(RB, 48 * HOUR)),
    step('escalation_acknowledged', iso(RB, 26 * HOUR), { escalationId: 'ESC-01', level: 1 }),
    step('call_logged', iso(RB, 30 * HOUR), { direction: 'outbound', startedAt: iso(RB, 30 * HOUR), durationSeconds: 300, transcript: '[erased]', firstResponse: true }),
    step('escalation_resolved', iso(RB, 50 * HOUR), { escalationId: 'ESC-01', level: 1, outcome: '[erased]' }),
    moved(iso(RB, 50 * HOUR), 'in_progress', 'resolved'),
    moved(iso(RB, 60 * HOUR), 'resolved', 'in_progress'),
    moved(iso(RB, 70 * HOUR), 'in_progress', 'resolved'),
    moved(iso(RB, 80 * HOUR), 'resolved', 'closed'),
  ],
});
const C = record({
  type: 'inquiry',
  channel: 'phone',
  receivedAt: RC,
  acknowledgedAt: RC,
  firstRespondedAt: RC,
  assignee: 'a1',
  steps: [
    step('call_logged', RC, { direction: 'inbound', startedAt: RC, durationSeconds: 120, transcript: '[erased]', firstResponse: true }),
    moved(RC, 'new', 'in_progress'),
  ],
});
const D = record({
  type: 'complaint',
  channel: 'web',
  receivedAt: RD,
  steps: [escalated(iso(RD, 24 * HOUR), 'ESC-01', 1, iso(RD, 48 * HOUR)), escalated(iso(RD, 48 * HOUR), 'ESC-02', 2, iso(RD, 72 * HOUR))],
});
const E = record({ type: 'inquiry', channel: 'api', receivedAt: RE, steps: [moved(iso(RE, 5 * MIN), 'new', 'resolved')] });
const H = record({
  type: 'inquiry',
  channel: 'email',
  receivedAt: RH,
  acknowledgedAt: iso(RH, MIN),
  steps: [
    step('acknowledgement_sent', iso(RH, MIN), { messageId: 'm-2', template: 'acknowledgement', recipient: '[erased]' }),
    moved(iso(RH, MIN), 'new', 'acknowledged'),
    step('assignment_changed', iso(RH, HOUR), { to: to('a2'), how: 'claimed' }),
    moved(iso(RH, 2 * HOUR), 'acknowledged', 'pending_customer'),
    step('assignment_changed', iso(RH, 150 * MIN), { from: to('a2'), how: 'unassigned' }),
  ],
});
const F = record({ type: 'inquiry', channel: 'web', receivedAt: '2026-03-04T00:00:00.000Z' });
const G = record({ type: 'inquiry', channel: 'web', receivedAt: '2026-02-28T23:59:59.999Z' });
const ALL = [G, A, B, C, D, E, H, F];

/** The case with the customer's survey answers appended to its timeline ([at, rating, solved] each). */
const answered = (r: MetricsCaseRecord, ...answers: [string, number, boolean][]): MetricsCaseRecord => ({
  ...r,
  timeline: [
    ...r.timeline,
    ...answers.map(([at, rating, solved], i) =>
      CaseEventSchema.parse({ caseId: r.case.caseId, seq: r.timeline.length + i + 1, at, actor: { kind: 'customer' }, prevHash: 'p', hash: 'h', type: 'survey_answered', data: { surveyId: 's-1', rating, solved, updated: i > 0 } }),
    ),
  ],
});
/** ALL, some cases answered: A 5 solved; B 2 not solved at +72 h, then 4 solved at +74 h; E 1 not solved; C after the figures' time; F outside the period. */
const SURVEYED = [
  G,
  answered(A, [iso(RA, 50 * HOUR), 5, true]),
  answered(B, [iso(RB, 72 * HOUR), 2, false], [iso(RB, 74 * HOUR), 4, true]),
  answered(C, [iso(RC, 80 * HOUR), 5, true]),
  D,
  answered(E, [iso(RE, HOUR), 1, false]),
  H,
  answered(F, [iso(RA, 80 * HOUR), 5, true]),
];

const metrics = (groupBy: MetricsReport['groupBy'], asOf = AS_OF, records = ALL) => computeMetrics(records, PERIOD, groupBy, asOf);
const group = (report: MetricsReport, key: string): MetricsGroup => {
  const found = report.groups.find((g) => g.key === key);
  if (!found) throw new Error(`no group ${key}`);
  return found;
};

describe('the nearest-rank percentile', () => {
  it('takes the value at rank ceil(p/100 × n) of the sorted values, never an interpolation', () => {
    // Sorted: 15 20 35 40 50. p30: rank ceil(1.5) = 2 -> 20; p50: rank ceil(2.5) = 3 -> 35; p90: rank ceil(4.5) = 5 -> 50.
    const values = [50, 15, 40, 35, 20];
    expect([0, 30, 50, 90, 100].map((p) => nearestRank(values, p))).toEqual([15, 20, 35, 50, 50]);
    // Sorted 1 2 3 4: p26 rank ceil(1.04) = 2 -> 2; p50 rank 2 -> 2 (not 2.5); p60 rank ceil(2.4) = 3 -> 3.
    expect([26, 50, 60].map((p) => nearestRank([4, 1, 3, 2], p))).toEqual([2, 2, 3]);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('protocol metrics over the cases received in a period (M6.2, C6.2)', () => {
  const report = metrics('day');

  it('counts the cases received on the period’s UTC days, by channel and type, and none outside them', () => {
    // A B C D E H; F (the next day's first millisecond) and G (the day before's last) are outside.
    expect(report.period).toEqual({ from: '2026-03-01', to: '2026-03-03', days: 3 });
    expect(report.totals.cases).toBe(6);
    expect(report.totals.byChannel).toEqual({ web: 2, email: 2, phone: 1, api: 1 });
    expect(report.totals.byType).toEqual({ inquiry: 4, complaint: 2 });
  });

  it('gives acknowledgement and first-response times as p50, p90 and max by nearest rank (M3.1, C3.1)', () => {
    // Acknowledged: C 0, H 1 min, A 5 min, B 20 min. n = 4: p50 rank 2 = 1 min; p90 rank 4 = 20 min.
    expect(report.totals.acknowledgementTime).toEqual({ count: 4, p50Ms: MIN, p90Ms: 20 * MIN, maxMs: 20 * MIN });
    // Answered: C 0, A 2 h, B 30 h (the wall clock, pauses included). n = 3: p50 rank 2 = 2 h; p90 rank 3 = 30 h.
    expect(report.totals.firstResponseTime).toEqual({ count: 3, p50Ms: 2 * HOUR, p90Ms: 30 * HOUR, maxMs: 30 * HOUR });
  });

  it('judges each SLA milestone met, breached, pending or stopped, from the breaches recorded and the deadlines (M3.1, M3.3)', () => {
    // Acknowledgement: met A C H; breached B (recorded) and D (deadline passed open, none recorded); stopped E. 3 / 5.
    expect(report.totals.sla.acknowledgement).toEqual({ met: 3, breached: 2, pending: 0, stopped: 1, attainment: 0.6 });
    // Initial response: met A C, and B at 30 h within its deadline moved 10 h by the wait for the customer;
    // breached D; pending H (waiting for the customer: the clock stopped); stopped E. 3 / 4.
    expect(report.totals.sla.initialResponse).toEqual({ met: 3, breached: 1, pending: 1, stopped: 1, attainment: 0.75 });
    // Escalation response: met B's ESC-01 (accepted at 26 h, by 48 h); breached D's ESC-01 (climbed at its respond-by
    // unaccepted); pending D's ESC-02 (respond by is after the figures' time). 1 / 2.
    expect(report.totals.sla.escalationResponse).toEqual({ met: 1, breached: 1, pending: 1, stopped: 0, attainment: 0.5 });
    // One breach recorded (B's acknowledgement); two cases with a milestone breached (B, D) of six.
    expect(report.totals.breaches).toEqual({ recorded: 1, cases: 2, rate: 0.3333 });
  });

  it('gives the resolution, escalation and reopen rates and times (M6.2, C6.2)', () => {
    // Resolved as of the figures' time: A (26 h), B (its last resolution, 70 h), E (5 min); C, D, H open. 3 / 6.
    // Sorted 5 min, 26 h, 70 h: p50 rank 2 = 26 h; p90 rank 3 = 70 h.
    expect(report.totals.resolution).toEqual({ resolved: 3, rate: 0.5, time: { count: 3, p50Ms: 26 * HOUR, p90Ms: 70 * HOUR, maxMs: 70 * HOUR } });
    // Escalated: B and D, each 24 h after receipt. 2 / 6.
    expect(report.totals.escalation).toEqual({ escalated: 2, rate: 0.3333, time: { count: 2, p50Ms: 24 * HOUR, p90Ms: 24 * HOUR, maxMs: 24 * HOUR } });
    // Reopened: B, of the three ever resolved (A B E).
    expect(report.totals.reopen).toEqual({ reopened: 1, rate: 0.3333 });
  });

  it('reports satisfaction from each case’s last survey answer up to the figures’ time, hand-computed (M8.1, C7.1)', () => {
    const answered = metrics('day', AS_OF, SURVEYED);
    // A 5 solved; B 4 solved (its second answer replaces its 2); E 1 not solved. C answered after the figures' time, F is outside the period.
    // Mean 10 / 3 = 3.33; rating 4 or 5: A B = 2 / 3; solved: A B = 2 / 3.
    expect(answered.totals.csat).toEqual({ answers: 3, meanRating: 3.33, satisfied: 0.6667, solved: 0.6667 });
    expect(answered.groups.map((g) => [g.key, g.csat.answers, g.csat.meanRating])).toEqual([
      ['2026-03-01', 1, 5],
      ['2026-03-02', 1, 4],
      ['2026-03-03', 1, 1],
    ]);
    expect(answered.notes.csat).toMatch(/survey answers/);
  });

  it('groups satisfaction like the other figures: by type, channel and the agent the case counts for (M8.1, C7.1, C7.3)', () => {
    // Inquiries A (5, solved) and E (1, not): mean 3, half satisfied, half solved; the complaint B alone.
    expect(metrics('type', AS_OF, SURVEYED).groups.map((g) => [g.key, g.csat])).toEqual([
      ['inquiry', { answers: 2, meanRating: 3, satisfied: 0.5, solved: 0.5 }],
      ['complaint', { answers: 1, meanRating: 4, satisfied: 1, solved: 1 }],
    ]);
    // A counts for a1, who resolved it; C (a1's too) was answered too late; E is unassigned.
    expect(metrics('agent', AS_OF, SURVEYED).groups.map((g) => [g.key, g.csat.answers, g.csat.meanRating, g.csat.solved])).toEqual([
      ['a1', 1, 5, 1],
      ['a2', 1, 4, 1],
      ['unassigned', 1, 1, 0],
    ]);
    expect(group(metrics('channel', AS_OF, SURVEYED), 'phone').csat).toEqual({ answers: 0, meanRating: null, satisfied: null, solved: null });
  });

  it('counts a changed answer as it stood at the figures’ time: before B’s second answer, its first (M8.1)', () => {
    // As of Thu 5 Mar 09:00: A 5, B 2 (not solved), E 1: mean 8 / 3 = 2.67; one of three satisfied and solved.
    expect(metrics('day', iso(RB, 73 * HOUR), SURVEYED).totals.csat).toEqual({ answers: 3, meanRating: 2.67, satisfied: 0.3333, solved: 0.3333 });
  });

  it('reports no satisfaction figures, not zeros, where nobody answered', () => {
    expect(report.totals.csat).toEqual({ answers: 0, meanRating: null, satisfied: null, solved: null });
  });

  it('leaves out what happened after the figures’ time: between B’s first resolution and its reopening, B is resolved at 50 h and not reopened', () => {
    const earlier = metrics('day', iso(RB, 55 * HOUR));
    // As of Wed 4 Mar 15:00: A (26 h), B (50 h), E (5 min) resolved: p50 rank 2 = 26 h, p90 rank 3 = 50 h; none reopened yet.
    expect(earlier.totals.resolution.time).toEqual({ count: 3, p50Ms: 26 * HOUR, p90Ms: 50 * HOUR, maxMs: 50 * HOUR });
    expect(earlier.totals.reopen).toEqual({ reopened: 0, rate: 0 });
  });

  it('groups by UTC day of receipt, every day of the period listed', () => {
    expect(report.groups.map((g) => [g.key, g.cases])).toEqual([
      ['2026-03-01', 1],
      ['2026-03-02', 2],
      ['2026-03-03', 3],
    ]);
    // 2 Mar: B and C. Acknowledgement 0 (C), 20 min (B): p50 rank 1 = 0, p90 rank 2 = 20 min; met C, breached B.
    const mon = group(report, '2026-03-02');
    expect(mon.acknowledgementTime).toEqual({ count: 2, p50Ms: 0, p90Ms: 20 * MIN, maxMs: 20 * MIN });
    expect(mon.sla.acknowledgement).toMatchObject({ met: 1, breached: 1, attainment: 0.5 });
    expect(mon.reopen).toEqual({ reopened: 1, rate: 1 });
    // 3 Mar: D, E, H. Initial response: breached D, stopped E, pending H; nothing met: attainment 0.
    expect(group(report, '2026-03-03').sla.initialResponse).toEqual({ met: 0, breached: 1, pending: 1, stopped: 1, attainment: 0 });
  });

  it('groups by ISO week (Monday to Sunday, keyed by its Monday), weeks clipped to the period', () => {
    const weeks = metrics('week');
    // Sunday 1 Mar is in the week of Monday 23 Feb; 2 and 3 Mar in the week of 2 Mar.
    expect(weeks.groups.map((g) => [g.key, g.cases])).toEqual([
      ['2026-02-23', 1],
      ['2026-03-02', 5],
    ]);
    // Week of 2 Mar: acknowledged C 0, H 1 min, B 20 min: p50 rank 2 = 1 min, p90 rank 3 = 20 min.
    expect(group(weeks, '2026-03-02').acknowledgementTime).toEqual({ count: 3, p50Ms: MIN, p90Ms: 20 * MIN, maxMs: 20 * MIN });
    expect(group(weeks, '2026-02-23').resolution).toEqual({ resolved: 1, rate: 1, time: { count: 1, p50Ms: 26 * HOUR, p90Ms: 26 * HOUR, maxMs: 26 * HOUR } });
  });

  it('groups by the assignee at resolution, or the current one, `unassigned` last (C7.3)', () => {
    const agents = metrics('agent');
    // a1: A (resolved by a1; assigned to a3 after) and C (opened by a1's call); a2: B; unassigned: D, E, H (a2 let it go).
    expect(agents.groups.map((g) => [g.key, g.cases])).toEqual([
      ['a1', 2],
      ['a2', 1],
      ['unassigned', 3],
    ]);
    // a1: first responses 0 (C), 2 h (A): p50 rank 1 = 0, p90 rank 2 = 2 h; resolved A of 2.
    const a1 = group(agents, 'a1');
    expect(a1.firstResponseTime).toEqual({ count: 2, p50Ms: 0, p90Ms: 2 * HOUR, maxMs: 2 * HOUR });
    expect(a1.resolution.rate).toBe(0.5);
    expect(group(agents, 'a2').sla.initialResponse).toMatchObject({ met: 1, attainment: 1 });
  });

  it('groups by type and by channel, every type and channel listed', () => {
    const types = metrics('type');
    expect(types.groups.map((g) => [g.key, g.cases])).toEqual([
      ['inquiry', 4],
      ['complaint', 2],
    ]);
    // Inquiries: acknowledgement met A C H, stopped E: 3 / 3; none escalated.
    expect(group(types, 'inquiry').sla.acknowledgement).toEqual({ met: 3, breached: 0, pending: 0, stopped: 1, attainment: 1 });
    expect(group(types, 'inquiry').escalation).toEqual({ escalated: 0, rate: 0, time: { count: 0, p50Ms: null, p90Ms: null, maxMs: null } });
    // Complaints: both escalated, both acknowledgements breached.
    expect(group(types, 'complaint').escalation.rate).toBe(1);
    expect(group(types, 'complaint').sla.acknowledgement.attainment).toBe(0);

    const channels = metrics('channel');
    expect(channels.groups.map((g) => [g.key, g.cases])).toEqual([
      ['web', 2],
      ['email', 2],
      ['phone', 1],
      ['api', 1],
    ]);
    expect(group(channels, 'api').resolution.time).toEqual({ count: 1, p50Ms: 5 * MIN, p90Ms: 5 * MIN, maxMs: 5 * MIN });
    expect(group(channels, 'phone').firstResponseTime.maxMs).toBe(0);
  });

  it('lists an empty day with zero cases and null times and rates', () => {
    const quiet = computeMetrics([A], { from: '2026-03-01', to: '2026-03-02' }, 'day', AS_OF);
    const empty = group(quiet, '2026-03-02');
    expect(empty).toMatchObject({ cases: 0, resolution: { resolved: 0, rate: null }, sla: { acknowledgement: { met: 0, attainment: null } }, acknowledgementTime: { count: 0, p50Ms: null } });
  });
});

describe('the period of a metrics request', () => {
  const now = new Date('2026-03-05T12:00:00Z');

  it('defaults to the last 30 UTC days, today included', () => {
    expect(metricsPeriod({}, now)).toEqual({ from: '2026-02-04', to: '2026-03-05' });
    expect(metricsPeriod({ to: '2026-01-31' }, now)).toEqual({ from: '2026-01-02', to: '2026-01-31' });
  });

  it('takes up to 93 days and refuses a longer period with a 400 naming `to`', () => {
    // 1 Jan to 3 Apr 2026: 31 + 28 + 31 + 3 = 93 days.
    expect(metricsPeriod({ from: '2026-01-01', to: '2026-04-03' }, now)).toEqual({ from: '2026-01-01', to: '2026-04-03' });
    const refusal = (q: { from?: string; to?: string }) => {
      try {
        metricsPeriod(q, now);
      } catch (error) {
        return error instanceof InvalidInputError ? error.issues : error;
      }
      return undefined;
    };
    expect(refusal({ from: '2026-01-01', to: '2026-04-04' })).toEqual([{ path: 'to', message: 'A period is at most 93 days; from 2026-01-01 to 2026-04-04 is 94' }]);
    expect(refusal({ from: '2026-03-02', to: '2026-03-01' })).toEqual([{ path: 'to', message: 'to (2026-03-01) is before from (2026-03-02)' }]);
    // Only `from` given, too far back for today: the field to change is `from`.
    expect(refusal({ from: '2025-11-01' })).toEqual([{ path: 'from', message: 'A period is at most 93 days; from 2025-11-01 to 2026-03-05 is 125' }]);
  });
});
