import { qualityReviewPolicyOf } from '../adapters/config';
import { logger } from '../adapters/observability';
import { ScoreReviewInputSchema } from '../core/quality-review';
import { scoreQualityReview } from '../core/quality-review-records';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { etag, expectedVersionOf, parseRouteBody, staffRoute } from './http/staff-route';
import { ReviewIdPathSchema } from './path-params';

/**
 * POST /v1/quality-reviews/{reviewId}/score `{scorecard, summary?}`: a supervisor scores a review
 * (M6.1, C6.3); never their own reply (403). Scoring again needs `If-Match` with the review's
 * version (else 409), and is recorded as a re-score. A failed review opens its non-compliance
 * record in the same transaction (C8.1). Roles: routes.ts.
 */
export const handler = staffRoute('score-quality-review', async (req) => {
  const { reviewId } = parseInput(ReviewIdPathSchema, req.event.pathParameters ?? {});
  const input = parseRouteBody(req, ScoreReviewInputSchema);
  const { app } = req;
  const result = await scoreQualityReview(reviewId, input, req.actor, expectedVersionOf(req.event), {
    reviews: app.qualityReviews,
    cases: app.cases,
    nonCompliance: app.nonCompliance,
    clock: app.clock,
    policy: qualityReviewPolicyOf(req.config),
  });
  logger.info('quality review scored', { reviewId, version: result.review.version, failed: result.review.score?.failed, nonComplianceId: result.nonCompliance?.id });
  return json(200, { review: result.review, ...(result.nonCompliance ? { nonCompliance: result.nonCompliance } : {}) }, etag(result.review));
});
