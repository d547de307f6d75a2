import { parseInput } from '../core/validation';
import { PageQuerySchema } from './api-responses';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';
import { StaffIdPathSchema } from './path-params';

/**
 * GET /v1/staff/{staffId}/cases: one staff member's open cases, nearest deadline first — the `mine`
 * queue of someone else, for a supervisor balancing the work (M4.2) or an auditor. Roles: routes.ts.
 */
export const handler = staffRoute('list-staff-cases', async (req) => {
  const { staffId } = parseInput(StaffIdPathSchema, req.event.pathParameters ?? {});
  const q = parseRouteQuery(req, PageQuerySchema);
  const page = await req.app.queues.listQueue({ queue: 'mine', staffId }, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
});
