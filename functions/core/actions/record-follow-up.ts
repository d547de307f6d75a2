import * as z from 'zod';
import { CaseStateError, ForbiddenError, InvalidInputError } from '../errors';
import { dayOf, mayRecordFollowUp, type CaseFollowUp, type FollowUpDue } from '../follow-up';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

/** POST /v1/cases/{caseId}/follow-up: what the complaint's follow-up found (M3.2), and the next one if it needs one. */
export const RecordFollowUpInputSchema = z
  .object({
    /** What the follow-up found, in words (the customer's answer, whether the corrective action held). */
    outcome: requiredText('Outcome', 5000, cleanBody),
    /** Whether the customer is satisfied with the resolution now. */
    satisfied: z.boolean({ error: 'satisfied must be true or false' }),
    /** Another follow-up, on this later day (YYYY-MM-DD), for the same person. */
    nextFollowUpDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'The next follow-up date must be a date (YYYY-MM-DD)')
      .pipe(z.iso.date('The next follow-up date must be a real date'))
      .optional(),
  })
  .strict();
export type RecordFollowUpInput = z.infer<typeof RecordFollowUpInputSchema>;

/**
 * Records a complaint's follow-up outcome (M3.2) on its audit-chained timeline: allowed while the
 * follow-up scheduled at resolution is pending, whether the complaint is resolved, closed or
 * reopened since; by a supervisor, or the agent it was scheduled for or who holds the case. The
 * follow-up leaves the due list in the same transaction; a next date schedules another one.
 */
export function recordFollowUp(caseId: string, input: RecordFollowUpInput, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    if (c.type !== 'complaint') throw new CaseStateError(`Case ${c.reference} is an inquiry: follow-ups are recorded on complaints (M3.2)`);
    // The customer's data is gone (M5.1, C6.1): no new personal text goes on the case, and there is nobody left to follow up with.
    if (c.erasure) throw new CaseStateError(`${c.reference}'s personal data was erased: its follow-up can no longer be recorded`);
    const current = c.followUp;
    if (!current || current.state !== 'pending') {
      throw new CaseStateError(
        current
          ? `Case ${c.reference} has no follow-up pending: the one due ${current.date} was recorded already`
          : `Case ${c.reference} has no follow-up pending: a complaint's follow-up is scheduled when it is resolved with one in its checklist`,
      );
    }
    if (!mayRecordFollowUp(req.actor, current, c.assignee?.id)) {
      throw new ForbiddenError(`The follow-up of ${c.reference} is for the staff member it was scheduled for, the case's assignee, or a supervisor`);
    }
    const iso = at.toISOString();
    const today = dayOf(at);
    if (input.nextFollowUpDate !== undefined && input.nextFollowUpDate <= today) {
      throw new InvalidInputError([{ path: 'nextFollowUpDate', message: `The next follow-up must be after today (${today})` }]);
    }
    const next: CaseFollowUp = input.nextFollowUpDate
      ? { date: input.nextFollowUpDate, responsible: current.responsible, state: 'pending' }
      : { ...current, state: 'recorded', recordedAt: iso };
    const due: FollowUpDue[] = input.nextFollowUpDate ? [{ caseId: c.caseId, reference: c.reference, date: input.nextFollowUpDate, responsible: current.responsible }] : [];
    return {
      next: { ...c, followUp: next, updatedAt: iso },
      drafts: [
        {
          type: 'follow_up_recorded',
          at: iso,
          actor: req.actor,
          data: { date: current.date, outcome: input.outcome, satisfied: input.satisfied, ...(input.nextFollowUpDate ? { next: { date: input.nextFollowUpDate } } : {}) },
        },
      ],
      followUpsDone: [{ caseId: c.caseId, date: current.date }],
      ...(due.length ? { followUpsDue: due } : {}),
    };
  });
}
