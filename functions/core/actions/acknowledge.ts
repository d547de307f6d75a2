import * as z from 'zod';
import { CaseStateError } from '../errors';
import { transition } from '../lifecycle';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const AcknowledgeInputSchema = z.object({}).strict();

/**
 * An agent acknowledges a case by hand (M3.1: within 15 minutes), when the automatic
 * acknowledgement is off or was withheld: a new case becomes acknowledged; one that moved on
 * without an acknowledgement keeps its status. A case acknowledged already is a 409 saying when.
 */
export function acknowledgeCase(caseId: string, _input: z.infer<typeof AcknowledgeInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'acknowledged');
    if (c.acknowledgedAt) throw new CaseStateError(`Case ${c.reference} was acknowledged already, at ${c.acknowledgedAt}`);
    if (c.status === 'new') {
      const { next, draft } = transition(c, 'acknowledged', at, req.actor, 'acknowledged by staff');
      return { next, drafts: [draft] };
    }
    // Moved on from `new` without an acknowledgement (set waiting for the customer, say): the milestone is met now, the status stays.
    const iso = at.toISOString();
    return { next: { ...c, acknowledgedAt: iso, updatedAt: iso }, drafts: [{ type: 'acknowledged', at: iso, actor: req.actor, data: {} }] };
  });
}
