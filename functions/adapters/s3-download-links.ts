import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BlobMetadata, DownloadLink, DownloadLinks } from '../core/ports';

/** A media type as RFC 9110 writes one (`type/subtype`, parameters allowed), nothing a header could be bent with. */
const MEDIA_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+(?:\s*;\s*[\w!#$&^.+-]+=(?:[\w!#$&^.+-]+|"[^"\r\n\\]*"))*$/;

/**
 * Presigned S3 GETs of the attachments bucket, signed with the function's own credentials (its
 * role in AWS may read the attachments and nothing else; s3rver locally, on 127.0.0.1, which the
 * browser reaches as well). The object was stored with `Content-Disposition: attachment` and its
 * name (s3-blob-store.ts), so the download is a file under its name, never a page the browser
 * renders; the name is not repeated in the link, whose query string reaches S3's access logs and
 * the browser's download history (a file name is often personal: "J_Smith_passport.pdf"). The signing time is the real time, not the local stack's
 * movable clock: storage checks the link against its own.
 */
export class S3DownloadLinks implements DownloadLinks {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async link(key: string, metadata: Required<BlobMetadata>, expiresInSeconds: number): Promise<DownloadLink> {
    const signedAt = new Date();
    const url = await getSignedUrl(
      this.s3,
      new GetObjectCommand({
        Bucket: this.bucket,
        Key: key,
        // A file stored without a name has no disposition of its own: make it a download all the same.
        ...(metadata.filename ? {} : { ResponseContentDisposition: 'attachment' }),
        ResponseContentType: MEDIA_TYPE.test(metadata.contentType) ? metadata.contentType : 'application/octet-stream',
      }),
      { expiresIn: expiresInSeconds, signingDate: signedAt },
    );
    return { url, expiresAt: new Date(signedAt.getTime() + expiresInSeconds * 1000) };
  }
}
