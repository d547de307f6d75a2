import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip as gunzipCb, gzip as gzipCb } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { caseArchiveKey } from '../core/case-archive';
import type { CaseArchives, StoredCaseArchive } from '../core/ports';

const gzip = promisify(gzipCb);
const gunzip = promisify(gunzipCb);

/**
 * Closed cases' archives in the case-archive bucket (infra: `CaseArchiveBucket`, Object Lock on,
 * no default retention): each object carries its own COMPLIANCE-mode retention until the case's
 * retention ends, so nobody (root included) can delete or overwrite that version before then.
 * The body is the document's canonical JSON, gzipped; S3 checks the upload against its SHA-256
 * (S3 also requires a checksum on a write with Object Lock parameters), and the document's own
 * checksum is kept as metadata. s3rver (local) accepts the Object Lock headers and ignores them,
 * and keeps no versions: locally the object is neither locked nor versioned.
 */
export class S3CaseArchives implements CaseArchives {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(caseId: string, json: Uint8Array, sha256: string, retainUntil: Date): Promise<StoredCaseArchive> {
    const key = caseArchiveKey(caseId);
    const body = await gzip(json);
    const out = await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ContentEncoding: 'gzip',
        ChecksumSHA256: createHash('sha256').update(body).digest('base64'),
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: retainUntil,
        Metadata: { 'document-sha256': sha256 },
      }),
    );
    return { key, ...(out.VersionId ? { versionId: out.VersionId } : {}), sha256, bytes: body.length };
  }

  async get(caseId: string, versionId?: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: caseArchiveKey(caseId), ...(versionId ? { VersionId: versionId } : {}) }));
      const stored = await out.Body?.transformToByteArray();
      if (!stored) return undefined;
      return new Uint8Array(await gunzip(stored));
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
