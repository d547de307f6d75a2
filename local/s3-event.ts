import { randomUUID } from 'node:crypto';
import type { S3Event } from 'aws-lambda';

/**
 * Encodes a key as S3 event notifications do (`application/x-www-form-urlencoded`, `/` kept):
 * `inbound/red flower.eml` becomes `inbound/red+flower.eml`. Consumers decode with
 * `decodeURIComponent(key.replace(/\+/g, ' '))`.
 */
export function s3EventKey(key: string): string {
  return Array.from(Buffer.from(key, 'utf8'), (byte) => {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.*/]/.test(c)) return c;
    if (c === ' ') return '+';
    return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
}

let lastSequencer = 0n;
/** Increasing hex sequencer, like the one S3 gives events on the same key. */
export function nextSequencer(): string {
  const now = process.hrtime.bigint();
  lastSequencer = now > lastSequencer ? now : lastSequencer + 1n;
  return lastSequencer.toString(16).toUpperCase().padStart(18, '0');
}

export interface ObjectCreated {
  bucket: string;
  key: string;
  size: number;
  eTag?: string;
  region?: string;
  /** Who stored it (the event's principal): the local SES stand-in, the reconciler, a test. */
  principal?: string;
  configurationId?: string;
  requestId?: string;
}

/** The `ObjectCreated:Put` notification AWS sends for a stored object: what the SES S3 action triggers. */
export function objectCreatedEvent(o: ObjectCreated): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: o.region ?? 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: `AWS:${o.principal ?? 'LOCAL'}` },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': o.requestId ?? randomUUID(), 'x-amz-id-2': randomUUID() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: o.configurationId ?? 'caseflow-inbound',
          bucket: { name: o.bucket, ownerIdentity: { principalId: o.principal ?? 'LOCAL' }, arn: `arn:aws:s3:::${o.bucket}` },
          object: { key: s3EventKey(o.key), size: o.size, eTag: (o.eTag ?? '').replace(/"/g, ''), sequencer: nextSequencer() },
        },
      },
    ],
  };
}
