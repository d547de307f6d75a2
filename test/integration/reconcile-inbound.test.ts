import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { standInCredentials } from '../../functions/adapters/aws-clients';
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import type { IngestOutcome } from '../../functions/core/email/ingest-email';
import { lambdaContext } from '../../local/lambda-context';
import { reconcileInbound, type ReconcileInboundOptions } from '../../local/reconcile-inbound';
import { objectCreatedEvent } from '../../local/s3-event';
import { LOCAL_NAMES } from '../../local/resources';
import { COMPLAINTS, SUPPORT } from '../fixtures/email/build-fixtures';
import { freshTable } from '../support/stand-ins';

const INBOUND = LOCAL_NAMES.inboundBucket;

let env: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Client;
let ingest: (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<{ outcomes: IngestOutcome[] }>;

beforeAll(async () => {
  env = await freshTable();
  Object.assign(process.env, {
    INBOUND_BUCKET: INBOUND,
    ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket,
    SUPPORT_ADDRESSES: SUPPORT,
    COMPLAINTS_ADDRESSES: COMPLAINTS,
    AUTO_ACKNOWLEDGEMENT: 'false',
  });
  s3 = createS3Client(readConfig(AwsEndpointsSchema));
  ({ handler: ingest } = (await import('../../functions/handlers/email-ingest')) as unknown as { handler: typeof ingest });
});

afterAll(() => s3.destroy());

/** A fresh prefix per test: the inbound bucket is shared by every integration test file. */
const newPrefix = () => `reconcile-${randomUUID().slice(0, 8)}/`;

async function message(tag: string, extra: { headers?: Record<string, string>; subject?: string } = {}): Promise<Buffer> {
  return new MailComposer({
    from: `Customer <customer.${tag}@example.net>`,
    to: SUPPORT,
    subject: extra.subject ?? `Where is my parcel ${tag}`,
    text: 'My parcel has not arrived yet.',
    messageId: `<${tag}@mail.example.net>`,
    ...(extra.headers ? { headers: extra.headers } : {}),
  }).compile().build();
}

/** Stores a raw message as the SES S3 action would, without ingesting it (a lost event). */
async function store(prefix: string, raw: Buffer): Promise<string> {
  const key = `${prefix}${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: raw }));
  return key;
}

const options = (prefix: string, extra: Partial<ReconcileInboundOptions> = {}): ReconcileInboundOptions => ({
  s3Endpoint: process.env.S3_ENDPOINT ?? '',
  dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '',
  credentials: standInCredentials(process.env),
  table: env.tableName,
  bucket: INBOUND,
  prefix,
  ...extra,
});

const redrive = (event: S3Event) => ingest(event, lambdaContext('email-ingest'));

describe('reconcile-inbound: no raw message is lost (C4.1, M7.1)', () => {
  it('reports raw messages that have no inbound or quarantine record, with key, size and time only', async () => {
    const prefix = newPrefix();
    const tag = randomUUID().slice(0, 8);
    const raw = await message(tag);
    const key = await store(prefix, raw);

    const report = await reconcileInbound(options(prefix));

    expect(report.missing).toEqual([{ key, size: raw.length, lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown as string, reason: 'no inbound or quarantine record' }]);
    expect(JSON.stringify(report)).not.toContain(tag);
    expect(report.stillMissing).toBe(1);
  });

  it('does not report a message that was ingested, nor a second delivery of it, nor a quarantined one', async () => {
    const prefix = newPrefix();
    const raw = await message(randomUUID().slice(0, 8));
    const first = await store(prefix, raw);
    expect((await redrive(objectCreatedEvent({ bucket: INBOUND, key: first, size: raw.length }))).outcomes[0]?.outcome).toBe('case_opened');
    await store(prefix, raw); // the same Message-ID delivered again: recorded by the first
    const garbage = await store(prefix, Buffer.from('\u0000\u0001 not a mail message at all'));
    expect((await redrive(objectCreatedEvent({ bucket: INBOUND, key: garbage, size: 30 }))).outcomes[0]?.outcome).toBe('quarantined');

    const report = await reconcileInbound(options(prefix));

    expect(report).toMatchObject({ scanned: 3, recorded: 2, quarantined: 1, missing: [], stillMissing: 0 });
  });

  it('re-drives missing messages through the ingestion handler, after which they are cases or classified records and no longer reported', async () => {
    const prefix = newPrefix();
    const inquiry = await store(prefix, await message(randomUUID().slice(0, 8)));
    const autoReply = await store(prefix, await message(randomUUID().slice(0, 8), { subject: 'Out of office', headers: { 'Auto-Submitted': 'auto-replied' } }));

    const report = await reconcileInbound(options(prefix, { redrive }));

    expect(report.missing.map((m) => m.key).sort()).toEqual([inquiry, autoReply].sort());
    expect(report.redriven).toEqual(
      expect.arrayContaining([
        { key: inquiry, ok: true, outcome: 'case_opened' },
        { key: autoReply, ok: true, outcome: 'recorded' },
      ]),
    );
    expect(report.stillMissing).toBe(0);

    const again = await reconcileInbound(options(prefix));
    expect(again).toMatchObject({ scanned: 2, recorded: 2, missing: [], stillMissing: 0 });
  });

  it('keeps a message missing when its re-drive fails, and says so', async () => {
    const prefix = newPrefix();
    const key = await store(prefix, await message(randomUUID().slice(0, 8)));

    const report = await reconcileInbound(options(prefix, { redrive: () => Promise.reject(new Error('throttled')) }));

    expect(report.redriven).toEqual([{ key, ok: false, outcome: 'Error' }]);
    expect(report.stillMissing).toBe(1);
    expect((await reconcileInbound(options(prefix))).missing.map((m) => m.key)).toEqual([key]);
  });
});
