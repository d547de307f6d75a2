import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event, S3EventRecord } from 'aws-lambda';
import { parseMimeStream, UnparseableEmailError, type ParsedInboundEmail, type RawSource } from '../adapters/email/parse-mime';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { isTransient } from '../adapters/transient-error';
import { wiring } from '../adapters/wiring';
import { ingestEmail, type IngestEmailDeps, type IngestOutcome } from '../core/email/ingest-email';
import { parseInboundRules } from '../core/email/inbound-rules';
import { slaPolicy } from '../core/sla-policy';

const config = configFor('email-ingest');
const app = wiring(config);
const deps: IngestEmailDeps = {
  cases: app.cases,
  inbound: app.inbound,
  blobs: app.attachments,
  clock: app.clock,
  newCaseId: app.newCaseId,
  random: app.random,
  policy: slaPolicy(),
  config: {
    supportAddresses: config.SUPPORT_ADDRESSES,
    ownAddresses: [...config.SUPPORT_ADDRESSES, ...config.COMPLAINTS_ADDRESSES, ...(config.SENDER_EMAIL ? [config.SENDER_EMAIL] : [])],
    rules: parseInboundRules({ ...(config.INBOUND_RULES ? (JSON.parse(config.INBOUND_RULES) as object) : {}), complaintAddresses: config.COMPLAINTS_ADDRESSES }),
    reopenWindowDays: config.REOPEN_WINDOW_DAYS,
    ackRateLimitPerHour: config.ACK_RATE_LIMIT_PER_HOUR,
    autoAcknowledge: config.AUTO_ACKNOWLEDGEMENT,
  },
};

/** Messages up to this size are read into memory once; larger ones are streamed from S3 on each parse pass. */
const READ_WHOLE_MAX_BYTES = 1024 * 1024;

/** S3 event keys are URL-encoded with `+` for spaces. */
const objectKey = (record: S3EventRecord) => decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));

/** RCPT TO from the local SMTP listener's `x-amz-meta-envelope`; SES puts the envelope in headers instead. */
function envelopeRecipients(metadata: Record<string, string>): string[] {
  const raw = metadata.envelope;
  if (!raw) return [];
  try {
    const parsed = JSON.parse(raw) as { rcptTo?: unknown };
    return Array.isArray(parsed.rcptTo) ? parsed.rcptTo.filter((r): r is string => typeof r === 'string').map((r) => r.toLowerCase()) : [];
  } catch {
    return [];
  }
}

/**
 * One raw message: parse, ingest. What cannot be parsed becomes a quarantine record, never an
 * error. The message is streamed from S3 into the parser (a second pass reads it again), and
 * attachments are spooled to /tmp as they decode: memory stays flat for a 40 MB message.
 */
async function processRecord(record: S3EventRecord): Promise<IngestOutcome> {
  const key = objectKey(record);
  const first = await app.inboundBlobs.open(key);
  const size = first.size ?? record.s3.object.size;
  let source: RawSource;
  if (size <= READ_WHOLE_MAX_BYTES) {
    // Most mail is small: read once, so that a second pass (every delivery report has one) costs no second GET.
    const raw = await buffer(first.stream);
    source = () => Readable.from([raw], { objectMode: false });
  } else {
    // The first pass takes the stream already open; another pass reads the object again.
    let opened: Readable | undefined = first.stream;
    source = async () => {
      const stream = opened ?? (await app.inboundBlobs.open(key)).stream;
      opened = undefined;
      return stream;
    };
  }
  let parsed: ParsedInboundEmail;
  try {
    parsed = await parseMimeStream(source, { envelopeRecipients: envelopeRecipients(first.metadata), sizeHint: size });
  } catch (error) {
    if (!(error instanceof UnparseableEmailError)) throw error;
    const at = app.clock.now().toISOString();
    await app.inbound.quarantine({ rawObjectKey: key, reason: 'unparseable: no readable header', problems: error.problems.slice(0, 20), quarantinedAt: at });
    return { outcome: 'quarantined', reason: 'unparseable' };
  }
  try {
    // A case opened by this message takes the current policy version (M8.3), read for each message.
    return await ingestEmail({ email: parsed.email, attachments: parsed.attachments, rawObjectKey: key }, { ...deps, policy: await app.slaPolicies.current() });
  } catch (error) {
    // The table refused the record (too large, malformed): retrying cannot help, so a supervisor sees it.
    if (!(error instanceof Error && error.name === 'ValidationException')) throw error;
    await app.inbound.quarantine({ rawObjectKey: key, reason: 'the store rejected the record: ValidationException', problems: parsed.email.parseProblems.slice(0, 20), quarantinedAt: app.clock.now().toISOString() });
    return { outcome: 'quarantined', reason: 'store rejected the record' };
  } finally {
    // The outcome stands whether or not the spool could be removed (the next message gets its own).
    await parsed.dispose().catch(() => logger.warn('spooled attachments could not be removed', { objectKey: key }));
  }
}

/**
 * Counts a failure of the message's own (not a service being down: transient-error.ts); at
 * INGEST_MAX_ATTEMPTS the message is quarantined with the error, so that a message that can never
 * be ingested stops being retried and a supervisor sees it. Without the table nothing can be
 * counted: the failure stands and is retried.
 */
async function quarantineAfterRepeatedFailures(key: string, errorName: string): Promise<IngestOutcome | undefined> {
  try {
    const at = app.clock.now().toISOString();
    const attempts = await app.inbound.recordIngestFailure(key, errorName, at);
    if (attempts < config.INGEST_MAX_ATTEMPTS) return undefined;
    const reason = `ingestion failed ${attempts} times: ${errorName}`;
    await app.inbound.quarantine({ rawObjectKey: key, reason, problems: [], quarantinedAt: at });
    return { outcome: 'quarantined', reason };
  } catch {
    return undefined;
  }
}

/**
 * The ingestion Lambda on the inbound bucket's ObjectCreated events (the SES S3 action in AWS,
 * the local SMTP listener locally). Each record is processed on its own, so one bad message does
 * not block the others; a record that failed for a transient reason (the store, S3) is retried
 * by throwing after the rest are done — safe, because ingestion is idempotent per message.
 * Logs carry object keys, case ids and outcomes only: no addresses, subjects or bodies.
 */
export async function ingestS3Event(event: S3Event): Promise<{ outcomes: IngestOutcome[]; failed: number }> {
  const outcomes: IngestOutcome[] = [];
  let failed = 0;
  for (const record of event.Records) {
    if (!record.eventName.startsWith('ObjectCreated')) continue;
    if (record.s3.bucket.name !== config.INBOUND_BUCKET) continue;
    const key = objectKey(record);
    try {
      const outcome = await processRecord(record);
      outcomes.push(outcome);
      logger.info('email ingested', { objectKey: key, ...outcome });
    } catch (error) {
      const name = error instanceof Error ? error.name : 'error';
      // A stand-in or service that is down says nothing about the message: only its own failures count.
      const quarantined = isTransient(error) ? undefined : await quarantineAfterRepeatedFailures(key, name);
      if (quarantined) {
        outcomes.push(quarantined);
        logger.warn('email quarantined after repeated failures', { objectKey: key, error: name });
        continue;
      }
      failed += 1;
      logger.error('email ingestion failed', { objectKey: key, error: name });
    }
  }
  return { outcomes, failed };
}

export const handler = middy<S3Event, { outcomes: IngestOutcome[] }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: S3Event) => {
    const { outcomes, failed } = await ingestS3Event(event);
    if (failed > 0) throw new Error(`${failed} of ${event.Records.length} inbound messages failed; the invocation is retried (ingestion is idempotent)`);
    return { outcomes };
  });
