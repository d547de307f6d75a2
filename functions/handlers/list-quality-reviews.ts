import { ListReviewsQuerySchema } from '../core/quality-review';
import { listQualityReviews } from '../core/quality-review-records';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/quality-reviews?week=YYYY-Www&status&staffId: the review queue of a week (M6.1, C6.3). Roles: routes.ts. */
export const handler = staffRoute('list-quality-reviews', async (req) => {
  const q = parseRouteQuery(req, ListReviewsQuerySchema);
  return json(200, { items: await listQualityReviews(q, { reviews: req.app.qualityReviews, clock: req.app.clock }) });
});
