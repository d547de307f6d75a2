import { ListNonComplianceQuerySchema } from '../core/non-compliance';
import { listNonCompliance } from '../core/non-compliance-records';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/non-compliance?month=YYYY-MM&status&staffId: a month's non-compliance records (C8.1–C8.3), oldest first. Roles: routes.ts. */
export const handler = staffRoute('list-non-compliance', async (req) => {
  const q = parseRouteQuery(req, ListNonComplianceQuerySchema);
  return json(200, { items: await listNonCompliance(q, req.app.nonCompliance, req.app.clock.now()) });
});
