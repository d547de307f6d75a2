import * as z from 'zod';
import { mergeChecklist } from '../complaint-checklist';
import { CaseStateError } from '../errors';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertOpen } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

const today = /^\d{4}-\d{2}-\d{2}$/;

/** The checklist items staff record (M3.2, M9.2): each optional in an update, all needed to resolve. */
export const ChecklistInputSchema = z
  .object({
    complaintHeard: z.boolean().optional(),
    empathyShown: z.boolean().optional(),
    solutionOffered: requiredText('Solution offered', 5000, cleanBody).optional(),
    correctiveAction: requiredText('Corrective action', 5000, cleanBody).optional(),
    followUp: z
      .object({
        date: z.string().regex(today, 'The follow-up date must be a date (YYYY-MM-DD)').pipe(z.iso.date('The follow-up date must be a real date')),
        plan: requiredText('Follow-up plan', 2000, cleanBody),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ChecklistInput = z.infer<typeof ChecklistInputSchema>;

export const UpdateChecklistInputSchema = ChecklistInputSchema.refine((o) => Object.values(o).some((v) => v !== undefined), 'Name at least one checklist item to record');

/** Records checklist items on a complaint as they are done; given items replace earlier ones. */
export function updateChecklist(caseId: string, input: ChecklistInput, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertOpen(c, 'have its checklist changed');
    if (c.type !== 'complaint') throw new CaseStateError(`Case ${c.reference} is an inquiry: the resolution checklist is for complaints (M9.2)`);
    const iso = at.toISOString();
    return {
      next: { ...c, complaintChecklist: mergeChecklist(c.complaintChecklist, input), updatedAt: iso },
      drafts: [{ type: 'checklist_updated', at: iso, actor: req.actor, data: { checklist: input } }],
    };
  });
}
