import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
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

/** Reads the images of every item of a case (the partition, reference, Message-ID links, inbound records: case-items.ts). */
export interface CaseItemImages {
  /** The images, and the version of the case item among them (undefined when it is gone). */
  imagesOf(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): Promise<{ items: ItemImage[]; caseVersion: number | undefined }>;
}
