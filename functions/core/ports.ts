import type { FollowUpDue } from './follow-up';
import type { FeedbackEntry } from './feedback-log';
import type { DeletionIncident, ExpiryReceipt } from './item-expiry';
import type { RateWindow } from './rate-limit';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import type { NonComplianceRecord } from './non-compliance';
import type { EscalationRecord } from './escalation';
import type { OutboxMessage } from './outbox';
import type { QualityReview, ReplyRef } from './quality-review';
import type { InboundRecord, MessageIdLink } from './email/ports';

/** A case created together with its first events and owed messages, atomically. */
export interface NewCaseRecord {
  case: Case;
  events: CaseEvent[];
  outbox: OutboxMessage[];
  idempotency?: { key: string; requestHash: string; expiresAt: number };
  /** Email intake: the inbound record, written only if absent (else DuplicateInboundError). */
  inbound?: InboundRecord;
  /** Email intake: Message-IDs that thread to this case. */
  messageIds?: MessageIdLink[];
  /** Record this acknowledgement in the recipient's log, if the log is still as read (else AckRateLimitedError). */
  ackLog?: AckLogWrite;
}

export type CreateCaseResult =
  | { created: true }
  | { created: false; existing: { caseId: string; requestHash: string } };

/** A change to an existing case: applied only if the case is still at `expectedVersion`. */
export interface CaseChange {
  expectedVersion: number;
  case: Case;
  events: CaseEvent[];
  /** New owed messages (their INSERT triggers delivery). */
  outboxInserts?: OutboxMessage[];
  /** Owed messages whose state changed (sent). */
  outboxUpdates?: OutboxMessage[];
  /** New or updated escalation records. */
  escalations?: EscalationRecord[];
  /** Non-compliance records the change opens (an SLA breach, C8.1): written only if new. */
  nonCompliance?: NonComplianceRecord[];
  /** Email intake: the inbound record, written only if absent (else DuplicateInboundError). */
  inbound?: InboundRecord;
  /** Message-IDs that thread to this case: inbound ones, and the provider ids of mail caseflow sent. */
  messageIds?: MessageIdLink[];
  /** A survey answer's feedback-log entry, new or updated (feedback-log.ts). */
  feedback?: FeedbackEntry;
  /** Replies sent, in their week's ledger (quality-review.ts: the weekly top-up and the roll-up read it). */
  replies?: ReplyRef[];
  /** Quality reviews: new ones (written only if new) or scored ones (only if still at `expectedVersion`). */
  qualityReviews?: { review: QualityReview; expectedVersion?: number }[];
  /** A complaint's follow-up scheduled (its due-list entry written) and one ended or replaced (its entry removed), M3.2. */
  followUpsDue?: FollowUpDue[];
  followUpsDone?: Pick<FollowUpDue, 'caseId' | 'date'>[];
}

/**
 * The acknowledgements sent to one recipient (hashed address) in the last hour, as a log of times:
 * the limit holds in every hour, not per clock hour. Written in the case's transaction, only if the
 * log is still as it was read (`expected`; undefined: no log yet), else AckRateLimitedError.
 */
export interface AckLogWrite {
  recipientHash: string;
  expected: number[] | undefined;
  /** The times kept (epoch seconds): the last hour's, and this one. */
  next: number[];
  /** TTL, epoch seconds: when the newest time is over an hour old. */
  expiresAt: number;
}

/**
 * Bytes to store: in memory, or a spooled copy opened when it is written, so that a large
 * attachment is never held in memory whole.
 */
export type BlobBody = Uint8Array | SpooledBlob;

export interface SpooledBlob {
  readonly size: number;
  open(): AsyncIterable<Uint8Array>;
}

/** Fixed-window counters (rate-limit.ts). */
export interface RateLimiter {
  /** Counts one use in the window; false, counting nothing, when the limit was reached already. */
  consume(window: RateWindow): Promise<boolean>;
}

/** What an object is, kept with it: its media type, and the file name to download it under. */
export interface BlobMetadata {
  contentType: string;
  filename?: string;
}

/** Object storage for attachments (S3 in AWS, s3rver locally). */
export interface BlobStore {
  put(key: string, body: BlobBody, metadata: BlobMetadata): Promise<void>;
}

/** A link that downloads one stored object for a short while, without the caller's credentials. */
export interface DownloadLink {
  url: string;
  expiresAt: Date;
}

/**
 * Short-lived download links to stored attachments (presigned S3 GETs in AWS, s3rver locally):
 * the browser fetches the bytes from storage, never through a function. The link saves the file
 * under its name (Content-Disposition: attachment) with its stored media type.
 */
export interface DownloadLinks {
  link(key: string, metadata: Required<BlobMetadata>, expiresInSeconds: number): Promise<DownloadLink>;
}

export interface CaseStore {
  /** Throws ReferenceTakenError if the reference exists; reports an existing idempotency record. */
  createCase(record: NewCaseRecord): Promise<CreateCaseResult>;
  /** Throws ConcurrentUpdateError when the case moved on since it was read. */
  applyChange(change: CaseChange): Promise<void>;
  getCase(caseId: string): Promise<Case | undefined>;
  /** The case an Idempotency-Key opened, while the key is remembered. */
  findIdempotent(key: string): Promise<{ caseId: string; requestHash: string } | undefined>;
  /** A recipient's acknowledgement log (epoch seconds), undefined when there is none. */
  readAckLog(recipientHash: string): Promise<number[] | undefined>;
  getTimeline(caseId: string): Promise<CaseEvent[]>;
  getOutbox(caseId: string, messageId: string): Promise<OutboxMessage | undefined>;
  recordOutboxFailure(caseId: string, messageId: string, error: string): Promise<void>;
  /** Every owed message of the case, sent or pending (its archive keeps the history). */
  getOutboxHistory(caseId: string): Promise<OutboxMessage[]>;
  getEscalations(caseId: string): Promise<EscalationRecord[]>;
  /** One escalation of a case by its number (ESC-01 is 1). */
  getEscalation(caseId: string, number: number): Promise<EscalationRecord | undefined>;
  /**
   * Every case that may have an SLA timer (the SLA reconciler's sweep): each open case, and each
   * resolved case waiting for its automatic closure. The staff queues are read through core/queues.ts.
   */
  casesWithTimers(): AsyncIterable<Case>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 3834: automatic messages say so, so that auto-responders do not answer them. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
  headers?: Record<string, string>;
  /** Where the customer's answer should go: the support address, plus-addressed with the case reference. */
  replyTo?: string;
}

export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}

/** Where an archive object was written: its key, S3 version, the document's SHA-256 and the stored (gzipped) size. */
export interface StoredCaseArchive {
  key: string;
  versionId?: string;
  sha256: string;
  bytes: number;
}

/**
 * Closed cases' archives (case-archive.ts) in an Object-Lock bucket (S3 in AWS, s3rver locally):
 * the document's canonical JSON, gzipped, locked until `retainUntil`; one object per case, a new
 * version for each write.
 */
export interface CaseArchives {
  put(caseId: string, json: Uint8Array, sha256: string, retainUntil: Date): Promise<StoredCaseArchive>;
  /** The archived JSON (gunzipped), the current version or the one named; undefined when there is none. */
  get(caseId: string, versionId?: string): Promise<Uint8Array | undefined>;
  /** Records where a reference's archive is, so that it is found after the case expires from the table. */
  putIndex(entry: ArchiveIndexEntry): Promise<void>;
  /** The index entry of a reference; undefined when none was written. */
  getIndex(reference: string): Promise<ArchiveIndexEntry | undefined>;
  /** Records on the reference's index entry when its case item expired from the table. */
  markExpired(reference: string, caseId: string, expiredAt: string): Promise<void>;
  /**
   * Records that a case's archive is about a subject (privacy-subject.ts: the digest of the
   * customer's address or number), so that an access request finds it after the case expires.
   */
  putSubjectIndex(entry: SubjectIndexEntry): Promise<void>;
  /** Every archived case under a subject's digest. */
  subjectIndex(subjectDigest: string): Promise<SubjectIndexEntry[]>;
  /** Deletes a subject-index entry, every version (an erasure: its name is the customer's digest). */
  deleteSubjectIndexEntry(subjectDigest: string, caseId: string): Promise<void>;
  /** Writes an item's expiry receipt, locked until `retainUntil`, unless one exists (`exists`). */
  putReceipt(receipt: ExpiryReceipt, retainUntil: Date): Promise<'written' | 'exists'>;
  /** Every expiry receipt of a case. */
  receiptsOf(caseId: string): Promise<ExpiryReceipt[]>;
  /** Keeps a deletion that was not TTL's (an incident), by its stream record id. */
  putIncident(incident: DeletionIncident): Promise<void>;
}

/** Where a reference's archive is, kept beside the archives (item-expiry.ts): the table forgets the case, this does not. */
export interface ArchiveIndexEntry {
  reference: string;
  caseId: string;
  key: string;
  versionId?: string;
  sha256: string;
  retainUntil: string;
  /** When the case item expired from the table. */
  expiredAt?: string;
}

/** An archived case, indexed by the digest of a subject its customer is found by: the case's ids and where its archive is. */
export interface SubjectIndexEntry {
  subjectDigest: string;
  caseId: string;
  reference: string;
  key: string;
  versionId?: string;
  sha256: string;
  retainUntil: string;
}

/**
 * A stream record that failed past its retries, kept whole: a stream record lives 24 hours, and
 * the metadata Lambda's own on-failure destination sends is not enough to process it again.
 */
export interface DeadLetter {
  /** The function that failed it. */
  source: string;
  /** The error's name and message (never personal data: handlers' errors name ids, not content). */
  reason: string;
  failedAt: string;
  record: unknown;
}

/** Where dead letters wait for a redrive (SQS in AWS, a directory locally). */
export interface DeadLetters {
  send(letter: DeadLetter): Promise<void>;
  /** Up to `max` letters, each with a handle to remove it once processed. */
  receive(max: number): Promise<{ handle: string; letter: DeadLetter }[]>;
  remove(handle: string): Promise<void>;
}
