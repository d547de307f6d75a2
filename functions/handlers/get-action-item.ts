import { getActionItem } from '../core/action-items';
import { actionItemDepsOf, itemIdOf } from './action-item-deps';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';

/** GET /v1/action-items/{itemId}: one action item with its history (M8.2, C7.2); its version as ETag, for If-Match. Roles: routes.ts. */
export const handler = staffRoute('get-action-item', async (req) => {
  const item = await getActionItem(itemIdOf(req.event), actionItemDepsOf(req.app));
  return json(200, { item }, { ETag: `"${item.version}"` });
});
