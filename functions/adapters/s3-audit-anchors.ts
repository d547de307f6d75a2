import type { S3Client } from '@aws-sdk/client-s3';
import type { AnchoredHead, AuditAnchors } from '../core/audit-verification';

/** The daily head digests in S3 (audit-anchor.ts): read for verification. */
export class S3AuditAnchors implements AuditAnchors {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async anchorsFor(_caseId: string): Promise<AnchoredHead[]> {
    throw new Error(`not built yet (${this.bucket}, ${typeof this.s3})`);
  }
}
