import { listFollowUps, ListFollowUpsQuerySchema } from '../core/follow-up';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/follow-ups?due: the complaint follow-ups due by a day (M3.2), overdue first; an agent sees their own. Roles: routes.ts. */
export const handler = staffRoute('list-follow-ups', async (req) =>
  json(200, await listFollowUps(parseRouteQuery(req, ListFollowUpsQuerySchema), req.actor, { followUps: req.app.followUps, now: req.app.clock.now() })),
);
