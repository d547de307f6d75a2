import type { Actor } from './case';
import type { Clock } from './clock';
import { ForbiddenError, NotFoundError } from './errors';
import { mapLimited } from './map-limited';
import { periodBounds, type MetricsCaseRecord, type MetricsPeriod, type ReceivedCases } from './metrics';
import {
  composePerformanceReview,
  monthsOfPeriod,
  performancePeriod,
  summaryRowOf,
  type PerformanceReview,
  type PerformanceReviewQuery,
  type PerformanceSummary,
} from './performance-review';
import type { NonComplianceStore } from './non-compliance-records';
import { isoWeekOf, weeksBetween, type QualityReview } from './quality-review';
import type { QualityReviewStore } from './quality-review-records';
import { isSupervisor } from './roles';
import type { StaffDirectory } from './staff';
import { staffTrainingStatus, type TrainingRecords, type TrainingSettings } from './training';

/**
 * The performance reviews' use cases (C7.3; docs/performance-reviews.md): one representative's
 * report (supervisors anyone's, representatives their own, the feedback team and auditors read),
 * and the team's summary (one row a representative in the staff directory). Everything is read
 * through the existing ports: the cases received in the period (the metrics' index), the quality
 * reviews of the period's ISO weeks, the non-compliance records of its months, each member's
 * training records.
 */
export interface PerformanceReviewDeps {
  cases: ReceivedCases;
  reviews: Pick<QualityReviewStore, 'listWeek'>;
  nonCompliance: Pick<NonComplianceStore, 'listMonth'>;
  training: Pick<TrainingRecords, 'listFor'>;
  trainingSettings: Pick<TrainingSettings, 'catalogue' | 'reminderDays'>;
  staff: StaffDirectory;
  clock: Clock;
}

/** A representative reads only their own report; every other role the route lets in reads anyone's. */
function mayRead(actor: Actor, staffId: string): boolean {
  if (actor.kind === 'agent') return actor.id === staffId;
  return isSupervisor(actor) || actor.kind === 'feedback' || actor.kind === 'auditor' || actor.kind === 'admin';
}

interface PeriodData {
  period: MetricsPeriod;
  asOf: string;
  cases: MetricsCaseRecord[];
  reviews: QualityReview[];
  nonCompliance: Awaited<ReturnType<NonComplianceStore['listMonth']>>;
}

async function readPeriod(q: PerformanceReviewQuery, deps: PerformanceReviewDeps): Promise<PeriodData> {
  const now = deps.clock.now();
  const period = performancePeriod(q, now);
  const { since, until } = periodBounds(period);
  const cases: MetricsCaseRecord[] = [];
  for await (const r of deps.cases.receivedBetween(since, until)) cases.push(r);
  // The ISO weeks the period's days fall in (at most 15 for 93 days), and its months (at most 4).
  const weeks = weeksBetween(isoWeekOf(since), isoWeekOf(new Date(Date.parse(until) - 1)), 16);
  const reviews = (await mapLimited(weeks, 4, async (w) => (await deps.reviews.listWeek(w)).reviews)).flat();
  const nonCompliance = (await mapLimited(monthsOfPeriod(period), 4, (m) => deps.nonCompliance.listMonth(m))).flat();
  return { period, asOf: now.toISOString(), cases, reviews, nonCompliance };
}

async function reviewOf(staffId: string, name: string | undefined, data: PeriodData, deps: PerformanceReviewDeps): Promise<PerformanceReview> {
  const training = staffTrainingStatus(staffId, await deps.training.listFor(staffId), deps.trainingSettings, new Date(data.asOf));
  return composePerformanceReview({ staffId, name, period: data.period, asOf: data.asOf, cases: data.cases, reviews: data.reviews, nonCompliance: data.nonCompliance, training });
}

/** GET /v1/performance-reviews/{staffId}: one representative's report (403 for another's when the reader is a representative). */
export async function getPerformanceReview(staffId: string, q: PerformanceReviewQuery, actor: Actor, deps: PerformanceReviewDeps): Promise<PerformanceReview> {
  if (!mayRead(actor, staffId)) throw new ForbiddenError('Representatives read their own performance review only');
  const member = await deps.staff.find(staffId);
  if (!member) throw new NotFoundError(`No staff member ${staffId}`);
  return reviewOf(staffId, member.name, await readPeriod(q, deps), deps);
}

/** GET /v1/performance-reviews: one summary row a representative in the staff directory, by id. */
export async function listPerformanceReviews(q: PerformanceReviewQuery, deps: PerformanceReviewDeps): Promise<PerformanceSummary> {
  const data = await readPeriod(q, deps);
  const members = [...(await deps.staff.list('agents'))].sort((a, b) => a.id.localeCompare(b.id));
  const rows = await mapLimited(members, 4, async (m) => summaryRowOf(await reviewOf(m.id, m.name, data, deps)));
  const days = Math.round((Date.parse(`${data.period.to}T00:00:00Z`) - Date.parse(`${data.period.from}T00:00:00Z`)) / 86_400_000) + 1;
  return { period: { ...data.period, days }, asOf: data.asOf, rows };
}
