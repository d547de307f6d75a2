import { listActionItems, ListActionItemsQuerySchema } from '../core/action-items';
import { actionItemDepsOf } from './action-item-deps';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/** GET /v1/action-items?status&owner&overdue: the action items (M8.2, C7.2), overdue ones first. Roles: routes.ts. */
export const handler = staffRoute('list-action-items', async (req) =>
  json(200, { items: await listActionItems(parseRouteQuery(req, ListActionItemsQuerySchema), actionItemDepsOf(req.app)) }),
);
