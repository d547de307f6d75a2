import type { CaseStore } from '../ports';

/** The ports of the email intake (core/email/ingest-email.ts). */

/**
 * One inbound email, recorded once: keyed by the SHA-256 of its normalised
 * Message-ID, or of the raw bytes when it has none. Written in the same transaction as the case
 * change it causes, so a redelivery never makes a second case or event.
 */
export interface InboundRecord {
  key: string;
  rawObjectKey: string;
  receivedAt: string;
  /** The classification (classify.ts), e.g. `new_message`, `auto_reply`, `bounce`. */
  kind: string;
  reason: string;
  outcome: 'case_opened' | 'reply' | 'recorded' | 'bounce_recorded';
  caseId?: string;
}

/** A Message-ID (normalised, or the bare SES id) that belongs to a case's thread. */
export interface MessageIdLink {
  messageId: string;
  caseId: string;
}

/** A message that could not be parsed or classified, or that SES found a virus in: kept for a supervisor, never dropped. */
export interface QuarantineRecord {
  rawObjectKey: string;
  reason: string;
  problems: string[];
  quarantinedAt: string;
}

/** What ingestion reads before it writes, asked for together. */
export interface InboundLookupQuery {
  inboundKey: string;
  /** The key of the same message under the earlier scheme (Message-ID alone): found, it is a redelivery. */
  legacyInboundKey?: string;
  /** Case references to resolve (from the subject and plus-addresses). */
  references: readonly string[];
  /** Message-IDs to resolve (In-Reply-To, References, a bounced message's id). */
  messageIds: readonly string[];
  /** The sender's acknowledgement log to read. */
  ackLog?: { recipientHash: string };
}

export interface InboundLookup {
  /** Set when this message was recorded before (a redelivery). */
  inbound?: InboundRecord;
  caseIdByReference: ReadonlyMap<string, string>;
  /** Keyed by the Message-IDs as asked for. */
  caseIdByMessageId: ReadonlyMap<string, string>;
  /** The sender's acknowledgement log (epoch seconds), undefined when there is none. */
  ackLog?: number[];
}

/**
 * The inbound-mail aggregate: inbound records (one per message), Message-ID links, quarantine
 * records and failure counts. Cases themselves are the CaseStore's; both write through one
 * transaction when a message opens a case or replies on one.
 */
export interface InboundMailStore {
  /** Every read of one ingestion in one round trip (a BatchGetItem in DynamoDB), consistent. */
  lookupInbound(query: InboundLookupQuery): Promise<InboundLookup>;
  getInbound(key: string): Promise<InboundRecord | undefined>;
  /** Records a non-case message; false when it was recorded before. */
  recordInbound(record: InboundRecord): Promise<boolean>;
  caseIdByReference(reference: string): Promise<string | undefined>;
  caseIdByMessageId(messageId: string): Promise<string | undefined>;
  /** Idempotent per raw object: the first record is kept. */
  quarantine(record: QuarantineRecord): Promise<void>;
  /** Counts a failed ingestion of a raw object (kept a while for the retries); returns the failures so far. */
  recordIngestFailure(rawObjectKey: string, errorName: string, at: string): Promise<number>;
  listQuarantine(limit: number, cursor?: string): Promise<{ items: QuarantineRecord[]; cursor?: string }>;
}

/** What email ingestion writes to: cases, and the inbound records that come with them. */
export interface EmailStores {
  cases: CaseStore;
  inbound: InboundMailStore;
}
