import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { objectCreatedEvent } from '../../local/s3-event';
import { customerPartition, INDEX } from '../../functions/adapters/dynamo/keys';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { verifyChain } from '../../functions/core/audit-chain';
import { SYSTEM } from '../../functions/core/case';
import { chainEvents } from '../../functions/core/audit-chain';
import type { IngestOutcome } from '../../functions/core/email/ingest-email';
import { transition } from '../../functions/core/lifecycle';
import { lambdaContext } from '../../local/lambda-context';
import { LOCAL_NAMES } from '../../local/resources';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { COMPLAINTS, CUSTOMER, REFERENCE, SES_ID, SUPPORT, type FixtureName } from '../fixtures/email/build-fixtures';
import { fixturePath } from '../support/fixtures';
import { apiEvent, capturedMail, eventually, freshTable, invoke, staffToken } from '../support/stand-ins';

const INBOUND = LOCAL_NAMES.inboundBucket;
const ATTACHMENTS = LOCAL_NAMES.archiveBucket;
const DAY = 24 * 60 * 60 * 1000;

let env: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Client;
let ingest: (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<{ outcomes: IngestOutcome[] }>;
let listQuarantine: unknown;
let poller: ReturnType<typeof startStreamPoller>;

beforeAll(async () => {
  env = await freshTable();
  Object.assign(process.env, {
    INBOUND_BUCKET: INBOUND,
    ATTACHMENTS_BUCKET: ATTACHMENTS,
    SUPPORT_ADDRESSES: SUPPORT,
    COMPLAINTS_ADDRESSES: COMPLAINTS,
    REOPEN_WINDOW_DAYS: '14',
    ACK_RATE_LIMIT_PER_HOUR: '3',
  });
  s3 = createS3Client(readConfig(AwsEndpointsSchema));
  ({ handler: ingest } = (await import('../../functions/handlers/email-ingest')) as unknown as { handler: typeof ingest });
  ({ handler: listQuarantine } = await import('../../functions/handlers/list-quarantine'));
  const { handler: outbox } = (await import('../../functions/handlers/outbox-stream')) as { handler: StreamHandler };
  poller = startStreamPoller({ endpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, functionName: 'outbox-stream', handler: outbox, pollIntervalMs: 50 });
});

afterAll(async () => {
  await poller.stop();
  s3.destroy();
});

interface Personalise {
  /** Makes the customer's address and every Message-ID unique to the test. */
  tag: string;
  reference?: string;
  sesId?: string;
}

/** A committed fixture with the test's own addresses, Message-IDs, case reference and SES id (plain ASCII header text). */
function fixture(name: FixtureName, p: Personalise): Buffer {
  let raw = readFileSync(fixturePath('email', `${name}.eml`), 'latin1');
  raw = raw.replaceAll(CUSTOMER.address, customerOf(p.tag)).replaceAll('nobody@example.net', customerOf(p.tag));
  raw = raw.replace(/<([^<>@\s]+)@(mail\.example\.(?:net|org)|mx\.example\.net)>/g, `<$1.${p.tag}@$2>`);
  if (p.reference) raw = raw.replaceAll(REFERENCE, p.reference);
  if (p.sesId) raw = raw.replaceAll(SES_ID, p.sesId);
  return Buffer.from(raw, 'latin1');
}

const customerOf = (tag: string) => `ada.${tag}@example.net`;
const newTag = () => randomUUID().slice(0, 8);

/** The S3 event AWS sends for an object the SES S3 action (or the local SMTP listener) stored. */
const s3Event = (key: string, size: number) => objectCreatedEvent({ bucket: INBOUND, key, size, eTag: createHash('md5').update(key).digest('hex'), principal: 'SES' });

/** Stores the raw message in the inbound bucket and runs the ingestion handler on its event. */
async function deliver(raw: Buffer, key = `inbound/${randomUUID()}`): Promise<IngestOutcome> {
  await s3.send(new PutObjectCommand({ Bucket: INBOUND, Key: key, Body: raw }));
  const { outcomes } = await ingest(s3Event(key, raw.length), lambdaContext('email-ingest'));
  expect(outcomes).toHaveLength(1);
  return outcomes[0] as IngestOutcome;
}

async function openCase(tag: string) {
  const out = await deliver(fixture('plain-inquiry', { tag }));
  if (out.outcome !== 'case_opened') throw new Error(`expected a new case, got ${out.outcome}`);
  return out;
}

/** The SES id of the case's sent acknowledgement, once the outbox has delivered it. */
async function sentAcknowledgementId(caseId: string): Promise<string> {
  const sent = await eventually(async () => {
    const m = await env.store.getOutbox(caseId, 'acknowledgement');
    return m?.status === 'sent' ? m : undefined;
  }, 15_000, 'acknowledgement sent');
  return String(sent.messageId);
}

const mailTo = async (address: string) => (await capturedMail()).filter((m) => m.destination.to.some((t) => t.includes(address)));

describe('email-to-case through the ingestion handler (C4.1, M3.1, M7.1)', () => {
  it('opens an email case from mail in the inbound bucket and acknowledges it through the outbox (M3.1)', async () => {
    const tag = newTag();
    const out = await openCase(tag);
    const c = await env.store.getCase(out.caseId);
    expect(c).toMatchObject({ channel: 'email', type: 'inquiry', customer: { email: customerOf(tag) }, subject: 'Question about my order 1234' });
    const [ack] = await eventually(async () => {
      const mail = await mailTo(customerOf(tag));
      return mail.length > 0 ? mail : undefined;
    }, 15_000, 'acknowledgement email');
    expect(ack?.subject).toContain(`[${out.reference}]`);
    expect(verifyChain(await env.store.getTimeline(out.caseId)).valid).toBe(true);
  });

  it('adds a reply by the case reference in the subject to the same case (C4.1)', async () => {
    const tag = newTag();
    const { caseId, reference } = await openCase(tag);
    expect(await deliver(fixture('subject-reference', { tag, reference }))).toEqual({ outcome: 'reply', caseId, reopened: false });
    const reply = (await env.store.getTimeline(caseId)).find((e) => e.type === 'customer_replied');
    expect(reply).toMatchObject({ actor: { kind: 'customer' }, data: { matchedBy: 'case reference in the subject' } });
  });

  it('adds a reply by In-Reply-To the Message-ID SES gave the acknowledgement (C4.1)', async () => {
    const tag = newTag();
    const { caseId } = await openCase(tag);
    const sesId = await sentAcknowledgementId(caseId);
    expect(await deliver(fixture('reply-ses-in-reply-to', { tag, sesId }))).toMatchObject({ outcome: 'reply', caseId });
  });

  it('adds a reply-all with a CC from another person to the same case, never a second case (C4.1)', async () => {
    const tag = newTag();
    const { caseId } = await openCase(tag);
    expect(await deliver(fixture('reply-all-cc', { tag }))).toMatchObject({ outcome: 'reply', caseId });
    // Every case of this customer, through the privacy index (eventually consistent: wait for it).
    const cases = await eventually(async () => {
      const out = await env.doc.send(
        new QueryCommand({
          TableName: env.tableName,
          IndexName: INDEX.byCustomer,
          KeyConditionExpression: 'GSI3PK = :pk',
          ExpressionAttributeValues: { ':pk': customerPartition(customerOf(tag)) },
        }),
      );
      return out.Items?.length ? out.Items : undefined;
    }, 10_000, 'the customer index');
    expect(cases.map((c) => c.caseId)).toEqual([caseId]);
  });

  it('opens nothing and answers nothing for an out-of-office reply, and records a bounce on the case it belongs to (M7.1)', async () => {
    const tag = newTag();
    const { caseId } = await openCase(tag);
    const sesId = await sentAcknowledgementId(caseId);
    const vacation = await deliver(fixture('vacation-auto-reply', { tag, sesId }));
    expect(vacation).toEqual({ outcome: 'recorded', kind: 'auto_reply' });
    expect(await deliver(fixture('dsn-bounce', { tag, sesId }))).toEqual({ outcome: 'bounce_recorded', caseId });

    const c = await env.store.getCase(caseId);
    expect(c?.customer.emailBouncing).toBe(true);
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.filter((e) => e.type === 'delivery_failed')).toHaveLength(1);
    expect(timeline.some((e) => e.type === 'customer_replied')).toBe(false);
    // Nothing new is owed to anyone: the case still owes only its (sent) acknowledgement.
    expect(await env.store.getOutbox(caseId, 'acknowledgement')).toMatchObject({ status: 'sent' });
    expect(await mailTo(customerOf(tag))).toHaveLength(1);
  });

  it('makes one case of the same message delivered twice, under the same or another object key', async () => {
    const tag = newTag();
    const raw = fixture('plain-inquiry', { tag });
    const key = `inbound/${randomUUID()}`;
    const first = await deliver(raw, key);
    expect(first.outcome).toBe('case_opened');
    const caseId = first.outcome === 'case_opened' ? first.caseId : '';
    expect(await deliver(raw, key)).toEqual({ outcome: 'duplicate', caseId });
    expect(await deliver(raw)).toEqual({ outcome: 'duplicate', caseId });
    expect((await env.store.getTimeline(caseId)).filter((e) => e.type === 'case_received')).toHaveLength(1);
  });

  it('stores attachments under the case in S3 with their SHA-256 listed on the event (C4.1)', async () => {
    const tag = newTag();
    const out = await deliver(fixture('attachments', { tag }));
    if (out.outcome !== 'case_opened') throw new Error(out.outcome);
    const [received] = await env.store.getTimeline(out.caseId);
    const listed = received?.type === 'case_received' ? (received.data.email?.attachments ?? []) : [];
    expect(listed.length).toBeGreaterThanOrEqual(2);
    for (const a of listed) {
      expect(a.key).toBe(`cases/${out.caseId}/attachments/${a.sha256}`);
      const object = await s3.send(new GetObjectCommand({ Bucket: ATTACHMENTS, Key: a.key }));
      expect(object.ContentDisposition).toContain('attachment');
      const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
      expect(bytes.length).toBe(a.size);
    }
  });

  it('stores an attachment whose raw 8-bit file name runs to 244 bytes under a key without the name, which stays on the event and the object (C4.1)', async () => {
    const tag = newTag();
    const name = `${'Rechnung-für-Überweisung-'.repeat(9)}.pdf`;
    const raw = Buffer.concat([
      Buffer.from(`From: Ada <${customerOf(tag)}>\r\nTo: ${SUPPORT}\r\nSubject: Invoice attached\r\nMessage-ID: <long-name.${tag}@mail.example.net>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSee the invoice.\r\n--b\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="`),
      Buffer.from(name, 'utf8'),
      Buffer.from('"\r\nContent-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b--\r\n'),
    ]);
    expect(Buffer.byteLength(name)).toBeGreaterThan(240);
    const out = await deliver(raw);
    if (out.outcome !== 'case_opened') throw new Error(out.outcome);
    const [received] = await env.store.getTimeline(out.caseId);
    const [pdf] = received?.type === 'case_received' ? (received.data.email?.attachments ?? []) : [];
    expect(pdf?.key).toBe(`cases/${out.caseId}/attachments/${pdf?.sha256}`);
    expect(pdf?.filename.length).toBeGreaterThan(200);
    const object = await s3.send(new GetObjectCommand({ Bucket: ATTACHMENTS, Key: pdf?.key }));
    expect(decodeURIComponent(object.ContentDisposition?.split("UTF-8''")[1] ?? '')).toBe(pdf?.filename);
    // The local S3 is still up for the next message.
    expect((await openCase(newTag())).outcome).toBe('case_opened');
  });

  it('streams a message with multi-megabyte attachments into S3 byte for byte and leaves no spooled file behind', async () => {
    const tag = newTag();
    const spoolRoot = mkdtempSync(join(tmpdir(), 'caseflow-spool-test-'));
    const previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = spoolRoot; // os.tmpdir(), where the handler spools, reads it at each call
    try {
      const scans = [randomBytes(3 * 1024 * 1024 + 17), randomBytes(1500)];
      const raw = await new MailComposer({
        from: customerOf(tag),
        to: SUPPORT,
        subject: 'Scans of the damaged parcel',
        text: 'Both scans attached.',
        messageId: `<scans.${tag}@mail.example.net>`,
        attachments: scans.map((content, i) => ({ filename: `scan-${i + 1}.bin`, content, contentType: 'application/octet-stream' })),
      })
        .compile()
        .build();
      const out = await deliver(raw);
      if (out.outcome !== 'case_opened') throw new Error(out.outcome);
      const [received] = await env.store.getTimeline(out.caseId);
      const listed = received?.type === 'case_received' ? (received.data.email?.attachments ?? []) : [];
      expect(listed.map((a) => [a.filename, a.size])).toEqual(scans.map((c, i) => [`scan-${i + 1}.bin`, c.length]));
      for (const [i, a] of listed.entries()) {
        const object = await s3.send(new GetObjectCommand({ Bucket: ATTACHMENTS, Key: a.key }));
        const bytes = Buffer.from((await object.Body?.transformToByteArray()) ?? []);
        expect(bytes.equals(scans[i] ?? Buffer.alloc(0))).toBe(true);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
      }
      expect(readdirSync(spoolRoot)).toEqual([]);
    } finally {
      if (previousTmp === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previousTmp;
      rmSync(spoolRoot, { recursive: true, force: true });
    }
  });

  it('acknowledges at most 3 messages per sender per hour; the 4th case opens without one and its timeline says why (M3.1)', async () => {
    const tag = newTag();
    const outcomes = [];
    for (let i = 0; i < 4; i += 1) {
      const raw = Buffer.from(fixture('plain-inquiry', { tag }).toString('latin1').replace('<inquiry-1.', `<inquiry-1-${i}.`), 'latin1');
      outcomes.push(await deliver(raw));
    }
    expect(outcomes.map((o) => o.outcome === 'case_opened' && o.acknowledged)).toEqual([true, true, true, false]);
    const last = outcomes[3];
    if (last?.outcome !== 'case_opened') throw new Error('no case');
    expect(await env.store.getOutbox(last.caseId, 'acknowledgement')).toBeUndefined();
    expect((await env.store.getTimeline(last.caseId)).map((e) => e.type)).toEqual(['case_received', 'acknowledgement_suppressed']);
  });

  it("flags a case as spam when SES's verdict header says FAIL, and still opens it", async () => {
    const raw = Buffer.concat([Buffer.from('X-SES-Spam-Verdict: FAIL\r\nX-SES-Virus-Verdict: PASS\r\n'), fixture('plain-inquiry', { tag: newTag() })]);
    const out = await deliver(raw);
    const c = out.outcome === 'case_opened' ? await env.store.getCase(out.caseId) : undefined;
    expect(c?.spam).toBe(true);
  });

  it('quarantines an unparseable message with its raw object key, shown to supervisors at GET /v1/quarantine', async () => {
    const key = `inbound/${randomUUID()}`;
    expect(await deliver(Buffer.from('This is a simple message not having headers.\r\nThe whole text is body.\r\n'), key)).toMatchObject({ outcome: 'quarantined' });
    const virusKey = `inbound/${randomUUID()}`;
    const infected = Buffer.concat([Buffer.from('X-SES-Virus-Verdict: FAIL\r\n'), fixture('plain-inquiry', { tag: newTag() })]);
    expect(await deliver(infected, virusKey)).toEqual({ outcome: 'quarantined', reason: 'SES virus verdict FAIL' });

    const supervisor = await staffToken(['supervisors'], 'sup-1');
    const res = await invoke(listQuarantine, apiEvent({ method: 'GET', path: '/v1/quarantine', headers: { authorization: `Bearer ${supervisor}` } }));
    expect(res.status).toBe(200);
    const items = (res.body?.items ?? []) as Array<{ rawObjectKey: string; reason: string }>;
    expect(items.map((i) => i.rawObjectKey)).toEqual(expect.arrayContaining([key, virusKey]));

    const agent = await staffToken(['agents']);
    const denied = await invoke(listQuarantine, apiEvent({ method: 'GET', path: '/v1/quarantine', headers: { authorization: `Bearer ${agent}` } }));
    expect(denied.status).toBe(403);
  });

  it('quarantines a message whose ingestion failed five times, with the error, instead of having it retried forever (M7.1)', async () => {
    // An event for an object that is gone (deleted, or never written): every attempt fails the same way.
    const key = `inbound/${randomUUID()}`;
    for (let attempt = 1; attempt < 5; attempt += 1) {
      await expect(ingest(s3Event(key, 100), lambdaContext('email-ingest'))).rejects.toThrow('invocation is retried');
    }
    const fifth = await ingest(s3Event(key, 100), lambdaContext('email-ingest'));
    expect(fifth.outcomes).toEqual([{ outcome: 'quarantined', reason: 'ingestion failed 5 times: NoSuchKey' }]);
    const page = await env.inbound.listQuarantine(100);
    expect(page.items.find((i) => i.rawObjectKey === key)).toMatchObject({ reason: 'ingestion failed 5 times: NoSuchKey' });
  });

  it('reopens a case resolved less than 14 days ago, and opens a new linked case for one resolved earlier', async () => {
    const resolve = async (caseId: string, daysAgo: number) => {
      const c = await env.store.getCase(caseId);
      if (!c) throw new Error('no case');
      const { next, draft } = transition(c, 'resolved', new Date(Date.now() - daysAgo * DAY), SYSTEM, 'test');
      const { events, head } = chainEvents(c, [draft]);
      await env.store.applyChange({ expectedVersion: c.version, case: { ...next, version: head.version, lastEventHash: head.lastEventHash }, events });
    };

    const recent = newTag();
    const a = await openCase(recent);
    await sentAcknowledgementId(a.caseId);
    await resolve(a.caseId, 10);
    expect(await deliver(fixture('subject-reference', { tag: recent, reference: a.reference }))).toEqual({ outcome: 'reply', caseId: a.caseId, reopened: true });
    expect((await env.store.getCase(a.caseId))?.status).toBe('in_progress');

    const old = newTag();
    const b = await openCase(old);
    await sentAcknowledgementId(b.caseId);
    await resolve(b.caseId, 20);
    const followUp = await deliver(fixture('subject-reference', { tag: old, reference: b.reference }));
    expect(followUp).toMatchObject({ outcome: 'case_opened', relatedCaseId: b.caseId });
    const created = followUp.outcome === 'case_opened' ? await env.store.getCase(followUp.caseId) : undefined;
    expect(created?.relatedCaseId).toBe(b.caseId);
    expect((await env.store.getCase(b.caseId))?.status).toBe('resolved');
  });
});
