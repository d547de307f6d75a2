import type { CaseRecord } from '../api/types';
import { isOpen } from './format';
import { caseActorKind, escalationReach, readsAudit, supervises, worksCases, type Session } from './roles';

/**
 * Which actions the console offers on a case, from its status, type, escalation and assignee and
 * the person's roles (docs/staff-api.md, docs/roles.md, the guards of functions/core/actions).
 * An action the case's state or the role forbids is not offered; the server stays the judge (a
 * 403 or 409 is still shown if the case moved on meanwhile).
 */
export const CASE_ACTIONS = [
  'acknowledge',
  'claim',
  'assign',
  'unassign',
  'reclassify',
  'priority',
  'reply',
  'replyAndWait',
  'note',
  'call',
  'pendingOn',
  'pendingOff',
  'escalate',
  'escalateFurther',
  'acceptEscalation',
  'recordEscalationAction',
  'resolveEscalation',
  'deescalate',
  'checklist',
  'resolve',
  'close',
  'reopen',
  'correctCustomer',
  'grantContact',
  'revokeContact',
  'viewAudit',
  'followUp',
] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

type CaseState = Pick<CaseRecord, 'status' | 'type' | 'escalation' | 'assignee' | 'customer' | 'acknowledgedAt' | 'contactAccess'> & Partial<Pick<CaseRecord, 'followUp'>>;

/**
 * Whether caseflow can email the address (core/email-address.ts `canSendTo`): Amazon SES does not
 * take SMTPUTF8, so the part before the @ must be printable ASCII; an internationalised domain is
 * fine (sent as Punycode). The server checked the address itself when it took it in.
 */
export const canSendTo = (address: string): boolean => /^[\x21-\x7e]+@/.test(address);

/** The highest escalation level of the policy (core/sla-policy.ts, policy 2026-11), when the settings are not at hand. */
export const DEFAULT_MAX_ESCALATION_LEVEL = 2;

export function availableActions(c: CaseState, s: Session, opts: { maxEscalationLevel?: number; nowMs?: number } = {}): Set<CaseAction> {
  const offered = new Set<CaseAction>();
  const add = (action: CaseAction, when: boolean) => {
    if (when) offered.add(action);
  };
  if (readsAudit(s)) offered.add('viewAudit');
  if (!worksCases(s)) return offered;

  const open = isOpen(c.status);
  const closed = c.status === 'closed';
  const supervisor = supervises(s);
  const esc = c.escalation && !c.escalation.endedAt ? c.escalation : undefined;
  // Only the escalated party, or a role above them, acts on an escalation (M3.3).
  const mayActOnEscalation = esc !== undefined && (caseActorKind(s) === 'manager' || escalationReach(s) >= Math.max(1, esc.level));
  const withheld = c.customer.contactDetails === 'withheld';
  const maxLevel = opts.maxEscalationLevel ?? DEFAULT_MAX_ESCALATION_LEVEL;

  add('acknowledge', open && !c.acknowledgedAt);
  add('claim', open && !c.assignee);
  add('assign', open && supervisor);
  add('unassign', open && c.assignee !== undefined && (c.assignee.id === s.sub || supervisor));
  // A complaint becomes an inquiry by a supervisor's decision only (it drops the escalation deadline, M3.2).
  add('reclassify', open && (c.type === 'inquiry' || supervisor));
  add('priority', open);
  // The customer is emailed: they must have an address (a caller may have given a phone number alone) that mail can go to.
  const mailable = !withheld && c.customer.email !== undefined && canSendTo(c.customer.email);
  add('reply', !closed && mailable);
  add('replyAndWait', open && mailable);
  add('note', !closed);
  add('call', !closed);
  add('pendingOn', open && c.status !== 'pending_customer');
  add('pendingOff', c.status === 'pending_customer');
  add('escalate', open && !esc);
  add('escalateFurther', open && esc !== undefined && mayActOnEscalation && esc.level < maxLevel);
  add('acceptEscalation', supervisor && esc !== undefined && mayActOnEscalation && !esc.acknowledgedAt);
  add('recordEscalationAction', supervisor && esc !== undefined && mayActOnEscalation);
  add('resolveEscalation', open && supervisor && esc !== undefined && mayActOnEscalation);
  add('deescalate', open && supervisor && esc !== undefined && mayActOnEscalation);
  add('checklist', open && c.type === 'complaint');
  // An escalated case is resolved by the escalated party (or above), which ends the escalation.
  add('resolve', open && (!esc || mayActOnEscalation));
  add('close', c.status === 'resolved');
  add('reopen', c.status === 'resolved');
  add('correctCustomer', !closed && !withheld);
  add('grantContact', supervisor && !closed);
  const now = opts.nowMs ?? Date.now();
  add('revokeContact', supervisor && (c.contactAccess ?? []).some((g) => Date.parse(g.expiresAt) > now));
  // A complaint's pending follow-up (M3.2), resolved, closed or reopened: the agent it is for or who holds the case, or a supervisor.
  const followUp = c.followUp?.state === 'pending' ? c.followUp : undefined;
  add('followUp', c.type === 'complaint' && followUp !== undefined && (supervisor || followUp.responsible === s.sub || c.assignee?.id === s.sub));
  return offered;
}
