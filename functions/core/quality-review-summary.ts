import * as z from 'zod';
import { CRITERIA, isoWeekOf, type QualityReview, type ReplyRef } from './quality-review';

/**
 * The month's response-quality reviews for the monthly compliance report (M3.1 quality checkpoints,
 * M6.1, C6.3; docs/reports.md): how many replies went out, how many were sampled and scored, how
 * many failed, the mean scores, and the coverage the protocol's sampling promises — every
 * representative who replied in a week has at least one reply of that week sampled. A reply
 * belongs to the month it was sent in (UTC); the report reads the ISO weeks the month touches and
 * keeps the replies and reviews of its days.
 */
const count = z.number().int().nonnegative();

export const QualityReviewSummarySchema = z.object({
  replies: count,
  sampled: count,
  scored: count,
  /** Sampled, not scored yet. */
  pending: count,
  failed: count,
  /** Mean overall score (1–4) of the scored reviews; null when none is scored. */
  meanOverall: z.number().nullable(),
  /** Each scorecard criterion's mean, in scorecard order; null when none is scored. */
  byCriterion: z.array(z.object({ criterion: z.enum(CRITERIA), mean: z.number().nullable() })),
  /** Representative-weeks with a reply in the month, and those of them with a reply sampled. */
  agentWeeks: count,
  agentWeeksSampled: count,
  /** Representatives with a failed review in the month, and how many failed. */
  failedBy: z.array(z.object({ staffId: z.string(), failed: count })),
});
export type QualityReviewSummary = z.infer<typeof QualityReviewSummarySchema>;

const mean2 = (xs: readonly number[]) => (xs.length === 0 ? null : Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100);

/** The summary of the replies sent and reviews sampled on the days `from`..`to` (UTC, inclusive) out of the weeks' lists. */
export function summarizeQualityReviews(period: { from: string; to: string }, weeks: readonly { replies: readonly ReplyRef[]; reviews: readonly QualityReview[] }[]): QualityReviewSummary {
  const inPeriod = (iso: string) => {
    const day = iso.slice(0, 10);
    return day >= period.from && day <= period.to;
  };
  const replies = weeks.flatMap((w) => w.replies.filter((r) => inPeriod(r.repliedAt)));
  const reviews = weeks.flatMap((w) => w.reviews.filter((r) => inPeriod(r.repliedAt)));
  const scores = reviews.flatMap((r) => (r.score ? [r.score] : []));
  // A representative-week: the staff member and the ISO week of the reply.
  const agentWeeks = new Set(replies.map((r) => `${isoWeekOf(r.repliedAt)}#${r.staffId}`));
  const sampledWeeks = new Set(reviews.map((r) => `${isoWeekOf(r.repliedAt)}#${r.staffId}`));
  const failedBy = new Map<string, number>();
  for (const r of reviews) if (r.score?.failed) failedBy.set(r.staffId, (failedBy.get(r.staffId) ?? 0) + 1);
  return {
    replies: replies.length,
    sampled: reviews.length,
    scored: scores.length,
    pending: reviews.length - scores.length,
    failed: scores.filter((s) => s.failed).length,
    meanOverall: mean2(scores.map((s) => s.overall)),
    byCriterion: CRITERIA.map((criterion) => ({ criterion, mean: mean2(scores.map((s) => s.scorecard[criterion].score)) })),
    agentWeeks: agentWeeks.size,
    agentWeeksSampled: [...agentWeeks].filter((k) => sampledWeeks.has(k)).length,
    failedBy: [...failedBy].sort(([a], [b]) => a.localeCompare(b)).map(([staffId, failed]) => ({ staffId, failed })),
  };
}
