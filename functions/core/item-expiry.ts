import { createHash } from 'node:crypto';
import * as z from 'zod';
import { CustomerSchema } from './case';
import { caseArchiveKey, verifyCaseArchive, type CaseArchive } from './case-archive';
import { CaseEventSchema } from './case-event';
import { itemDigest } from './item-images';
import { SealedSchema, sealJson, subjectIdOf, type Sealed, type SubjectKey, type SubjectKeys } from './subject-keys';
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
 * - any other deletion (a bug, a person with console access) is an incident: its digest, its
 *   non-personal facts, and its image sealed with the customer's key when that key is found, never
 *   the image in clear (an incident is locked, so an erasure could not remove it: M5.1, C6.1).
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

export const DELETION_INCIDENT_FORMAT = 'caseflow.deletion-incident/2' as const;

/**
 * Why an incident holds no sealed image: `no-image` the stream record carried none; `no-case` the
 * item belongs to no case, so its customer is unknown; `no-archive` its case has no archive and
 * the item is not the case item (which names the customer); `archive-unreadable` reading the
 * archive failed; `archive-unverified` the archive does not verify, so its subject is not trusted;
 * `key-unreadable` the key service failed; `no-key` the customer has no key (never made: the
 * verifier does not make keys; or destroyed by an erasure).
 */
export const IncidentUnsealedWhySchema = z.enum(['no-image', 'no-case', 'no-archive', 'archive-unreadable', 'archive-unverified', 'key-unreadable', 'no-key']);
export type IncidentUnsealedWhy = z.infer<typeof IncidentUnsealedWhySchema>;

const incidentFields = {
  format: z.literal(DELETION_INCIDENT_FORMAT),
  /** The stream record's id: names the incident. */
  eventId: z.string(),
  pk: z.string(),
  sk: z.string(),
  caseId: z.string().optional(),
  deletedAt: z.iso.datetime(),
  /** Who the stream record says deleted it. */
  userIdentity: z.object({ type: z.string().optional(), principalId: z.string().optional() }).optional(),
  /** The item's `entity` (case, event, outbox...). */
  entity: z.string().optional(),
  /** For an event item: its type, place in the chain and time, which say what was lost without saying anything of the customer. */
  event: z.object({ type: z.string(), seq: z.number().int(), at: z.iso.datetime() }).partial().optional(),
  /** Digest of the item's old image (item-images.ts): whoever restores the item checks it against this. Absent only when the record carried no image. */
  sha256: z.string().optional(),
  /** The archive whose subject sealed the image, when the case has one and it verified. */
  archive: z.object({ key: z.string(), sha256: z.string() }).optional(),
};

/**
 * A deletion that was not TTL's, kept (locked, 366 days) for the alarm and whoever investigates it.
 * Never the image in clear: it is sealed with the customer's data key (the subject of the case's
 * verified archive, or the customer of the case item itself) under incidentSealContext, so that
 * destroying the key (an erasure, M5.1 / C6.1) leaves nothing of the customer readable. Without
 * the key, only the digest and the non-personal facts above are kept, and `why` says why.
 */
export const DeletionIncidentSchema = z.discriminatedUnion('imageSealed', [
  z.object({ ...incidentFields, imageSealed: z.literal(true), sealedImage: SealedSchema }),
  z.object({ ...incidentFields, imageSealed: z.literal(false), why: IncidentUnsealedWhySchema }),
]);
export type DeletionIncident = z.infer<typeof DeletionIncidentSchema>;

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

/** The context a deleted item's image is sealed under in its incident: the incident (see sealJson). */
export const incidentSealContext = (eventId: string) => `caseflow.deletion-incident/${eventId}`;

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
    await deps.archives.putIncident(await incidentOf(item, deps, cache));
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

const EVENT_TYPES: ReadonlySet<string> = new Set(CaseEventSchema.options.map((o) => o.shape.type.value));

/** What an incident may say of an item without the customer's key: its entity, and an event's type, sequence and time. */
function nonPersonalFacts(image: Record<string, unknown>): Pick<DeletionIncident, 'entity' | 'event'> {
  const entity = typeof image.entity === 'string' ? image.entity : undefined;
  if (entity !== 'event') return entity === undefined ? {} : { entity };
  const event = {
    ...(typeof image.type === 'string' && EVENT_TYPES.has(image.type) ? { type: image.type } : {}),
    ...(typeof image.seq === 'number' && Number.isInteger(image.seq) ? { seq: image.seq } : {}),
    ...(z.iso.datetime().safeParse(image.at).success ? { at: image.at as string } : {}),
  };
  return { entity, event };
}

/** The customer a case item names (its `customer`), as a subject; undefined for any other item. */
function subjectOfCaseItem(image: Record<string, unknown>): string | undefined {
  if (image.entity !== 'case') return undefined;
  const customer = CustomerSchema.safeParse(image.customer);
  return customer.success ? subjectIdOf(customer.data) : undefined;
}

type Sealing = { sealedImage: Sealed; archive?: VerifiedArchive } | { why: IncidentUnsealedWhy; archive?: VerifiedArchive };

/**
 * The deleted item's image sealed for its incident with the customer's key, found through the
 * case's verified archive, else through the case item itself; or why it is not. Only an existing
 * key: the verifier may open keys, not make them (infra/constructs/subject-key-grants.ts), and a
 * key made for an erased customer would make their data readable again. No failure here stops
 * the incident being written: it is the alarm.
 */
async function sealedImageOf(item: RemovedItem, deps: VerifyExpiryDeps, cache: ArchiveCache): Promise<Sealing> {
  const image = item.oldImage;
  if (!image) return { why: 'no-image' };
  if (item.caseId === undefined) return { why: 'no-case' };
  let archive: VerifiedArchive | null;
  try {
    archive = await archiveOf(item.caseId, deps, cache);
  } catch (error) {
    return { why: error instanceof ArchiveIntegrityError ? 'archive-unverified' : 'archive-unreadable' };
  }
  const found = archive ? { archive } : {};
  const subjectId = archive ? archive.document.subject.id : subjectOfCaseItem(image);
  if (subjectId === undefined) return { why: 'no-archive' };
  let key: SubjectKey | undefined;
  try {
    key = await deps.keys.existing(subjectId);
  } catch {
    return { why: 'key-unreadable', ...found };
  }
  if (!key) return { why: 'no-key', ...found };
  return { sealedImage: sealJson(key, image, incidentSealContext(item.eventId)), ...found };
}

/** The incident of a deletion that was not TTL's (DeletionIncidentSchema). */
async function incidentOf(item: RemovedItem, deps: VerifyExpiryDeps, cache: ArchiveCache): Promise<DeletionIncident> {
  const sealing = await sealedImageOf(item, deps, cache);
  const facts = {
    format: DELETION_INCIDENT_FORMAT,
    eventId: item.eventId,
    pk: item.pk,
    sk: item.sk,
    ...(item.caseId ? { caseId: item.caseId } : {}),
    deletedAt: item.deletedAt.toISOString(),
    ...(item.userIdentity ? { userIdentity: item.userIdentity } : {}),
    ...(item.oldImage ? { ...nonPersonalFacts(item.oldImage), sha256: itemDigest(item.oldImage) } : {}),
    ...(sealing.archive && item.caseId ? { archive: { key: caseArchiveKey(item.caseId), sha256: sealing.archive.sha256 } } : {}),
  };
  if ('why' in sealing) return { ...facts, imageSealed: false, why: sealing.why };
  return { ...facts, imageSealed: true, sealedImage: sealing.sealedImage };
}
