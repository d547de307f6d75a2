import type { CaseEventType } from './case-event';

/**
 * Where personal data sits in a timeline event (M5.1, C6.1): paths into the event, dotted. An
 * erasure removes exactly these; the event hash commits to them through a salted digest (audit-
 * chain.ts), so an erased event still verifies. Free text staff write (notes, reasons, summaries,
 * escalation actions and outcomes) is listed too: staff write customers' details into it. What is
 * left is the non-personal record the audit needs: types, dates, channels, SLA outcomes, who
 * handled what, escalation levels and deadlines.
 */
export const PERSONAL_EVENT_FIELDS: { readonly [T in CaseEventType]: readonly string[] } = {
  case_received: ['data.email.messageId', 'data.email.subject', 'data.email.text', 'data.email.attachments', 'data.email.problems', 'data.typeReason'],
  customer_replied: ['data.messageId', 'data.subject', 'data.text', 'data.attachments', 'data.problems'],
  delivery_failed: ['data.originalMessageId', 'data.reason'],
  acknowledgement_suppressed: [],
  acknowledgement_sent: ['data.recipient'],
  status_changed: ['data.reason', 'data.resolution.summary'],
  agent_replied: ['data.text'],
  reply_sent: ['data.recipient'],
  acknowledged: [],
  note_added: ['data.text'],
  call_logged: ['data.transcript', 'data.summary'],
  assignment_changed: ['data.reason'],
  type_changed: ['data.reason'],
  priority_changed: ['data.reason'],
  checklist_updated: ['data.checklist.solutionOffered', 'data.checklist.correctiveAction', 'data.checklist.followUp.plan'],
  contact_access_revoked: ['data.reason'],
  customer_updated: ['data.reason'],
  contact_access_granted: ['data.reason'],
  sla_warning: [],
  sla_breached: [],
  // The reason is an admin's free text (the migration's record keeps it too).
  sla_policy_migrated: ['data.reason'],
  escalated: ['data.reason'],
  escalation_acknowledged: ['data.actionsTaken'],
  escalation_action_recorded: ['data.action'],
  escalation_resolved: ['data.outcome'],
  deescalated: ['data.reason'],
  case_archived: [],
  notification_sent: [],
  privacy_access_exported: [],
  follow_up_recorded: ['data.outcome'],
  legal_hold_placed: ['data.note'],
  legal_hold_released: ['data.note'],
  personal_data_erased: [],
  survey_sent: [],
  survey_reminded: [],
  survey_answered: ['data.comment'],
  quality_review_scored: [],
};

/** Fields of the case whose before/after values an event's `changes` may carry, and that are personal. */
export const PERSONAL_CASE_FIELDS = ['customer', 'subject', 'message', 'orderReference', 'resolution', 'contactAccess', 'complaintChecklist'] as const;

/** What an erased string, list or object becomes: still the type the schema asks for. */
export const ERASED = '[erased]';

/** Every personal path of an event: its type's fields, and the personal case fields its `changes` carry. */
export function personalPathsOf(event: { type: CaseEventType; changes?: Record<string, unknown> | undefined }): string[] {
  const paths = [...PERSONAL_EVENT_FIELDS[event.type]];
  for (const field of PERSONAL_CASE_FIELDS) if (event.changes && field in event.changes) paths.push(`changes.${field}`);
  return paths;
}

type Json = Record<string, unknown>;

function parentOf(root: Json, path: string): { parent: Json; key: string } | undefined {
  const parts = path.split('.');
  let node: unknown = root;
  for (const part of parts.slice(0, -1)) {
    if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
    node = (node as Json)[part];
  }
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  return { parent: node as Json, key: parts.at(-1) ?? '' };
}

/** The values at `paths` that are present, by path (absent paths are left out). */
export function pick(root: Json, paths: readonly string[]): Json {
  const out: Json = {};
  for (const path of paths) {
    const at = parentOf(root, path);
    if (at && at.key in at.parent && at.parent[at.key] !== undefined) out[path] = at.parent[at.key];
  }
  return out;
}

/**
 * `root` with `paths` removed (or, with `placeholder`, each present value replaced by one of its own
 * shape), as a new object: the objects on a path to a changed value are copied, everything else is
 * shared with `root` (treat the result as read-only, as every caller does: it is hashed, stored or
 * exported). Copying only the paths, not the whole event, keeps hashing and exporting a timeline cheap.
 */
export function without(root: Json, paths: readonly string[], placeholder = false): Json {
  const copy: Json = { ...root };
  for (const path of paths) {
    const parts = path.split('.');
    const key = parts.pop() ?? '';
    let parent: Json | undefined = copy;
    for (const part of parts) {
      const child: unknown = parent[part];
      if (!child || typeof child !== 'object' || Array.isArray(child)) {
        parent = undefined;
        break;
      }
      const own: Json = { ...(child as Json) };
      parent[part] = own;
      parent = own;
    }
    if (!parent || !(key in parent)) continue;
    if (!placeholder) delete parent[key];
    else parent[key] = erasedValue(parent[key]);
  }
  return copy;
}

function erasedValue(value: unknown): unknown {
  if (Array.isArray(value)) return [];
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).map((k) => [k, ERASED]));
  return ERASED;
}

/** Whether every personal value an erased event still has is a placeholder (an erased event can hide nothing there). */
export function onlyPlaceholders(root: Json, paths: readonly string[]): boolean {
  return Object.values(pick(root, paths)).every(
    (v) => v === ERASED || (Array.isArray(v) && v.length === 0) || (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => x === ERASED)),
  );
}
