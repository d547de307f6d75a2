import * as z from 'zod';
import { addDays, DaySchema, utcDay } from './audit-anchor';
import { CaseTypeSchema, ChannelSchema, isOpen, type Assignee, type Case, type CaseStatus } from './case';
import { CaseEventSchema, type CaseEvent } from './case-event';
import type { Row } from './export-records';
import type { Clock } from './clock';
import { InvalidInputError } from './errors';
import { floorToSecond, type SlaDeadlines } from './sla-policy';

/**
 * Protocol metrics (M6.2, C6.2: response time, resolution time and rate; M4.2: adherence; C7.3:
 * per-representative evaluation), computed from cases and their timelines alone: a pure function of
 * (cases with their timelines, period, grouping, `asOf`), so that the same figures can be computed
 * again later from a compliance export's rows (export-records.ts: the case row's columns and the
 * redacted events carry everything read here). docs/metrics.md defines every figure for readers.
 *
 * Which cases: the cohort of cases RECEIVED in the period, i.e. whose `receivedAt` falls on a UTC day
 * from `from` to `to`, both included. Every figure is about that cohort, as it stood at `asOf` (the
 * time the figures are computed): events after `asOf` are left out, so figures computed again from
 * records taken later, with the same `asOf`, are the same.
 *
 * Durations are in milliseconds; p50 and p90 by the nearest-rank method (`nearestRank`); rates are
 * fractions from 0 to 1 rounded to four decimals, null when their denominator is 0.
 *
 * Satisfaction (CSAT, M8.1, C7.1) is read from the same timelines: each case's `survey_answered`
 * events (the last one up to `asOf`: answering again updates the answer), so it too is about the
 * cohort, grouped like every other figure, and an export's redacted events (which keep the rating
 * and `solved`, and leave out the comment) give it again.
 */

/** The longest period one request reads: a quarter (92 days) and a day. */
export const METRICS_MAX_DAYS = 93;
/** A period not given: the last 30 UTC days, today included. */
export const METRICS_DEFAULT_DAYS = 30;

export const MetricsGroupBySchema = z.enum(['day', 'week', 'agent', 'type', 'channel']);
export type MetricsGroupBy = z.infer<typeof MetricsGroupBySchema>;

/** GET /v1/metrics: UTC days, both included; `to` defaults to today, `from` to 29 days before `to`. */
export const MetricsQuerySchema = z
  .object({
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    groupBy: MetricsGroupBySchema.default('day'),
  })
  .strict();
export type MetricsQuery = z.infer<typeof MetricsQuerySchema>;

export interface MetricsPeriod {
  /** First and last UTC day, both included (YYYY-MM-DD). */
  from: string;
  to: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const dayStart = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const daysIn = (p: MetricsPeriod) => Math.round((dayStart(p.to) - dayStart(p.from)) / DAY_MS) + 1;

/** The instants a period covers: [from 00:00Z, the day after `to` 00:00Z). */
export function periodBounds(p: MetricsPeriod): { since: string; until: string } {
  return { since: `${p.from}T00:00:00.000Z`, until: `${addDays(p.to, 1)}T00:00:00.000Z` };
}

/**
 * The period a query asks for, with its defaults filled in from `now`. Refused (400, naming the
 * field) when `to` is before `from` or the period is longer than METRICS_MAX_DAYS: the field named
 * is `to` when the query gave it, else `from`.
 */
export function metricsPeriod(q: Pick<MetricsQuery, 'from' | 'to'>, now: Date): MetricsPeriod {
  return dayPeriod(q, now, METRICS_DEFAULT_DAYS, METRICS_MAX_DAYS);
}

/**
 * A period of whole UTC days from a query's `from` and `to`: `to` defaults to today, `from` to
 * `defaultDays` before it; a 400 naming the field (`to` when the query gave it, else `from`) when
 * reversed or longer than `maxDays`. The metrics' and the feedback trends' periods.
 */
export function dayPeriod(q: { from?: string | undefined; to?: string | undefined }, now: Date, defaultDays: number, maxDays: number): MetricsPeriod {
  const to = q.to ?? utcDay(now);
  const from = q.from ?? addDays(to, -(defaultDays - 1));
  const field = q.to !== undefined ? 'to' : 'from';
  if (to < from) throw new InvalidInputError([{ path: field, message: `to (${to}) is before from (${from})` }]);
  const days = daysIn({ from, to });
  if (days > maxDays) throw new InvalidInputError([{ path: field, message: `A period is at most ${maxDays} days; from ${from} to ${to} is ${days}` }]);
  return { from, to };
}

// ---- what the metrics read of a case ----

/**
 * The fields of a case the metrics read: none personal, all in an export's case row (`type`,
 * `channel`, `receivedAt`, `acknowledgedAt`, `firstRespondedAt`, `acknowledgementDueAt`,
 * `initialResponseDueAt`, `assigneeId`).
 */
export type MetricsCase = Pick<Case, 'caseId' | 'type' | 'channel' | 'receivedAt' | 'acknowledgedAt' | 'firstRespondedAt'> & {
  sla: Pick<SlaDeadlines, 'acknowledgementDueAt' | 'initialResponseDueAt'>;
  assignee?: Pick<Assignee, 'id'> | undefined;
};

/** A case and its timeline (in `seq` order), as the table or an export holds them. */
export interface MetricsCaseRecord {
  case: MetricsCase;
  timeline: readonly CaseEvent[];
}

/**
 * A case as a compliance export holds it (export-records.ts: its case row and its redacted events),
 * as the metrics read it: the figures need no personal data, so an export gives the same figures
 * as the table (docs/metrics.md).
 */
export function metricsRecordOfExport(caseRow: Row, eventRows: readonly Row[]): MetricsCaseRecord {
  const text = (k: string) => (typeof caseRow[k] === 'string' ? (caseRow[k] as string) : undefined);
  const assigneeId = text('assigneeId');
  return {
    case: {
      caseId: String(caseRow.caseId),
      type: CaseTypeSchema.parse(caseRow.type),
      channel: ChannelSchema.parse(caseRow.channel),
      receivedAt: String(caseRow.receivedAt),
      acknowledgedAt: text('acknowledgedAt'),
      firstRespondedAt: text('firstRespondedAt'),
      sla: { acknowledgementDueAt: String(caseRow.acknowledgementDueAt), initialResponseDueAt: String(caseRow.initialResponseDueAt) },
      ...(assigneeId ? { assignee: { id: assigneeId } } : {}),
    },
    timeline: [...eventRows].sort((a, b) => Number(a.seq) - Number(b.seq)).map((e) => CaseEventSchema.parse(JSON.parse(String(e.event)))),
  };
}

/** The cases received in [since, until), each once, with their timelines (the table's status indexes, never a Scan). */
export interface ReceivedCases {
  receivedBetween(since: string, until: string): AsyncIterable<MetricsCaseRecord>;
}

// ---- the report ----

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();
const millis = z.number().int().nullable();

export const DurationStatsSchema = z.object({ count, p50Ms: millis, p90Ms: millis, maxMs: millis });
export type DurationStats = z.infer<typeof DurationStatsSchema>;

/**
 * One SLA milestone over the cohort: each case (each escalation, for the escalation response) is in
 * exactly one of `met`, `breached`, `pending`, `stopped`; `attainment` is met / (met + breached).
 */
export const AttainmentSchema = z.object({ met: count, breached: count, pending: count, stopped: count, attainment: rate });
export type Attainment = z.infer<typeof AttainmentSchema>;

/**
 * Satisfaction over the cases answered (M8.1, C7.1): how many answered, their mean rating (1 to 5,
 * two decimals), the share rating 4 or 5 (`satisfied`, the usual CSAT score) and the share saying
 * their issue was solved; null when nobody answered.
 */
export const CsatSchema = z.object({ answers: count, meanRating: z.number().min(1).max(5).nullable(), satisfied: rate, solved: rate });
export type Csat = z.infer<typeof CsatSchema>;

export const MetricsFiguresSchema = z.object({
  /** Cases received (the cohort, or the group's part of it). */
  cases: count,
  byChannel: z.object({ web: count, email: count, phone: count, api: count }),
  byType: z.object({ inquiry: count, complaint: count }),
  /** `acknowledgedAt - receivedAt` of the cases acknowledged. */
  acknowledgementTime: DurationStatsSchema,
  /** `firstRespondedAt - receivedAt` of the cases first answered (an email reply or a logged call). */
  firstResponseTime: DurationStatsSchema,
  sla: z.object({ acknowledgement: AttainmentSchema, initialResponse: AttainmentSchema, escalationResponse: AttainmentSchema }),
  /** `recorded`: sla_breached events on the cases; `cases`: cases with a milestone breached; `rate`: cases / all cases. */
  breaches: z.object({ recorded: count, cases: count, rate }),
  /** Cases resolved (or closed) as of `asOf`; time to their last resolution. */
  resolution: z.object({ resolved: count, rate, time: DurationStatsSchema }),
  /** Cases escalated at least once; time to their first escalation. */
  escalation: z.object({ escalated: count, rate, time: DurationStatsSchema }),
  /** Cases reopened after a resolution, of those resolved at least once. */
  reopen: z.object({ reopened: count, rate }),
  /** Customer satisfaction from the cases' survey answers (`notes.csat`). */
  csat: CsatSchema,
});
export type MetricsFigures = z.infer<typeof MetricsFiguresSchema>;

export const MetricsGroupSchema = MetricsFiguresSchema.extend({
  /** The day or week's Monday (YYYY-MM-DD), the staff id or `unassigned`, the type, the channel. */
  key: z.string(),
});
export type MetricsGroup = z.infer<typeof MetricsGroupSchema>;

export const MetricsReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  groupBy: MetricsGroupBySchema,
  asOf: z.iso.datetime(),
  totals: MetricsFiguresSchema,
  groups: z.array(MetricsGroupSchema),
  notes: z.object({ csat: z.string() }),
});
export type MetricsReport = z.infer<typeof MetricsReportSchema>;

export const CSAT_NOTE =
  'Customer satisfaction (M8.1, C7.1) is read from the survey answers of the cases received in the period (the last answer of each case up to the figures’ time): answers, mean rating, share rating 4 or 5, share solved; each case counts where its other figures count.';
export const UNASSIGNED = 'unassigned';

// ---- one case's facts ----

/**
 * Where a milestone stands at `asOf`:
 * - `met`: reached at or before its deadline, and no breach recorded;
 * - `breached`: an `sla_breached` event recorded for it, or reached after its deadline, or not
 *   reached while its deadline passed with the case open (or the case is open now);
 * - `pending`: not reached, the case open, the deadline still ahead (or its clock stopped);
 * - `stopped`: not reached, and no longer owed: the case was resolved (an escalation ended) before
 *   its deadline. The SLA workflow stops with the resolution, and so does the count.
 */
export type MilestoneOutcome = 'met' | 'breached' | 'pending' | 'stopped';

interface CaseFacts {
  day: string;
  week: string;
  agent: string;
  type: Case['type'];
  channel: Case['channel'];
  acknowledgementMs?: number;
  firstResponseMs?: number;
  acknowledgement: MilestoneOutcome;
  initialResponse: MilestoneOutcome;
  escalationResponses: MilestoneOutcome[];
  breachesRecorded: number;
  resolutionMs?: number;
  resolvedEver: boolean;
  escalationMs?: number;
  reopened: boolean;
  /** The customer's survey answer as it stood at `asOf`, when there is one. */
  survey?: { rating: number; solved: boolean };
}

const ms = (iso: string) => Date.parse(iso);

/** The Monday (UTC) of a day's ISO week. */
export function weekOf(day: string): string {
  const weekday = (new Date(dayStart(day)).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

type StatusChange = Extract<CaseEvent, { type: 'status_changed' }>;

/** The case's status at `t`: the last change at or before it; before any change, `new` (every case opens new). */
export function statusAt(changes: readonly StatusChange[], t: number): CaseStatus {
  let status: CaseStatus = changes[0]?.data.from ?? 'new';
  for (const e of changes) if (ms(e.at) <= t) status = e.data.to;
  return status;
}

/**
 * The initial-response deadline as the SLA workflow counts it (sla-plan.ts
 * `effectiveInitialResponseDue`): the planned one moved by the time the case waited for the customer
 * (status `pending_customer`) in pauses that began before it, up to `until`. `undefined` while a
 * pause that began before the deadline is still on at `until`: the clock is stopped.
 */
function effectiveDue(baseMs: number, changes: readonly StatusChange[], until: number): number | undefined {
  let due = baseMs;
  let pausedSince: number | undefined;
  for (const e of changes) {
    const at = ms(e.at);
    if (at > until) break;
    if (e.data.from === 'pending_customer' && pausedSince !== undefined) {
      if (pausedSince < due) due += at - pausedSince;
      pausedSince = undefined;
    }
    if (e.data.to === 'pending_customer') pausedSince = at;
  }
  if (pausedSince !== undefined && pausedSince < due) return undefined;
  return floorToSecond(due);
}

function milestoneOutcome(m: {
  reachedAt: number | undefined;
  /** The deadline as it stood when the milestone was reached (or at asOf); undefined while its clock is stopped. */
  dueAt: (until: number) => number | undefined;
  breachRecorded: boolean;
  /** Whether the milestone was still owed at `t`: the case (the escalation) open. */
  owedAt: (t: number) => boolean;
  asOf: number;
}): MilestoneOutcome {
  if (m.breachRecorded) return 'breached';
  if (m.reachedAt !== undefined) {
    const due = m.dueAt(m.reachedAt);
    return due === undefined || m.reachedAt <= due ? 'met' : 'breached';
  }
  const due = m.dueAt(m.asOf);
  if (due !== undefined && due <= m.asOf && (m.owedAt(due) || m.owedAt(m.asOf))) return 'breached';
  return m.owedAt(m.asOf) ? 'pending' : 'stopped';
}

/** The assignee at `t`: the last assignment change at or before it; before any, the one the case opened with. */
function assigneeAt(c: MetricsCase, changes: readonly Extract<CaseEvent, { type: 'assignment_changed' }>[], t: number): string {
  let id: string | undefined = changes.length > 0 ? changes[0]?.data.from?.id : c.assignee?.id;
  for (const e of changes) if (ms(e.at) <= t) id = e.data.to?.id;
  return id ?? UNASSIGNED;
}

function caseFacts(record: MetricsCaseRecord, asOf: number): CaseFacts {
  const c = record.case;
  const timeline = [...record.timeline].sort((a, b) => a.seq - b.seq);
  const events = timeline.filter((e) => ms(e.at) <= asOf);
  const received = ms(c.receivedAt);
  const upTo = (iso: string | undefined) => (iso !== undefined && ms(iso) <= asOf ? ms(iso) : undefined);
  const statusChanges = events.filter((e): e is StatusChange => e.type === 'status_changed');
  // Every change, later ones too: the first one's `from` is the assignee the case opened with.
  const assignments = timeline.filter((e): e is Extract<CaseEvent, { type: 'assignment_changed' }> => e.type === 'assignment_changed');
  const breached = new Set(events.flatMap((e) => (e.type === 'sla_breached' ? [e.data.milestone] : [])));
  const caseOpenAt = (t: number) => isOpen(statusAt(statusChanges, t));
  const statusNow = statusAt(statusChanges, asOf);

  const acknowledgedAt = upTo(c.acknowledgedAt);
  const firstRespondedAt = upTo(c.firstRespondedAt);
  const acknowledgement = milestoneOutcome({
    reachedAt: acknowledgedAt,
    dueAt: () => ms(c.sla.acknowledgementDueAt),
    breachRecorded: breached.has('acknowledgement'),
    owedAt: caseOpenAt,
    asOf,
  });
  const initialResponse = milestoneOutcome({
    reachedAt: firstRespondedAt,
    dueAt: (until) => effectiveDue(ms(c.sla.initialResponseDueAt), statusChanges, until),
    breachRecorded: breached.has('initial_response'),
    owedAt: caseOpenAt,
    asOf,
  });

  // Each escalation: accepted by its respond-by? It ends when resolved or handed back, escalated
  // further (the next escalation starts), or with the case's resolution.
  const escalations = events.filter((e): e is Extract<CaseEvent, { type: 'escalated' }> => e.type === 'escalated');
  const escalationResponses = escalations.map((esc, i) => {
    const id = esc.data.escalationId;
    const accepted = events.find((e) => e.type === 'escalation_acknowledged' && e.data.escalationId === id);
    const further = escalations[i + 1];
    const endings = [
      ...events.filter((e) => (e.type === 'escalation_resolved' || e.type === 'deescalated') && e.data.escalationId === id).map((e) => ms(e.at)),
      ...(further ? [ms(further.at)] : []),
      ...statusChanges.filter((e) => !isOpen(e.data.to) && ms(e.at) >= ms(esc.at)).map((e) => ms(e.at)),
    ];
    const endedAt = endings.length > 0 ? Math.min(...endings) : undefined;
    return milestoneOutcome({
      reachedAt: accepted ? ms(accepted.at) : undefined,
      dueAt: () => ms(esc.data.respondBy),
      breachRecorded: false,
      // Owed up to its ending included: the workflow climbs a level AT the respond-by when nobody accepted.
      owedAt: (t) => t >= ms(esc.at) && (endedAt === undefined || t <= endedAt),
      asOf,
    });
  });

  const resolutions = statusChanges.filter((e) => e.data.to === 'resolved');
  const lastResolution = resolutions.at(-1);
  const resolvedNow = statusNow === 'resolved' || statusNow === 'closed';
  const resolvedAt = resolvedNow && lastResolution ? ms(lastResolution.at) : undefined;
  const day = utcDay(new Date(received));
  // The last answer counts: a customer answering again updates their answer (survey-answer.ts).
  const answer = events.filter((e): e is Extract<CaseEvent, { type: 'survey_answered' }> => e.type === 'survey_answered').at(-1);
  return {
    day,
    week: weekOf(day),
    agent: assigneeAt(c, assignments, resolvedAt ?? asOf),
    type: c.type,
    channel: c.channel,
    ...(acknowledgedAt !== undefined ? { acknowledgementMs: acknowledgedAt - received } : {}),
    ...(firstRespondedAt !== undefined ? { firstResponseMs: firstRespondedAt - received } : {}),
    acknowledgement,
    initialResponse,
    escalationResponses,
    breachesRecorded: events.filter((e) => e.type === 'sla_breached').length,
    ...(resolvedAt !== undefined ? { resolutionMs: resolvedAt - received } : {}),
    resolvedEver: resolutions.length > 0,
    ...(escalations[0] ? { escalationMs: ms(escalations[0].at) - received } : {}),
    reopened: statusChanges.some((e) => e.data.from === 'resolved' && e.data.to === 'in_progress'),
    ...(answer ? { survey: { rating: answer.data.rating, solved: answer.data.solved } } : {}),
  };
}

/**
 * Where each SLA milestone of one case stands at `asOf`, judged as the figures judge it (the
 * escalation responses in the order of the case's `escalated` events up to `asOf`): the monthly
 * report (monthly-report.ts) reads it for its breach reasons.
 */
export function milestoneOutcomesOf(record: MetricsCaseRecord, asOf: string): { acknowledgement: MilestoneOutcome; initialResponse: MilestoneOutcome; escalationResponses: MilestoneOutcome[] } {
  const f = caseFacts(record, ms(asOf));
  return { acknowledgement: f.acknowledgement, initialResponse: f.initialResponse, escalationResponses: f.escalationResponses };
}

// ---- aggregation ----

/**
 * The nearest-rank percentile: of n values sorted ascending, the one at rank ceil(p/100 × n)
 * (1-based; rank 1 for p = 0). Always one of the values; null for none.
 */
export function nearestRank(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** Count, p50, p90 (nearest rank) and maximum of some durations. */
export function durationStats(values: readonly number[]): DurationStats {
  return { count: values.length, p50Ms: nearestRank(values, 50), p90Ms: nearestRank(values, 90), maxMs: values.length ? Math.max(...values) : null };
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function attainment(outcomes: readonly MilestoneOutcome[]): Attainment {
  const n = (o: MilestoneOutcome) => outcomes.filter((x) => x === o).length;
  const met = n('met');
  const breached = n('breached');
  return { met, breached, pending: n('pending'), stopped: n('stopped'), attainment: ratio(met, met + breached) };
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** CSAT of some cases: those without an answer are left out. */
export function csatOf(answers: readonly { rating: number; solved: boolean }[]): Csat {
  const n = answers.length;
  return {
    answers: n,
    meanRating: n === 0 ? null : round2(answers.reduce((sum, a) => sum + a.rating, 0) / n),
    satisfied: ratio(answers.filter((a) => a.rating >= 4).length, n),
    solved: ratio(answers.filter((a) => a.solved).length, n),
  };
}

const defined = (values: readonly (number | undefined)[]) => values.filter((v): v is number => v !== undefined);

function figuresOf(facts: readonly CaseFacts[]): MetricsFigures {
  const cases = facts.length;
  const tally = <K extends string>(keys: readonly K[], of: (f: CaseFacts) => K) => Object.fromEntries(keys.map((k) => [k, facts.filter((f) => of(f) === k).length])) as Record<K, number>;
  const resolvedEver = facts.filter((f) => f.resolvedEver).length;
  const reopened = facts.filter((f) => f.reopened).length;
  const resolutionTimes = defined(facts.map((f) => f.resolutionMs));
  const escalationTimes = defined(facts.map((f) => f.escalationMs));
  const breachedCases = facts.filter((f) => [f.acknowledgement, f.initialResponse, ...f.escalationResponses].includes('breached')).length;
  return {
    cases,
    byChannel: tally(ChannelSchema.options, (f) => f.channel),
    byType: tally(CaseTypeSchema.options, (f) => f.type),
    acknowledgementTime: durationStats(defined(facts.map((f) => f.acknowledgementMs))),
    firstResponseTime: durationStats(defined(facts.map((f) => f.firstResponseMs))),
    sla: {
      acknowledgement: attainment(facts.map((f) => f.acknowledgement)),
      initialResponse: attainment(facts.map((f) => f.initialResponse)),
      escalationResponse: attainment(facts.flatMap((f) => f.escalationResponses)),
    },
    breaches: { recorded: facts.reduce((sum, f) => sum + f.breachesRecorded, 0), cases: breachedCases, rate: ratio(breachedCases, cases) },
    resolution: { resolved: resolutionTimes.length, rate: ratio(resolutionTimes.length, cases), time: durationStats(resolutionTimes) },
    escalation: { escalated: escalationTimes.length, rate: ratio(escalationTimes.length, cases), time: durationStats(escalationTimes) },
    reopen: { reopened, rate: ratio(reopened, resolvedEver) },
    csat: csatOf(facts.flatMap((f) => (f.survey ? [f.survey] : []))),
  };
}

/**
 * The groups' keys in order: every day or week of the period, every type and channel; the agents
 * seen, `unassigned` last. The metrics' and the feedback trends' groups (feedback-trends.ts).
 */
export function groupKeys(groupBy: MetricsGroupBy, period: MetricsPeriod, items: readonly { agent: string }[]): string[] {
  const days = Array.from({ length: daysIn(period) }, (_, i) => addDays(period.from, i));
  switch (groupBy) {
    case 'day':
      return days;
    case 'week':
      return [...new Set(days.map(weekOf))];
    case 'type':
      return [...CaseTypeSchema.options];
    case 'channel':
      return [...ChannelSchema.options];
    case 'agent': {
      const agents = [...new Set(items.map((f) => f.agent))].filter((a) => a !== UNASSIGNED).sort();
      return items.some((f) => f.agent === UNASSIGNED) ? [...agents, UNASSIGNED] : agents;
    }
  }
}

const keyOf: Record<MetricsGroupBy, (f: CaseFacts) => string> = { day: (f) => f.day, week: (f) => f.week, agent: (f) => f.agent, type: (f) => f.type, channel: (f) => f.channel };

/** Whether a case belongs to the period: received on one of its UTC days. */
export function receivedIn(c: Pick<MetricsCase, 'receivedAt'>, period: MetricsPeriod): boolean {
  const { since, until } = periodBounds(period);
  const at = ms(c.receivedAt);
  return at >= ms(since) && at < ms(until);
}

/** Accumulates the facts of the period's cases one at a time (a long period need not hold every timeline at once). */
export class MetricsAccumulator {
  private readonly facts: CaseFacts[] = [];
  private readonly asOfMs: number;

  constructor(
    private readonly period: MetricsPeriod,
    private readonly asOf: string,
  ) {
    this.asOfMs = ms(asOf);
  }

  /** Adds a case; one received outside the period is left out. */
  add(record: MetricsCaseRecord): void {
    if (receivedIn(record.case, this.period)) this.facts.push(caseFacts(record, this.asOfMs));
  }

  report(groupBy: MetricsGroupBy): MetricsReport {
    const of = keyOf[groupBy];
    return {
      period: { ...this.period, days: daysIn(this.period) },
      groupBy,
      asOf: new Date(this.asOfMs).toISOString(),
      totals: figuresOf(this.facts),
      groups: groupKeys(groupBy, this.period, this.facts).map((key) => ({ key, ...figuresOf(this.facts.filter((f) => of(f) === key)) })),
      notes: { csat: CSAT_NOTE },
    };
  }
}

/**
 * The metrics of the cases received in `period`, grouped, as they stood at `asOf`. Pure: records
 * outside the period are left out, so a caller may pass more (an export's every case).
 */
export function computeMetrics(records: Iterable<MetricsCaseRecord>, period: MetricsPeriod, groupBy: MetricsGroupBy, asOf: string): MetricsReport {
  const acc = new MetricsAccumulator(period, asOf);
  for (const r of records) acc.add(r);
  return acc.report(groupBy);
}

/** GET /v1/metrics: the period from the query (refused past METRICS_MAX_DAYS), its cases read, the figures as of now. */
export async function reportMetrics(q: MetricsQuery, deps: { cases: ReceivedCases; clock: Clock }): Promise<MetricsReport> {
  const now = deps.clock.now();
  const period = metricsPeriod(q, now);
  const { since, until } = periodBounds(period);
  const acc = new MetricsAccumulator(period, now.toISOString());
  for await (const r of deps.cases.receivedBetween(since, until)) acc.add(r);
  return acc.report(q.groupBy);
}
