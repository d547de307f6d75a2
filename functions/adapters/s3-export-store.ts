import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ExportStore } from '../core/compliance-export';
import { isConditionalWriteRefused, isNotFound } from './s3-errors';


/**
 * The exports bucket (core/compliance-export.ts): files and manifests under `exports/`, keyed by
 * period, day and sequence number (no personal data in any key). Every write carries its SHA-256
 * for S3 to check. The chain's manifests are written with `If-None-Match: *`, so two exports never
 * take the same place; s3rver ignores the condition, so a HEAD comes first (locally one process
 * seals at a time, and the HEAD is then enough).
 */
export class S3ExportStore implements ExportStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, ChecksumSHA256: createHash('sha256').update(bytes).digest('base64') }));
  }

  async putIfAbsent(key: string, bytes: Uint8Array, contentType: string): Promise<'written' | 'exists'> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return 'exists';
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    try {
      await this.s3.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: contentType, IfNoneMatch: '*', ChecksumSHA256: createHash('sha256').update(bytes).digest('base64') }),
      );
      return 'written';
    } catch (error) {
      if (isConditionalWriteRefused(error)) return 'exists';
      throw error;
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return (await out.Body?.transformToByteArray()) ?? undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}
