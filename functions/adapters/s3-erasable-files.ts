import { DeleteObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ErasableFiles } from '../core/privacy-erasure';

const isNotImplemented = (error: unknown) => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NotImplemented' || e.name === 'MethodNotAllowed' || e.$metadata?.httpStatusCode === 501 || e.$metadata?.httpStatusCode === 405;
};

/**
 * Deletes every version of the objects under `prefix` (or of the one object `exactKey`): in a
 * versioned bucket a plain DeleteObject only adds a delete marker and the data stays. Versions
 * locked in GOVERNANCE mode are deleted with the bypass (the caller's role must be allowed
 * s3:BypassGovernanceRetention; COMPLIANCE locks refuse whatever the role). A store without
 * versions (s3rver locally) refuses the listing (405 or 501): its current objects are deleted instead.
 * Returns how many objects (keys) had something deleted.
 */
export async function deleteEveryVersion(s3: S3Client, bucket: string, prefix: string, options: { exactKey?: boolean; bypassGovernance?: boolean } = {}): Promise<number> {
  const keys = new Set<string>();
  const matches = (key: string | undefined): key is string => key !== undefined && (!options.exactKey || key === prefix);
  try {
    let keyMarker: string | undefined;
    let versionMarker: string | undefined;
    do {
      const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix, ...(keyMarker ? { KeyMarker: keyMarker, VersionIdMarker: versionMarker } : {}) }));
      for (const v of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
        if (!matches(v.Key)) continue;
        await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: v.Key, ...(v.VersionId ? { VersionId: v.VersionId } : {}), ...(options.bypassGovernance ? { BypassGovernanceRetention: true } : {}) }));
        keys.add(v.Key);
      }
      keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
      versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
    } while (keyMarker);
    return keys.size;
  } catch (error) {
    if (!isNotImplemented(error)) throw error;
  }
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) {
      if (!matches(o.Key)) continue;
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: o.Key }));
      keys.add(o.Key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys.size;
}

/** One bucket's objects as an erasure deletes them (the attachments bucket, the inbound bucket). */
export class S3ErasableFiles implements ErasableFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async delete(key: string): Promise<boolean> {
    return (await deleteEveryVersion(this.s3, this.bucket, key, { exactKey: true })) > 0;
  }

  deletePrefix(prefix: string): Promise<number> {
    return deleteEveryVersion(this.s3, this.bucket, prefix);
  }
}
