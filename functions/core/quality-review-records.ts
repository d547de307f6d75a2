import { SYSTEM, type Actor } from './case';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import { openNonCompliance, type NonComplianceRecord } from './non-compliance';
import { earlierRecords, type NonComplianceStore } from './non-compliance-records';
import type { CaseEvent } from './case-event';
import { ERASED } from './personal-data';
import type { CaseStore } from './ports';
import {
  isoWeekOf,
  previousIsoWeek,
  rollup,
  sampleReview,
  scoreReview,
  weeklyTopUp,
  weeksBetween,
  weekStartMs,
  eraseReviewText,
  reviewIdOf,
  type ListReviewsQuery,
  type QualityReview,
  type QualityReviewPolicy,
  type ReplyRef,
  type RollupQuery,
  type RollupRow,
  type ScoreReviewInput,
} from './quality-review';
import { slaPolicy } from './sla-policy';

/**
 * The use cases of response-quality reviews (M3.1, M6.1, C6.3, C8.1; docs/quality-reviews.md).
 * Replies are sampled in the reply's own transaction (actions/reply.ts); the weekly top-up here;
 * a score is a change of the case (its timeline event), written with the review and, when it
 * fails, the non-compliance record it opens: all at once or nothing.
 */

/** Where reviews and the week's reply ledger are (DynamoDB: dynamo/quality-review-store.ts). */
export interface QualityReviewStore {
  get(id: string): Promise<QualityReview | undefined>;
  /** A week's replies sent and reviews, each in key order. */
  listWeek(week: string): Promise<{ replies: ReplyRef[]; reviews: QualityReview[] }>;
  /** Writes a new review only if none has its id. */
  create(review: QualityReview): Promise<'created' | 'exists'>;
  /** Replaces a review if it is still at `expectedVersion` (else ConcurrentUpdateError). */
  replace(review: QualityReview, expectedVersion: number): Promise<void>;
}

export interface QualityReviewDeps {
  reviews: QualityReviewStore;
  clock: Clock;
}

export interface ScoreReviewDeps extends QualityReviewDeps {
  cases: Pick<CaseStore, 'getCase' | 'applyChange'>;
  nonCompliance: Pick<NonComplianceStore, 'listMonth'>;
  policy: QualityReviewPolicy;
}

export async function getQualityReview(id: string, store: Pick<QualityReviewStore, 'get'>): Promise<QualityReview> {
  const review = await store.get(id);
  if (!review) throw new NotFoundError('No such quality review');
  return review;
}

/** One review for the supervisors, or for the member of staff whose reply it is (nobody else's: 403). */
export async function readQualityReview(id: string, actor: Actor, mayReadAll: boolean, store: Pick<QualityReviewStore, 'get'>): Promise<QualityReview> {
  const review = await getQualityReview(id, store);
  if (!mayReadAll && review.staffId !== actor.id) throw new ForbiddenError('A representative sees the reviews of their own replies only');
  return review;
}

/**
 * A supervisor scores a review (M6.1, C6.3). The case's timeline gets a `quality_review_scored`
 * event; a failed review opens its non-compliance record (C8.1) through `openNonCompliance`, as a
 * breach or a report does, in the same transaction as the score. `expectedVersion` (If-Match) is
 * the review's version: needed to score it again.
 */
export async function scoreQualityReview(id: string, input: ScoreReviewInput, actor: Actor, expectedVersion: number | undefined, deps: ScoreReviewDeps): Promise<{ review: QualityReview; nonCompliance?: NonComplianceRecord }> {
  const first = await getQualityReview(id, deps.reviews);
  const done = await changeCase(deps.cases, first.caseId, async (c) => {
    // Read again on every attempt: a conflict may be another supervisor's score.
    const review = await getQualityReview(id, deps.reviews);
    const at = deps.clock.now();
    const { next, failed, opensNonCompliance } = scoreReview(review, input, actor, at, deps.policy, expectedVersion);
    const score = next.score;
    let record: NonComplianceRecord | undefined;
    if (opensNonCompliance && next.nonComplianceId && score) {
      record = openNonCompliance({
        id: next.nonComplianceId,
        cause: { kind: 'quality_review', reviewId: review.id, overall: score.overall, lowCriteria: Object.entries(score.scorecard).flatMap(([k, v]) => (v.score === 1 ? [k] : [])) },
        caseId: review.caseId,
        staffId: review.staffId,
        openedBy: actor,
        at,
        policy: slaPolicy(),
        earlier: await earlierRecords(deps.nonCompliance, review.staffId, at),
        notify: 'supervisors',
      });
    }
    return {
      next: c,
      drafts: [
        {
          type: 'quality_review_scored' as const,
          at: at.toISOString(),
          actor,
          data: { reviewId: review.id, replySeq: review.seq, staffId: review.staffId, overall: score?.overall ?? 0, failed, rescored: review.status === 'done', ...(record ? { nonComplianceId: record.id } : {}) },
        },
      ],
      with: { qualityReviews: [{ review: next, expectedVersion: review.version }], ...(record ? { nonCompliance: [record] } : {}) },
      result: { review: next, ...(record ? { nonCompliance: record } : {}) },
    };
  });
  if (!done) throw new NotFoundError('The case of this review is gone');
  return done.result;
}

/** The queue for supervisors: a week's reviews (the current week by default), filtered. */
export async function listQualityReviews(query: ListReviewsQuery, deps: QualityReviewDeps): Promise<QualityReview[]> {
  const week = query.week ?? isoWeekOf(deps.clock.now());
  const { reviews } = await deps.reviews.listWeek(week);
  return reviews.filter((r) => (query.status === undefined || r.status === query.status) && (query.staffId === undefined || r.staffId === query.staffId));
}

/** An agent's own reviews of a week. */
export async function myQualityReviews(actor: Actor, week: string | undefined, deps: QualityReviewDeps): Promise<QualityReview[]> {
  if (actor.id === undefined) return [];
  return listQualityReviews({ week: week ?? isoWeekOf(deps.clock.now()), staffId: actor.id }, deps);
}

const WEEK_MS = 7 * 86_400_000;
const MAX_ROLLUP_WEEKS = 26;

/** The roll-up per agent and week, oldest week first (at most 26 weeks: more, or `from` after `to`, is a 400 naming `from`). */
export async function qualityRollup(query: RollupQuery, deps: QualityReviewDeps): Promise<RollupRow[]> {
  const to = query.to ?? isoWeekOf(deps.clock.now());
  const from = query.from ?? to;
  if (weekStartMs(from) > weekStartMs(to)) throw new InvalidInputError([{ path: 'from', message: 'from must not be after to' }]);
  if ((weekStartMs(to) - weekStartMs(from)) / WEEK_MS + 1 > MAX_ROLLUP_WEEKS) throw new InvalidInputError([{ path: 'from', message: `The roll-up covers at most ${MAX_ROLLUP_WEEKS} weeks` }]);
  const weeks = weeksBetween(from, to, MAX_ROLLUP_WEEKS);
  const rows = await Promise.all(
    weeks.map(async (week) => {
      const { replies, reviews } = await deps.reviews.listWeek(week);
      return rollup(week, replies, reviews);
    }),
  );
  return rows.flat();
}

/**
 * The weekly top-up (stratified by agent): for the week before now (by default), one reply of
 * each agent who replied but had none sampled. Idempotent: a rerun finds them sampled.
 */
export async function topUpWeek(deps: QualityReviewDeps, week?: string): Promise<{ week: string; sampled: number }> {
  const target = week ?? previousIsoWeek(isoWeekOf(deps.clock.now()));
  const { replies, reviews } = await deps.reviews.listWeek(target);
  const picks = weeklyTopUp(replies, new Set(reviews.map((r) => r.staffId)));
  let sampled = 0;
  for (const reply of picks) if ((await deps.reviews.create(sampleReview(reply, 'weekly_top_up', deps.clock.now(), SYSTEM))) === 'created') sampled += 1;
  return { week: target, sampled };
}

/**
 * An erasure request's part here (M5.1, C6.1): the reviews of the case's replies (their ids follow
 * from the timeline's `agent_replied` events) lose their comments and summary. Returns how many
 * were rewritten; a review erased before, or never scored, is left alone.
 */
export async function eraseCaseReviews(timeline: readonly CaseEvent[], requestId: string, store: Pick<QualityReviewStore, 'get' | 'replace'>): Promise<number> {
  let rewritten = 0;
  for (const e of timeline) {
    if (e.type !== 'agent_replied') continue;
    const review = await store.get(reviewIdOf({ caseId: e.caseId, seq: e.seq, repliedAt: e.at }));
    const erased = review && eraseReviewText(review, requestId, ERASED);
    if (!review || !erased) continue;
    await store.replace(erased, review.version);
    rewritten += 1;
  }
  return rewritten;
}
