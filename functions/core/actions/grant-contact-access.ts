import * as z from 'zod';
import { InvalidInputError } from '../errors';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertNotClosed } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const GrantContactAccessInputSchema = z
  .object({
    staffId: requiredText('Staff id', 128),
    reason: requiredText('Reason', 1000, cleanBody),
    /** How long the grant holds (default 72 hours, at most 30 days). */
    hours: z.number({ error: 'hours must be a number' }).int().min(1).max(720).default(72),
  })
  .strict();

/**
 * A supervisor lets one member of the feedback team see this case's customer contact details for a
 * while (C4.2, contact-access.ts). Expired grants are dropped; a new grant to the same person replaces theirs.
 */
export async function grantContactAccess(caseId: string, input: z.infer<typeof GrantContactAccessInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at) => {
    assertNotClosed(c, 'given contact-detail grants');
    const member = deps.staff ? await deps.staff.find(input.staffId) : undefined;
    if (!member) throw new InvalidInputError([{ path: 'staffId', message: `No staff member ${input.staffId}` }]);
    if (!member.roles.includes('feedback')) throw new InvalidInputError([{ path: 'staffId', message: `${member.name ?? member.id} is not on the feedback team; other staff see contact details already` }]);
    const iso = at.toISOString();
    const expiresAt = new Date(at.getTime() + input.hours * 3_600_000).toISOString();
    const kept = (c.contactAccess ?? []).filter((g) => g.staffId !== member.id && Date.parse(g.expiresAt) > at.getTime());
    const grant = { staffId: member.id, grantedBy: req.actor.id ?? req.actor.kind, grantedAt: iso, expiresAt, reason: input.reason };
    return {
      next: { ...c, contactAccess: [...kept, grant], updatedAt: iso },
      drafts: [{ type: 'contact_access_granted', at: iso, actor: req.actor, data: { staffId: member.id, expiresAt, reason: input.reason } }],
    };
  });
}
