import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import { verifyAuditTrail } from './audit-verification';
import { caseAttachments } from './case-attachments';
import { CaseSchema, SYSTEM, type Case } from './case';
import { CaseEventSchema } from './case-event';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { CaseStateError, ConcurrentUpdateError } from './errors';
import { EscalationRecordSchema } from './escalation';
import { isWholeSnapshot, itemDigest, type CaseItemImages, type ItemImage } from './item-images';
import { OutboxMessageSchema } from './outbox';
import { subjectsOfCustomer } from './privacy-subject';
import type { CaseArchives, CaseStore } from './ports';
import { eraseCase, eraseEscalationRecord, eraseOutboxMessage, eraseTimeline } from './erased-form';
import { ERASED } from './personal-data';
import { openJson, SealedSchema, sealJson, subjectIdOf, type SubjectKey, type SubjectKeys } from './subject-keys';

/**
 * The archive of a closed case (M7.2: records kept five years and available for audit): one
 * self-contained document — the case, its whole hash-chained timeline and the chain's head, the
 * escalation log, the outbox history and the manifest of its stored files — written as canonical
 * (RFC 8785) JSON, so its SHA-256 does not depend on key order, and kept in an Object-Lock bucket
 * until the case's own retention ends. It holds no time of its own: the same case archived twice
 * (a redelivered stream record) gives the same bytes and checksum. It also lists every table item of
 * the case with the digest of its image (`items`), so that when TTL deletes an item the expiry
 * verifier can tell whether the archive holds it as it was (item-expiry.ts).
 *
 * Crypto-shredding (M5.1, C6.1): the document keeps in clear only the non-personal form of the
 * records (erased-form.ts: placeholders for personal values, redacted events whose chain still
 * verifies), and the whole record sealed with the customer's own data key (subject-keys.ts). An
 * auditor with the key reads and verifies everything; once an erasure has destroyed the key, the
 * clear part still verifies, and nothing of the customer can be read.
 */
export const CASE_ARCHIVE_FORMAT = 'caseflow.case-archive/3';

/** The object key: the case id only, never personal data. */
export const caseArchiveKey = (caseId: string) => `records/${caseId}/case-archive.json.gz`;

export const AttachmentManifestEntrySchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  key: z.string(),
});

/** One table item of the case when it was archived: its keys and the digest of its image (item-images.ts). */
export const ArchivedItemSchema = z.object({ pk: z.string(), sk: z.string(), sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type ArchivedItem = z.infer<typeof ArchivedItemSchema>;

/** The whole record, personal data and all: what the archive seals with the customer's key. */
export const SealedRecordSchema = z.object({
  case: CaseSchema,
  timeline: z.array(CaseEventSchema),
  escalations: z.array(EscalationRecordSchema),
  outbox: z.array(OutboxMessageSchema),
  attachments: z.array(AttachmentManifestEntrySchema),
});
export type SealedRecord = z.infer<typeof SealedRecordSchema>;

export const CaseArchiveSchema = z.object({
  format: z.literal(CASE_ARCHIVE_FORMAT),
  caseId: z.uuid(),
  /** The customer whose key seals the record (a digest of their address, never the address). */
  subject: z.object({ id: z.string(), keyId: z.string() }),
  /** Until when the archive is locked (Object Lock, compliance mode): the case's retention expiry. */
  retainUntil: z.iso.datetime(),
  case: CaseSchema,
  timeline: z.array(CaseEventSchema),
  auditHead: z.object({ version: z.number().int().nonnegative(), lastEventHash: z.string() }),
  escalations: z.array(EscalationRecordSchema),
  outbox: z.array(OutboxMessageSchema),
  attachments: z.array(AttachmentManifestEntrySchema),
  /** Every item of the case in the table when it was archived, in key order. */
  items: z.array(ArchivedItemSchema),
  /** The whole record (SealedRecordSchema), sealed with the subject's key; the context is the case id. */
  sealed: SealedSchema,
});
export type CaseArchive = z.infer<typeof CaseArchiveSchema>;

/** What the archive is built from: the case as read, and every record of its partition. */
export type CaseArchiveSource = Pick<CaseArchive, 'case' | 'timeline' | 'escalations' | 'outbox'> & { items: readonly ItemImage[] };

const byKey = (a: { pk: string; sk: string }, b: { pk: string; sk: string }) => (a.pk === b.pk ? (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0) : a.pk < b.pk ? -1 : 1);

/** The archive's item list: keys and digests, in key order. */
export const archivedItems = (items: readonly ItemImage[]): ArchivedItem[] => items.map(({ pk, sk, image }) => ({ pk, sk, sha256: itemDigest(image) })).sort(byKey);

/** The archive document, its canonical JSON bytes and their SHA-256 (lower-case hex). */
export interface BuiltCaseArchive {
  document: CaseArchive;
  json: Uint8Array;
  sha256: string;
  retainUntil: Date;
}

const sha256Hex = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The canonical JSON of a document, as stored. */
export function canonicalArchiveBytes(document: CaseArchive): Uint8Array {
  return new TextEncoder().encode(canonicalize(document));
}

/** When a closed case's archive may be deleted at the earliest: its `expiresAt` (lifecycle.ts), never sooner. */
export function archiveRetainUntil(c: Case): Date {
  if (c.status !== 'closed' || c.expiresAt === undefined) throw new CaseStateError(`${c.reference} is not closed: only a closed case is archived`);
  return new Date(c.expiresAt * 1000);
}

const manifestOf = (timeline: readonly z.infer<typeof CaseEventSchema>[]) =>
  caseAttachments(timeline).map(({ filename, contentType, size, sha256, key }) => ({ filename, contentType, size, sha256, key }));

/** The context a record is sealed under: the case it belongs to (a sealed record moved to another archive does not open). */
const sealContext = (caseId: string) => `caseflow.case-archive/${caseId}`;

/**
 * Builds the archive of a closed case, sealing its record with the customer's key. Throws
 * CaseStateError for a case not closed.
 */
export function buildCaseArchive(source: CaseArchiveSource, key: SubjectKey): BuiltCaseArchive {
  const c = source.case;
  const retainUntil = archiveRetainUntil(c);
  const timeline = [...source.timeline].sort((a, b) => a.seq - b.seq);
  const attachments = manifestOf(timeline);
  const record: SealedRecord = { case: c, timeline, escalations: [...source.escalations], outbox: [...source.outbox], attachments };
  // The clear part: the record's non-personal form, redacted as of the closure (the archive holds no time of its own).
  const at = c.closedAt ?? c.updatedAt;
  const document: CaseArchive = {
    format: CASE_ARCHIVE_FORMAT,
    caseId: c.caseId,
    subject: { id: subjectIdOf(c.customer), keyId: key.keyId },
    retainUntil: retainUntil.toISOString(),
    case: eraseCase(c),
    timeline: eraseTimeline(timeline, ARCHIVE_SEAL_REQUEST, at).events,
    auditHead: { version: c.version, lastEventHash: c.lastEventHash },
    escalations: record.escalations.map(eraseEscalationRecord),
    outbox: record.outbox.map(eraseOutboxMessage),
    attachments: attachments.map((a) => ({ ...a, filename: ERASED })),
    items: archivedItems(source.items),
    sealed: sealJson(key, record, sealContext(c.caseId)),
  };
  const json = canonicalArchiveBytes(document);
  return { document, json, sha256: sha256Hex(json), retainUntil };
}

/** The `requestId` of the redaction markers in an archive's clear part: no request erased them, the archive sealed them. */
export const ARCHIVE_SEAL_REQUEST = 'archive-seal';

export interface ArchiveVerdict {
  verified: boolean;
  /** SHA-256 of the document's canonical JSON (of the bytes given, when bytes were given). */
  sha256?: string;
  /** What does not hold, in words (no personal data: sequence numbers, field names, ids). */
  problems: string[];
  document?: CaseArchive;
  /** The sealed record, opened with the subject's key (absent without the key). */
  record?: SealedRecord;
  /** `opened`: the key was given and the sealed record verified; `sealed`: only the clear part was verified. */
  personalData?: 'opened' | 'sealed';
}

/**
 * Whose key seals an archive: its `subject`, read without verifying anything (the caller verifies
 * with the key it finds). Undefined for bytes that are not an archive.
 */
export function archiveSubjectOf(bytes: Uint8Array): { id: string; keyId: string } | undefined {
  try {
    const parsed = CaseArchiveSchema.shape.subject.safeParse((JSON.parse(new TextDecoder().decode(bytes)) as { subject?: unknown }).subject);
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

const trailProblem = (trail: { valid: boolean; brokenAtSeq?: number; reason?: string }, what: string) =>
  `${what} does not verify${trail.brokenAtSeq !== undefined ? ` at event ${trail.brokenAtSeq}` : ''}: ${trail.reason ?? 'unknown'}`;

/**
 * Verifies an archive (M7.3): bytes (the JSON, gunzipped) or a parsed document. Recomputes the
 * checksum — against `expectedSha256` (the one recorded on the case) when given, and the bytes must
 * be the document's canonical form — then verifies the clear part: the redacted hash chain, that it
 * ends at the head the archived case carries, the escalation log and the case's non-personal fields
 * against the trail, and that it holds no personal data. With the subject's key it also opens the
 * sealed record and verifies it whole: its chain and head, the case and escalation log, the
 * attachment manifest against the files the trail lists, and that the clear part is exactly its
 * non-personal form.
 */
export function verifyCaseArchive(input: unknown, expectedSha256?: string, key?: SubjectKey): ArchiveVerdict {
  const problems: string[] = [];
  let raw: unknown = input;
  let bytesSha: string | undefined;
  if (input instanceof Uint8Array) {
    bytesSha = sha256Hex(input);
    try {
      raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(input));
    } catch {
      return { verified: false, sha256: bytesSha, problems: ['the archive is not JSON'] };
    }
  }
  const parsed = CaseArchiveSchema.safeParse(raw);
  if (!parsed.success) {
    const where = parsed.error.issues.slice(0, 5).map((i) => i.path.join('.') || '(document)');
    return { verified: false, ...(bytesSha ? { sha256: bytesSha } : {}), problems: [`the archive is not a ${CASE_ARCHIVE_FORMAT} document (at ${where.join(', ')})`] };
  }
  const document = parsed.data;
  const canonicalSha = sha256Hex(canonicalArchiveBytes(document));
  const sha256 = bytesSha ?? canonicalSha;
  if (bytesSha !== undefined && bytesSha !== canonicalSha) problems.push('the archive bytes are not the canonical JSON of its document');
  if (expectedSha256 !== undefined && sha256 !== expectedSha256.toLowerCase()) problems.push('the archive checksum differs from the one recorded on the case');

  const c = document.case;
  if (c.caseId !== document.caseId) problems.push('the archived case is not the case the archive names');
  if (document.auditHead.version !== c.version || document.auditHead.lastEventHash !== c.lastEventHash) problems.push('the archived audit head is not the head the case carries');
  if (document.timeline.some((e) => e.caseId !== c.caseId) || document.escalations.some((e) => e.caseId !== c.caseId) || document.outbox.some((m) => m.caseId !== c.caseId)) {
    problems.push('the archive holds records of another case');
  }
  const trail = verifyAuditTrail(document.timeline, document.auditHead, [], document.escalations, c, { erased: true });
  if (!trail.valid) problems.push(trailProblem(trail, 'the audit trail'));
  if (document.timeline.some((e) => e.salt !== undefined) || canonicalize(eraseCase(c)) !== canonicalize(c)) problems.push('the clear part of the archive holds personal data');
  const keys = document.items.map((i) => `${i.pk}\n${i.sk}`);
  if (new Set(keys).size !== keys.length || document.items.some((item, n) => n > 0 && byKey(document.items[n - 1]!, item) >= 0)) {
    problems.push('the item list is not in key order or names an item twice');
  }
  if (document.items.length === 0) problems.push('the item list is empty: the archive does not say which items of the table it holds');
  if (!key) return { verified: problems.length === 0, sha256, problems, document, personalData: 'sealed' };

  let record: SealedRecord | undefined;
  try {
    const opened = SealedRecordSchema.safeParse(openJson(key, document.sealed, sealContext(document.caseId)));
    if (opened.success) record = opened.data;
    else problems.push('the sealed record is not a case record');
  } catch {
    problems.push('the sealed record does not open with the customer’s key: it was altered, or sealed for another case');
  }
  if (record) {
    const full = verifyAuditTrail(record.timeline, document.auditHead, [], record.escalations, record.case);
    if (!full.valid) problems.push(trailProblem(full, 'the sealed audit trail'));
    if (canonicalize(record.attachments) !== canonicalize(manifestOf(record.timeline))) problems.push('the attachment manifest differs from the files the trail lists');
    const at = record.case.closedAt ?? record.case.updatedAt;
    const clear = {
      case: eraseCase(record.case),
      timeline: eraseTimeline(record.timeline, ARCHIVE_SEAL_REQUEST, at).events,
      escalations: record.escalations.map(eraseEscalationRecord),
      outbox: record.outbox.map(eraseOutboxMessage),
      attachments: record.attachments.map((a) => ({ ...a, filename: ERASED })),
    };
    const stored = { case: document.case, timeline: document.timeline, escalations: document.escalations, outbox: document.outbox, attachments: document.attachments };
    if (canonicalize(clear) !== canonicalize(stored)) problems.push('the clear part of the archive is not the non-personal form of its sealed record');
  }
  return { verified: problems.length === 0, sha256, problems, document, ...(record ? { record } : {}), personalData: 'opened' };
}

/** Where an archive was written, as recorded on the case and its `case_archived` event. */
export interface ArchiveLocation {
  key: string;
  sha256: string;
  versionId?: string;
  bytes: number;
  retainUntil: string;
  /**
   * The case version the archive holds: when given, the archive is recorded only on that version
   * (a change since, which the archive lacks, throws ConcurrentUpdateError and it is built again).
   */
  caseVersion?: number;
}

export interface RecordArchiveDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange'>;
  clock: Clock;
}

/**
 * Records a written archive on the case (`archive`) with a chained `case_archived` event, through
 * the system's change path. Recording the same archive again (same checksum) does nothing; a
 * case that is not closed is refused. Returns whether it recorded, undefined for no such case.
 * `read`: the case as the caller has just read it, to plan on instead of reading it again; the
 * write is conditioned on its version all the same, and a conflict reads the case afresh.
 */
export async function recordArchive(caseId: string, archive: ArchiveLocation, deps: RecordArchiveDeps, read?: Case): Promise<{ recorded: boolean } | undefined> {
  let found = false;
  let first = read?.caseId === caseId ? read : undefined;
  const store: RecordArchiveDeps['store'] = {
    getCase: (id) => {
      const given = first;
      first = undefined;
      return given ? Promise.resolve(given) : deps.store.getCase(id);
    },
    applyChange: (change) => deps.store.applyChange(change),
  };
  const done = await changeCase(store, caseId, (current) => {
    found = true;
    if (current.archive?.sha256 === archive.sha256) return undefined;
    if (current.status !== 'closed') throw new CaseStateError(`${current.reference} is not closed: only a closed case is archived`);
    if (archive.caseVersion !== undefined && current.version !== archive.caseVersion) {
      throw new ConcurrentUpdateError(`The case changed since version ${archive.caseVersion}, the one archived`, current.version);
    }
    const iso = deps.clock.now().toISOString();
    const { key, sha256, versionId, bytes, retainUntil } = archive;
    const next: Case = { ...current, updatedAt: iso, archive: { key, sha256, ...(versionId ? { versionId } : {}), archivedAt: iso, retainUntil, bytes } };
    return {
      next,
      drafts: [{ type: 'case_archived', at: iso, actor: SYSTEM, data: { key, sha256, ...(versionId ? { versionId } : {}), bytes, retainUntil } }],
      result: { recorded: true },
    };
  });
  if (done) return done.result;
  return found ? { recorded: false } : undefined;
}

export interface ArchiveClosedCaseDeps extends RecordArchiveDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange' | 'getTimeline' | 'getEscalations' | 'getOutboxHistory'>;
  archives: CaseArchives;
  itemImages: CaseItemImages;
  /** The customers' data keys: the archive's record is sealed with its customer's. */
  keys: Pick<SubjectKeys, 'keyFor'>;
}

export type ArchiveOutcome = 'archived' | 'archived-already' | 'not-closed' | 'no-such-case';

/**
 * Archives a closed case (the archiver, from the table's stream): reads the case with its trail,
 * escalation log, outbox history and item images as of one moment (one read of its partition, read
 * again when a change landed halfway through it), writes the archive, and records it on the case —
 * on the version archived, so that the archive holds every event before `case_archived` (a change
 * landing meanwhile makes it build again). A case that has its archive is left alone, so a
 * redelivered record writes nothing.
 */
export async function archiveClosedCase(caseId: string, deps: ArchiveClosedCaseDeps, maxAttempts = 3): Promise<ArchiveOutcome> {
  for (let attempt = 1; ; attempt += 1) {
    const records = await deps.itemImages.recordsOf(caseId);
    if (!records) return 'no-such-case';
    const c = records.case;
    if (c.archive) return 'archived-already';
    if (c.status !== 'closed') return 'not-closed';
    if (!isWholeSnapshot(records)) {
      if (attempt >= maxAttempts) throw new ConcurrentUpdateError('The case changed while its records were read', c.version);
      continue;
    }
    const { timeline, escalations, outbox, items } = records;
    const key = await deps.keys.keyFor(subjectIdOf(c.customer));
    const built = buildCaseArchive({ case: c, timeline, escalations, outbox, items }, key);
    const stored = await deps.archives.put(caseId, built.json, built.sha256, built.retainUntil);
    // The index first: an archive recorded on the case is always findable by reference after expiry.
    await deps.archives.putIndex({
      reference: c.reference,
      caseId,
      key: stored.key,
      ...(stored.versionId ? { versionId: stored.versionId } : {}),
      sha256: built.sha256,
      retainUntil: built.document.retainUntil,
    });
    // And by the customer's address and number (digests only): an access request finds the case there once it has expired (M5.1).
    for (const subject of subjectsOfCustomer(c.customer)) {
      await deps.archives.putSubjectIndex({
        subjectDigest: subject.digest,
        caseId,
        reference: c.reference,
        key: stored.key,
        ...(stored.versionId ? { versionId: stored.versionId } : {}),
        sha256: built.sha256,
        retainUntil: built.document.retainUntil,
      });
    }
    try {
      await recordArchive(caseId, { ...stored, sha256: built.sha256, retainUntil: built.document.retainUntil, caseVersion: c.version }, deps, c);
      return 'archived';
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError) || attempt >= maxAttempts) throw error;
    }
  }
}
