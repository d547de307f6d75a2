import type { InboundRecord, MessageIdLink, QuarantineRecord } from '../../core/email/ports';
import type { EscalationRecord } from '../../core/escalation';
import type { OutboxMessage } from '../../core/outbox';
import type { AckLogWrite } from '../../core/ports';
import { ACK_LOG_SK, ackLogPk, casePk, escalationSk, INBOUND_SK, inboundPk, MESSAGE_ID_SK, messageIdPk, outboxSk, QUARANTINE_PK, quarantineSk } from './keys';
import type { Item } from './transaction';

/** The items of the single table other than the case and its events (keys.ts): their keys and attributes. */

export const outboxItem = (m: OutboxMessage): Item => ({ PK: casePk(m.caseId), SK: outboxSk(m.id), entity: 'outbox', ...m });

export const escalationItem = (e: EscalationRecord): Item => ({ PK: casePk(e.caseId), SK: escalationSk(e.number ?? e.level), entity: 'escalation', ...e });

export const inboundItem = (r: InboundRecord): Item => ({ PK: inboundPk(r.key), SK: INBOUND_SK, entity: 'inbound', ...r });

export const messageIdItem = (l: MessageIdLink): Item => ({ PK: messageIdPk(l.messageId), SK: MESSAGE_ID_SK, entity: 'message_id', caseId: l.caseId });

export const ackLogItem = (w: AckLogWrite): Item => ({ PK: ackLogPk(w.recipientHash), SK: ACK_LOG_SK, entity: 'ack_log', sentAt: w.next, expiresAt: w.expiresAt });

export const quarantineItem = (r: QuarantineRecord): Item => ({ PK: QUARANTINE_PK, SK: quarantineSk(r.rawObjectKey), entity: 'quarantine', ...r });

const INBOUND_FIELDS = ['key', 'rawObjectKey', 'receivedAt', 'kind', 'reason', 'outcome', 'caseId'] as const;

export function toInbound(item: Item): InboundRecord {
  const out: Record<string, unknown> = {};
  for (const f of INBOUND_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as InboundRecord;
}

/** An acknowledgement log item's send times; undefined when there is no item. */
export const sentAtOf = (item: Item | undefined): number[] | undefined =>
  item === undefined ? undefined : Array.isArray(item.sentAt) ? item.sentAt.filter((t): t is number => typeof t === 'number') : [];
