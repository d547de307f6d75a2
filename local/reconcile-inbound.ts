import { paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createDocumentClient } from '../functions/adapters/aws-clients';
import { DynamoInboundMailStore } from '../functions/adapters/dynamo/inbound-mail-store';
import { parseMime, UnparseableEmailError } from '../functions/adapters/email/parse-mime';
import { createS3Client, S3BlobStore } from '../functions/adapters/s3-blob-store';
import { inboundKey, legacyInboundKey } from '../functions/core/email/ingest-email';
import { objectCreatedEvent } from './s3-event';

/**
 * Nothing lost: every raw message in the inbound bucket must have ended as an
 * inbound record (a case, a reply, a classified non-case) or a quarantine record. This lists the
 * ones that did not (an ingestion that failed and was never retried) and can re-drive them through
 * the ingestion handler. A pure function of its options, so a scheduled Lambda can wrap it later.
 *
 * How a message is matched: quarantine records carry the raw object key; inbound records are keyed
 * by the message's Message-ID (or raw-bytes hash), so the raw message is read and parsed to find
 * its key — which also accounts for a second delivery of a message recorded before.
 * The report carries object keys, sizes and times only: no addresses, subjects or bodies.
 */

export interface ReconcileInboundOptions {
  region?: string;
  /** Unset in AWS (the SDK's defaults); the stand-ins' URLs locally. */
  s3Endpoint?: string;
  dynamodbEndpoint?: string;
  /** The stand-ins' credentials, with local endpoints (unset in AWS). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  table: string;
  bucket: string;
  /** Only objects under this prefix (default: the whole bucket). */
  prefix?: string;
  /** Leave alone objects younger than this (a message may be in flight); default 0. */
  minAgeSeconds?: number;
  /** Re-drive each missing message through this S3 ObjectCreated handler (the email-ingest handler). */
  redrive?: (event: S3Event) => Promise<unknown>;
  now?: () => Date;
}

export interface MissingMessage {
  key: string;
  size: number;
  lastModified: string;
  /** Why it counts as missing: no record for its Message-ID, or unparseable and not quarantined. */
  reason: 'no inbound or quarantine record' | 'unparseable and not quarantined';
}

export interface RedriveResult {
  key: string;
  ok: boolean;
  /** The handler's outcome (e.g. `case_opened`, `recorded`, `quarantined`) or the error's name. */
  outcome: string;
}

export interface ReconcileInboundReport {
  scanned: number;
  skippedYoung: number;
  quarantined: number;
  recorded: number;
  missing: MissingMessage[];
  redriven: RedriveResult[];
  /** Missing messages that are still missing after the re-drive (all of them without one). */
  stillMissing: number;
}


/** The handler's result for one record, in words. */
function outcomeOf(result: unknown): string {
  const outcomes = (result as { outcomes?: { outcome?: unknown }[] } | undefined)?.outcomes;
  const first = outcomes?.[0]?.outcome;
  return typeof first === 'string' ? first : 'no outcome';
}

export async function reconcileInbound(opts: ReconcileInboundOptions): Promise<ReconcileInboundReport> {
  const region = opts.region ?? 'us-east-1';
  const keys = { AWS_ACCESS_KEY_ID: opts.credentials?.accessKeyId, AWS_SECRET_ACCESS_KEY: opts.credentials?.secretAccessKey };
  const s3: S3Client = createS3Client({ AWS_REGION: region, S3_ENDPOINT: opts.s3Endpoint, ...keys });
  const doc = createDocumentClient({ AWS_REGION: region, DYNAMODB_ENDPOINT: opts.dynamodbEndpoint, SES_ENDPOINT: undefined, S3_ENDPOINT: undefined, ...keys });
  const store = new DynamoInboundMailStore(doc, opts.table);
  const inbound = new S3BlobStore(s3, opts.bucket);
  const now = (opts.now ?? (() => new Date()))().getTime();
  const report: ReconcileInboundReport = { scanned: 0, skippedYoung: 0, quarantined: 0, recorded: 0, missing: [], redriven: [], stillMissing: 0 };
  const eTags = new Map<string, string>();
  try {
    const quarantined = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await store.listQuarantine(100, cursor);
      for (const item of page.items) quarantined.add(item.rawObjectKey);
      cursor = page.cursor;
    } while (cursor);

    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: opts.bucket, ...(opts.prefix ? { Prefix: opts.prefix } : {}) })) {
      for (const object of page.Contents ?? []) {
        if (!object.Key) continue;
        report.scanned += 1;
        const modified = object.LastModified ?? new Date(0);
        if (opts.minAgeSeconds && now - modified.getTime() < opts.minAgeSeconds * 1000) {
          report.skippedYoung += 1;
          continue;
        }
        if (quarantined.has(object.Key)) {
          report.quarantined += 1;
          continue;
        }
        const missing = (reason: MissingMessage['reason']) => {
          report.missing.push({ key: object.Key ?? '', size: object.Size ?? 0, lastModified: modified.toISOString(), reason });
          eTags.set(object.Key ?? '', (object.ETag ?? '').replace(/"/g, ''));
        };
        const { body } = await inbound.get(object.Key);
        try {
          const parsed = await parseMime(body);
          if ((await store.getInbound(inboundKey(parsed.email))) ?? (await store.getInbound(legacyInboundKey(parsed.email)))) report.recorded += 1;
          else missing('no inbound or quarantine record');
        } catch (error) {
          if (!(error instanceof UnparseableEmailError)) throw error;
          missing('unparseable and not quarantined');
        }
      }
    }
  } finally {
    s3.destroy();
    doc.destroy();
  }

  if (!opts.redrive) {
    report.stillMissing = report.missing.length;
    return report;
  }
  for (const message of report.missing) {
    try {
      const result = await opts.redrive(objectCreatedEvent({ bucket: opts.bucket, key: message.key, size: message.size, region, eTag: eTags.get(message.key) ?? '', principal: 'CASEFLOW-RECONCILE', configurationId: 'caseflow-reconcile-inbound' }));
      report.redriven.push({ key: message.key, ok: true, outcome: outcomeOf(result) });
    } catch (error) {
      report.redriven.push({ key: message.key, ok: false, outcome: error instanceof Error ? error.name : 'error' });
    }
  }
  report.stillMissing = report.redriven.filter((r) => !r.ok).length;
  return report;
}
