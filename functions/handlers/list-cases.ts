import { InvalidInputError } from '../core/errors';
import { ListCasesQuerySchema, type QueueSelection } from '../core/queues';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/cases?queue=…: a staff queue, one index partition a page (core/queues.ts): `all` by
 * status (default open), type and priority, newest first; `mine`, `unassigned` and `breaching`,
 * nearest deadline first; `escalated`, the caller's escalation level or the one `level` names.
 * `reference=CS-…` finds one case. Roles: routes.ts.
 */
export const handler = staffRoute('list-cases', async (req) => {
  const q = parseRouteQuery(req, ListCasesQuerySchema);
  const { app, actor } = req;
  if (q.reference) {
    const found = await app.queues.findByReference(q.reference);
    return json(200, { items: found ? [found] : [] });
  }
  const selection: QueueSelection = (() => {
    switch (q.queue) {
      case 'all':
        return { queue: 'all', status: q.status ?? 'open', ...(q.type ? { type: q.type } : {}), ...(q.priority ? { priority: q.priority } : {}) };
      case 'mine':
        if (!actor.id) throw new InvalidInputError([{ path: 'queue', message: 'The token names no staff member' }]);
        return { queue: 'mine', staffId: actor.id };
      case 'unassigned':
      case 'breaching':
        return { queue: q.queue };
      case 'escalated':
        // Escalated to me by default: level 1 is the supervisors', level 2 and above the managers' (M3.3).
        return { queue: 'escalated', role: q.level ?? (actor.kind === 'manager' ? 'managers' : 'supervisors') };
    }
  })();
  const page = await app.queues.listQueue(selection, { limit: q.limit, ...(q.cursor ? { cursor: q.cursor } : {}) });
  return json(200, { items: page.items, ...(page.cursor ? { nextCursor: page.cursor } : {}) });
});
