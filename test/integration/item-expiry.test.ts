import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { S3CaseArchives } from '../../functions/adapters/s3-case-archives';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { systemClock } from '../../functions/adapters/system-clock';
import { FileSubjectKeys } from '../../functions/adapters/file-subject-keys';
import { addNote } from '../../functions/core/actions/add-note';
import { closeCase } from '../../functions/core/actions/close';
import { logCall } from '../../functions/core/actions/log-call';
import { resolveCase } from '../../functions/core/actions/resolve';
import { updateCustomer } from '../../functions/core/actions/update-customer';
import { verifyCaseArchive } from '../../functions/core/case-archive';
import { DeletionIncidentSchema, incidentSealContext, type DeletionIncident } from '../../functions/core/item-expiry';
import { itemDigest } from '../../functions/core/item-images';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { fixedRetention } from '../../functions/core/retention-policy-versions';
import { localRetention } from '../../functions/core/retention-policy';
import { slaPolicy } from '../../functions/core/sla-policy';
import { openJson, SealError, subjectIdOf } from '../../functions/core/subject-keys';
import { LOCAL_NAMES } from '../../local/resources';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { startTtlSweeper } from '../../local/ttl-sweeper';
import { submission } from '../support/fixtures';
import { apiEvent, eventually, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

/**
 * Cases closed with a short retention at once, archived, expired by TTL and verified. `npm test`
 * runs 100 (DynamoDB Local commits about 30 transactions a second here, four a case: 1,000 take
 * minutes); `npm run test:expiry-scale` runs 1,000 (docs/retention.md).
 */
const CASES = Number(process.env.EXPIRY_TEST_CASES ?? 100);
/** Seconds from closure to expiry. */
const RETENTION_SECONDS = 2;

let env: Awaited<ReturnType<typeof freshTable>>;
let deadLetterDir: string;
const pollers: ReturnType<typeof startStreamPoller>[] = [];
let sweeper: ReturnType<typeof startTtlSweeper>;
/** Every REMOVE record the expiry verifier was handed, by case. */
const removals = new Map<string, DynamoDBRecord[]>();
const archives = () => new S3CaseArchives(createS3Client(readConfig(AwsEndpointsSchema)), LOCAL_NAMES.recordsBucket);
const agent = { kind: 'agent' as const, id: 'agent-ana' };
/** A word no fixture holds, to look for in what is written. */
const randomTag = () => `tag${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  env = await freshTable();
  deadLetterDir = mkdtempSync(join(process.env.CASEFLOW_TEST_WORKDIR ?? tmpdir(), 'expiry-dlq-'));
  process.env.EXPIRY_DEAD_LETTER_DIR = deadLetterDir;
  const consumer = (functionName: string, handler: StreamHandler) =>
    startStreamPoller({
      endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
      tableName: env.tableName,
      functionName,
      handler,
      pollIntervalMs: 50,
      recordTime: () => Date.now(),
    });
  const { handler: archiver } = (await import('../../functions/handlers/case-archiver')) as { handler: StreamHandler };
  const { handler: stamper } = (await import('../../functions/handlers/retention-stamper')) as { handler: StreamHandler };
  const { handler: verifier } = (await import('../../functions/handlers/expiry-verifier')) as { handler: StreamHandler };
  pollers.push(
    consumer('case-archiver', archiver),
    consumer('retention-stamper', stamper),
    consumer('expiry-verifier', async (event: DynamoDBStreamEvent, context) => {
      for (const r of event.Records) {
        const pk = r.dynamodb?.Keys?.PK?.S ?? '';
        const caseId = pk.startsWith('CASE#') ? pk.slice(5) : r.dynamodb?.OldImage?.caseId?.S;
        if (caseId && r.eventName === 'REMOVE') removals.set(caseId, [...(removals.get(caseId) ?? []), r]);
      }
      return verifier(event, context);
    }),
  );
  sweeper = startTtlSweeper({ endpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, now: () => Date.now(), intervalMs: 500 });
}, 30_000);

afterAll(async () => {
  await sweeper?.stop();
  await Promise.all(pollers.map((p) => p.stop()));
});

async function closedCase(retentionSeconds = RETENTION_SECONDS) {
  const deps = { store: env.store, clock: systemClock, staff: staffDirectory(), retention: fixedRetention(localRetention(retentionSeconds)) };
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('expiry') }), channel: 'web' },
    { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
  );
  await addNote(c.caseId, { text: 'Called the courier' }, { actor: agent }, deps);
  await resolveCase(c.caseId, { summary: 'Parcel redelivered' }, { actor: agent }, deps);
  await closeCase(c.caseId, {}, { actor: agent }, deps);
  return { caseId: c.caseId, reference: c.reference };
}

async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i] as T);
      }
    }),
  );
  return out;
}

/** The items of a case still in the table: its partition and its reference item. */
async function itemsLeft(caseId: string, reference: string): Promise<number> {
  const partition = await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CASE#${caseId}` }, ConsistentRead: true }));
  const ref = await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: `REF#${reference}`, SK: 'REF' }, ConsistentRead: true }));
  return (partition.Items?.length ?? 0) + (ref.Item ? 1 : 0);
}

/** How long one case may take to expire and be verified: the whole batch shares one stream consumer, on a loaded 2-core machine. */
const CASE_DEADLINE_MS = 240_000;

/** Every item of the case removed, and a receipt for each: the verification of its expiry finished. */
async function expiredAndVerified(caseId: string, reference: string) {
  await eventually(async () => ((await itemsLeft(caseId, reference)) === 0 ? true : undefined), CASE_DEADLINE_MS, `every item of ${reference} expired`);
  const archived = verifyCaseArchive((await archives().get(caseId)) ?? new Uint8Array());
  const listed = (archived.document?.items ?? []).map((i) => `${i.pk}|${i.sk}`);
  return eventually(
    async () => {
      // Every item the archive lists has reached the verifier as removed, and each removed item has its receipt.
      const removed = removals.get(caseId) ?? [];
      const removedKeys = new Set(removed.map((r) => `${r.dynamodb?.Keys?.PK?.S}|${r.dynamodb?.Keys?.SK?.S}`));
      if (listed.length === 0 || !listed.every((k) => removedKeys.has(k))) return undefined;
      const receipts = await archives().receiptsOf(caseId);
      return receipts.length === removedKeys.size ? { removed, receipts } : undefined;
    },
    CASE_DEADLINE_MS,
    `every removed item of ${reference} verified`,
  );
}

describe('expiry of closed cases, verified against their archives (M7.2, C4.3)', () => {
  it(`expires ${CASES} closed cases from the table with every one of their items, each verified against a verified archive, none missing`, async () => {
    // Closed with a retention of seconds while the consumers run: nothing may expire before its archive exists.
    const cases = await inPool(Array.from({ length: CASES }), 12, () => closedCase());
    const results = await inPool(cases, 8, async ({ caseId, reference }) => {
      const { removed, receipts } = await expiredAndVerified(caseId, reference);
      const stored = await archives().get(caseId);
      return { caseId, removed, receipts, verdict: stored ? verifyCaseArchive(stored) : undefined };
    });
    expect(results.filter((r) => r.verdict?.verified !== true)).toEqual([]);
    for (const { removed, receipts, verdict } of results) {
      // One receipt per removed item: no gap, no duplicate.
      const removedKeys = removed.map((r) => `${r.dynamodb?.Keys?.PK?.S}|${r.dynamodb?.Keys?.SK?.S}`);
      expect(receipts.map((r) => `${r.pk}|${r.sk}`).sort()).toEqual([...new Set(removedKeys)].sort());
      // Every item the archive lists was in the table when the case expired, and is held as it was;
      // what the archive lacks (the case as it recorded the archive, the event recording it) is kept from its old image.
      const held = receipts.filter((r) => r.verdict === 'in-archive').map((r) => `${r.pk}|${r.sk}`).sort();
      expect(held).toEqual(verdict!.document!.items.filter((i) => i.sk !== 'CASE').map((i) => `${i.pk}|${i.sk}`).sort());
      expect(receipts.filter((r) => r.verdict === 'written-from-old-image').map((r) => r.sk.replace(/#.*/, '#')).sort()).toEqual(['CASE', 'EVT#']);
      expect(receipts.every((r) => r.cause === 'ttl-by-expiry')).toBe(true);
    }
    expect(readdirSync(deadLetterDir).filter((n) => n.endsWith('.json'))).toEqual([]);
  }, 600_000);

  it('lets an auditor fetch and verify the archive of a case that has expired from the table, through the archive index (M7.3)', async () => {
    const { caseId, reference } = await closedCase();
    await expiredAndVerified(caseId, reference);
    const { handler } = (await import('../../functions/handlers/get-case-archive')) as { handler: unknown };
    const res = await invoke(
      handler,
      apiEvent({ method: 'GET', path: `/v1/archive/${reference}`, routePath: '/v1/archive/{reference}', pathParameters: { reference }, headers: { authorization: `Bearer ${await staffToken(['auditors'], 'auditor-expiry')}` } }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reference, caseId, verified: true, problems: [], foundThrough: 'archive-index', expiredAt: expect.any(String), archive: { caseId } });
  });
});

describe('a failing expiry verification (M7.2)', () => {
  it('sends the failed records whole to the dead-letter queue, and a redrive finishes them with no duplicate and no gap', async () => {
    const original = S3CaseArchives.prototype.putReceipt;
    let calls = 0;
    // The bucket refuses receipts for a while, half-way through the expiry of six cases.
    const put = jest.spyOn(S3CaseArchives.prototype, 'putReceipt').mockImplementation(async function (this: S3CaseArchives, ...args) {
      calls += 1;
      if (calls > 10 && calls <= 40) throw Object.assign(new Error('S3 is unavailable'), { name: 'ServiceUnavailable' });
      return original.apply(this, args);
    });
    try {
      const cases = await inPool(Array.from({ length: 6 }), 6, () => closedCase());
      for (const { caseId, reference } of cases) await eventually(async () => ((await itemsLeft(caseId, reference)) === 0 ? true : undefined), 60_000, `${reference} expired`);
      const letters = await eventually(async () => {
        const names = readdirSync(deadLetterDir).filter((n) => n.endsWith('.json'));
        return names.length >= 30 ? names : undefined;
      }, 60_000, 'the failed records dead-lettered');
      expect(letters).toHaveLength(30);
    } finally {
      put.mockRestore();
    }
    const { handler: redrive } = (await import('../../functions/handlers/expiry-redrive')) as { handler: (e: unknown, c: unknown) => Promise<{ redriven: number; failed: number }> };
    expect(await redrive({}, { awsRequestId: 'redrive' })).toMatchObject({ redriven: 30, failed: 0 });
    expect(readdirSync(deadLetterDir).filter((n) => n.endsWith('.json'))).toEqual([]);
    // A second redrive finds nothing.
    expect(await redrive({}, { awsRequestId: 'redrive-2' })).toMatchObject({ redriven: 0, failed: 0 });
  }, 120_000);
});

/** The local key service the handlers use (SUBJECT_KEY_DIR). */
const subjectKeys = () => new FileSubjectKeys(process.env.SUBJECT_KEY_DIR ?? '');

/** The incident kept for an item of the case, as the bucket holds it: its bytes and what they parse to. */
async function incidentOf(caseId: string, sk: string) {
  const s3 = createS3Client(readConfig(AwsEndpointsSchema));
  return eventually(
    async () => {
      for (const key of await archives().list('incidents/deletions/')) {
        const body = await s3.send(new GetObjectCommand({ Bucket: LOCAL_NAMES.recordsBucket, Key: key }));
        const text = await body.Body!.transformToString();
        const parsed = JSON.parse(text) as DeletionIncident;
        if (parsed.caseId === caseId && parsed.sk === sk) return { key, text, parsed: DeletionIncidentSchema.parse(parsed) };
      }
      return undefined;
    },
    20_000,
    `the incident of ${sk} kept`,
  );
}

/** Deletes an item as someone with console access would, and returns it as it was (the image the stream reports). */
async function deleteByHand(pk: string, sk: string) {
  const out = await env.doc.send(new DeleteCommand({ TableName: env.tableName, Key: { PK: pk, SK: sk }, ReturnValues: 'ALL_OLD' }));
  if (!out.Attributes) throw new Error(`no item ${pk} ${sk} to delete`);
  return out.Attributes;
}

/** The facts an incident keeps in clear: everything but its sealed image. */
const NON_PERSONAL_FIELDS = ['archive', 'caseId', 'deletedAt', 'entity', 'event', 'eventId', 'format', 'imageSealed', 'pk', 'sha256', 'sk', 'userIdentity', 'why'];

describe('a deletion that is not TTL’s (M7.2)', () => {
  it('is caught from the stream and kept as an incident with the item’s digest and non-personal facts, for the alarm and whoever investigates', async () => {
    const { case: c } = await openCaseFromSubmission(
      { submission: submission({ email: uniqueEmail('deleted') }), channel: 'web' },
      { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
    );
    // Someone with console access deletes an open case's first event.
    const image = await deleteByHand(`CASE#${c.caseId}`, 'EVT#00000001');
    const incident = await incidentOf(c.caseId, 'EVT#00000001');
    // An event of a case with no archive: whose it is, nothing says, so it is kept unsealed and without its image.
    expect(incident.parsed).toMatchObject({
      format: 'caseflow.deletion-incident/2',
      entity: 'event',
      event: { type: 'case_received', seq: 1, at: image.at as string },
      sha256: itemDigest(image),
      imageSealed: false,
      why: 'no-archive',
    });
    expect(incident.key).not.toContain('@');
    expect(await archives().receiptsOf(c.caseId)).toEqual([]);
  });
});

describe('a deletion incident holds nothing of the customer in clear (M5.1, C6.1)', () => {
  it('seals a hand-deleted event of an archived case with the customer’s key, so that it opens to exactly the item, and nothing reveals it once the key is destroyed', async () => {
    const tag = randomTag();
    const email = uniqueEmail('incident');
    const name = `Ada Incident ${tag}`;
    const words = `My parcel ${tag} never came to the flat.`;
    const deps = { store: env.store, clock: systemClock, staff: staffDirectory(), retention: fixedRetention(localRetention(3600)) };
    const { case: opened } = await openCaseFromSubmission(
      { submission: submission({ email, name, message: words }), channel: 'web' },
      { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
    );
    const caseId = opened.caseId;
    // Events that hold the customer's details and words: a corrected name (before and after), a call's transcript.
    await updateCustomer(caseId, { name: `${name} King`, reason: 'Spelled out on the phone' }, { actor: agent }, deps);
    await logCall(caseId, { direction: 'inbound', durationSeconds: 60, transcript: words }, { actor: agent }, deps);
    await resolveCase(caseId, { summary: 'Parcel redelivered' }, { actor: agent }, deps);
    await closeCase(caseId, {}, { actor: agent }, deps);
    const timeline = await env.store.getTimeline(caseId);
    const skOf = (type: string) => `EVT#${String(timeline.find((e) => e.type === type)!.seq).padStart(8, '0')}`;
    const [updated, called] = [skOf('customer_updated'), skOf('call_logged')];
    // Archived and stamped with the expiry an hour away: the deletions below are not TTL's.
    await eventually(async () => (await env.store.getCase(caseId))?.archive, 20_000, 'the archive recorded on the case');
    for (const sk of [updated, called]) {
      await eventually(async () => (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: `CASE#${caseId}`, SK: sk }, ConsistentRead: true }))).Item?.expiresAt, 20_000, `${sk} stamped`);
    }
    const subject = subjectIdOf({ email });
    const key = await subjectKeys().existing(subject);
    expect(key).toBeDefined();

    const images = { [updated]: await deleteByHand(`CASE#${caseId}`, updated), [called]: await deleteByHand(`CASE#${caseId}`, called) };
    // What the items held: the customer's address, name and words.
    expect(JSON.stringify(images[updated])).toContain(email);
    expect(JSON.stringify(images[updated])).toContain(name);
    expect(JSON.stringify(images[called])).toContain(words);

    for (const sk of [updated, called]) {
      const incident = await incidentOf(caseId, sk);
      for (const value of [email, name, words, tag]) expect(incident.text).not.toContain(value);
      expect(incident.parsed).toMatchObject({ entity: 'event', sha256: itemDigest(images[sk]!), imageSealed: true });
      if (!incident.parsed.imageSealed) throw new Error('the incident is not sealed');
      expect(openJson(key!, incident.parsed.sealedImage, incidentSealContext(incident.parsed.eventId))).toEqual(images[sk]);
      // Besides the sealed image, only the non-personal facts.
      expect(Object.keys(incident.parsed).filter((k) => k !== 'sealedImage').every((k) => NON_PERSONAL_FIELDS.includes(k))).toBe(true);
    }

    // The erasure destroys the key: the sealed images open for nobody, not even with a key made anew for the same customer.
    expect(await subjectKeys().destroy(subject)).toBe('destroyed');
    expect(await subjectKeys().existing(subject)).toBeUndefined();
    const remade = await subjectKeys().keyFor(subject);
    try {
      for (const sk of [updated, called]) {
        const { parsed } = await incidentOf(caseId, sk);
        if (!parsed.imageSealed) throw new Error('the incident is not sealed');
        const { sealedImage } = parsed;
        expect(() => openJson(remade, sealedImage, incidentSealContext(parsed.eventId))).toThrow(SealError);
      }
    } finally {
      await subjectKeys().destroy(subject);
    }
  }, 60_000);

  it('keeps only the digest and the non-personal facts of a hand-deleted case item whose customer has no key, and makes none', async () => {
    const tag = randomTag();
    const email = uniqueEmail('nokey');
    const name = `Ada Nokey ${tag}`;
    const words = `Nobody answered about ${tag}.`;
    const { case: c } = await openCaseFromSubmission(
      { submission: submission({ email, name, message: words }), channel: 'web' },
      { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
    );
    // An open case: never archived, so its customer has no key.
    const image = await deleteByHand(`CASE#${c.caseId}`, 'CASE');
    expect(JSON.stringify(image)).toContain(email);
    const incident = await incidentOf(c.caseId, 'CASE');
    for (const value of [email, name, words, tag]) expect(incident.text).not.toContain(value);
    expect(incident.parsed).toEqual({
      format: 'caseflow.deletion-incident/2',
      eventId: expect.any(String),
      pk: `CASE#${c.caseId}`,
      sk: 'CASE',
      caseId: c.caseId,
      deletedAt: expect.any(String),
      entity: 'case',
      sha256: itemDigest(image),
      imageSealed: false,
      why: 'no-key',
    });
    expect(await subjectKeys().existing(subjectIdOf({ email }))).toBeUndefined();
  });
});
