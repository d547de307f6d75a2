import * as z from 'zod';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertNotClosed } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const AddNoteInputSchema = z.object({ text: requiredText('Text', 20_000, cleanBody) }).strict();

/** An internal note on the case (M7.1: detailed notes on inquiries, complaints and resolutions); never emailed. */
export function addNote(caseId: string, input: z.infer<typeof AddNoteInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertNotClosed(c, 'annotated');
    const iso = at.toISOString();
    return { next: { ...c, updatedAt: iso }, drafts: [{ type: 'note_added', at: iso, actor: req.actor, data: { text: input.text } }] };
  });
}
