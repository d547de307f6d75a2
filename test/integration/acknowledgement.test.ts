import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { customerPartition, INDEX } from '../../functions/adapters/dynamo/keys';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { createSesClient, SesMailer } from '../../functions/adapters/ses-mailer';
import { systemClock } from '../../functions/adapters/system-clock';
import { verifyChain } from '../../functions/core/audit-chain';
import { deliverOutbox } from '../../functions/core/deliver-outbox';
import type { Mailer } from '../../functions/core/ports';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, capturedMail, eventually, freshTable, invoke, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let createCase: unknown;
let poller: ReturnType<typeof startStreamPoller>;
let deliveries: DynamoDBStreamEvent[];

beforeAll(async () => {
  env = await freshTable();
  ({ handler: createCase } = await import('../../functions/handlers/create-case'));
  const { handler: outbox } = (await import('../../functions/handlers/outbox-stream')) as { handler: StreamHandler };
  deliveries = [];
  poller = startStreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: env.tableName,
    functionName: 'outbox-stream',
    handler: async (event, context) => {
      deliveries.push(event);
      return outbox(event, context);
    },
    pollIntervalMs: 50,
  });
});

afterAll(async () => {
  await poller.stop();
});

async function openCase(email: string) {
  const res = await invoke(
    createCase,
    apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email }), headers: { 'content-type': 'application/json' } }),
  );
  expect(res.status).toBe(201);
  return { caseId: String(res.body?.caseId), reference: String(res.body?.reference) };
}

describe('the acknowledgement email (M3.1)', () => {
  it('goes to one address at most three times an hour, however many strangers submit for it, and carries no working link of theirs (M3.1)', async () => {
    const victim = uniqueEmail('victim');
    const phishing = {
      ...jsonFixture('web-form', 'inquiry.json'),
      email: victim,
      name: 'Urgent: your account is suspended, call +1 555 0100 or visit http://evil.example/login',
      subject: 'Reset your password at www.evil.example now',
      message: 'Click https://evil.example/reset',
    };
    // Six anonymous submissions from six networks: the per-client limit does not stop them, the per-recipient one does.
    const opened: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const res = await invoke(createCase, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify(phishing), headers: { 'content-type': 'application/json' } }));
      expect(res.status).toBe(201);
      opened.push(String(res.body?.caseId));
    }
    const owed = await Promise.all(opened.map((id) => env.store.getOutbox(id, 'acknowledgement')));
    expect(owed.filter(Boolean)).toHaveLength(3);
    for (const [i, id] of opened.entries()) {
      if (owed[i]) continue;
      // No acknowledgement is owed, so none can ever be sent; the timeline says why.
      expect((await env.store.getTimeline(id)).map((e) => e.type)).toEqual(['case_received', 'acknowledgement_suppressed']);
    }
    const mails = await eventually(async () => {
      const found = (await capturedMail()).filter((m) => m.destination.to.includes(victim));
      return found.length === 3 ? found : undefined;
    }, 15_000, 'three acknowledgements');
    for (const mail of mails) {
      const everything = `${mail.subject}\n${mail.body.text ?? ''}\n${mail.body.html ?? ''}`;
      expect(everything).not.toMatch(/https?:|www\.|evil\.example|<a\s|\d{7}|suspended/i);
      expect(mail.subject).toMatch(/^\[CS-[0-9A-Z]{6}\] We received your request$/);
    }
  });

  it('owes exactly three acknowledgements to one address when six submissions for it arrive at once (M3.1)', async () => {
    const victim = uniqueEmail('concurrent');
    const body = JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email: victim });
    const results = await Promise.all(Array.from({ length: 6 }, () => invoke(createCase, apiEvent({ method: 'POST', path: '/v1/cases', body, headers: { 'content-type': 'application/json' } }))));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const owed = await Promise.all(results.map((r) => env.store.getOutbox(String(r.body?.caseId), 'acknowledgement')));
    expect(owed.filter(Boolean)).toHaveLength(3);
  });

  it('refuses a 21st anonymous submission from one network within the hour with 429 and Retry-After, and opens no case for it', async () => {
    const post = (sourceIp: string, email = uniqueEmail('burst')) =>
      invoke(createCase, apiEvent({ method: 'POST', path: '/v1/cases', sourceIp, body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email }), headers: { 'content-type': 'application/json' } }));
    // One IPv6 /64 is one client: a stranger cannot rotate through the addresses of their own network.
    const network = `2001:db8:feed:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    for (let i = 1; i <= 20; i += 1) expect((await post(`${network}::${i.toString(16)}`)).status).toBe(201);
    const lastEmail = uniqueEmail('refused');
    const refused = await post(`${network}:0:0:0:ffff`, lastEmail);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(3600);
    expect(refused.body).toMatchObject({ error: expect.stringContaining('Too many submissions') });
    const stored = await env.doc.send(
      new QueryCommand({ TableName: env.tableName, IndexName: INDEX.byCustomer, KeyConditionExpression: 'GSI3PK = :pk', ExpressionAttributeValues: { ':pk': customerPartition(lastEmail) } }),
    );
    expect(stored.Items).toEqual([]);
    expect((await post('2001:db8:beef::1')).status).toBe(201);
  });

  it('reaches an address on an internationalised domain through SES as Punycode', async () => {
    const local = `idn.${Date.now().toString(36)}`;
    await openCase(`${local}@mächine.example`);
    const mail = await eventually(async () => (await capturedMail()).find((m) => m.destination.to.some((t) => t.startsWith(`${local}@`))), 15_000, 'acknowledgement email');
    const eml = (await (await fetch(`${process.env.SES_ENDPOINT}/get-emlContent?messageId=${encodeURIComponent(mail.messageId)}`)).json()) as { body: { data: number[] } };
    const raw = Buffer.from(eml.body.data).toString('utf8');
    expect(raw).toMatch(new RegExp(`^To: ${local.replace('.', '\\.')}@xn--mchine-bua\\.example\\r?$`, 'm'));
  });

  it('reaches the customer with the case reference in the subject, from the stream', async () => {
    const email = uniqueEmail('ack');
    const { caseId, reference } = await openCase(email);
    const mail = await eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(email)), 15_000, 'acknowledgement email');
    expect(mail.subject).toContain(`[${reference}]`);
    expect(mail.body.text).toContain(reference);
    // A date people read, with its time zone, never an HTTP date.
    expect(mail.body.text).toMatch(/no later than \w+day,? \d{1,2} \w+ \d{4},? (at )?\d\d:\d\d UTC/);
    expect(mail.body.text).not.toMatch(/GMT/);
    expect(mail.from).toContain(process.env.SENDER_EMAIL);

    const acknowledged = await eventually(async () => {
      const c = await env.store.getCase(caseId);
      return c?.status === 'acknowledged' ? c : undefined;
    }, 15_000, 'case acknowledged');
    expect(acknowledged.acknowledgedAt).toBeDefined();
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.map((e) => e.type)).toEqual(['case_received', 'acknowledgement_sent', 'status_changed']);
    expect(timeline[1]).toMatchObject({ data: { messageId: mail.messageId } });
    expect(verifyChain(timeline).valid).toBe(true);
  });

  it('is sent once even when the stream delivers the record again', async () => {
    const email = uniqueEmail('redelivery');
    const { caseId } = await openCase(email);
    await eventually(async () => ((await env.store.getOutbox(caseId, 'acknowledgement'))?.status === 'sent' ? true : undefined), 15_000, 'sent');
    const { handler: outbox } = (await import('../../functions/handlers/outbox-stream')) as { handler: StreamHandler };
    const original = deliveries.flatMap((d) => d.Records).filter((r) => r.eventName === 'INSERT' && r.dynamodb?.NewImage?.caseId?.S === caseId && r.dynamodb?.NewImage?.entity?.S === 'outbox');
    expect(original).toHaveLength(1);
    const result = await outbox({ Records: original }, { awsRequestId: 'redelivery' } as never);
    expect(result).toEqual({ batchItemFailures: [] });
    expect((await capturedMail()).filter((m) => m.destination.to.includes(email))).toHaveLength(1);
  });

  it('is retried after the mail service fails, without losing the case', async () => {
    const email = uniqueEmail('retry');
    // Stop the background delivery for this case by sending it here first, through a failing mailer.
    await poller.stop();
    try {
      const { caseId } = await openCase(email);
      const down: Mailer = { send: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { name: 'ServiceUnavailable' })) };
      await expect(deliverOutbox(caseId, 'acknowledgement', { store: env.store, mailer: down, clock: systemClock })).rejects.toThrow();
      expect(await env.store.getOutbox(caseId, 'acknowledgement')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'ServiceUnavailable' });
      expect((await env.store.getCase(caseId))?.status).toBe('new');

      const mailer = new SesMailer(createSesClient(readConfig(AwsEndpointsSchema)), process.env.SENDER_EMAIL ?? '');
      expect(await deliverOutbox(caseId, 'acknowledgement', { store: env.store, mailer, clock: systemClock })).toBe('sent');
      expect((await capturedMail()).filter((m) => m.destination.to.includes(email))).toHaveLength(1);
      expect(await env.store.getOutbox(caseId, 'acknowledgement')).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      poller = startStreamPoller({
        endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
        tableName: env.tableName,
        functionName: 'outbox-stream',
        handler: (await import('../../functions/handlers/outbox-stream')).handler as StreamHandler,
      });
    }
  });
});
