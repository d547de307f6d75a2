import * as z from 'zod';
import { CaseStateError } from '../errors';
import { transition } from '../lifecycle';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const ReopenInputSchema = z.object({ reason: requiredText('Reason', 2000, cleanBody) }).strict();

/**
 * A resolved case is reopened, with the reason (M7.1). Its resolution and automatic closure are
 * dropped (the audit trail keeps them). A closed case is final: a new message opens a follow-up case.
 */
export function reopenCase(caseId: string, input: z.infer<typeof ReopenInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    if (c.status === 'closed') throw new CaseStateError(`Case ${c.reference} is closed, which is final; if the customer writes again, their message opens a follow-up case`);
    if (c.status !== 'resolved') throw new CaseStateError(`Case ${c.reference} is not resolved (it is ${c.status.replace('_', ' ')}), so there is nothing to reopen`);
    const { next, draft } = transition(c, 'in_progress', at, req.actor, input.reason);
    return { next, drafts: [draft] };
  });
}
