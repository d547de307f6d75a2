import * as z from 'zod';
import { LegalHoldBasisSchema } from '../case';
import { CaseStateError } from '../errors';
import { cleanBody, cleanLine } from '../text/normalise-text';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

/**
 * Legal holds (M5.1, C6.1; GDPR art. 17(3)(e)): an admin holds a case that a claim, a regulator or
 * an investigation needs kept as it is. While the hold stands an erasure request that reaches the
 * case is refused, whole, and told the hold's basis and matter (privacy-erasure.ts). The note is
 * free text on the timeline (personal: an erasure after the release redacts it).
 */
export const LegalHoldInputSchema = z
  .object({
    basis: LegalHoldBasisSchema,
    matter: z.string().overwrite(cleanLine).trim().min(1, 'Matter must not be empty').max(100, 'Matter must be at most 100 characters').optional(),
    note: z.string().overwrite(cleanBody).trim().max(2000, 'Note must be at most 2,000 characters').optional(),
  })
  .strict();
export type LegalHoldInput = z.infer<typeof LegalHoldInputSchema>;

export const ReleaseLegalHoldInputSchema = z.object({ note: z.string().overwrite(cleanBody).trim().max(2000, 'Note must be at most 2,000 characters').optional() }).strict();

export function placeLegalHold(caseId: string, input: LegalHoldInput, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    if (c.erasure) throw new CaseStateError(`${c.reference}'s personal data was erased: there is nothing personal left to hold`);
    if (c.legalHold) throw new CaseStateError(`${c.reference} is under a legal hold already (${c.legalHold.basis}${c.legalHold.matter ? `, ${c.legalHold.matter}` : ''}): release it first to change it`);
    const iso = at.toISOString();
    const hold = { basis: input.basis, ...(input.matter ? { matter: input.matter } : {}), placedBy: req.actor.id ?? req.actor.kind, placedAt: iso };
    return {
      next: { ...c, legalHold: hold, updatedAt: iso },
      drafts: [{ type: 'legal_hold_placed', at: iso, actor: req.actor, data: { basis: input.basis, ...(input.matter ? { matter: input.matter } : {}), ...(input.note ? { note: input.note } : {}) } }],
    };
  });
}

export function releaseLegalHold(caseId: string, input: z.infer<typeof ReleaseLegalHoldInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    if (!c.legalHold) throw new CaseStateError(`${c.reference} is not under a legal hold`);
    const iso = at.toISOString();
    const { legalHold, ...rest } = c;
    return {
      next: { ...rest, updatedAt: iso },
      drafts: [{ type: 'legal_hold_released', at: iso, actor: req.actor, data: { basis: legalHold.basis, ...(legalHold.matter ? { matter: legalHold.matter } : {}), ...(input.note ? { note: input.note } : {}) } }],
    };
  });
}
