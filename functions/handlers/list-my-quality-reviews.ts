import { MyReviewsQuerySchema } from '../core/quality-review';
import { myQualityReviews } from '../core/quality-review-records';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/my/quality-reviews?week=YYYY-Www: the caller's own reviews of a week, with their scores (M6.1). Roles: routes.ts. */
export const handler = staffRoute('list-my-quality-reviews', async (req) => {
  const q = parseRouteQuery(req, MyReviewsQuerySchema);
  return json(200, { items: await myQualityReviews(req.actor, q.week, { reviews: req.app.qualityReviews, clock: req.app.clock }) });
});
