import { Readable } from 'node:stream';
import { GetObjectCommand, HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { StoredFiles } from '../core/privacy-access';
import { isNotFound } from './s3-errors';


/**
 * Objects of one bucket read as streams (a case's stored files, the raw inbound mail), for an
 * export that copies them one at a time without holding them in memory. A missing object is
 * undefined, not an error: the export lists it as missing. (The reader needs s3:ListBucket on the
 * bucket, or S3 answers 403 for a missing key.)
 */
export class S3StoredFiles implements StoredFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array> | undefined> {
    try {
      const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!(out.Body instanceof Readable)) throw new Error('S3 object body is not a Node.js stream');
      return out.Body;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
