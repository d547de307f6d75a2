import { PerformanceReviewQuerySchema } from '../core/performance-review';
import { listPerformanceReviews } from '../core/performance-review-requests';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';
import { performanceReviewDepsOf } from './performance-review-deps';

/** GET /v1/performance-reviews?from&to: one summary row a representative (C7.3, M6.2). Roles: routes.ts. */
export const handler = staffRoute('list-performance-reviews', async (req) => json(200, await listPerformanceReviews(parseRouteQuery(req, PerformanceReviewQuerySchema), performanceReviewDepsOf(req.app, req.config))));
