import type { z } from 'zod';
import { configFor, type FunctionConfig } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import type { Actor, Case } from '../core/case';
import type { CaseActionDeps } from '../core/case-actions';
import { parseInput } from '../core/validation';
import { httpHandler } from './http/http-handler';
import { json, type HttpEvent } from './http/http-event';
import { parseBody } from './http/parse-body';
import { staffOnly } from './staff-auth-config';
import { CaseIdPathSchema } from './path-params';

type StaffActionFunction = 'reply-to-case' | 'change-case-status' | 'escalate-case' | 'acknowledge-escalation';

/**
 * A staff action on one case (`POST /v1/cases/{caseId}/…`): the body is parsed with its schema,
 * the caller becomes the actor, and the answer is the case as it now stands.
 */
export function staffAction<F extends StaffActionFunction, S extends z.ZodType>(
  fn: F,
  name: string,
  schema: S,
  action: (caseId: string, body: z.infer<S>, actor: Actor, deps: CaseActionDeps, config: FunctionConfig<F>) => Promise<Case>,
  groups?: readonly string[],
) {
  const config = configFor(fn);
  const app = wiring(config);
  const deps: CaseActionDeps = { store: app.cases, clock: app.clock };
  return httpHandler(
    async (event: HttpEvent) => {
      const { caseId } = parseInput(CaseIdPathSchema, event.pathParameters ?? {});
      const body = parseInput(schema, event.parsedBody ?? {});
      const actor = actorOf(event.staff);
      const updated = await action(caseId, body, actor, deps, config);
      logger.info(name, { caseId, status: updated.status, actor: actor.id });
      return json(200, { case: updated });
    },
    [staffOnly(app, groups ?? config.STAFF_GROUPS), parseBody()],
  );
}

/** The staff member as the core sees them: their highest escalation role (M3.3) and their subject. */
export function actorOf(staff: HttpEvent['staff']): Actor {
  const groups = staff?.groups ?? [];
  const kind = groups.includes('managers') ? 'manager' : groups.includes('supervisors') ? 'supervisor' : 'agent';
  return { kind, id: staff?.sub ?? 'unknown' };
}
