import { PageQuerySchema } from './api-responses';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/quarantine?limit=25&cursor=…: inbound mail that could not be parsed or classified, or
 * that SES found a virus in, with the raw object key. Roles: routes.ts.
 */
export const handler = staffRoute('list-quarantine', async (req) => {
  const q = parseRouteQuery(req, PageQuerySchema);
  const page = await req.app.inbound.listQuarantine(q.limit, q.cursor);
  return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
});
