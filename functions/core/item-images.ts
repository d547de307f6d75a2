import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import type { EscalationRecord } from './escalation';
import type { OutboxMessage } from './outbox';

/**
 * One item of the table as stored: its keys and its whole image (attributes as plain JSON, the way a
 * stream record's image unmarshals). The keys never carry personal data (docs/data-model.md).
 */
export interface ItemImage {
  pk: string;
  sk: string;
  image: Record<string, unknown>;
}

/** The attribute TTL reads; stamped after the archive is written, so it is left out of digests. */
export const EXPIRY_ATTRIBUTE = 'expiresAt';

/**
 * The digest of an item's image: SHA-256 of its canonical (RFC 8785) JSON without `expiresAt`.
 * Two images digest alike exactly when their canonical JSON is byte-equal, so the archive can say
 * "this item, as deleted, is the one I hold" without holding the item twice.
 */
export function itemDigest(image: Record<string, unknown>): string {
  const { [EXPIRY_ATTRIBUTE]: _expiry, ...rest } = image;
  return createHash('sha256').update(canonicalize(rest)).digest('hex');
}

/** A case's records and the images of all its items, from one read of its partition (CaseItemImages.recordsOf). */
export interface CaseRecords {
  case: Case;
  /** In sequence order. */
  timeline: CaseEvent[];
  escalations: EscalationRecord[];
  outbox: OutboxMessage[];
  items: ItemImage[];
}

/**
 * Whether records read together are one moment of the case: its timeline is exactly the chain the
 * case item's head names (as many events as its version, the last one's hash its `lastEventHash`).
 * A Query is not isolated from a transaction committing meanwhile, so it can see the case item
 * before a change and events after it, or the other way round; such a read is read again.
 */
export function isWholeSnapshot(records: Pick<CaseRecords, 'case' | 'timeline'>): boolean {
  const { case: c, timeline } = records;
  if (timeline.length !== c.version) return false;
  const last = timeline[timeline.length - 1];
  return last === undefined || (last.seq === c.version && last.hash === c.lastEventHash);
}

/** Reads the images of every item of a case (the partition, reference, Message-ID links, inbound records: case-items.ts). */
export interface CaseItemImages {
  /** The images, and the version of the case item among them (undefined when it is gone). */
  imagesOf(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): Promise<{ items: ItemImage[]; caseVersion: number | undefined }>;
  /**
   * The case, its timeline, escalation log and outbox history, and the images of all its items,
   * from one read of its partition (plus the items outside it the records name); undefined for no
   * such case. The read is not checked to be one moment: see isWholeSnapshot.
   */
  recordsOf(caseId: string): Promise<CaseRecords | undefined>;
}
