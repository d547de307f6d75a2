import type { Case } from './case';
import type { CaseEvent } from './case-event';
import { normaliseMessageId } from './email/threading';
import type { OutboxMessage } from './outbox';

/**
 * Which items of the table belong to a case, and so carry its `expiresAt` once it is closed and
 * archived (M7.2 / C4.3: every record of the case is kept as long as the case, and no longer).
 * - its partition: the case item, its timeline (the audit chain), outbox and escalation records
 *   (the adapter reads them all with one paginated Query);
 * - its reference item;
 * - the Message-ID links of its thread: the Message-ID of every customer message that opened or
 *   replied on it, and the id SES gave every message caseflow sent for it (deliver-outbox.ts).
 * Inbound records (INBOUND#<key>) are not derivable: their key hashes the message's content, which
 * no event keeps (docs/retention.md says what is left).
 */
export interface CaseItems {
  caseId: string;
  reference: string;
  /** Normalised, as the links are written (messageIdPk hashes them). */
  messageIds: string[];
}

export function itemsOfCase(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): CaseItems {
  const ids = new Set<string>();
  const add = (value: string | undefined) => {
    const id = value === undefined ? undefined : normaliseMessageId(value);
    if (id) ids.add(id);
  };
  for (const e of timeline) {
    switch (e.type) {
      case 'case_received':
        add(e.data.email?.messageId);
        break;
      case 'customer_replied':
      case 'acknowledgement_sent':
      case 'reply_sent':
      case 'notification_sent':
      case 'agent_replied':
        add(e.data.messageId);
        break;
      default:
        break;
    }
  }
  for (const m of outbox) add(m.messageId);
  return { caseId: c.caseId, reference: c.reference, messageIds: [...ids].sort() };
}

/**
 * The retention trigger (the retention contract's order: no TTL before the archive exists): a case
 * is stamped when a change records its archive, i.e. the case is closed and has `archive` while the
 * version before had none.
 */
export function archivedJustNow(before: Case | undefined, after: Case): boolean {
  return after.status === 'closed' && after.archive !== undefined && after.expiresAt !== undefined && before?.archive === undefined;
}

/** Whether a closed, archived case has items that do not carry its `expiresAt` yet (for a reconciler). */
export function needsStamping(c: Case, items: readonly { expiresAt?: unknown }[]): boolean {
  if (c.status !== 'closed' || c.archive === undefined || c.expiresAt === undefined) return false;
  return items.some((i) => i.expiresAt !== c.expiresAt);
}
