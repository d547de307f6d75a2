import type { Actor, CaseEvent, ComplaintChecklist, EmailMessageData, StoredAttachment } from '../api/types';
import { ACTOR_LABEL, CHANNEL_LABEL, formatCallLength, formatDate, formatDateTime, formatValue, MILESTONE_LABEL, PRIORITY_LABEL, STATUS_LABEL, TYPE_LABEL } from './format';

/**
 * One readable card per timeline event (functions/core/case-event.ts): what happened, who did it
 * in which role, and the words written (emails in and out, notes, call transcripts) as plain text
 * for the view to show as text. An event type this console does not know yet is still shown.
 */
export type EventTone = 'customer' | 'reply' | 'note' | 'call' | 'change' | 'system' | 'warning' | 'breach' | 'escalation' | 'resolution';

export interface EventView {
  seq: number;
  at: string;
  type: string;
  tone: EventTone;
  title: string;
  who: string;
  /** Written words (customer's, a reply, a note): shown as text, never as markup. */
  text?: string | undefined;
  subject?: string | undefined;
  /** A call's transcript, shown folded. */
  transcript?: string | undefined;
  details: { label: string; value: string }[];
  attachments: StoredAttachment[];
  problems: string[];
}

export interface TimelineContext {
  /** A staff member's name from their subject, when the directory is at hand. */
  staffName?: (id: string) => string | undefined;
  /** The case's opening message (the first event carries its email; web and phone cases the text alone). */
  opening?: { subject: string; message: string; customerName?: string | undefined };
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const obj = (v: unknown): Record<string, unknown> | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

const HOLD_BASIS_LABEL = {
  litigation: 'litigation',
  'regulatory-inquiry': 'regulatory inquiry',
  'complaint-investigation': 'complaint investigation',
  'law-enforcement': 'law enforcement',
  other: 'other',
} as const;

function label<T extends string>(labels: Readonly<Record<T, string>>, v: unknown): string {
  return typeof v === 'string' && v in labels ? labels[v as T] : formatValue(v);
}

/** "Ana Lopes (agent)", "Customer", "caseflow (automatic)". */
export function actorName(actor: Actor, ctx: TimelineContext = {}, customerName?: string): string {
  if (actor.kind === 'customer') return customerName ? `${customerName} (customer)` : 'Customer';
  if (actor.kind === 'system') return 'caseflow (automatic)';
  const name = actor.id ? (ctx.staffName?.(actor.id) ?? actor.id) : undefined;
  return name ? `${name} (${ACTOR_LABEL[actor.kind]})` : ACTOR_LABEL[actor.kind];
}

const staffLabel = (id: string | undefined, ctx: TimelineContext) => (id === undefined ? undefined : (ctx.staffName?.(id) ?? id));

function assigneeLabel(v: unknown, ctx: TimelineContext): string | undefined {
  const a = obj(v);
  if (!a) return undefined;
  return str(a.name) ?? staffLabel(str(a.id), ctx);
}

function emailOf(data: Record<string, unknown>): EmailMessageData | undefined {
  const subject = str(data.subject);
  if (subject === undefined) return undefined;
  return {
    subject,
    text: str(data.text),
    textCut: data.textCut === true,
    attachments: attachmentsOf(data.attachments),
    spam: data.spam === true,
    problems: Array.isArray(data.problems) ? data.problems.filter((p): p is string => typeof p === 'string') : [],
  };
}

function attachmentsOf(v: unknown): StoredAttachment[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap((a) => {
    const o = obj(a);
    const filename = str(o?.filename);
    const sha256 = str(o?.sha256);
    if (!o || filename === undefined || sha256 === undefined) return [];
    return [{ filename, sha256, contentType: str(o.contentType) ?? 'application/octet-stream', size: num(o.size) ?? 0, inline: o.inline === true }];
  });
}

/** The complaint checklist as lines: "Complaint heard: yes", "Follow-up: 2026-03-20, call back". */
export function checklistLines(c: ComplaintChecklist | Record<string, unknown> | undefined): { label: string; value: string }[] {
  const o = (c ?? {}) as Record<string, unknown>;
  const lines: { label: string; value: string }[] = [];
  const yes = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : undefined);
  const heard = yes(o.complaintHeard);
  if (heard) lines.push({ label: 'Complaint heard', value: heard });
  const empathy = yes(o.empathyShown);
  if (empathy) lines.push({ label: 'Empathy shown', value: empathy });
  if (str(o.solutionOffered)) lines.push({ label: 'Solution offered', value: str(o.solutionOffered) ?? '' });
  if (str(o.correctiveAction)) lines.push({ label: 'Corrective action', value: str(o.correctiveAction) ?? '' });
  const followUp = obj(o.followUp);
  if (followUp) lines.push({ label: 'Follow-up', value: `${formatDate(str(followUp.date) ?? '')}: ${str(followUp.plan) ?? ''}` });
  return lines;
}

export function describeEvent(e: CaseEvent, ctx: TimelineContext = {}): EventView {
  const d = e.data;
  const who = actorName(e.actor, ctx, ctx.opening?.customerName);
  const view: EventView = { seq: e.seq, at: e.at, type: e.type, tone: 'system', title: e.type.replace(/_/g, ' '), who, details: [], attachments: [], problems: [] };
  const detail = (l: string, v: string | undefined) => {
    if (v !== undefined && v !== '') view.details.push({ label: l, value: v });
  };
  const escalation = () => `${str(d.escalationId) ?? 'Escalation'} (level ${num(d.level) ?? '?'})`;

  switch (e.type) {
    case 'case_received': {
      const email = obj(d.email) ? emailOf(obj(d.email) ?? {}) : undefined;
      view.tone = 'customer';
      view.title = `${label(TYPE_LABEL, d.caseType)} received by ${label(CHANNEL_LABEL, d.channel).toLowerCase()}`;
      view.who = ctx.opening?.customerName ? `${ctx.opening.customerName} (customer)` : 'Customer';
      view.subject = email?.subject ?? ctx.opening?.subject;
      view.text = ctx.opening?.message ?? email?.text;
      view.attachments = email?.attachments ?? [];
      view.problems = email?.problems ?? [];
      if (email?.spam) view.problems.push('The mail service judged this message spam');
      detail('Why this type', str(d.typeReason));
      detail('Follows up case', str(d.relatedCaseId));
      break;
    }
    case 'customer_replied': {
      const email = emailOf(d);
      view.tone = 'customer';
      view.title = 'Customer replied by email';
      view.subject = email?.subject;
      view.text = email?.text;
      view.attachments = email?.attachments ?? [];
      view.problems = email?.problems ?? [];
      if (email?.textCut) view.problems.push('The message was longer than the record keeps; the raw message has it all');
      if (email?.spam) view.problems.push('The mail service judged this message spam');
      detail('Matched by', str(d.matchedBy));
      break;
    }
    case 'agent_replied':
      view.tone = 'reply';
      view.title = d.firstResponse === true ? 'Replied to the customer (first response)' : 'Replied to the customer';
      view.text = str(d.text);
      break;
    case 'reply_sent':
      view.title = 'Reply delivered to the mail service';
      detail('To', str(d.recipient));
      detail('Message-ID', str(d.messageId));
      break;
    case 'delivery_failed':
      view.tone = 'breach';
      view.title = 'An email to the customer could not be delivered';
      detail('Reason', str(d.reason));
      detail('Status', str(d.status));
      break;
    case 'acknowledgement_sent':
      view.title = 'Acknowledgement emailed to the customer';
      detail('To', str(d.recipient));
      detail('Template', str(d.template));
      break;
    case 'acknowledgement_suppressed':
      view.title = 'No acknowledgement emailed';
      detail('Why', str(d.reason));
      break;
    case 'acknowledged':
      view.tone = 'change';
      view.title = 'Acknowledged';
      break;
    case 'status_changed': {
      const resolution = obj(d.resolution);
      view.tone = resolution ? 'resolution' : 'change';
      view.title = `Status: ${label(STATUS_LABEL, d.from)} → ${label(STATUS_LABEL, d.to)}`;
      detail('Reason', str(d.reason));
      if (resolution) {
        view.title = d.to === 'resolved' ? 'Resolved' : view.title;
        view.text = str(resolution.summary);
        view.details.push(...checklistLines(obj(resolution.checklist)));
      }
      break;
    }
    case 'note_added':
      view.tone = 'note';
      view.title = 'Internal note';
      view.text = str(d.text);
      break;
    case 'call_logged': {
      const seconds = num(d.durationSeconds) ?? 0;
      view.tone = 'call';
      view.title = `${d.direction === 'outbound' ? 'Outbound' : 'Inbound'} call, ${formatCallLength(seconds)}${d.firstResponse === true ? ' (first response)' : ''}`;
      detail('Started', formatDateTime(str(d.startedAt)));
      view.text = str(d.summary);
      view.transcript = str(d.transcript);
      break;
    }
    case 'assignment_changed': {
      const to = assigneeLabel(d.to, ctx);
      const from = assigneeLabel(d.from, ctx);
      view.tone = 'change';
      view.title =
        d.how === 'claimed' ? `Claimed by ${to ?? 'someone'}` : d.how === 'unassigned' ? `Unassigned${from ? ` (was ${from})` : ''}` : d.how === 'returned' ? `Handed back to ${to ?? 'the representative'}` : `Assigned to ${to ?? 'someone'}${from ? ` (was ${from})` : ''}`;
      detail('Reason', str(d.reason));
      // The assignment guard's warn mode (C5.3): the assignee's required training had lapsed.
      detail('Training warning', str(obj(d.trainingWarning)?.message));
      break;
    }
    case 'type_changed':
      view.tone = 'change';
      view.title = `Reclassified: ${label(TYPE_LABEL, d.from)} → ${label(TYPE_LABEL, d.to)}`;
      detail('Reason', str(d.reason));
      detail('Escalation due', formatDateTime(str(d.escalationDueAt)));
      break;
    case 'priority_changed':
      view.tone = 'change';
      view.title = `Priority: ${label(PRIORITY_LABEL, d.from)} → ${label(PRIORITY_LABEL, d.to)}`;
      detail('Reason', str(d.reason));
      break;
    case 'checklist_updated':
      view.tone = 'change';
      view.title = 'Complaint checklist updated';
      view.details.push(...checklistLines(obj(d.checklist)));
      break;
    case 'customer_updated': {
      const fields = Array.isArray(d.fields) ? d.fields.filter((f): f is string => typeof f === 'string') : [];
      view.tone = 'change';
      view.title = `Customer's ${fields.join(', ') || 'details'} corrected`;
      detail('Reason', str(d.reason));
      const customer = e.changes?.customer;
      if (customer) {
        const before = obj(customer.before) ?? {};
        const after = obj(customer.after) ?? {};
        for (const f of fields) detail(f.charAt(0).toUpperCase() + f.slice(1), `${formatValue(before[f])} → ${formatValue(after[f])}`);
      }
      break;
    }
    case 'contact_access_granted':
      view.tone = 'change';
      view.title = `Contact details shown to ${staffLabel(str(d.staffId), ctx) ?? 'a feedback-team member'}`;
      detail('Until', formatDateTime(str(d.expiresAt)));
      detail('Reason', str(d.reason));
      break;
    case 'case_archived':
      view.title = 'Case archived for the retention period';
      detail('Retained until', str(d.retainUntil));
      detail('Archive checksum (SHA-256)', str(d.sha256));
      break;
    case 'contact_access_revoked':
      view.tone = 'change';
      view.title = `Contact-detail grant of ${staffLabel(str(d.staffId), ctx) ?? 'a feedback-team member'} ended`;
      detail('Reason', str(d.reason));
      break;
    case 'sla_warning':
      view.tone = 'warning';
      view.title = `Warning: ${label(MILESTONE_LABEL, d.milestone)} due soon`;
      detail('Due', formatDateTime(str(d.dueAt)));
      detail('Notified', str(d.notify));
      break;
    case 'sla_breached':
      view.tone = 'breach';
      view.title = `SLA breached: ${label(MILESTONE_LABEL, d.milestone)}`;
      detail('Was due', formatDateTime(str(d.dueAt)));
      detail('Detected', formatDateTime(str(d.detectedAt)));
      detail('Notified', str(d.notify));
      break;
    case 'sla_policy_migrated': {
      // An admin moved the open case to another SLA policy version (M8.3): never silently.
      const due = (v: unknown, key: string) => (v && typeof v === 'object' ? formatDateTime(str((v as Record<string, unknown>)[key])) : undefined);
      view.tone = 'change';
      view.title = `SLA policy changed from ${str(d.fromVersion) ?? '?'} to ${str(d.toVersion) ?? '?'}`;
      view.text = str(d.reason);
      detail('Acknowledgement due', `${due(d.before, 'acknowledgementDueAt') || '–'} → ${due(d.after, 'acknowledgementDueAt') || '–'}`);
      detail('Initial assistance due', `${due(d.before, 'initialResponseDueAt') || '–'} → ${due(d.after, 'initialResponseDueAt') || '–'}`);
      detail('Migration', str(d.migrationId));
      break;
    }
    case 'escalated':
      view.tone = 'escalation';
      view.title = `Escalated to level ${num(d.level) ?? '?'} (${d.trigger === 'automatic' ? 'automatically' : 'by hand'}): ${str(d.escalationId) ?? ''}`;
      view.text = str(d.reason);
      detail('Responsible', str(d.responsibleParty));
      detail('From', str(d.escalatedFrom));
      detail('Respond by', formatDateTime(str(d.respondBy)));
      break;
    case 'escalation_acknowledged':
      view.tone = 'escalation';
      view.title = `${escalation()} accepted`;
      view.text = str(d.actionsTaken);
      break;
    case 'escalation_action_recorded':
      view.tone = 'escalation';
      view.title = `Action on ${escalation()}`;
      view.text = str(d.action);
      break;
    case 'escalation_resolved':
      view.tone = 'escalation';
      view.title = `${escalation()} resolved`;
      view.text = str(d.outcome);
      break;
    case 'deescalated':
      view.tone = 'escalation';
      view.title = `${escalation()} handed back${str(d.returnedTo) ? ` to ${str(d.returnedTo)}` : ''}`;
      view.text = str(d.reason);
      break;
    case 'notification_sent':
      view.title = `Notification emailed (${str(d.template) ?? 'notice'})`;
      detail('To', str(d.recipient));
      break;
    case 'privacy_access_exported':
      view.title = 'Exported to the customer’s GDPR access request';
      detail('Request', str(d.requestId));
      break;
    case 'follow_up_recorded':
      view.tone = 'change';
      view.title = `Complaint follow-up recorded (due ${str(d.date) ?? '?'}): ${d.satisfied === true ? 'customer satisfied' : 'customer not satisfied'}`;
      view.text = str(d.outcome);
      detail('Next follow-up', str(obj(d.next)?.date));
      break;
    case 'legal_hold_placed':
    case 'legal_hold_released':
      view.tone = 'change';
      view.title = `${e.type === 'legal_hold_placed' ? 'Legal hold placed' : 'Legal hold released'} (${label(HOLD_BASIS_LABEL, d.basis)})`;
      view.text = str(d.note);
      detail('Matter', str(d.matter));
      break;
    case 'survey_sent':
      view.title = 'Satisfaction survey issued to the customer (its email goes through the outbox)';
      detail('Link valid until', str(d.expiresAt));
      break;
    case 'survey_reminded':
      view.title = 'Satisfaction survey reminder issued';
      break;
    case 'survey_answered':
      view.tone = 'customer';
      view.title = `${d.updated === true ? 'Survey answer changed' : 'Survey answered'}: rated ${String(d.rating)} of 5, issue ${d.solved === true ? 'solved' : 'not solved'}`;
      view.text = str(d.comment);
      break;
    case 'quality_review_scored':
      view.title = `Quality review ${d.rescored === true ? 'scored again' : 'scored'}: ${typeof d.overall === 'number' ? d.overall.toFixed(2) : '?'} of 4, ${d.failed === true ? 'failed' : 'passed'} (reply by ${str(d.staffId) ?? 'unknown'})`;
      detail('Review', str(d.reviewId));
      detail('Non-compliance record', str(d.nonComplianceId));
      break;
    case 'personal_data_erased':
      view.tone = 'change';
      view.title = 'The customer’s personal data was erased (GDPR erasure request)';
      detail('Request', str(d.requestId));
      break;
    default:
      for (const [k, v] of Object.entries(d)) detail(k, formatValue(v));
  }
  return view;
}
