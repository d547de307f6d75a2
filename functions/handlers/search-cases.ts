import { SearchCasesInputSchema } from '../core/queues';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/cases/search: a customer's cases by their email address or phone number, newest first,
 * through the hashed customer index. POST, so the address is in the body, never in a URL or an
 * access log. Roles: routes.ts.
 */
export const handler = staffRoute('search-cases', async (req) => {
  const q = parseRouteBody(req, SearchCasesInputSchema);
  const selection = q.email !== undefined ? { queue: 'customer' as const, email: q.email } : { queue: 'customer' as const, phone: q.phone ?? '' };
  const page = await req.app.queues.listQueue(selection, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
});
