import * as z from 'zod';
import { CaseStateError } from '../errors';
import { transition } from '../lifecycle';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const AcknowledgeInputSchema = z.object({}).strict();

/**
 * An agent acknowledges a new case by hand (M3.1: within 15 minutes), when the automatic
 * acknowledgement is off or was withheld. A case acknowledged already is a 409 saying when.
 */
export function acknowledgeCase(caseId: string, _input: z.infer<typeof AcknowledgeInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'acknowledged');
    if (c.status !== 'new' || c.acknowledgedAt) throw new CaseStateError(`Case ${c.reference} was acknowledged already${c.acknowledgedAt ? ` at ${c.acknowledgedAt}` : ''}`);
    const { next, draft } = transition(c, 'acknowledged', at, req.actor, 'acknowledged by staff');
    return { next, drafts: [draft] };
  });
}
