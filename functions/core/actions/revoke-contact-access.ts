import * as z from 'zod';
import { CaseStateError } from '../errors';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const RevokeContactAccessInputSchema = z.object({ staffId: requiredText('Staff id', 128), reason: z.string().overwrite(cleanBody).trim().max(1000, 'Reason must be at most 1,000 characters').optional() }).strict();

/** A supervisor ends a feedback-team member's sight of the contact details before it expires (C4.2). */
export function revokeContactAccess(caseId: string, input: z.infer<typeof RevokeContactAccessInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    const live = (c.contactAccess ?? []).filter((g) => Date.parse(g.expiresAt) > at.getTime());
    if (!live.some((g) => g.staffId === input.staffId)) throw new CaseStateError(`${input.staffId} has no contact-detail grant on ${c.reference}`);
    const iso = at.toISOString();
    const kept = live.filter((g) => g.staffId !== input.staffId);
    const { contactAccess: _all, ...rest } = c;
    return {
      next: { ...rest, ...(kept.length ? { contactAccess: kept } : {}), updatedAt: iso },
      drafts: [{ type: 'contact_access_revoked', at: iso, actor: req.actor, data: { staffId: input.staffId, ...(input.reason ? { reason: input.reason } : {}) } }],
    };
  });
}
