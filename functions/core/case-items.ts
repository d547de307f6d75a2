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
 * - the inbound records of the messages on its timeline (INBOUND#<key>: the key each email event
 *   keeps; events written before it was kept have none, docs/retention.md).
 */
export interface CaseItems {
  caseId: string;
  reference: string;
  /** Normalised, as the links are written (messageIdPk hashes them). */
  messageIds: string[];
  /** The inbound records' keys (inboundPk). */
  inboundKeys: string[];
}

export function itemsOfCase(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): CaseItems {
  const ids = new Set<string>();
  const inbound = new Set<string>();
  const add = (value: string | undefined) => {
    const id = value === undefined ? undefined : normaliseMessageId(value);
    if (id) ids.add(id);
  };
  for (const e of timeline) {
    switch (e.type) {
      case 'case_received':
        add(e.data.email?.messageId);
        if (e.data.email?.inboundKey) inbound.add(e.data.email.inboundKey);
        break;
      case 'customer_replied':
        add(e.data.messageId);
        if (e.data.inboundKey) inbound.add(e.data.inboundKey);
        break;
      case 'delivery_failed':
        if (e.data.inboundKey) inbound.add(e.data.inboundKey);
        break;
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
  return { caseId: c.caseId, reference: c.reference, messageIds: [...ids].sort(), inboundKeys: [...inbound].sort() };
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
