import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { caseArchiveKey } from '../core/case-archive';
import { deleteEveryVersion } from './s3-erasable-files';
import { DeletionIncidentSchema, ExpiryReceiptSchema, receiptId, type DeletionIncident, type ExpiryReceipt } from '../core/item-expiry';
import type { ArchiveIndexEntry, CaseArchives, StoredCaseArchive, SubjectIndexEntry } from '../core/ports';
import { isConditionalWriteRefused, isNotFound } from './s3-errors';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/**
 * Where things are in the case-archive bucket (the IAM grants in infra/constructs/case-archiving.ts
 * and expiry-verification.ts name these prefixes). Case ids are UUIDs, references are the case
 * numbers customers quote, receipts are named by a digest of the item's keys: no personal data.
 */
export const archiveKeys = {
  records: 'records/',
  receipt: (caseId: string, pk: string, sk: string) => `records/${caseId}/expired/${receiptId(pk, sk)}.json`,
  receiptsOf: (caseId: string) => `records/${caseId}/expired/`,
  index: (reference: string) => `index/references/${encodeURIComponent(reference)}.json`,
  indexPrefix: 'index/',
  /** A subject's archived cases: named by the digest of the address or number, never by it. */
  subject: (digest: string, caseId: string) => `index/subjects/${digest}/${caseId}.json`,
  subjectPrefix: (digest: string) => `index/subjects/${digest}/`,
  subjectsPrefix: 'index/subjects/',
  incident: (day: string, eventId: string) => `incidents/deletions/${day}/${encodeURIComponent(eventId)}.json`,
  incidentsPrefix: 'incidents/',
} as const;

const IndexEntrySchema = z.object({
  reference: z.string(),
  caseId: z.uuid(),
  key: z.string(),
  versionId: z.string().optional(),
  sha256: z.string(),
  retainUntil: z.iso.datetime(),
  expiredAt: z.iso.datetime().optional(),
});

const SubjectIndexEntrySchema = z.object({
  subjectDigest: z.string().regex(/^[0-9a-f]{64}$/),
  caseId: z.uuid(),
  reference: z.string(),
  key: z.string(),
  versionId: z.string().optional(),
  sha256: z.string(),
  retainUntil: z.iso.datetime(),
});

/** How long an index entry written at expiry stays locked (the archive's own lock has ended by then). */
const INDEX_LOCK_AFTER_EXPIRY_MS = 366 * 86_400_000;


/**
 * Closed cases' archives in the case-archive bucket (infra: `CaseArchiveBucket`, Object Lock on,
 * no default retention): each object carries its own COMPLIANCE-mode retention, so nobody (root
 * included) can delete or overwrite that version before then. Beside the archives: the reference
 * index (found after the table forgets the case), expiry receipts (one per item TTL deleted) and
 * deletion incidents. Every write carries a SHA-256 S3 checks (S3 requires a checksum on a write
 * with Object Lock parameters). s3rver (local) accepts the Object Lock headers and ignores them,
 * and keeps no versions: locally nothing is locked or versioned.
 */
export class S3CaseArchives implements CaseArchives {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(caseId: string, json: Uint8Array, sha256: string, retainUntil: Date): Promise<StoredCaseArchive> {
    const key = caseArchiveKey(caseId);
    const body = await gzip(json);
    const out = await this.write(key, body, retainUntil, { ContentEncoding: 'gzip', Metadata: { 'document-sha256': sha256 } });
    return { key, ...(out.VersionId ? { versionId: out.VersionId } : {}), sha256, bytes: body.length };
  }

  async get(caseId: string, versionId?: string): Promise<Uint8Array | undefined> {
    const stored = await this.read(caseArchiveKey(caseId), versionId);
    return stored ? new Uint8Array(await gunzip(stored)) : undefined;
  }

  async putIndex(entry: ArchiveIndexEntry): Promise<void> {
    await this.write(archiveKeys.index(entry.reference), json(IndexEntrySchema.parse(entry)), new Date(entry.retainUntil));
  }

  async getIndex(reference: string): Promise<ArchiveIndexEntry | undefined> {
    const stored = await this.read(archiveKeys.index(reference));
    return stored ? (IndexEntrySchema.parse(JSON.parse(Buffer.from(stored).toString('utf8'))) as ArchiveIndexEntry) : undefined;
  }

  async markExpired(reference: string, caseId: string, expiredAt: string): Promise<void> {
    const entry = await this.getIndex(reference);
    if (!entry || entry.caseId !== caseId || entry.expiredAt !== undefined) return;
    const lockUntil = new Date(Math.max(new Date(entry.retainUntil).getTime(), new Date(expiredAt).getTime() + INDEX_LOCK_AFTER_EXPIRY_MS));
    await this.write(archiveKeys.index(reference), json({ ...entry, expiredAt }), lockUntil);
  }

  /**
   * Locked in GOVERNANCE mode, not COMPLIANCE like the archives: its key is a digest of the
   * customer's address, which an erasure must be able to remove (with s3:BypassGovernanceRetention,
   * which only the erasure function has); nobody else can delete it before the case's retention ends.
   */
  async putSubjectIndex(entry: SubjectIndexEntry): Promise<void> {
    const parsed = SubjectIndexEntrySchema.parse(entry);
    await this.write(archiveKeys.subject(parsed.subjectDigest, parsed.caseId), json(parsed), new Date(parsed.retainUntil), { ObjectLockMode: 'GOVERNANCE' });
  }

  async subjectIndex(subjectDigest: string): Promise<SubjectIndexEntry[]> {
    const entries: SubjectIndexEntry[] = [];
    for (const key of await this.list(archiveKeys.subjectPrefix(subjectDigest))) {
      const stored = await this.read(key);
      if (stored) entries.push(SubjectIndexEntrySchema.parse(JSON.parse(Buffer.from(stored).toString('utf8'))) as SubjectIndexEntry);
    }
    return entries;
  }

  /** Every version, past the GOVERNANCE lock (the erasure's role alone may bypass it: infra). */
  async deleteSubjectIndexEntry(subjectDigest: string, caseId: string): Promise<void> {
    await deleteEveryVersion(this.s3, this.bucket, archiveKeys.subject(subjectDigest, caseId), { exactKey: true, bypassGovernance: true });
  }

  async putReceipt(receipt: ExpiryReceipt, retainUntil: Date): Promise<'written' | 'exists'> {
    const key = archiveKeys.receipt(receipt.caseId, receipt.pk, receipt.sk);
    try {
      // Conditional: a receipt is written once, whoever writes it first (a redelivery, a redrive).
      // s3rver ignores the condition and keeps no versions: locally a second write replaces the
      // first with the same receipt (one record, one content), under the same key.
      await this.write(key, json(ExpiryReceiptSchema.parse(receipt)), retainUntil, { IfNoneMatch: '*' });
      return 'written';
    } catch (error) {
      if (isConditionalWriteRefused(error)) return 'exists';
      throw error;
    }
  }

  async receiptsOf(caseId: string): Promise<ExpiryReceipt[]> {
    const receipts: ExpiryReceipt[] = [];
    for (const key of await this.list(archiveKeys.receiptsOf(caseId))) {
      const stored = await this.read(key);
      if (stored) receipts.push(ExpiryReceiptSchema.parse(JSON.parse(Buffer.from(stored).toString('utf8'))));
    }
    return receipts;
  }

  /** Through its schema, which keeps only its fields: no image in clear gets into a locked object (M5.1, C6.1). */
  async putIncident(incident: DeletionIncident): Promise<void> {
    const key = archiveKeys.incident(incident.deletedAt.slice(0, 10), incident.eventId);
    await this.write(key, json(DeletionIncidentSchema.parse(incident)), new Date(new Date(incident.deletedAt).getTime() + INDEX_LOCK_AFTER_EXPIRY_MS));
  }

  /** Every key under a prefix, page by page. */
  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  private write(
    key: string,
    body: Uint8Array,
    retainUntil: Date,
    extra: { ContentEncoding?: string; Metadata?: Record<string, string>; IfNoneMatch?: string; ObjectLockMode?: 'COMPLIANCE' | 'GOVERNANCE' } = {},
  ) {
    return this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: retainUntil,
        ...extra,
      }),
    );
  }

  private async read(key: string, versionId?: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key, ...(versionId ? { VersionId: versionId } : {}) }));
      return (await out.Body?.transformToByteArray()) ?? undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
