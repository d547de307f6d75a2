import { createHash } from 'node:crypto';
import * as z from 'zod';
import { caseArchiveKey, verifyCaseArchive, type CaseArchive } from './case-archive';
import { itemDigest } from './item-images';
import { SealedSchema, sealJson, type SubjectKeys } from './subject-keys';
import type { CaseArchives } from './ports';

/**
 * TTL deletions verified, not trusted (M7.2, C4.3). Every item the table's stream reports removed
 * is checked here:
 * - a deletion by TTL of an item of a case: the case's archive must hold the item as it was (the
 *   digest of its old image is in the archive's item list); an item the archive lacks (the case
 *   item after its archive was recorded, the `case_archived` event, a late event) is written from
 *   its old image, sealed with the customer's key like the archive's record. Either way an expiry
 *   receipt records it, one per item, so that a redelivered or redriven record writes nothing twice
 *   and the receipts show that nothing is missing. A case with no archive is an error;
 * - a deletion by TTL of an item that belongs to no case (idempotency, rate counters) is expected;
 * - any other deletion (a bug, a person with console access) is an incident, kept with the image.
 */

/** A removed item, as the table's stream reported it (the adapter resolves the case from the keys). */
export interface RemovedItem {
  /** The stream record's id: names an incident, never personal data. */
  eventId: string;
  pk: string;
  sk: string;
  /** The item before deletion (the stream carries old images). */
  oldImage: Record<string, unknown> | undefined;
  /** When the stream says the deletion happened. */
  deletedAt: Date;
  /** Who deleted it: for TTL, `{ type: 'Service', principalId: 'dynamodb.amazonaws.com' }`. */
  userIdentity?: { type?: string; principalId?: string };
  /** The case the item belongs to, when it does. */
  caseId?: string;
  /** The case's reference, when the removed item is the case item itself. */
  caseReference?: string;
}

export type DeletionCause = 'ttl' | 'ttl-by-expiry' | 'not-ttl';

/** DynamoDB's own principal on the stream records of TTL deletions. */
export const TTL_PRINCIPAL = 'dynamodb.amazonaws.com';

/**
 * Who deleted an item: TTL when the record says so (`userIdentity` Service / dynamodb.amazonaws.com);
 * where that is missing (DynamoDB Local sends none), TTL when the item's `expiresAt` had passed at
 * the deletion; anything else is not TTL.
 */
export function causeOfDeletion(item: Pick<RemovedItem, 'userIdentity' | 'oldImage' | 'deletedAt'>): DeletionCause {
  if (item.userIdentity?.type === 'Service' && item.userIdentity.principalId === TTL_PRINCIPAL) return 'ttl';
  const expiresAt = item.oldImage?.expiresAt;
  if (typeof expiresAt === 'number' && expiresAt * 1000 <= item.deletedAt.getTime()) return 'ttl-by-expiry';
  return 'not-ttl';
}

export const EXPIRY_RECEIPT_FORMAT = 'caseflow.expiry-receipt/1';

export const ExpiryReceiptSchema = z.object({
  format: z.literal(EXPIRY_RECEIPT_FORMAT),
  caseId: z.uuid(),
  pk: z.string(),
  sk: z.string(),
  /** Digest of the item's old image (item-images.ts). */
  sha256: z.string(),
  deletedAt: z.iso.datetime(),
  cause: z.enum(['ttl', 'ttl-by-expiry']),
  /**
   * `in-archive`: the archive holds the item as it was; `written-from-old-image`: this receipt holds
   * it, sealed with the customer's key; `subject-erased`: the archive lacked it, and the customer's
   * key is destroyed (an erasure), so only its digest is kept.
   */
  verdict: z.enum(['in-archive', 'written-from-old-image', 'subject-erased']),
  /** The archive checked. */
  archive: z.object({ key: z.string(), sha256: z.string() }),
  /** The item as it was, when the archive lacked it: sealed with the customer's key (subject-keys.ts), as the archive's record is. */
  sealedImage: SealedSchema.optional(),
});
export type ExpiryReceipt = z.infer<typeof ExpiryReceiptSchema>;

/** A deletion that was not TTL's: kept, image and all, for whoever investigates it. */
export interface DeletionIncident {
  format: 'caseflow.deletion-incident/1';
  eventId: string;
  pk: string;
  sk: string;
  caseId?: string;
  deletedAt: string;
  userIdentity?: { type?: string; principalId?: string };
  image?: Record<string, unknown>;
}

/** The receipt's name within its case: a digest of the item's keys (keys stay out of object names). */
export const receiptId = (pk: string, sk: string) => createHash('sha256').update(`${pk}\n${sk}`).digest('hex');

/** How long an expiry receipt is locked: long enough to outlive an audit cycle after the deletion it proves. */
export const EXPIRY_RECEIPT_LOCK_DAYS = 366;

export type ExpiryOutcome =
  | { outcome: 'in-archive' | 'written-from-old-image' | 'subject-erased'; caseId: string }
  | { outcome: 'receipt-exists'; caseId: string }
  | { outcome: 'not-a-case-item' }
  | { outcome: 'unexpected-deletion'; caseId?: string };

export class ArchiveIntegrityError extends Error {
  override name = 'ArchiveIntegrityError';
}

/** An item of a case expired, and the case has no archive: TTL ran before archiving, which must not happen. */
export class ArchiveMissingError extends Error {
  override name = 'ArchiveMissingError';
}

export interface VerifyExpiryDeps {
  archives: Pick<CaseArchives, 'get' | 'putReceipt' | 'putIncident' | 'markExpired'>;
  keys: Pick<SubjectKeys, 'existing'>;
}

/** The context an expired item's image is sealed under: its case (see sealJson). */
export const receiptSealContext = (caseId: string) => `caseflow.expiry-receipt/${caseId}`;

/** The verified archives read during one batch, by case id (null: the case has none). */
export type ArchiveCache = Map<string, Promise<VerifiedArchive | null>>;

interface VerifiedArchive {
  document: CaseArchive;
  sha256: string;
}

async function archiveOf(caseId: string, deps: VerifyExpiryDeps, cache: ArchiveCache): Promise<VerifiedArchive | null> {
  let pending = cache.get(caseId);
  if (!pending) {
    pending = (async () => {
      const bytes = await deps.archives.get(caseId);
      if (!bytes) return null;
      const verdict = verifyCaseArchive(bytes);
      // An archive that does not verify is not trusted to hold anything: the record is dead-lettered.
      if (!verdict.verified || !verdict.document || !verdict.sha256) throw new ArchiveIntegrityError(`the archive of case ${caseId} does not verify: ${verdict.problems.join('; ')}`);
      return { document: verdict.document, sha256: verdict.sha256 };
    })();
    cache.set(caseId, pending);
    pending.catch(() => cache.delete(caseId));
  }
  return pending;
}

/**
 * Verifies one removed item (see the module comment). Idempotent: the receipt is written only if
 * the item has none (a conditional write), so a record verified before writes nothing again.
 */
export async function verifyRemovedItem(item: RemovedItem, deps: VerifyExpiryDeps, cache: ArchiveCache = new Map()): Promise<ExpiryOutcome> {
  const cause = causeOfDeletion(item);
  if (cause === 'not-ttl') {
    await deps.archives.putIncident({
      format: 'caseflow.deletion-incident/1',
      eventId: item.eventId,
      pk: item.pk,
      sk: item.sk,
      ...(item.caseId ? { caseId: item.caseId } : {}),
      deletedAt: item.deletedAt.toISOString(),
      ...(item.userIdentity ? { userIdentity: item.userIdentity } : {}),
      ...(item.oldImage ? { image: item.oldImage } : {}),
    });
    return { outcome: 'unexpected-deletion', ...(item.caseId ? { caseId: item.caseId } : {}) };
  }
  const caseId = item.caseId;
  if (caseId === undefined) return { outcome: 'not-a-case-item' };

  const image = item.oldImage ?? {};
  const sha256 = itemDigest(image);
  const archive = await archiveOf(caseId, deps, cache);
  // Verified, not trusted: an expiry with no archive to check it against is an error (dead-lettered, alarmed).
  if (!archive) throw new ArchiveMissingError(`an item of case ${caseId} expired, and the case has no archive`);
  const held = archive.document.items.some((i) => i.pk === item.pk && i.sk === item.sk && i.sha256 === sha256);
  const key = held ? undefined : await deps.keys.existing(archive.document.subject.id);
  const receipt: ExpiryReceipt = {
    format: EXPIRY_RECEIPT_FORMAT,
    caseId,
    pk: item.pk,
    sk: item.sk,
    sha256,
    deletedAt: item.deletedAt.toISOString(),
    cause,
    verdict: held ? 'in-archive' : key ? 'written-from-old-image' : 'subject-erased',
    archive: { key: caseArchiveKey(caseId), sha256: archive.sha256 },
    ...(key ? { sealedImage: sealJson(key, image, receiptSealContext(caseId)) } : {}),
  };
  const retainUntil = new Date(item.deletedAt.getTime() + EXPIRY_RECEIPT_LOCK_DAYS * 86_400_000);
  const written = await deps.archives.putReceipt(receipt, retainUntil);
  if (item.caseReference !== undefined) await deps.archives.markExpired(item.caseReference, caseId, receipt.deletedAt);
  if (written === 'exists') return { outcome: 'receipt-exists', caseId };
  return { outcome: receipt.verdict, caseId };
}
