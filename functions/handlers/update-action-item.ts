import { logger } from '../adapters/observability';
import { updateActionItem, UpdateActionItemSchema } from '../core/action-items';
import { actionItemDepsOf, itemIdOf } from './action-item-deps';
import { badRequest } from './http/http-error';
import { json } from './http/http-event';
import { expectedVersionOf, parseRouteBody, staffRoute } from './http/staff-route';

/**
 * PATCH /v1/action-items/{itemId} `{status?, owner?, dueOn?, reason?}` with `If-Match: "<version>"`
 * (required: an item changes only on the version its changer saw; 409 with the current one else).
 * The feedback team and supervisors change any item, its owner their own (M8.2, C7.2). Roles: routes.ts.
 */
export const handler = staffRoute('update-action-item', async (req) => {
  const itemId = itemIdOf(req.event);
  const input = parseRouteBody(req, UpdateActionItemSchema);
  const expected = expectedVersionOf(req.event);
  if (expected === undefined) throw badRequest([{ path: 'If-Match', message: 'Give the item’s version you saw, as its ETag ("3")' }]);
  const item = await updateActionItem(itemId, input, expected, req.actor, actionItemDepsOf(req.app));
  logger.info('action item changed', { itemId, status: item.status, version: item.version, actorRole: req.actor.kind });
  return json(200, { item }, { ETag: `"${item.version}"` });
});
