import { listRetentionPolicies } from '../core/retention-policy-versions';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/**
 * GET /v1/retention-policies: every retention version, built in and published (M7.2, C4.3), the
 * current one (the one closures take now) marked. Roles: routes.ts.
 */
export const handler = staffRoute('get-retention-policies', async (req) => json(200, await listRetentionPolicies(req.app.retentionPolicies)));
