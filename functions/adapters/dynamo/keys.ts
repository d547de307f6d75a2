import { createHash } from 'node:crypto';
import { isOpen, type Case, type CaseStatus, type CaseType } from '../../core/case';
import type { CaseEvent } from '../../core/case-event';
import { nextDeadline } from '../../core/sla-policy';
import { GLOBAL_INDEXES } from '../table-design';

/** The name of the index keyed by this partition attribute, as the table design defines it (one place for both). */
function indexName(partitionKey: (typeof GLOBAL_INDEXES)[number]['partitionKey']): string {
  const found = GLOBAL_INDEXES.find((g) => g.partitionKey === partitionKey);
  if (!found) throw new Error(`no index on ${partitionKey}`);
  return found.indexName;
}

/**
 * The single-table key design (docs/data-model.md has every access pattern).
 * Keys carry ids, statuses and times, never personal data: the customer index keys on a hash.
 */
export const INDEX = {
  byStatus: indexName('GSI1PK'),
  openByDue: indexName('GSI2PK'),
  byCustomer: indexName('GSI3PK'),
  byDay: indexName('GSI4PK'),
} as const;

export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';
export const eventSk = (seq: number) => `EVT#${String(seq).padStart(8, '0')}`;
export const EVENT_PREFIX = 'EVT#';
export const outboxSk = (messageId: string) => `OUTBOX#${messageId}`;
export const escalationSk = (level: number) => `ESC#${String(level).padStart(2, '0')}`;
export const ESCALATION_PREFIX = 'ESC#';
export const referencePk = (reference: string) => `REF#${reference}`;
export const REFERENCE_SK = 'REF';
export const idempotencyPk = (scope: string, key: string) =>
  `IDEMP#${scope}#${createHash('sha256').update(key).digest('base64url')}`;
export const IDEMPOTENCY_SK = 'IDEMP';

export const listPartition = (status: CaseStatus, type: CaseType) => `LIST#${status}#${type}`;
export const customerPartition = (email: string) =>
  `CUST#${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
/** A caller who gave no email address is found by their phone number (digits only, hashed). */
export const phonePartition = (phone: string) => `CUST#tel:${createHash('sha256').update(phone.replace(/[^0-9+]/g, '')).digest('hex')}`;
const customerKey = (c: Case['customer']) => (c.email !== undefined ? customerPartition(c.email) : phonePartition(c.phone ?? ''));
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

export function caseItem(c: Case): Record<string, unknown> {
  const open = isOpen(c.status);
  return {
    PK: casePk(c.caseId),
    SK: CASE_SK,
    entity: 'case',
    ...c,
    GSI1PK: listPartition(c.status, c.type),
    GSI1SK: `${c.receivedAt}#${c.caseId}`,
    ...(open ? { GSI2PK: `OPEN#${c.status}`, GSI2SK: `${nextDeadline(c) ?? NO_DEADLINE}#${c.caseId}` } : {}),
    GSI3PK: customerKey(c.customer),
    GSI3SK: `${c.receivedAt}#${c.caseId}`,
    GSI4PK: `DAY#${c.updatedAt.slice(0, 10)}`,
    GSI4SK: `${c.updatedAt}#${c.caseId}`,
  };
}

export function eventItem(e: CaseEvent): Record<string, unknown> {
  return { PK: casePk(e.caseId), SK: eventSk(e.seq), entity: 'event', ...e };
}

const KEY_ATTRIBUTES = ['PK', 'SK', 'entity', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'GSI3PK', 'GSI3SK', 'GSI4PK', 'GSI4SK'];

/** Strips the storage attributes from an item, leaving the domain object for zod to check. */
export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.includes(k)) out[k] = v;
  return out;
}

// ---- email intake (docs/email.md): keys hash message ids and addresses, never carry them ----
const hashOf = (value: string) => createHash('sha256').update(value).digest('hex');
/** One inbound message: the key is already a SHA-256 (of its Message-ID or raw bytes). */
export const inboundPk = (key: string) => `INBOUND#${key}`;
export const INBOUND_SK = 'INBOUND';
/** A Message-ID (normalised, or SES's bare id) in a case's thread. */
export const messageIdPk = (messageId: string) => `MSGID#${hashOf(messageId.trim().toLowerCase())}`;
export const MESSAGE_ID_SK = 'MSGID';
/** The log of acknowledgements sent to one recipient (hashed canonical address) in the last hour. */
export const ackLogPk = (recipientHash: string) => `ACKLOG#${recipientHash}`;
export const ACK_LOG_SK = 'ACKLOG';
/** Failed ingestions of one raw inbound object, keyed by a hash of its key. */
export const ingestFailurePk = (rawObjectKey: string) => `INGESTFAIL#${hashOf(rawObjectKey)}`;
export const INGEST_FAILURE_SK = 'INGESTFAIL';
/** A fixed-window counter (rate-limit.ts): the subject is already a hash. */
export const ratePk = (scope: string, subjectHash: string, window: string) => `RATE#${scope}#${subjectHash}#${window}`;
export const RATE_SK = 'RATE';
/** Quarantined raw messages share one partition, one item per raw object key. */
export const QUARANTINE_PK = 'QUARANTINE';
export const quarantineSk = (rawObjectKey: string) => `Q#${hashOf(rawObjectKey)}`;
