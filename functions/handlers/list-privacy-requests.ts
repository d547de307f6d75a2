import { PageQuerySchema } from './api-responses';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/privacy/requests?limit=25&cursor=…: the privacy requests' records, newest first (M5.1,
 * C6.1): the admins' accountability list. Roles: routes.ts.
 */
export const handler = staffRoute('list-privacy-requests', async (req) => {
  const q = parseRouteQuery(req, PageQuerySchema);
  const page = await req.app.privacyRequests.list({ limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
});
