import { trainingStatus, TrainingStatusQuerySchema } from '../core/training-requests';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';
import { trainingRequestDepsOf } from './training-deps';

/**
 * GET /v1/training[?staffId=]: training status and records (C5.1-C5.3): one staff member's (their
 * own for representatives), or the team's with who is due soon or lapsed (supervisors, admins).
 * One route for both: the stateless stack has room for few more functions (test/infra/stack-sizes).
 * Roles: routes.ts.
 */
export const handler = staffRoute('get-training', async (req) => json(200, await trainingStatus(parseRouteQuery(req, TrainingStatusQuerySchema), req.actor, trainingRequestDepsOf(req.app, req.config))));
