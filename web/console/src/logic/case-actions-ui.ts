import type { CaseAction } from './actions';

/**
 * How each action is offered on the case view: its button's name (the accessible names the
 * browser tests use), and whether the button does it at once or opens a form first.
 */
export type ActionForm = 'assign' | 'reclassify' | 'priority' | 'reply' | 'note' | 'call' | 'escalate' | 'recordEscalationAction' | 'resolveEscalation' | 'deescalate' | 'checklist' | 'resolve' | 'close' | 'reopen' | 'correctCustomer' | 'grantContact' | 'revokeContact' | 'followUp';

export interface ActionButton {
  action: CaseAction;
  label: string;
  /** The form it opens; none: the button acts at once. */
  form?: ActionForm;
}

/** In the order of a case's life: take it, talk to the customer, change it, escalate, finish. */
export const ACTION_BUTTONS: readonly ActionButton[] = [
  { action: 'claim', label: 'Claim' },
  { action: 'acknowledge', label: 'Acknowledge' },
  { action: 'reply', label: 'Reply', form: 'reply' },
  { action: 'note', label: 'Add note', form: 'note' },
  { action: 'call', label: 'Log call', form: 'call' },
  { action: 'assign', label: 'Assign', form: 'assign' },
  { action: 'unassign', label: 'Unassign' },
  { action: 'reclassify', label: 'Change type', form: 'reclassify' },
  { action: 'priority', label: 'Change priority', form: 'priority' },
  { action: 'pendingOn', label: 'Wait for customer' },
  { action: 'pendingOff', label: 'Stop waiting' },
  { action: 'escalate', label: 'Escalate', form: 'escalate' },
  { action: 'escalateFurther', label: 'Escalate', form: 'escalate' },
  { action: 'acceptEscalation', label: 'Accept escalation' },
  { action: 'recordEscalationAction', label: 'Record action', form: 'recordEscalationAction' },
  { action: 'resolveEscalation', label: 'Resolve escalation', form: 'resolveEscalation' },
  { action: 'deescalate', label: 'De-escalate', form: 'deescalate' },
  { action: 'checklist', label: 'Checklist', form: 'checklist' },
  { action: 'resolve', label: 'Resolve', form: 'resolve' },
  { action: 'close', label: 'Close case', form: 'close' },
  { action: 'reopen', label: 'Reopen', form: 'reopen' },
  { action: 'correctCustomer', label: 'Correct customer details', form: 'correctCustomer' },
  { action: 'grantContact', label: 'Grant contact details', form: 'grantContact' },
  { action: 'revokeContact', label: 'Revoke contact details', form: 'revokeContact' },
  { action: 'followUp', label: 'Follow-up', form: 'followUp' },
];

/** The buttons for the actions offered, each once ("Escalate" and "Escalate further" are one button). */
export function buttonsFor(offered: ReadonlySet<CaseAction>): ActionButton[] {
  const seen = new Set<string>();
  return ACTION_BUTTONS.filter((b) => {
    if (!offered.has(b.action) || seen.has(b.label)) return false;
    seen.add(b.label);
    return true;
  });
}
