import { listSlaPolicies } from '../core/sla-policy-versions';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/**
 * GET /v1/sla-policies: every policy version cases may carry, built in and published (M8.3), the
 * current one marked, with their business-hours calendars (docs/business-hours.md). Roles: routes.ts.
 */
export const handler = staffRoute('get-sla-policies', async (req) => json(200, await listSlaPolicies(req.app.slaPolicies)));
