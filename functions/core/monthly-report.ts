import * as z from 'zod';
import { NonComplianceSummarySchema } from './non-compliance-summary';
import { QualityReviewSummarySchema } from './quality-review-summary';
import { TrainingSummarySchema } from './training-summary';
import { addDays, utcDay } from './audit-anchor';
import { ChannelSchema, CaseTypeSchema, isOpen } from './case';
import type { CaseEvent } from './case-event';
import { type Manifest } from './compliance-export';
import { CaseStateError } from './errors';
import {
  AttainmentSchema,
  CsatSchema,
  DurationStatsSchema,
  MetricsAccumulator,
  milestoneOutcomesOf,
  receivedIn,
  CSAT_NOTE,
  type MetricsCaseRecord,
  type MetricsFigures,
  type MetricsPeriod,
  type MilestoneOutcome,
} from './metrics';
import { slaPolicy } from './sla-policy';

/**
 * The monthly compliance report (M6.2, C6.2: response and resolution figures; M4.2: adherence;
 * M8.3: trends; M7.3: the exports as evidence; docs/reports.md): what a supervisor looks at once a
 * month. A pure function of the month's cases (the cohort received on its UTC days, as
 * core/metrics.ts counts them), the previous month's cases (month over month), the export manifests
 * whose period overlaps the month, and `asOf`. Ids, enumerated values and numbers only: no name, no
 * address, no free text of a case (no escalation reason, no outcome text) ever reaches it.
 *
 * Cases come one at a time (`MonthlyReportAccumulator`): a busy month need not hold every timeline
 * at once, only a few numbers a case.
 */

export const REPORT_FORMAT = 'caseflow.monthly-report/1';

export const MonthSchema = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be a calendar month, YYYY-MM (e.g. 2026-11)');

/** POST /v1/reports/monthly: the calendar month to report on (it must have ended). */
export const MonthlyReportRequestSchema = z.object({ month: MonthSchema }).strict();
export type MonthlyReportRequest = z.infer<typeof MonthlyReportRequestSchema>;

/** The UTC days of a month, first and last. */
export function monthPeriod(month: string): MetricsPeriod {
  const from = `${MonthSchema.parse(month)}-01`;
  const [y = 0, m = 0] = month.split('-').map(Number);
  const nextFirst = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  return { from, to: addDays(nextFirst, -1) };
}

export const previousMonthOf = (month: string): string => addDays(monthPeriod(month).from, -1).slice(0, 7);

/** The month before the one `now` falls in (UTC): what a schedule that fires early in a month reports on. */
export const monthBefore = (now: Date): string => previousMonthOf(utcDay(now).slice(0, 7));

/** A month that has not ended: its cases are still arriving (409, like an export of a day not over). */
export class ReportNotReadyError extends CaseStateError {}

export function assertMonthEnded(month: string, now: Date): void {
  const { to } = monthPeriod(month);
  const today = utcDay(now);
  if (to >= today) throw new ReportNotReadyError(`The month ${month} has not ended (today is ${today}, UTC): a month is reported once its last day is over`);
}

// ---- milestones and targets ----

export const ReportMilestoneSchema = z.enum(['acknowledgement', 'initialResponse', 'escalationResponse']);
export type ReportMilestone = z.infer<typeof ReportMilestoneSchema>;

/**
 * The attainment each milestone is held to. The protocol sets deadlines, not a share of cases that
 * may miss them: acknowledgement within 15 minutes and initial assistance within 24 hours for every
 * case (M3.1, C3.1), every escalation acted on within its window (M3.3). So the target is 100%;
 * a deployment that agrees a service level below it (95%, say) passes its own `targets`.
 */
export const PROTOCOL_TARGETS: Readonly<Record<ReportMilestone, number>> = { acknowledgement: 1, initialResponse: 1, escalationResponse: 1 };

export const ReportTargetsSchema = z.object({ acknowledgement: z.number().gt(0).max(1), initialResponse: z.number().gt(0).max(1), escalationResponse: z.number().gt(0).max(1) });
export type ReportTargets = z.infer<typeof ReportTargetsSchema>;

const hoursOrMinutes = (minutes: number) => (minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);

/** Each milestone's name and window, from the current SLA policy (sla-policy.ts). */
export function milestoneLabels(): Record<ReportMilestone, { label: string; window: string; clauses: string }> {
  const p = slaPolicy();
  return {
    acknowledgement: { label: 'Acknowledgement', window: hoursOrMinutes(p.acknowledgementMinutes), clauses: 'M3.1' },
    initialResponse: { label: 'Initial response', window: hoursOrMinutes(p.initialResponseHours * 60), clauses: 'M3.1, C3.1' },
    escalationResponse: { label: 'Escalation response', window: hoursOrMinutes(p.escalationResponseHours * 60), clauses: 'M3.3' },
  };
}

// ---- response-time buckets ----

const MIN = 60_000;
const HOUR = 60 * MIN;

/** A bucket holds the times above the previous bucket's bound up to its own, included; the last has no bound. */
export interface BucketBound {
  label: string;
  upToMs: number | null;
}

export const ACKNOWLEDGEMENT_BUCKETS: readonly BucketBound[] = [
  { label: '≤ 5 min', upToMs: 5 * MIN },
  { label: '5–15 min', upToMs: 15 * MIN },
  { label: '15–60 min', upToMs: HOUR },
  { label: '1–4 h', upToMs: 4 * HOUR },
  { label: '4–24 h', upToMs: 24 * HOUR },
  { label: '> 24 h', upToMs: null },
];

export const FIRST_RESPONSE_BUCKETS: readonly BucketBound[] = [
  { label: '≤ 1 h', upToMs: HOUR },
  { label: '1–4 h', upToMs: 4 * HOUR },
  { label: '4–8 h', upToMs: 8 * HOUR },
  { label: '8–24 h', upToMs: 24 * HOUR },
  { label: '24–48 h', upToMs: 48 * HOUR },
  { label: '> 48 h', upToMs: null },
];

/** The cases a milestone was not reached on by `asOf` (not acknowledged, not answered): the last row of each distribution. */
export const NOT_REACHED = 'Not reached';

// ---- breach reasons and escalation endings ----

/**
 * The milestones a breach is reported under: the three measured ones. (A complaint not resolved
 * within its escalation window is escalated automatically, M3.2 / C3.3: an escalation, not a breach.)
 */
export const BreachMilestoneSchema = ReportMilestoneSchema;
export type BreachMilestone = ReportMilestone;
/** `late`: reached after its deadline; `missed`: not reached while it was owed (also when the SLA workflow recorded the breach). */
export const BreachKindSchema = z.enum(['late', 'missed']);
export type BreachKind = z.infer<typeof BreachKindSchema>;

const BREACH_REASON: Record<BreachMilestone, Record<BreachKind, string>> = {
  acknowledgement: { late: 'Acknowledged after the deadline', missed: 'Not acknowledged' },
  initialResponse: { late: 'First response after the deadline', missed: 'No first response by the deadline' },
  escalationResponse: { late: 'Escalation accepted after its respond-by', missed: 'Escalation not accepted by its respond-by' },
};

/**
 * How an escalation stands at `asOf`: ended by its resolution, handed back to the representative,
 * escalated further (the next level, by hand or by the workflow), ended with the case's resolution,
 * or still open. The first ending counts (as metrics.ts ends an escalation).
 */
export const EscalationEndingSchema = z.enum(['resolved', 'handed-back', 'escalated-further', 'case-resolved', 'open']);
export type EscalationEnding = z.infer<typeof EscalationEndingSchema>;
export const ESCALATION_ENDING_LABEL: Record<EscalationEnding, string> = {
  resolved: 'Resolved by the escalated party',
  'handed-back': 'Handed back to the representative',
  'escalated-further': 'Escalated further',
  'case-resolved': 'Ended with the case’s resolution',
  open: 'Still open',
};

// ---- the report ----

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

const ByChannel = z.object({ web: count, email: count, phone: count, api: count });
const ByType = z.object({ inquiry: count, complaint: count });

export const ManifestEvidenceSchema = z.object({
  sequence: z.number().int().positive(),
  exportId: z.string(),
  period: z.object({ from: z.string(), to: z.string() }),
  trigger: z.string(),
  generatedAt: z.iso.datetime(),
  /** SHA-256 of the manifest's bytes as stored (what the next manifest on the chain names). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string(),
  cases: count,
  files: count,
});
export type ManifestEvidence = z.infer<typeof ManifestEvidenceSchema>;

const MomFigureSchema = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(['count', 'rate', 'duration']),
  current: z.number().nullable(),
  previous: z.number().nullable(),
  /** current − previous (rates: in fractions; durations: in ms); null when either is null. */
  delta: z.number().nullable(),
  /** Whether the change is for the better (higher attainment, shorter times…); null when unchanged, unknown, or neither (volume). */
  better: z.boolean().nullable(),
});
export type MomFigure = z.infer<typeof MomFigureSchema>;

export const MonthlyReportSchema = z.object({
  format: z.literal(REPORT_FORMAT),
  month: MonthSchema,
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  previousMonth: MonthSchema,
  /** The figures as they stood at this instant (the report's generation). */
  asOf: z.iso.datetime(),
  /** The SLA policy versions the month's cases were opened under. */
  policyVersions: z.array(z.string()),
  totals: z.object({
    cases: count,
    byChannel: ByChannel,
    byType: ByType,
    resolved: count,
    resolutionRate: rate,
    breachedCases: count,
    breachRate: rate,
    escalatedCases: count,
    escalationRate: rate,
    reopenRate: rate,
  }),
  daily: z.array(z.object({ day: z.string(), cases: count, byChannel: ByChannel, byType: ByType })),
  sla: z.array(
    AttainmentSchema.extend({
      milestone: ReportMilestoneSchema,
      label: z.string(),
      window: z.string(),
      clauses: z.string(),
      target: z.number(),
      /** attainment − target; null without attainment. */
      gap: z.number().nullable(),
      meetsTarget: z.boolean().nullable(),
    }),
  ),
  responseTimes: z.object({
    acknowledgement: z.object({ stats: DurationStatsSchema, buckets: z.array(z.object({ label: z.string(), count })) }),
    firstResponse: z.object({ stats: DurationStatsSchema, buckets: z.array(z.object({ label: z.string(), count })) }),
  }),
  escalations: z.object({
    escalatedCases: count,
    rate,
    /** From receipt to the case's first escalation. */
    timeToEscalate: DurationStatsSchema,
    escalations: count,
    byTrigger: z.object({ automatic: count, manual: count }),
    byLevel: z.array(z.object({ level: z.number().int().positive(), count })),
    endings: z.array(z.object({ ending: EscalationEndingSchema, label: z.string(), count })),
    response: AttainmentSchema,
  }),
  breachReasons: z.array(z.object({ milestone: BreachMilestoneSchema, kind: BreachKindSchema, reason: z.string(), count, share: rate })),
  monthOverMonth: z.array(MomFigureSchema),
  evidence: z.object({
    manifests: z.array(ManifestEvidenceSchema),
    /** The month's days some manifest's period covers, and those none does. */
    daysCovered: count,
    uncoveredDays: z.array(z.string()),
  }),
  notes: z.object({ targets: z.string(), csat: z.string(), escalationAudit: z.string(), evidence: z.string() }),
  /** Customer satisfaction of the month's cases and of the previous month's (M8.1, C7.1, M8.3): the figures behind `notes.csat`. */
  csat: z.object({ current: CsatSchema, previous: CsatSchema }),
  /** The non-compliance records opened in the month (C8.1–C8.3); absent from a report made without them. */
  nonCompliance: NonComplianceSummarySchema.optional(),
  /** The response-quality reviews of the replies and calls of the month (M3.1, M6.1, C6.3); absent from a report made without them. */
  qualityReviews: QualityReviewSummarySchema.optional(),
  /** The representatives' training at the month's end (C5.1–C5.3); absent from a report made without it. */
  training: TrainingSummarySchema.optional(),
});
export type MonthlyReport = z.infer<typeof MonthlyReportSchema>;

export const TARGETS_NOTE_PROTOCOL = 'Targets: 100% for every milestone. The protocol sets deadlines for every case (M3.1, C3.1, M3.3), not a share that may miss them.';
export const ESCALATION_AUDIT_NOTE =
  'Escalations are counted from the cases’ timelines (escalated, accepted, resolved, handed back). The periodic audit of escalated cases (M6.3, C6.3) is a report of its own; its findings will be summarised here.';
export const EVIDENCE_NOTE =
  'Each compliance export whose period overlaps the month, with the SHA-256 of its signed manifest on the chain. An export holds the cases changed on its days (not only those received). `npm run caseflow -- verify-exports` checks every file, link and signature.';

/** A manifest as stored: the parsed manifest and the SHA-256 of its bytes. */
export interface StoredManifest {
  manifest: Manifest;
  sha256: string;
}

// ---- one case's facts ----

interface EscalationFacts {
  trigger: 'automatic' | 'manual';
  level: number;
  ending: EscalationEnding;
}

interface ReportCaseFacts {
  acknowledgementMs?: number;
  firstResponseMs?: number;
  breaches: { milestone: BreachMilestone; kind: BreachKind }[];
  escalations: EscalationFacts[];
}

const ms = (iso: string) => Date.parse(iso);

function reportFacts(record: MetricsCaseRecord, asOf: string): ReportCaseFacts {
  const c = record.case;
  const asOfMs = ms(asOf);
  const events = [...record.timeline].sort((a, b) => a.seq - b.seq).filter((e) => ms(e.at) <= asOfMs);
  const reached = (iso: string | undefined) => (iso !== undefined && ms(iso) <= asOfMs ? ms(iso) : undefined);
  const acknowledgedAt = reached(c.acknowledgedAt);
  const firstRespondedAt = reached(c.firstRespondedAt);
  const outcomes = milestoneOutcomesOf(record, asOf);
  const breaches: ReportCaseFacts['breaches'] = [];
  const judge = (milestone: BreachMilestone, outcome: MilestoneOutcome, reachedAt: number | undefined) => {
    if (outcome === 'breached') breaches.push({ milestone, kind: reachedAt === undefined ? 'missed' : 'late' });
  };
  judge('acknowledgement', outcomes.acknowledgement, acknowledgedAt);
  judge('initialResponse', outcomes.initialResponse, firstRespondedAt);

  const escalated = events.filter((e): e is Extract<CaseEvent, { type: 'escalated' }> => e.type === 'escalated');
  const caseEnds = events.filter((e) => e.type === 'status_changed' && !isOpen(e.data.to)).map((e) => ms(e.at));
  const escalations = escalated.map((esc, i): EscalationFacts => {
    const id = esc.data.escalationId;
    const at = (type: CaseEvent['type']) => {
      const found = events.find((e) => e.type === type && 'escalationId' in e.data && e.data.escalationId === id);
      return found ? ms(found.at) : undefined;
    };
    judge('escalationResponse', outcomes.escalationResponses[i] ?? 'pending', at('escalation_acknowledged'));
    const further = escalated[i + 1];
    // The first ending; at the same instant, in this order.
    const endings: [EscalationEnding, number | undefined][] = [
      ['resolved', at('escalation_resolved')],
      ['handed-back', at('deescalated')],
      ['escalated-further', further ? ms(further.at) : undefined],
      ['case-resolved', caseEnds.find((t) => t >= ms(esc.at))],
    ];
    let ending: EscalationEnding = 'open';
    let endedAt = Number.POSITIVE_INFINITY;
    for (const [kind, at] of endings) {
      if (at !== undefined && at < endedAt) {
        ending = kind;
        endedAt = at;
      }
    }
    return { trigger: esc.data.trigger, level: esc.data.level, ending };
  });

  return {
    ...(acknowledgedAt !== undefined ? { acknowledgementMs: acknowledgedAt - ms(c.receivedAt) } : {}),
    ...(firstRespondedAt !== undefined ? { firstResponseMs: firstRespondedAt - ms(c.receivedAt) } : {}),
    breaches,
    escalations,
  };
}

// ---- aggregation ----

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

function distribution(values: readonly (number | undefined)[], bounds: readonly BucketBound[]): { label: string; count: number }[] {
  const counts = bounds.map((b) => ({ label: b.label, count: 0 }));
  let notReached = 0;
  for (const v of values) {
    if (v === undefined) {
      notReached += 1;
      continue;
    }
    const i = bounds.findIndex((b) => b.upToMs === null || v <= b.upToMs);
    const bucket = counts[i];
    if (bucket) bucket.count += 1;
  }
  return [...counts, { label: NOT_REACHED, count: notReached }];
}

type FigureOf = (f: MetricsFigures) => number | null;
const MOM_FIGURES: readonly { key: string; label: string; unit: MomFigure['unit']; of: FigureOf; higherIsBetter: boolean | null }[] = [
  { key: 'cases', label: 'Cases received', unit: 'count', of: (f) => f.cases, higherIsBetter: null },
  { key: 'acknowledgementAttainment', label: 'Acknowledgement attainment', unit: 'rate', of: (f) => f.sla.acknowledgement.attainment, higherIsBetter: true },
  { key: 'initialResponseAttainment', label: 'Initial-response attainment', unit: 'rate', of: (f) => f.sla.initialResponse.attainment, higherIsBetter: true },
  { key: 'escalationResponseAttainment', label: 'Escalation-response attainment', unit: 'rate', of: (f) => f.sla.escalationResponse.attainment, higherIsBetter: true },
  { key: 'acknowledgementP90', label: 'Acknowledgement time, p90', unit: 'duration', of: (f) => f.acknowledgementTime.p90Ms, higherIsBetter: false },
  { key: 'firstResponseP50', label: 'First-response time, p50', unit: 'duration', of: (f) => f.firstResponseTime.p50Ms, higherIsBetter: false },
  { key: 'firstResponseP90', label: 'First-response time, p90', unit: 'duration', of: (f) => f.firstResponseTime.p90Ms, higherIsBetter: false },
  { key: 'breachRate', label: 'Cases with a breach', unit: 'rate', of: (f) => f.breaches.rate, higherIsBetter: false },
  { key: 'resolutionRate', label: 'Resolution rate', unit: 'rate', of: (f) => f.resolution.rate, higherIsBetter: true },
  { key: 'resolutionP50', label: 'Resolution time, p50', unit: 'duration', of: (f) => f.resolution.time.p50Ms, higherIsBetter: false },
  { key: 'escalationRate', label: 'Escalation rate', unit: 'rate', of: (f) => f.escalation.rate, higherIsBetter: false },
  { key: 'reopenRate', label: 'Reopen rate', unit: 'rate', of: (f) => f.reopen.rate, higherIsBetter: false },
];

function monthOverMonth(current: MetricsFigures, previous: MetricsFigures): MomFigure[] {
  return MOM_FIGURES.map(({ key, label, unit, of, higherIsBetter }) => {
    const now = of(current);
    const before = of(previous);
    const delta = now === null || before === null ? null : unit === 'rate' ? round4(now - before) : now - before;
    const better = delta === null || delta === 0 || higherIsBetter === null ? null : delta > 0 === higherIsBetter;
    return { key, label, unit, current: now, previous: before, delta, better };
  });
}

const overlaps = (p: { from: string; to: string }, q: { from: string; to: string }) => p.from <= q.to && p.to >= q.from;

function evidenceOf(manifests: readonly StoredManifest[], period: MetricsPeriod): MonthlyReport['evidence'] {
  const relevant = manifests.filter((m) => overlaps(m.manifest.period, period)).sort((a, b) => a.manifest.sequence - b.manifest.sequence);
  const days = Array.from({ length: Math.round((ms(period.to) - ms(period.from)) / 86_400_000) + 1 }, (_, i) => addDays(period.from, i));
  const uncoveredDays = days.filter((d) => !relevant.some((m) => m.manifest.period.from <= d && d <= m.manifest.period.to));
  return {
    manifests: relevant.map(({ manifest: m, sha256 }) => ({
      sequence: m.sequence,
      exportId: m.exportId,
      period: m.period,
      trigger: m.trigger,
      generatedAt: m.generatedAt,
      sha256,
      keyId: m.signature.keyId,
      cases: m.counts.cases,
      files: m.files.length,
    })),
    daysCovered: days.length - uncoveredDays.length,
    uncoveredDays,
  };
}

/**
 * Takes the records of the month's cases and of the previous month's (each counts for the month it
 * was received in; others are left out), then makes the report.
 */
export class MonthlyReportAccumulator {
  private readonly period: MetricsPeriod;
  private readonly previousPeriod: MetricsPeriod;
  private readonly current: MetricsAccumulator;
  private readonly previous: MetricsAccumulator;
  private readonly facts: ReportCaseFacts[] = [];
  private readonly policyVersions = new Set<string>();

  constructor(
    private readonly month: string,
    private readonly asOf: string,
    private readonly targets: ReportTargets = PROTOCOL_TARGETS,
  ) {
    this.period = monthPeriod(month);
    this.previousPeriod = monthPeriod(previousMonthOf(month));
    this.current = new MetricsAccumulator(this.period, asOf);
    this.previous = new MetricsAccumulator(this.previousPeriod, asOf);
  }

  add(record: MetricsCaseRecord): void {
    if (receivedIn(record.case, this.period)) {
      this.current.add(record);
      this.facts.push(reportFacts(record, this.asOf));
      const opened = record.timeline.find((e) => e.type === 'case_received');
      if (opened?.type === 'case_received') this.policyVersions.add(opened.data.sla.policyVersion);
    } else if (receivedIn(record.case, this.previousPeriod)) {
      this.previous.add(record);
    }
  }

  report(manifests: readonly StoredManifest[]): MonthlyReport {
    const byDay = this.current.report('day');
    const t = byDay.totals;
    const before = this.previous.report('type').totals;
    const labels = milestoneLabels();
    const facts = this.facts;
    const escalations = facts.flatMap((f) => f.escalations);
    const levels = [...new Set(escalations.map((e) => e.level))].sort((a, b) => a - b);
    const breaches = facts.flatMap((f) => f.breaches);
    const reasons = BreachMilestoneSchema.options.flatMap((milestone) => {
      const ofMilestone = breaches.filter((b) => b.milestone === milestone);
      return BreachKindSchema.options.map((kind) => {
        const n = ofMilestone.filter((b) => b.kind === kind).length;
        return { milestone, kind, reason: BREACH_REASON[milestone][kind], count: n, share: ratio(n, ofMilestone.length) };
      });
    });
    const order = (r: { milestone: BreachMilestone; kind: BreachKind }) => BreachMilestoneSchema.options.indexOf(r.milestone) * 2 + BreachKindSchema.options.indexOf(r.kind);
    const sla = ReportMilestoneSchema.options.map((milestone) => {
      const a = t.sla[milestone];
      const target = this.targets[milestone];
      return {
        milestone,
        ...labels[milestone],
        ...a,
        target,
        gap: a.attainment === null ? null : round4(a.attainment - target),
        meetsTarget: a.attainment === null ? null : a.attainment >= target,
      };
    });
    const protocolTargets = ReportMilestoneSchema.options.every((m) => this.targets[m] === PROTOCOL_TARGETS[m]);
    return {
      format: REPORT_FORMAT,
      month: this.month,
      period: byDay.period,
      previousMonth: previousMonthOf(this.month),
      asOf: byDay.asOf,
      policyVersions: [...this.policyVersions].sort(),
      totals: {
        cases: t.cases,
        byChannel: t.byChannel,
        byType: t.byType,
        resolved: t.resolution.resolved,
        resolutionRate: t.resolution.rate,
        breachedCases: t.breaches.cases,
        breachRate: t.breaches.rate,
        escalatedCases: t.escalation.escalated,
        escalationRate: t.escalation.rate,
        reopenRate: t.reopen.rate,
      },
      daily: byDay.groups.map((g) => ({ day: g.key, cases: g.cases, byChannel: g.byChannel, byType: g.byType })),
      sla,
      responseTimes: {
        acknowledgement: { stats: t.acknowledgementTime, buckets: distribution(facts.map((f) => f.acknowledgementMs), ACKNOWLEDGEMENT_BUCKETS) },
        firstResponse: { stats: t.firstResponseTime, buckets: distribution(facts.map((f) => f.firstResponseMs), FIRST_RESPONSE_BUCKETS) },
      },
      escalations: {
        escalatedCases: t.escalation.escalated,
        rate: t.escalation.rate,
        timeToEscalate: t.escalation.time,
        escalations: escalations.length,
        byTrigger: { automatic: escalations.filter((e) => e.trigger === 'automatic').length, manual: escalations.filter((e) => e.trigger === 'manual').length },
        byLevel: levels.map((level) => ({ level, count: escalations.filter((e) => e.level === level).length })),
        endings: EscalationEndingSchema.options.map((ending) => ({ ending, label: ESCALATION_ENDING_LABEL[ending], count: escalations.filter((e) => e.ending === ending).length })),
        response: t.sla.escalationResponse,
      },
      breachReasons: reasons.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || order(a) - order(b)),
      monthOverMonth: monthOverMonth(t, before),
      evidence: evidenceOf(manifests, this.period),
      csat: { current: t.csat, previous: before.csat },
      notes: {
        targets: protocolTargets ? TARGETS_NOTE_PROTOCOL : `Targets agreed for this deployment: ${ReportMilestoneSchema.options.map((m) => `${labels[m].label} ${Math.round(this.targets[m] * 1000) / 10}%`).join(', ')} (the protocol’s deadlines apply to every case: M3.1, C3.1, M3.3).`,
        // The month's CSAT in words (M8.1, C7.1, M8.3); the figures by week, type, channel and agent: GET /v1/metrics.
        csat: t.csat.answers === 0 ? `${CSAT_NOTE} No survey answers for this month's cases.` : `${CSAT_NOTE} This month: ${t.csat.answers} answer${t.csat.answers === 1 ? '' : 's'}, mean rating ${t.csat.meanRating}, ${Math.round((t.csat.satisfied ?? 0) * 1000) / 10}% rating 4 or 5, ${Math.round((t.csat.solved ?? 0) * 1000) / 10}% solved.`,
        escalationAudit: ESCALATION_AUDIT_NOTE,
        evidence: EVIDENCE_NOTE,
      },
    };
  }
}

/** The report of `month` as of `asOf` (see the module comment). Pure; records of other months are left out. */
export function computeMonthlyReport(input: {
  month: string;
  asOf: string;
  records: Iterable<MetricsCaseRecord>;
  manifests: readonly StoredManifest[];
  targets?: ReportTargets;
}): MonthlyReport {
  const acc = new MonthlyReportAccumulator(input.month, input.asOf, input.targets);
  for (const r of input.records) acc.add(r);
  return acc.report(input.manifests);
}

/** The channels and types, in the order the report lists them. */
export const REPORT_CHANNELS = ChannelSchema.options;
export const REPORT_TYPES = CaseTypeSchema.options;
