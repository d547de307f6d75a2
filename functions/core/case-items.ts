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
 * The expiry every item of the case should carry in the TTL attribute: the case's `expiresAt` once
 * it is closed and its archive recorded (the retention contract's order: no TTL before the archive
 * exists), and none while a legal hold stands (M5.1, C6.1: held data is not deleted, by erasure or
 * by retention; the release gives the expiry back). Open cases never expire.
 */
export function itemExpiryOf(c: Case): number | undefined {
  return c.status === 'closed' && c.archive !== undefined && c.expiresAt !== undefined && c.legalHold === undefined ? c.expiresAt : undefined;
}

/**
 * The retention trigger: a change that moves the items' expiry — the archive recorded on a closed
 * case, a legal hold placed on an archived case or released — has every item restamped.
 */
export function itemExpiryChanged(before: Case | undefined, after: Case): boolean {
  return (before === undefined ? undefined : itemExpiryOf(before)) !== itemExpiryOf(after);
}

/** Whether a closed, archived case has items whose expiry is not the one they should carry (for a reconciler). */
export function needsStamping(c: Case, items: readonly { expiresAt?: unknown }[]): boolean {
  if (c.status !== 'closed' || c.archive === undefined || c.expiresAt === undefined) return false;
  const expiry = itemExpiryOf(c);
  return items.some((i) => i.expiresAt !== expiry);
}
