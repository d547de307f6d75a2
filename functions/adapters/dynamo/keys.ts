import { createHash } from 'node:crypto';
import { isOpen, summarize, nextDueAt, type Case, type CaseStatus, type CaseType, type Priority } from '../../core/case';
import type { CaseEvent } from '../../core/case-event';
import type { FeedbackEntry } from '../../core/feedback-log';
import { itemExpiryOf } from '../../core/case-items';
import { escalationRoleFor, isEscalationActive } from '../../core/escalation';
import type { NonComplianceRecord } from '../../core/non-compliance';
import type { PrivacyRequest } from '../../core/privacy-access';
import { isoWeekOf, type QualityReview, type ReplyRef } from '../../core/quality-review';
import { subjectOf, type PrivacySubject } from '../../core/privacy-subject';
import type { QueueSelection, StatusFilter } from '../../core/queues';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE, TABLE_KEYS, type GlobalIndex } from '../table-design';

type IndexName = GlobalIndex['indexName'];

function indexNamed(name: IndexName): GlobalIndex {
  const found = GLOBAL_INDEXES.find((g) => g.indexName === name);
  if (!found) throw new Error(`no index ${name}`);
  return found;
}

/**
 * The single-table key design (docs/data-model.md has every access pattern).
 * Keys carry ids, statuses and times, never personal data: the customer keys are hashes, and so is
 * the assignee's staff id.
 */
export const INDEX = {
  timers: indexNamed('GSI2').indexName,
  byCustomer: indexNamed('GSI3').indexName,
  byDay: indexNamed('GSI4').indexName,
} as const;

/**
 * The by-day index partitions (GSI4) of a UTC day: every case is filed under the day of its last
 * change (`updatedAt`), in one of `DAY_SHARDS` partitions chosen by its id. One partition a day
 * would take every write of that day (a hot partition at scale: DynamoDB serves a partition key
 * up to 1,000 writes a second); the readers query every shard and merge them in time order.
 */
export const DAY_SHARDS = 8;
export const dayShardOf = (caseId: string) => Number.parseInt(sha256(caseId).slice(0, 8), 16) % DAY_SHARDS;
export const dayPartition = (day: string, shard: number) => `DAY#${day}#${shard}`;

export const casePk = (caseId: string) => `CASE#${caseId}`;
export const CASE_SK = 'CASE';
export const eventSk = (seq: number) => `EVT#${String(seq).padStart(8, '0')}`;
export const EVENT_PREFIX = 'EVT#';
export const OUTBOX_SK_PREFIX = 'OUTBOX#';
export const outboxSk = (messageId: string) => `${OUTBOX_SK_PREFIX}${messageId}`;
export const escalationSk = (level: number) => `ESC#${String(level).padStart(2, '0')}`;
export const ESCALATION_PREFIX = 'ESC#';
export const referencePk = (reference: string) => `REF#${reference}`;
export const REFERENCE_SK = 'REF';
export const idempotencyPk = (scope: string, key: string) =>
  `IDEMP#${scope}#${createHash('sha256').update(key).digest('base64url')}`;
export const IDEMPOTENCY_SK = 'IDEMP';

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
// The digests are those of privacy-subject.ts: a privacy request finds a customer's cases by them alone.
export const customerPartition = (email: string) => subjectPartition(subjectOf({ email }));
/** A caller is found by their phone number (digits and a leading +, hashed). */
export const phonePartition = (phone: string) => subjectPartition(subjectOf({ phone }));
export const subjectPartition = (s: PrivacySubject) => (s.kind === 'email' ? `CUST#${s.digest}` : `CUST#tel:${s.digest}`);
const customerKey = (c: Case['customer']) => (c.email !== undefined ? customerPartition(c.email) : phonePartition(c.phone ?? ''));
/** Sorts after every real deadline: an open case with none left to meet goes to the end of a work queue. */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

// ---- the SLA reconciler's index: cases with timers ----
/** Open cases by status, and resolved ones waiting for their automatic closure. */
export const timerPartition = (status: CaseStatus) => `TIMER#${status}`;
export const TIMER_STATUSES: readonly CaseStatus[] = ['new', 'acknowledged', 'in_progress', 'pending_customer', 'resolved'];

// ---- the queues (core/queues.ts): each page is one partition of one index ----
export const OPEN_PARTITION = 'OPEN';
export const UNASSIGNED_PARTITION = 'UNASSIGNED';
export const assigneePartition = (staffId: string) => `ASSIGNEE#${sha256(staffId)}`;
export const escalatedPartition = (role: 'supervisors' | 'managers') => `ESC#${role}`;

interface Facet {
  scope: StatusFilter;
  type?: CaseType | undefined;
  priority?: Priority | undefined;
}

/** The `all` queue's facet index for a filter shape: own status or `open`, with or without a type and a priority. */
const FACET_INDEX: Record<'status' | 'open', Record<'' | 't' | 'p' | 'tp', IndexName>> = {
  status: { '': 'QStatus', t: 'QStatusType', p: 'QStatusPriority', tp: 'QStatusTypePriority' },
  open: { '': 'QOpen', t: 'QOpenType', p: 'QOpenPriority', tp: 'QOpenTypePriority' },
};

function facetIndex(f: Facet): GlobalIndex {
  const shape = `${f.type ? 't' : ''}${f.priority ? 'p' : ''}` as '' | 't' | 'p' | 'tp';
  return indexNamed(FACET_INDEX[f.scope === 'open' ? 'open' : 'status'][shape]);
}

/** The facet partition: `<status or open>[#<type>][#<priority>]` (each shape has its own index). */
const facetPartition = (f: Facet) => [f.scope, f.type, f.priority].filter((v) => v !== undefined).join('#');

/** Sort keys compare as text: one fixed ISO form (milliseconds, Z), then the case id so that equal times stay distinct. */
const timeKey = (iso: string, caseId: string) => `${new Date(iso).toISOString()}#${caseId}`;

/** Where a page of a queue is read: the index, the partition, and whether the sort key ascends. */
export interface QueueRead {
  index: GlobalIndex;
  partition: string;
  ascending: boolean;
}

export function queueRead(selection: QueueSelection): QueueRead {
  switch (selection.queue) {
    case 'all':
      return { index: facetIndex({ scope: selection.status, type: selection.type, priority: selection.priority }), partition: facetPartition({ scope: selection.status, type: selection.type, priority: selection.priority }), ascending: false };
    case 'mine':
      return { index: indexNamed('QAssignee'), partition: assigneePartition(selection.staffId), ascending: true };
    case 'unassigned':
      return { index: indexNamed('QAssignee'), partition: UNASSIGNED_PARTITION, ascending: true };
    case 'breaching':
      return { index: indexNamed('QDue'), partition: OPEN_PARTITION, ascending: true };
    case 'escalated':
      return { index: indexNamed('QEscalated'), partition: escalatedPartition(selection.role), ascending: true };
    case 'customer':
      if ('subject' in selection) {
        return { index: indexNamed(selection.subject.kind === 'email' ? 'GSI3' : 'QPhone'), partition: subjectPartition(selection.subject), ascending: false };
      }
      return 'email' in selection
        ? { index: indexNamed('GSI3'), partition: customerPartition(selection.email), ascending: false }
        : { index: indexNamed('QPhone'), partition: phonePartition(selection.phone), ascending: false };
  }
}

/**
 * The index keys of a case: the one place that decides which queue partitions a case is in, and
 * where in them (queueRead reads the same partitions). An index attribute left out keeps the case
 * out of that index (a sparse index).
 */
export function caseIndexKeys(c: Case): Record<string, string> {
  const keys: Record<string, string> = {};
  const set = (index: GlobalIndex, partition: string, sortKey: string) => {
    keys[index.partitionKey] = partition;
    keys[index.sortKey] = sortKey;
  };
  const open = isOpen(c.status);
  const received = timeKey(c.receivedAt, c.caseId);
  const due = timeKey(nextDueAt(c) ?? NO_DEADLINE, c.caseId);

  for (const scope of open ? [c.status, 'open' as const] : [c.status]) {
    for (const type of [undefined, c.type]) {
      for (const priority of [undefined, c.priority]) set(facetIndex({ scope, type, priority }), facetPartition({ scope, type, priority }), received);
    }
  }
  if (open) {
    set(indexNamed('QAssignee'), c.assignee ? assigneePartition(c.assignee.id) : UNASSIGNED_PARTITION, due);
    set(indexNamed('QDue'), OPEN_PARTITION, due);
    set(indexNamed('GSI2'), timerPartition(c.status), due);
    if (c.escalation && isEscalationActive(c)) set(indexNamed('QEscalated'), escalatedPartition(escalationRoleFor(c.escalation.level)), timeKey(c.escalation.respondBy, c.caseId));
  } else if (c.status === 'resolved' && c.autoCloseAt) {
    set(indexNamed('GSI2'), timerPartition(c.status), timeKey(c.autoCloseAt, c.caseId));
  }
  // An erased case is no one's any more: out of the customer indexes (not in a shared "erased" partition).
  if (!c.erasure) {
    set(indexNamed('GSI3'), customerKey(c.customer), received);
    if (c.customer.phone !== undefined) set(indexNamed('QPhone'), phonePartition(c.customer.phone), received);
  }
  set(indexNamed('GSI4'), dayPartition(c.updatedAt.slice(0, 10), dayShardOf(c.caseId)), timeKey(c.updatedAt, c.caseId));
  return keys;
}

/**
 * Where a closed case keeps its retention end until its archive is recorded, and while a legal hold stands. `expiresAt` is the
 * attribute TTL reads, so a case carries it only once archived: nothing of a case can expire
 * before its archive exists, however short the retention (docs/retention.md).
 */
export const HELD_EXPIRY_ATTRIBUTE = 'heldExpiresAt';

export function caseItem(c: Case): Record<string, unknown> {
  const { expiresAt, ...rest } = c;
  const expiry = expiresAt === undefined ? {} : itemExpiryOf(c) !== undefined ? { expiresAt } : { [HELD_EXPIRY_ATTRIBUTE]: expiresAt };
  return { PK: casePk(c.caseId), SK: CASE_SK, entity: 'case', ...rest, ...expiry, [SUMMARY_ATTRIBUTE]: summarize(c), ...caseIndexKeys(c) };
}

export function eventItem(e: CaseEvent): Record<string, unknown> {
  return { PK: casePk(e.caseId), SK: eventSk(e.seq), entity: 'event', ...e };
}

const STORAGE_ATTRIBUTES = new Set<string>([TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, 'entity', ...GLOBAL_INDEXES.flatMap((g) => [g.partitionKey, g.sortKey])]);

/** Strips the storage attributes from an item (keys, index keys, a case's queue summary), leaving the domain object for zod to check. */
export function stripKeys(item: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const isCase = item.entity === 'case';
  for (const [k, v] of Object.entries(item)) {
    if (isCase && k === HELD_EXPIRY_ATTRIBUTE) out.expiresAt = v;
    else if (!STORAGE_ATTRIBUTES.has(k) && !(isCase && k === SUMMARY_ATTRIBUTE)) out[k] = v;
  }
  return out;
}

// ---- email intake (docs/email.md): keys hash message ids and addresses, never carry them ----
const hashOf = sha256;
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

// ---- privacy requests (core/privacy-access.ts): the accountability records, kept without an expiry ----
/** Every privacy request in one partition, newest last by its sort key: the admins' list reads it backwards. */
export const PRIVACY_PK = 'PRIVACY';
export const privacyRequestSk = (requestedAt: string, requestId: string) => `REQ#${new Date(requestedAt).toISOString()}#${requestId}`;
export const PRIVACY_REQUEST_PREFIX = 'REQ#';
/** Where a request is found by its id alone: it names the record's sort key. */
export const privacyRequestPointerPk = (requestId: string) => `PRIVACYREQ#${requestId}`;
export const PRIVACY_REQUEST_POINTER_SK = 'PRIVACYREQ';

/** A privacy request's record: no `expiresAt`, so no TTL. It holds the subject's digest, never the address. */
export function privacyRequestItem(r: PrivacyRequest): Record<string, unknown> {
  return { PK: PRIVACY_PK, SK: privacyRequestSk(r.requestedAt, r.requestId), entity: 'privacy_request', ...r };
}

export function privacyRequestPointerItem(r: Pick<PrivacyRequest, 'requestId' | 'requestedAt'>): Record<string, unknown> {
  return { PK: privacyRequestPointerPk(r.requestId), SK: PRIVACY_REQUEST_POINTER_SK, entity: 'privacy_request_pointer', requestId: r.requestId, recordSk: privacyRequestSk(r.requestedAt, r.requestId) };
}

// ---- non-compliance records (core/non-compliance.ts): compliance records, kept without an expiry ----
/** A month's records in one partition, by opening time: supervisors' and auditors' lists read it, and C8.3's repeat check. */
export const nonComplianceMonthPk = (month: string) => `NCMONTH#${month}`;
export const nonComplianceSk = (openedAt: string, id: string) => `NC#${new Date(openedAt).toISOString()}#${id}`;
export const NON_COMPLIANCE_PREFIX = 'NC#';
/** Where a record is found by its id alone: it names the record's partition and sort key. */
export const nonCompliancePointerPk = (id: string) => `NCID#${id}`;
export const NON_COMPLIANCE_POINTER_SK = 'NCID';

export function nonComplianceItem(r: NonComplianceRecord): Record<string, unknown> {
  return { PK: nonComplianceMonthPk(r.openedAt.slice(0, 7)), SK: nonComplianceSk(r.openedAt, r.id), entity: 'non_compliance', ...r };
}

export function nonCompliancePointerItem(r: Pick<NonComplianceRecord, 'id' | 'openedAt'>): Record<string, unknown> {
  return { PK: nonCompliancePointerPk(r.id), SK: NON_COMPLIANCE_POINTER_SK, entity: 'non_compliance_pointer', id: r.id, recordPk: nonComplianceMonthPk(r.openedAt.slice(0, 7)), recordSk: nonComplianceSk(r.openedAt, r.id) };
}

// ---- staff training (core/training.ts): one partition a staff member, keyed by a hash of their id ----
/** A staff member's training records and the reminders sent to them: one Query reads them all. */
export const trainingPk = (staffId: string) => `TRAIN#${sha256(staffId)}`;
/** A completion record, in the order recorded (records are never changed: a correction is a new one). */
export const trainingRecordSk = (recordedAt: string, recordId: string) => `REC#${new Date(recordedAt).toISOString()}#${recordId}`;
export const TRAINING_RECORD_PREFIX = 'REC#';
/** That the reminder of a course's refresher due at `dueAt` went out (written once: one reminder a lapse window). */
export const trainingReminderSk = (courseId: string, dueAt: string) => `REMIND#${courseId}#${new Date(dueAt).toISOString()}`;

// ---- the feedback log (core/feedback-log.ts): survey answers by month of their first answer ----
/** One partition a month (a few thousand answers at most); the sort key orders by first answer. */
export const feedbackPk = (month: string) => `FEEDBACK#${month}`;
export const feedbackSk = (firstAnsweredAt: string, caseId: string) => `${new Date(firstAnsweredAt).toISOString()}#${caseId}`;

export function feedbackItem(e: FeedbackEntry): Record<string, unknown> {
  const at = new Date(e.firstAnsweredAt).toISOString();
  return { PK: feedbackPk(at.slice(0, 7)), SK: feedbackSk(at, e.caseId), entity: 'feedback', ...e };
}

// ---- response-quality reviews (core/quality-review.ts): an ISO week a partition ----
/**
 * A week's replies (one small item each: for the weekly top-up and the roll-up) and the reviews of
 * the replies sampled, in one partition: the queue, an agent's reviews and the roll-up read it with
 * one paginated Query. The staff id is hashed in the key, as the assignee's is.
 */
export const qualityWeekPk = (week: string) => `QWEEK#${week}`;
export const QUALITY_REPLY_PREFIX = 'REPLY#';
export const QUALITY_REVIEW_PREFIX = 'REVIEW#';
export const qualityReplySk = (r: Pick<ReplyRef, 'staffId' | 'caseId' | 'seq'>) => `${QUALITY_REPLY_PREFIX}${sha256(r.staffId)}#${r.caseId}#${String(r.seq).padStart(8, '0')}`;
export const qualityReviewSk = (reviewId: string) => `${QUALITY_REVIEW_PREFIX}${reviewId}`;

export function qualityReplyItem(r: ReplyRef): Record<string, unknown> {
  return { PK: qualityWeekPk(isoWeekOf(r.repliedAt)), SK: qualityReplySk(r), entity: 'quality_reply', caseId: r.caseId, seq: r.seq, staffId: r.staffId, repliedAt: r.repliedAt };
}

export function qualityReviewItem(r: QualityReview): Record<string, unknown> {
  return { PK: qualityWeekPk(r.week), SK: qualityReviewSk(r.id), entity: 'quality_review', ...r };
}
// ---- action items (core/action-items.ts): the feedback team's recommendations, in one partition ----
/** A few hundred items a year at most: one Query reads them all (no index, no Scan); an item by its id is one GetItem. */
export const ACTION_ITEMS_PK = 'ACTIONITEMS';
export const actionItemSk = (itemId: string) => `ITEM#${itemId}`;
export const ACTION_ITEM_PREFIX = 'ITEM#';
// ---- complaint follow-ups (core/follow-up.ts): the pending ones, in one partition by due day ----
/**
 * Only pending follow-ups are here (an entry is removed in the transaction that records the outcome):
 * the day's due and overdue ones are one Query, `SK <= DUE#<day>~`, oldest first; never a Scan.
 */
export const FOLLOW_UPS_PK = 'FOLLOWUPS';
export const FOLLOW_UP_PREFIX = 'DUE#';
export const followUpSk = (date: string, caseId: string) => `${FOLLOW_UP_PREFIX}${date}#${caseId}`;
/** Sorts after every entry of the day (`~` follows the case ids' characters). */
export const followUpsDueBySk = (day: string) => `${FOLLOW_UP_PREFIX}${day}#~`;
// ---- SLA policies as data (core/sla-policy-versions.ts): one small partition, read by Query, never a Scan ----
/** Every published SLA policy version, the current-version pointer and the migrations' records. */
export const SLA_POLICY_PK = 'POLICY#SLA';
export const SLA_POLICY_VERSION_PREFIX = 'VERSION#';
export const slaPolicyVersionSk = (version: string) => `${SLA_POLICY_VERSION_PREFIX}${version}`;
/** Names the current version; written in the same transaction as the version it names. */
export const SLA_POLICY_CURRENT_SK = 'CURRENT';
/** A migration of open cases to a version (core/sla-migration.ts), by its id. */
export const slaMigrationSk = (migrationId: string) => `MIGRATION#${migrationId}`;

/**
 * A deployment setting a later stack writes for an earlier one's functions (deployment-setting.ts):
 * the survey page's public address, written by the quality stack, read by outbox-stream (workers).
 */
export const deploymentSettingPk = (name: string) => `SETTING#${name}`;
export const DEPLOYMENT_SETTING_SK = 'SETTING';
/** The survey page's public address (`https://<api>/`), for the survey mail's links. */
export const SURVEY_BASE_URL_SETTING = 'survey-base-url';

// ---- The retention policy as data (core/retention-policy-versions.ts): one small partition, read by Query, never a Scan ----
/** Every published retention version (sort key `VERSION#<id>`) and the current-version pointer (`CURRENT`). */
export const RETENTION_POLICY_PK = 'POLICY#RETENTION';
export const retentionPolicyVersionSk = (version: string) => `${SLA_POLICY_VERSION_PREFIX}${version}`;
