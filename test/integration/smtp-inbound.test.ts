import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { createTransport } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import { LOCAL_NAMES } from '../../local/resources';
import { standInCredentials } from '../../functions/adapters/aws-clients';
import { ENVELOPE_METADATA_KEY, startSmtpInbound, type SmtpInbound, type SmtpInboundOptions } from '../../local/smtp-inbound';

// The local stand-in for SES inbound: every message an email thread is made of
// is kept raw in the inbound bucket before anything else happens (C4.1, M5.3).

const bucket = LOCAL_NAMES.inboundBucket;
const s3Endpoint = process.env.S3_ENDPOINT ?? '';
const credentials = standInCredentials(process.env);
const s3 = new S3Client({ endpoint: s3Endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
const running: SmtpInbound[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((l) => l.stop()));
});
afterAll(() => s3.destroy());

async function listen(opts: Partial<SmtpInboundOptions> = {}) {
  const events: S3Event[] = [];
  const logLines: string[] = [];
  const keyPrefix = opts.keyPrefix ?? `inbound-test/${randomUUID()}/`;
  const listener = await startSmtpInbound({
    port: 0,
    s3Endpoint,
    credentials,
    bucket,
    keyPrefix,
    recipients: ['support@caseflow.local', '.caseflow.test'],
    onStored: (event) => {
      events.push(event);
    },
    log: (line) => logLines.push(line),
    ...opts,
  });
  running.push(listener);
  return { listener, events, logLines, keyPrefix };
}

/** The message bytes as nodemailer builds them, sent as they are so the stored copy can be compared. */
async function compose(mail: Mail.Options): Promise<Buffer> {
  return new MailComposer(mail).compile().build();
}

async function send(listener: SmtpInbound, envelope: { from: string; to: string[] }, raw: Buffer) {
  const transport = createTransport({ host: listener.host, port: listener.port, secure: false, ignoreTLS: true });
  try {
    return await transport.sendMail({ envelope, raw });
  } finally {
    transport.close();
  }
}

async function storedKeys(prefix: string): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '');
}

async function storedBytes(key: string): Promise<Buffer> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from((await out.Body?.transformToByteArray()) ?? []);
}

/** A stored message as SES stores it: its trace headers, then the message as sent, byte for byte. */
async function storedAsSes(key: string, raw: Buffer): Promise<string> {
  const stored = await storedBytes(key);
  expect(stored.subarray(stored.length - raw.length).equals(raw)).toBe(true);
  return stored.subarray(0, stored.length - raw.length).toString('utf8');
}

const decodeEventKey = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

const sampleMail = (): Mail.Options => ({
  from: 'Zoë Customer <zoe.customer@example.com>',
  to: 'support@caseflow.local',
  subject: 'Lieferung beschädigt — Bestellung 4711',
  text: 'Guten Tag,\r\ndie Lieferung kam beschädigt an.\r\n.\r\nA line that starts with a dot follows:\r\n.hidden\r\n',
  html: '<p>Guten Tag,</p><p>die Lieferung kam <b>beschädigt</b> an.</p>',
  messageId: `<${randomUUID()}@example.com>`,
  attachments: [{ filename: 'foto.bin', content: Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 256)) }],
});

describe('local SES inbound over SMTP', () => {
  it('stores the message as SES does: Return-Path and Received in front of the message byte for byte, under the inbound prefix', async () => {
    const { listener, keyPrefix } = await listen();
    const raw = await compose(sampleMail());

    const info = await send(listener, { from: 'zoe.customer@example.com', to: ['support@caseflow.local', 'billing@eu.caseflow.test'] }, raw);

    expect(info.accepted).toEqual(['support@caseflow.local', 'billing@eu.caseflow.test']);
    const keys = await storedKeys(keyPrefix);
    expect(keys).toHaveLength(1);
    const key = keys[0] ?? '';
    expect(key).toMatch(new RegExp(`^${keyPrefix}[0-9a-z]{40}$`));
    expect(info.response).toBe(`250 Ok: queued as ${key.slice(keyPrefix.length)}`);
    const trace = await storedAsSes(key, raw);
    expect(trace).toMatch(/^Return-Path: <zoe\.customer@example\.com>\r\nReceived: from \S+ \(\S+ \[127\.0\.0\.1\]\)\r\n by inbound-smtp\.us-east-1\.amazonaws\.com with SMTP id [0-9a-z]{40};\r\n \w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d \+0000 \(UTC\)\r\n$/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(JSON.parse(head.Metadata?.[ENVELOPE_METADATA_KEY] ?? '{}')).toEqual({
      mailFrom: 'zoe.customer@example.com',
      rcptTo: ['support@caseflow.local', 'billing@eu.caseflow.test'],
    });
  });

  it('hands the ingestion handler an ObjectCreated:Put event shaped as AWS sends it, with the key URL-encoded', async () => {
    const { listener, events, keyPrefix } = await listen({ keyPrefix: `inbound-test/${randomUUID()}/copy (1) ü/` });
    const raw = await compose(sampleMail());

    await send(listener, { from: 'zoe.customer@example.com', to: ['support@caseflow.local'] }, raw);

    expect(events).toHaveLength(1);
    const record = events[0]?.Records[0];
    expect(events[0]?.Records).toHaveLength(1);
    expect(record).toEqual({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: expect.any(String) },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': expect.any(String), 'x-amz-id-2': expect.any(String) },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: expect.any(String),
        bucket: { name: bucket, ownerIdentity: { principalId: expect.any(String) }, arn: `arn:aws:s3:::${bucket}` },
        object: { key: expect.any(String), size: (await storedBytes((await storedKeys(keyPrefix))[0] ?? '')).length, eTag: expect.stringMatching(/^[0-9a-f]{32}$/), sequencer: expect.stringMatching(/^[0-9A-F]+$/) },
      },
    });
    const eventKey = record?.s3.object.key ?? '';
    const [stored] = await storedKeys(keyPrefix);
    expect(eventKey).toBe(`${keyPrefix.replace('copy (1) ü/', 'copy+%281%29+%C3%BC/')}${stored?.slice(keyPrefix.length)}`);
    expect(decodeEventKey(eventKey)).toBe(stored);
    await storedAsSes(decodeEventKey(eventKey), raw);
  });

  it('names the one recipient in the Received header, as SES does, for the ingestion to read the envelope from', async () => {
    const { listener, keyPrefix } = await listen();
    const raw = await compose(sampleMail());
    await send(listener, { from: 'zoe.customer@example.com', to: ['billing@eu.caseflow.test'] }, raw);
    const [key] = await storedKeys(keyPrefix);
    expect(await storedAsSes(key ?? '', raw)).toMatch(/\r\n for billing@eu\.caseflow\.test;\r\n/);
  });

  it('gives each message its own key and later messages a greater sequencer', async () => {
    const { listener, events } = await listen();
    for (let i = 0; i < 2; i += 1) await send(listener, { from: 'zoe.customer@example.com', to: ['support@caseflow.local'] }, await compose(sampleMail()));

    const [first, second] = events.map((e) => e.Records[0]?.s3.object);
    expect(first?.key).not.toBe(second?.key);
    expect(BigInt(`0x${second?.sequencer}`) > BigInt(`0x${first?.sequencer}`)).toBe(true);
  });

  it('accepts a bounce from the null sender and records an empty MAIL FROM', async () => {
    const { listener, events } = await listen();
    const raw = await compose({ from: 'MAILER-DAEMON@mx.example.com', to: 'support@caseflow.local', subject: 'Undelivered Mail Returned to Sender', text: 'bounce' });

    await send(listener, { from: '', to: ['support@caseflow.local'] }, raw);

    const key = decodeEventKey(events[0]?.Records[0]?.s3.object.key ?? '');
    // The null reverse path, as SES records it: the classifier reads it as automatic mail.
    expect(await storedAsSes(key, raw)).toMatch(/^Return-Path: <>\r\n/);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    expect(JSON.parse(head.Metadata?.[ENVELOPE_METADATA_KEY] ?? '{}')).toEqual({ mailFrom: '', rcptTo: ['support@caseflow.local'] });
  });

  it('refuses a recipient outside the support addresses with 550 and stores nothing for it', async () => {
    const { listener, events, keyPrefix } = await listen();
    const raw = await compose(sampleMail());

    const refused = send(listener, { from: 'zoe.customer@example.com', to: ['someone@example.org'] }, raw);
    await expect(refused).rejects.toMatchObject({ responseCode: 550 });

    const partly = await send(listener, { from: 'zoe.customer@example.com', to: ['someone@example.org', 'support@caseflow.local'] }, raw);
    expect(partly.rejected).toEqual(['someone@example.org']);
    expect(partly.rejectedErrors?.[0]).toMatchObject({ responseCode: 550 });
    const keys = await storedKeys(keyPrefix);
    expect(keys).toHaveLength(1);
    const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: keys[0] ?? '' }));
    expect(JSON.parse(head.Metadata?.[ENVELOPE_METADATA_KEY] ?? '{}')).toMatchObject({ rcptTo: ['support@caseflow.local'] });
    expect(events).toHaveLength(1);
  });

  it('refuses a message over the size limit with 552, stores nothing and invokes nothing', async () => {
    const { listener, events, keyPrefix } = await listen({ maxMessageBytes: 64 * 1024 });
    const raw = await compose({ ...sampleMail(), attachments: [{ filename: 'big.bin', content: Buffer.alloc(100 * 1024, 7) }] });
    expect(raw.length).toBeGreaterThan(64 * 1024);

    await expect(send(listener, { from: 'zoe.customer@example.com', to: ['support@caseflow.local'] }, raw)).rejects.toMatchObject({ responseCode: 552 });

    expect(await storedKeys(keyPrefix)).toEqual([]);
    expect(events).toEqual([]);
  });

  it('names the SMTP port when it is already taken', async () => {
    const { listener } = await listen();

    await expect(startSmtpInbound({ port: listener.port, s3Endpoint, credentials, bucket, onStored: () => undefined })).rejects.toMatchObject({
      code: 'EADDRINUSE',
      message: `the SMTP port ${listener.port} is already in use`,
    });
  });
});
