import * as z from 'zod';
import { addDays, DaySchema, utcDay } from './audit-anchor';
import { InvalidInputError } from './errors';
import {
  computeMetrics,
  CsatSchema,
  METRICS_MAX_DAYS,
  metricsPeriod,
  MetricsFiguresSchema,
  periodBounds,
  type MetricsCaseRecord,
  type MetricsFigures,
  type MetricsPeriod,
} from './metrics';
import { PROTOCOL_TARGETS } from './monthly-report';
import { CRITERIA, type QualityReview } from './quality-review';
import { NonComplianceStatusSchema, type NonComplianceRecord } from './non-compliance';
import { StaffTrainingStatusSchema, type StaffTrainingStatus } from './training';

/**
 * The regular evaluation of one representative (C7.3, M6.2; docs/performance-reviews.md): for a
 * period (the last calendar month by default, at most METRICS_MAX_DAYS days) their protocol
 * metrics, satisfaction, response-quality reviews, non-compliance records and training status, and
 * the attention points that follow from them by the rules below. Pure: the inputs and `asOf` are
 * passed in, so the same inputs always give the same report.
 *
 * Each part is what its own feature computes, never a second definition:
 * - metrics and CSAT: `computeMetrics(..., 'agent')`'s group of the representative (a case counts
 *   for the agent it was assigned to when resolved, or at `asOf`; metrics.ts);
 * - quality: the reviews of their replies sent in the period (quality-review.ts), as the roll-up
 *   counts them (sampled, scored, failed, means to two decimals);
 * - non-compliance: their records opened in the period (non-compliance.ts), by cause and status;
 * - training: every catalogue course's status at `asOf` (training.ts).
 */

export const PerformanceReviewQuerySchema = z.object({ from: DaySchema.optional(), to: DaySchema.optional() }).strict();
export type PerformanceReviewQuery = z.infer<typeof PerformanceReviewQuerySchema>;

export const StaffIdParamSchema = z.string().trim().min(1, 'staffId must not be empty').max(128, 'staffId is too long');

/**
 * The period a query asks for: neither day given, the last calendar month before `now`'s (UTC);
 * otherwise as the metrics read it (metricsPeriod: `to` defaults to today, `from` to 29 days
 * before `to`, at most METRICS_MAX_DAYS days, a 400 naming the field).
 */
export function performancePeriod(q: PerformanceReviewQuery, now: Date): MetricsPeriod {
  if (q.from === undefined && q.to === undefined) {
    const firstOfThisMonth = `${utcDay(now).slice(0, 7)}-01`;
    const to = addDays(firstOfThisMonth, -1);
    return { from: `${to.slice(0, 7)}-01`, to };
  }
  return metricsPeriod(q, now);
}

/** The months (YYYY-MM) a period's days fall in, oldest first: the non-compliance records' partitions. */
export function monthsOfPeriod(p: MetricsPeriod): string[] {
  const months: string[] = [];
  for (let day = `${p.from.slice(0, 7)}-01`; day.slice(0, 7) <= p.to.slice(0, 7); day = addDays(`${day.slice(0, 7)}-28`, 4).slice(0, 7) + '-01') months.push(day.slice(0, 7));
  return months;
}

// ---- thresholds of the attention rules ----

/**
 * The thresholds the attention points compare with (docs/performance-reviews.md):
 * - SLA attainment per milestone: the protocol's target (monthly-report.ts PROTOCOL_TARGETS, 100%);
 * - CSAT: the share rating 4 or 5 below `csatSatisfied`, once `csatMinAnswers` answers are in;
 * - reopen rate above `reopenRate`;
 * - any failed review; any record overdue; any record flagged repeated (C8.3);
 * - a course required for cases lapsed or never taken; any course due soon.
 */
export const PERFORMANCE_THRESHOLDS = {
  attainment: PROTOCOL_TARGETS,
  csatSatisfied: 0.8,
  csatMinAnswers: 3,
  reopenRate: 0.1,
} as const;

// ---- the report ----

const count = z.number().int().nonnegative();

export const PerformanceQualitySchema = z.object({
  sampled: count,
  scored: count,
  failed: count,
  meanOverall: z.number().nullable(),
  /** Each criterion's mean score (1 to 4), null when nothing is scored. */
  meanByCriterion: z.record(z.string(), z.number().nullable()),
});
export type PerformanceQuality = z.infer<typeof PerformanceQualitySchema>;

export const PerformanceNonComplianceSchema = z.object({
  opened: count,
  byCause: z.object({ slaBreach: count, reported: count, qualityReview: count }),
  /** The records' status now: open (deadline ahead), overdue, action recorded, closed (signed off). */
  byStatus: z.object({ open: count, overdue: count, action_recorded: count, closed: count }),
  /** Some record of the period was flagged repeated non-compliance (C8.3). */
  repeated: z.boolean(),
  records: z.array(z.object({ id: z.string(), openedAt: z.string(), cause: z.string(), status: NonComplianceStatusSchema, repeated: z.boolean(), correctiveActionDueAt: z.string() })),
});
export type PerformanceNonCompliance = z.infer<typeof PerformanceNonComplianceSchema>;

export const AttentionPointSchema = z.object({
  /** The rule that raised it (stable, for filters and tests). */
  rule: z.enum(['sla_attainment', 'csat', 'reopen_rate', 'failed_review', 'overdue_corrective_action', 'repeated_non_compliance', 'required_training', 'training_due_soon']),
  /** The figure read and the threshold it was compared with. */
  figure: z.string(),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});
export type AttentionPoint = z.infer<typeof AttentionPointSchema>;

export const PerformanceReviewSchema = z.object({
  staffId: z.string(),
  name: z.string().optional(),
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  asOf: z.string(),
  attention: z.array(AttentionPointSchema),
  metrics: MetricsFiguresSchema,
  csat: CsatSchema,
  quality: PerformanceQualitySchema,
  nonCompliance: PerformanceNonComplianceSchema,
  training: StaffTrainingStatusSchema,
});
export type PerformanceReview = z.infer<typeof PerformanceReviewSchema>;

export interface PerformanceInputs {
  staffId: string;
  name?: string | undefined;
  period: MetricsPeriod;
  asOf: string;
  /** The cases received in the period (others are left out by the metrics). */
  cases: Iterable<MetricsCaseRecord>;
  /** Reviews of the period's weeks (anyone's: the representative's replies sent in the period are kept). */
  reviews: readonly QualityReview[];
  /** Non-compliance records of the period's months (anyone's: theirs opened in the period are kept). */
  nonCompliance: readonly NonComplianceRecord[];
  training: StaffTrainingStatus;
}

const mean2 = (xs: readonly number[]) => (xs.length === 0 ? null : Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100);

const inPeriod = (iso: string, period: MetricsPeriod) => {
  const { since, until } = periodBounds(period);
  const t = Date.parse(iso);
  return t >= Date.parse(since) && t < Date.parse(until);
};

function qualityOf(reviews: readonly QualityReview[]): PerformanceQuality {
  const scores = reviews.flatMap((r) => (r.score ? [r.score] : []));
  return {
    sampled: reviews.length,
    scored: scores.length,
    failed: scores.filter((s) => s.failed).length,
    meanOverall: mean2(scores.map((s) => s.overall)),
    meanByCriterion: Object.fromEntries(CRITERIA.map((c) => [c, mean2(scores.map((s) => s.scorecard[c].score))])),
  };
}

/** A record's status as of `asOf`: an open record whose deadline passed is overdue even before its workflow says so. */
function statusAt(r: NonComplianceRecord, asOfMs: number): NonComplianceRecord['status'] {
  if (r.status === 'open' && r.correctiveActions.length === 0 && Date.parse(r.correctiveActionDueAt) <= asOfMs) return 'overdue';
  return r.status;
}

function nonComplianceOf(records: readonly NonComplianceRecord[], asOfMs: number): PerformanceNonCompliance {
  const byCause = { slaBreach: 0, reported: 0, qualityReview: 0 };
  const byStatus = { open: 0, overdue: 0, action_recorded: 0, closed: 0 };
  const rows = records.map((r) => {
    const status = statusAt(r, asOfMs);
    byStatus[status] += 1;
    if (r.cause.kind === 'sla_breach') byCause.slaBreach += 1;
    else if (r.cause.kind === 'quality_review') byCause.qualityReview += 1;
    else byCause.reported += 1;
    return { id: r.id, openedAt: r.openedAt, cause: r.cause.kind, status, repeated: r.repeated, correctiveActionDueAt: r.correctiveActionDueAt };
  });
  return { opened: records.length, byCause, byStatus, repeated: records.some((r) => r.repeated), records: rows };
}

const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;

/** The attention points of a report, in the order of the rules (PERFORMANCE_THRESHOLDS). */
export function attentionPoints(r: Omit<PerformanceReview, 'attention'>): AttentionPoint[] {
  const out: AttentionPoint[] = [];
  const t = PERFORMANCE_THRESHOLDS;
  for (const milestone of ['acknowledgement', 'initialResponse', 'escalationResponse'] as const) {
    const value = r.metrics.sla[milestone].attainment;
    const threshold = t.attainment[milestone];
    if (value !== null && value < threshold) {
      out.push({ rule: 'sla_attainment', figure: `sla.${milestone}.attainment`, value, threshold, message: `SLA attainment (${milestone}) ${pct(value)} is below the target ${pct(threshold)}` });
    }
  }
  if (r.csat.satisfied !== null && r.csat.answers >= t.csatMinAnswers && r.csat.satisfied < t.csatSatisfied) {
    out.push({ rule: 'csat', figure: 'csat.satisfied', value: r.csat.satisfied, threshold: t.csatSatisfied, message: `CSAT ${pct(r.csat.satisfied)} of ${r.csat.answers} answers rated 4 or 5, below ${pct(t.csatSatisfied)}` });
  }
  if (r.metrics.reopen.rate !== null && r.metrics.reopen.rate > t.reopenRate) {
    out.push({ rule: 'reopen_rate', figure: 'reopen.rate', value: r.metrics.reopen.rate, threshold: t.reopenRate, message: `Reopen rate ${pct(r.metrics.reopen.rate)} is above ${pct(t.reopenRate)}` });
  }
  if (r.quality.failed > 0) {
    out.push({ rule: 'failed_review', figure: 'quality.failed', value: r.quality.failed, threshold: 0, message: `${r.quality.failed} of ${r.quality.scored} scored reviews failed` });
  }
  if (r.nonCompliance.byStatus.overdue > 0) {
    out.push({ rule: 'overdue_corrective_action', figure: 'nonCompliance.byStatus.overdue', value: r.nonCompliance.byStatus.overdue, threshold: 0, message: `${r.nonCompliance.byStatus.overdue} non-compliance record(s) with the corrective action overdue` });
  }
  if (r.nonCompliance.repeated) {
    const n = r.nonCompliance.records.filter((x) => x.repeated).length;
    out.push({ rule: 'repeated_non_compliance', figure: 'nonCompliance.repeated', value: n, threshold: 0, message: `${n} record(s) flagged repeated non-compliance (C8.3)` });
  }
  for (const c of r.training.courses) {
    if (c.requiredForCases && (c.status === 'lapsed' || c.status === 'never_trained')) {
      out.push({ rule: 'required_training', figure: `training.${c.courseId}`, value: 1, threshold: 0, message: `Required course ${c.title} is ${c.status === 'lapsed' ? 'lapsed' : 'never taken'}` });
    } else if (c.status === 'due_soon') {
      out.push({ rule: 'training_due_soon', figure: `training.${c.courseId}`, value: 1, threshold: 0, message: `Course ${c.title} is due for its refresher${c.dueAt ? ` by ${c.dueAt.slice(0, 10)}` : ''}` });
    }
  }
  return out;
}

/** One representative's report (C7.3). */
export function composePerformanceReview(i: PerformanceInputs): PerformanceReview {
  const days = Math.round((Date.parse(`${i.period.to}T00:00:00Z`) - Date.parse(`${i.period.from}T00:00:00Z`)) / 86_400_000) + 1;
  if (days < 1 || days > METRICS_MAX_DAYS) throw new InvalidInputError([{ path: 'from', message: `A period is from 1 to ${METRICS_MAX_DAYS} days; from ${i.period.from} to ${i.period.to} is ${days}` }]);
  const byAgent = computeMetrics(i.cases, i.period, 'agent', i.asOf);
  const group = byAgent.groups.find((g) => g.key === i.staffId);
  // The group without its key (zod drops it); no case of theirs: the figures of no cases.
  const figures: MetricsFigures = group ? MetricsFiguresSchema.parse(group) : computeMetrics([], i.period, 'agent', i.asOf).totals;
  const asOfMs = Date.parse(i.asOf);
  const report = {
    staffId: i.staffId,
    ...(i.name !== undefined ? { name: i.name } : {}),
    period: { ...i.period, days },
    asOf: new Date(asOfMs).toISOString(),
    metrics: figures,
    csat: figures.csat,
    quality: qualityOf(i.reviews.filter((r) => r.staffId === i.staffId && inPeriod(r.repliedAt, i.period))),
    nonCompliance: nonComplianceOf(
      i.nonCompliance.filter((r) => r.staffId === i.staffId && inPeriod(r.openedAt, i.period)),
      asOfMs,
    ),
    training: i.training,
  };
  return { ...report, attention: attentionPoints(report) };
}

// ---- the team summary ----

export const PerformanceSummaryRowSchema = z.object({
  staffId: z.string(),
  name: z.string().optional(),
  cases: count,
  acknowledgementAttainment: z.number().nullable(),
  initialResponseAttainment: z.number().nullable(),
  resolutionRate: z.number().nullable(),
  csatSatisfied: z.number().nullable(),
  reviewsFailed: count,
  nonComplianceOpened: count,
  nonComplianceOverdue: count,
  requiredTrainingMissing: count,
  attentionPoints: count,
});
export type PerformanceSummaryRow = z.infer<typeof PerformanceSummaryRowSchema>;

export const PerformanceSummarySchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  asOf: z.string(),
  rows: z.array(PerformanceSummaryRowSchema),
});
export type PerformanceSummary = z.infer<typeof PerformanceSummarySchema>;

/** A report's one summary row. */
export function summaryRowOf(r: PerformanceReview): PerformanceSummaryRow {
  return {
    staffId: r.staffId,
    ...(r.name !== undefined ? { name: r.name } : {}),
    cases: r.metrics.cases,
    acknowledgementAttainment: r.metrics.sla.acknowledgement.attainment,
    initialResponseAttainment: r.metrics.sla.initialResponse.attainment,
    resolutionRate: r.metrics.resolution.rate,
    csatSatisfied: r.csat.satisfied,
    reviewsFailed: r.quality.failed,
    nonComplianceOpened: r.nonCompliance.opened,
    nonComplianceOverdue: r.nonCompliance.byStatus.overdue,
    requiredTrainingMissing: r.training.requiredMissing.length,
    attentionPoints: r.attention.length,
  };
}
