import * as z from 'zod';
import { CaseStateError } from '../errors';
import { transition } from '../lifecycle';
import { cleanLine } from '../text/normalise-text';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const PendingCustomerInputSchema = z.object({ reason: z.string().overwrite(cleanLine).trim().max(500, 'Reason must be at most 500 characters').optional() }).strict();

/**
 * The case waits for the customer (information they must send): the initial-assistance clock
 * stops until they answer (sla-plan.ts); the acknowledgement clock never stops.
 */
export function setPendingCustomer(caseId: string, input: z.infer<typeof PendingCustomerInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'set waiting for the customer');
    if (c.status === 'pending_customer') throw new CaseStateError(`Case ${c.reference} is waiting for the customer already`);
    const { next, draft } = transition(c, 'pending_customer', at, req.actor, input.reason ?? 'waiting for the customer');
    return { next, drafts: [draft] };
  });
}

/** Work resumes without the customer's answer: the clock runs again. */
export function clearPendingCustomer(caseId: string, input: z.infer<typeof PendingCustomerInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    if (c.status !== 'pending_customer') throw new CaseStateError(`Case ${c.reference} is not waiting for the customer (it is ${c.status.replace('_', ' ')})`);
    const { next, draft } = transition(c, 'in_progress', at, req.actor, input.reason ?? 'no longer waiting for the customer');
    return { next, drafts: [draft] };
  });
}
