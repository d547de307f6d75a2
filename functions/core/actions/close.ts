import * as z from 'zod';
import { SYSTEM, type Case } from '../case';
import type { EventDraft } from '../case-event';
import { CaseStateError } from '../errors';
import { transition } from '../lifecycle';
import type { AnyRetentionPolicy } from '../retention-policy';
import { cleanLine } from '../text/normalise-text';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

export const CloseInputSchema = z.object({ reason: z.string().overwrite(cleanLine).trim().max(500, 'Reason must be at most 500 characters').optional() }).strict();

/** A resolved case closes: final, and the start of its retention period (M7.2, C4.3). */
export function closing(c: Case, at: Date, actor: ActionRequest['actor'], reason: string, retention?: AnyRetentionPolicy): { next: Case; drafts: EventDraft[] } {
  if (c.status !== 'resolved') {
    throw new CaseStateError(c.status === 'closed' ? `Case ${c.reference} is closed already` : `Case ${c.reference} is ${c.status.replace('_', ' ')}: resolve it before closing it`);
  }
  const { next, draft } = transition(c, 'closed', at, actor, reason, retention);
  const { autoCloseAt: _done, ...closed } = next;
  return { next: closed, drafts: [draft] };
}

/** Staff close a resolved case before its automatic closure. */
export function closeCase(caseId: string, input: z.infer<typeof CloseInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  // The current retention version at the moment of closing: its years give the expiry, its id goes on the case (M7.2, C4.3).
  return runCaseAction(caseId, deps, req, async (c, at) => closing(c, at, req.actor, input.reason ?? 'closed by staff', await deps.retention?.current()));
}

/** Whether a resolved case's automatic closure is due (the SLA workflow's timer). */
export const autoCloseDue = (c: Case, nowMs: number): boolean => c.status === 'resolved' && c.autoCloseAt !== undefined && Date.parse(c.autoCloseAt) <= nowMs;

/** The automatic closure: by the system, saying after how long. */
export const autoClosing = (c: Case, at: Date, retention?: AnyRetentionPolicy) => closing(c, at, SYSTEM, 'closed automatically: resolved, and the customer did not write again', retention);
