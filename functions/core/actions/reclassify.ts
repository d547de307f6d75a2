import * as z from 'zod';
import { CaseTypeSchema } from '../case';
import { CaseStateError, ForbiddenError } from '../errors';
import { isSupervisor } from '../roles';
import { computeDeadlines, ROUND_THE_CLOCK, slaPolicy } from '../sla-policy';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const ReclassifyInputSchema = z.object({ type: CaseTypeSchema, reason: requiredText('Reason', 2000, cleanBody) }).strict();

/**
 * An inquiry that turns out to be a complaint becomes one (M1.2, M3.2), and the complaint's
 * escalation milestone is computed from the case's receipt under the case's own policy version
 * (M8.3: a new policy never rewrites an open case's deadlines). A complaint becomes an inquiry
 * only by a supervisor's decision: it removes the complaint's escalation deadline.
 */
export function reclassifyCase(caseId: string, input: z.infer<typeof ReclassifyInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'reclassified');
    if (c.type === input.type) throw new CaseStateError(`Case ${c.reference} is ${c.type === 'inquiry' ? 'an inquiry' : 'a complaint'} already`);
    if (c.type === 'complaint' && !isSupervisor(req.actor)) {
      throw new ForbiddenError('Only a supervisor may reclassify a complaint as an inquiry: it removes the complaint escalation deadline (M3.2)');
    }
    const iso = at.toISOString();
    // On the calendar the case was opened on: its windows never move to another one (M8.3).
    const deadlines = computeDeadlines(input.type, new Date(c.receivedAt), slaPolicy(c.sla.policyVersion), { calendar: c.sla.calendar ?? ROUND_THE_CLOCK });
    const { escalationDueAt: _dropped, ...sla } = c.sla;
    const nextSla = deadlines.escalationDueAt ? { ...sla, escalationDueAt: deadlines.escalationDueAt } : sla;
    return {
      next: { ...c, type: input.type, sla: nextSla, updatedAt: iso },
      drafts: [
        {
          type: 'type_changed',
          at: iso,
          actor: req.actor,
          data: { from: c.type, to: input.type, reason: input.reason, ...(deadlines.escalationDueAt ? { escalationDueAt: deadlines.escalationDueAt } : {}) },
        },
      ],
    };
  });
}
