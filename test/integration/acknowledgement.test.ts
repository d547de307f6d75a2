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
  it('reaches the customer with the case reference in the subject, from the stream', async () => {
    const email = uniqueEmail('ack');
    const { caseId, reference } = await openCase(email);
    const mail = await eventually(async () => (await capturedMail()).find((m) => m.destination.to.includes(email)), 15_000, 'acknowledgement email');
    expect(mail.subject).toContain(`[${reference}]`);
    expect(mail.body.text).toContain(reference);
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
