import { isOpen, type Actor, type Case } from '../case';
import { CaseStateError, ForbiddenError } from '../errors';
import { escalationPartyName, isEscalationActive, mayActOnEscalation } from '../escalation';

/** Refuses an action on a case that is not open (resolved or closed), saying what would allow it. */
export function assertOpen(c: Case, action: string): void {
  if (isOpen(c.status)) return;
  throw new CaseStateError(
    c.status === 'closed'
      ? `Case ${c.reference} is closed, which is final: it cannot be ${action}. If the customer writes again, their message opens a follow-up case`
      : `Case ${c.reference} is resolved: it cannot be ${action} unless it is reopened first`,
  );
}

/** Refuses anything on a closed case but reading it (M7.2: closure is final, retention runs from it). */
export function assertNotClosed(c: Case, action: string): void {
  if (c.status === 'closed') throw new CaseStateError(`Case ${c.reference} is closed, which is final: it cannot be ${action}`);
}

/** The case's active escalation, or a 409 saying there is none. */
export function activeEscalation(c: Case): NonNullable<Case['escalation']> {
  if (!c.escalation || !isEscalationActive(c)) {
    throw new CaseStateError(c.escalation ? `The last escalation of ${c.reference} has ended (${c.escalation.ending ?? 'ended'}); there is none to act on` : `Case ${c.reference} is not escalated`);
  }
  return c.escalation;
}

/** Only the escalated party, or a role above them, acts on an escalation (M3.3). */
export function assertMayActOnEscalation(actor: Actor, level: number, action: string): void {
  if (!mayActOnEscalation(actor, level)) {
    throw new ForbiddenError(`This case is escalated to ${escalationPartyName(level)} (level ${level}): only they, or a role above them, may ${action} it`);
  }
}
