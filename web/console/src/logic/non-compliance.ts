import type { CorrectiveActionType, NonComplianceRecord, NonComplianceStatus } from '../api/types';

/**
 * The non-compliance screen's rules (C8.1–C8.3; docs/non-compliance.md): how a record's cause and
 * status read, how long is left of its 7-day corrective-action window, which records need
 * something done first, and what the forms must hold before they are sent.
 */

export const CORRECTIVE_ACTION_LABELS: Readonly<Record<CorrectiveActionType, string>> = {
  retraining: 'Retraining',
  additional_oversight: 'Additional oversight',
  revised_responsibilities: 'Revised responsibilities',
  process_change: 'Process change',
};

export const STATUS_LABELS: Readonly<Record<NonComplianceStatus, string>> = {
  open: 'Open: corrective action due',
  overdue: 'Overdue: management told',
  action_recorded: 'Action recorded: awaiting sign-off',
  closed: 'Signed off',
};

const MILESTONES: Readonly<Record<string, string>> = { acknowledgement: 'acknowledgement', initial_response: 'initial response', escalation: 'escalation' };

/** "SLA breach: acknowledgement deadline missed", or the reporter's words. */
export function causeLabel(r: Pick<NonComplianceRecord, 'cause'>): string {
  if (r.cause.kind === 'sla_breach') return `SLA breach: ${MILESTONES[r.cause.milestone] ?? r.cause.milestone} deadline missed`;
  if (r.cause.kind === 'quality_review') return `Failed quality review: overall ${r.cause.overall.toFixed(2)} of 4`;
  return `Reported: ${r.cause.description}`;
}

/** How the deadline stands: "due in 2 days 4 h", "due in 3 h", "missed 1 day ago"; nothing once an action is recorded. */
export function deadlineLabel(r: Pick<NonComplianceRecord, 'status' | 'correctiveActionDueAt'>, nowMs: number): string | undefined {
  if (r.status === 'action_recorded' || r.status === 'closed') return undefined;
  const left = Date.parse(r.correctiveActionDueAt) - nowMs;
  const span = (ms: number) => {
    const hours = Math.floor(ms / 3_600_000);
    const days = Math.floor(hours / 24);
    return days > 0 ? `${days} day${days === 1 ? '' : 's'}${hours % 24 ? ` ${hours % 24} h` : ''}` : hours > 0 ? `${hours} h` : `${Math.max(1, Math.floor(ms / 60_000))} min`;
  };
  return left > 0 ? `due in ${span(left)}` : `missed ${span(-left)} ago`;
}

const ORDER: Readonly<Record<NonComplianceStatus, number>> = { overdue: 0, open: 1, action_recorded: 2, closed: 3 };

/** What needs doing first: overdue, then open by deadline, then awaiting sign-off, then closed; ties oldest first. */
export function byUrgency(records: readonly NonComplianceRecord[]): NonComplianceRecord[] {
  return [...records].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.correctiveActionDueAt.localeCompare(b.correctiveActionDueAt) || a.openedAt.localeCompare(b.openedAt));
}

export interface ActionDraft {
  type: CorrectiveActionType | '';
  description: string;
  evidence: string;
}

/** The problems of a corrective-action draft, by field (the API's own rules: C8.2 needs the type and its evidence). */
export function actionProblems(d: ActionDraft): Partial<Record<keyof ActionDraft, string>> {
  const problems: Partial<Record<keyof ActionDraft, string>> = {};
  if (d.type === '') problems.type = 'Choose the kind of corrective action';
  if (d.description.trim() === '') problems.description = 'Say what was done';
  else if (d.description.length > 2000) problems.description = 'At most 2,000 characters';
  if (d.evidence.trim() === '') problems.evidence = 'Give the evidence: a training record, a rota, the revised procedure';
  else if (d.evidence.length > 2000) problems.evidence = 'At most 2,000 characters';
  return problems;
}

/** The problems of a report of non-compliance. */
export function reportProblems(d: { description: string; staffId: string; caseId: string }): Partial<Record<'description' | 'staffId' | 'caseId', string>> {
  const problems: Partial<Record<'description' | 'staffId' | 'caseId', string>> = {};
  if (d.description.trim() === '') problems.description = 'Say what was not done as the protocol asks';
  else if (d.description.length > 2000) problems.description = 'At most 2,000 characters';
  if (d.staffId.trim() !== '' && !/^[A-Za-z0-9._@-]{1,128}$/.test(d.staffId.trim())) problems.staffId = 'A staff id: letters, digits and . _ @ -';
  if (d.caseId.trim() !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(d.caseId.trim())) problems.caseId = 'A case id (as in the case’s address)';
  return problems;
}

/** Whether this person may sign the record off: a supervisor, never about themself, once an action is recorded. */
export const maySignOff = (r: Pick<NonComplianceRecord, 'status' | 'staffId' | 'correctiveActions'>, me: string) => r.status !== 'closed' && r.correctiveActions.length > 0 && r.staffId !== me;
