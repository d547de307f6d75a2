import { PerformanceReviewQuerySchema } from '../core/performance-review';
import { getPerformanceReview } from '../core/performance-review-requests';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';
import { StaffIdPathSchema } from './path-params';
import { performanceReviewDepsOf } from './performance-review-deps';

/**
 * GET /v1/performance-reviews/{staffId}?from&to: one representative's performance review (C7.3,
 * M6.2; core/performance-review.ts). Representatives read their own only. Roles: routes.ts.
 */
export const handler = staffRoute('get-performance-review', async (req) => {
  const { staffId } = parseInput(StaffIdPathSchema, req.event.pathParameters ?? {});
  const query = parseRouteQuery(req, PerformanceReviewQuerySchema);
  return json(200, await getPerformanceReview(staffId, query, req.actor, performanceReviewDepsOf(req.app, req.config)));
});
