import { RollupQuerySchema } from '../core/quality-review';
import { qualityRollup } from '../core/quality-review-records';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/quality-rollup?from&to: replies, reviews, failures and mean scores per agent and ISO week (M6.1, C6.3). Roles: routes.ts. */
export const handler = staffRoute('get-quality-rollup', async (req) => {
  const q = parseRouteQuery(req, RollupQuerySchema);
  return json(200, { rows: await qualityRollup(q, { reviews: req.app.qualityReviews, clock: req.app.clock }) });
});
