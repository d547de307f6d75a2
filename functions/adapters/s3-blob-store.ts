import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { create as contentDisposition } from 'content-disposition';
import type { BlobBody, BlobMetadata, BlobStore } from '../core/ports';
import { standInCredentials, type Endpoints } from './aws-clients';

/**
 * The S3 client. With S3_ENDPOINT (s3rver locally): path-style addressing, and checksums only
 * when an operation requires them — s3rver stores streamed bodies corrupted under the SDK's
 * default checksums.
 */
export function createS3Client(cfg: Pick<Endpoints, 'AWS_REGION' | 'S3_ENDPOINT' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY'>): S3Client {
  return new S3Client({
    region: cfg.AWS_REGION,
    ...(cfg.S3_ENDPOINT
      ? { endpoint: cfg.S3_ENDPOINT, forcePathStyle: true, credentials: standInCredentials(cfg), requestChecksumCalculation: 'WHEN_REQUIRED' as const }
      : {}),
  });
}

/** Attachments (and other blobs) in one bucket; the bucket's default encryption applies. */
export class S3BlobStore implements BlobStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /**
   * A spooled body is streamed with its length, so a large attachment is never in memory whole.
   * The file name goes into Content-Disposition (RFC 6266, with an ASCII fallback), so a download
   * gets it back, while the key carries none of it.
   */
  async put(key: string, body: BlobBody, metadata: BlobMetadata): Promise<void> {
    const streamed = body instanceof Uint8Array ? { Body: body } : { Body: Readable.from(body.open()), ContentLength: body.size };
    const disposition = metadata.filename ? { ContentDisposition: contentDisposition(metadata.filename) } : {};
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: metadata.contentType, ...disposition, ...streamed }));
  }

  /** The object as a stream (the raw inbound message, read once per parse pass), with its metadata and size. */
  async open(key: string): Promise<{ stream: Readable; metadata: Record<string, string>; size: number | undefined }> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!(out.Body instanceof Readable)) throw new Error('S3 object body is not a Node.js stream');
    return { stream: out.Body, metadata: out.Metadata ?? {}, size: out.ContentLength };
  }

  /** The object's bytes and user metadata (the inbound raw message, or a stored attachment). */
  async get(key: string): Promise<{ body: Buffer; metadata: Record<string, string> }> {
    const { stream, metadata } = await this.open(key);
    return { body: await buffer(stream), metadata };
  }
}
