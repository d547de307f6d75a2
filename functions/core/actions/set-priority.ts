import * as z from 'zod';
import { PrioritySchema } from '../case';
import { CaseStateError } from '../errors';
import { cleanLine } from '../text/normalise-text';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const SetPriorityInputSchema = z
  .object({ priority: PrioritySchema, reason: z.string().overwrite(cleanLine).trim().max(500, 'Reason must be at most 500 characters').optional() })
  .strict();

/** Staff set how urgent a case is; the queues order and filter by it. */
export function setPriority(caseId: string, input: z.infer<typeof SetPriorityInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'reprioritised');
    if (c.priority === input.priority) throw new CaseStateError(`Case ${c.reference} has priority ${c.priority} already`);
    const iso = at.toISOString();
    return {
      next: { ...c, priority: input.priority, updatedAt: iso },
      drafts: [{ type: 'priority_changed', at: iso, actor: req.actor, data: { from: c.priority, to: input.priority, ...(input.reason ? { reason: input.reason } : {}) } }],
    };
  });
}
