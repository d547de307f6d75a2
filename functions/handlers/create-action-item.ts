import { logger } from '../adapters/observability';
import { createActionItem, CreateActionItemSchema } from '../core/action-items';
import { actionItemDepsOf } from './action-item-deps';
import { json } from './http/http-event';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/action-items `{recommendation, theme?, owner, dueOn, links}`: the feedback team or a
 * supervisor records what should change after recurring feedback (M8.2, C7.2). 201 with the item,
 * its version as ETag. Roles: routes.ts. The recommendation is never logged.
 */
export const handler = staffRoute('create-action-item', async (req) => {
  const item = await createActionItem(parseRouteBody(req, CreateActionItemSchema), req.actor, actionItemDepsOf(req.app));
  logger.info('action item created', { itemId: item.itemId, links: item.links.feedback.length + item.links.cases.length + item.links.nonCompliance.length, actorRole: req.actor.kind });
  return json(201, { item }, { ETag: `"${item.version}"` });
});
