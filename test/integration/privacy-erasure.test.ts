import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { systemClock } from '../../functions/adapters/system-clock';
import { wiring } from '../../functions/adapters/wiring';
import { closeCase } from '../../functions/core/actions/close';
import { resolveCase } from '../../functions/core/actions/resolve';
import { archiveClosedCase, archiveSubjectOf, verifyCaseArchive } from '../../functions/core/case-archive';
import { verifyAuditTrail } from '../../functions/core/audit-verification';
import type { IngestOutcome } from '../../functions/core/email/ingest-email';
import type { PrivacyRequest } from '../../functions/core/privacy-access';
import { runErasureRequest } from '../../functions/core/privacy-erasure';
import { applySla } from '../../functions/core/apply-sla';
import { fixedClock } from '../../functions/core/clock';
import { answerSurvey } from '../../functions/core/survey-answer';
import { lambdaContext } from '../../local/lambda-context';
import { LOCAL_NAMES } from '../../local/resources';
import { objectCreatedEvent } from '../../local/s3-event';
import { SUPPORT } from '../fixtures/email/build-fixtures';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

let env: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Client;
let app: ReturnType<typeof wiring>;
let ingest: (event: S3Event, context: ReturnType<typeof lambdaContext>) => Promise<{ outcomes: IngestOutcome[] }>;
const handlers: Record<string, unknown> = {};
const tokens: Record<string, string> = {};
const agent = { kind: 'agent' as const, id: 'erasure-agent' };
const tag = randomUUID().slice(0, 8);

/** Erin: her address, her number, her name and words, each unique to this run so that a search finds only hers. */
const ERIN = {
  email: `Erin.Erasure.${tag}@Example.com`,
  phone: `+44 20 7000 ${String(Math.floor(Math.random() * 9000) + 1000)}`,
  name: `Erin Erasure ${tag}`,
  words: `my parcel ${tag} never came`,
  transcript: `Erin ${tag} on the phone about the parcel`,
  file: Buffer.from(`%PDF-1.4 receipt of Erin ${tag}`),
};
const BYSTANDER = { email: `bea.bystander.${tag}@example.com`, name: `Bea Bystander ${tag}`, words: `a different question ${tag}-b` };

/** What none of the stores may hold once Erin is erased, as the stores hold it (addresses lower case, the number as typed or as digits). */
const ERIN_TRACES = [ERIN.email.toLowerCase(), ERIN.email, ERIN.phone, ERIN.phone.replace(/[^0-9+]/g, ''), ERIN.name, ERIN.words, ERIN.transcript, ERIN.file.toString('utf8')];

beforeAll(async () => {
  env = await freshTable();
  process.env.SUPPORT_ADDRESSES = SUPPORT;
  const endpoints = readConfig(AwsEndpointsSchema);
  s3 = createS3Client(endpoints);
  app = wiring({ ...endpoints, TABLE_NAME: env.tableName, CASE_ARCHIVE_BUCKET: LOCAL_NAMES.recordsBucket, INBOUND_BUCKET: LOCAL_NAMES.inboundBucket, ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket, SUBJECT_KEY_DIR: process.env.SUBJECT_KEY_DIR });
  ({ handler: ingest } = (await import('../../functions/handlers/email-ingest')) as unknown as { handler: typeof ingest });
  for (const name of ['create-case', 'open-case-from-call', 'create-access-request', 'create-erasure-request', 'get-privacy-request', 'place-legal-hold', 'release-legal-hold', 'get-case', 'log-case-call']) {
    handlers[name] = ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
  }
  tokens.admin = await staffToken(['admins'], 'erasure-admin');
  tokens.agent = await staffToken(['agents'], 'erasure-agent');
});

afterAll(() => s3.destroy());

const json = (token: string | undefined) => ({ 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` });

async function webCase(customer: { email: string; name: string; phone?: string }, message: string) {
  const body = { ...jsonFixture('web-form', 'inquiry.json'), ...customer, message, subject: `About ${tag}` } as Record<string, unknown>;
  if (!customer.phone) delete body.phone;
  const res = await invoke(handlers['create-case'], apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }));
  expect(res.status).toBe(201);
  return { caseId: String(res.body?.caseId), reference: String(res.body?.reference) };
}

async function emailCase() {
  const raw = await new MailComposer({
    from: `${ERIN.name} <${ERIN.email}>`,
    to: SUPPORT,
    subject: `Parcel ${tag}`,
    messageId: `<parcel.${randomUUID()}@mail.example.net>`,
    text: `Hello, ${ERIN.words}. Receipt attached.`,
    attachments: [{ filename: 'receipt.pdf', content: ERIN.file, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
  const key = `inbound/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
  const event = objectCreatedEvent({ bucket: LOCAL_NAMES.inboundBucket, key, size: raw.length, eTag: createHash('md5').update(key).digest('hex'), principal: 'SES' });
  const [out] = (await ingest(event, lambdaContext('email-ingest'))).outcomes;
  if (out?.outcome !== 'case_opened') throw new Error(`expected a new case, got ${out?.outcome}`);
  return { caseId: out.caseId, rawKey: key };
}

async function callCase() {
  const res = await invoke(
    handlers['open-case-from-call'],
    apiEvent({
      method: 'POST',
      path: '/v1/calls',
      body: JSON.stringify({ customer: { name: ERIN.name, phone: ERIN.phone }, subject: 'Parcel by phone', message: ERIN.words, call: { direction: 'inbound', durationSeconds: 90, transcript: ERIN.transcript } }),
      headers: json(tokens.agent),
    }),
  );
  expect(res.status).toBe(201);
  return { caseId: String((res.body?.case as { caseId: string }).caseId) };
}

/** Resolved, closed and archived (the archiver's work, done here at once); with `survey`, the satisfaction survey answered in between with that comment. */
async function closeAndArchive(caseId: string, summary = `Refunded ${ERIN.name}`, survey?: string) {
  const deps = { store: env.store, clock: systemClock, staff: staffDirectory() };
  await resolveCase(caseId, { summary }, { actor: agent }, deps);
  if (survey !== undefined) {
    const dayLater = fixedClock(new Date(Date.now() + 25 * 3_600_000).toISOString());
    await applySla(caseId, { store: env.store, clock: dayLater, contacts: { teamInbox: 't@example.com', supervisor: 's@example.com', manager: 'm@example.com' } });
    const sent = (await env.store.getCase(caseId))?.survey;
    if (!sent) throw new Error('no survey sent');
    await answerSurvey({ caseId, surveyId: sent.surveyId, expiresAt: sent.expiresAt }, { rating: 1, solved: false, comment: survey }, { store: env.store, clock: dayLater });
  }
  await closeCase(caseId, {}, { actor: agent }, deps);
  expect(await archiveClosedCase(caseId, { store: env.store, clock: systemClock, archives: app.caseArchives, itemImages: app.caseItemImages, keys: app.subjectKeys })).toBe('archived');
}

const requestErasure = (subject: { email: string } | { phone: string }, token = tokens.admin) =>
  invoke(handlers['create-erasure-request'], apiEvent({ method: 'POST', path: '/v1/privacy/erasure-requests', body: JSON.stringify(subject), headers: json(token) }));

const holdRoute = (method: 'PUT' | 'DELETE', caseId: string, body: unknown, token = tokens.admin) =>
  invoke(
    handlers[method === 'PUT' ? 'place-legal-hold' : 'release-legal-hold'],
    apiEvent({ method, path: `/v1/cases/${caseId}/legal-hold`, routePath: '/v1/cases/{caseId}/legal-hold', pathParameters: { caseId }, body: JSON.stringify(body), headers: json(token) }),
  );

/** Every item of this file's table, as DynamoDB returns it (a test may Scan; caseflow never does). */
async function everyItem(): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await env.doc.send(new ScanCommand({ TableName: env.tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every object's bytes in a bucket under a prefix (archives gunzipped, through the archive store). */
async function everyObject(bucket: string, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    for (const o of page.Contents ?? []) {
      if (!o.Key) continue;
      const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
      out.set(o.Key, Buffer.from((await got.Body?.transformToByteArray()) ?? []).toString('utf8'));
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

const tracesIn = (text: string) => ERIN_TRACES.filter((t) => text.includes(t));

describe('GDPR erasure requests (M5.1, C6.1)', () => {
  const erin: { web?: string; email?: string; rawKey?: string; call?: string; gone?: string; goneRef?: string } = {};
  let bystander: { caseId: string; reference: string };
  let accessExportKey: string;
  let accessRequestId: string;
  let completed: PrivacyRequest;

  beforeAll(async () => {
    // Erin: a web case with her address and number, an email case with a file, a call under her number alone,
    // and an old case that has expired from the table (its archive alone left). All closed and archived.
    erin.web = (await webCase({ email: ERIN.email, name: ERIN.name, phone: ERIN.phone }, ERIN.words)).caseId;
    const mail = await emailCase();
    erin.email = mail.caseId;
    erin.rawKey = mail.rawKey;
    erin.call = (await callCase()).caseId;
    const old = await webCase({ email: ERIN.email, name: ERIN.name }, `${ERIN.words} (last year)`);
    erin.gone = old.caseId;
    erin.goneRef = old.reference;
    // Her web case's satisfaction survey is answered with her words: the feedback log holds them too (C4.2).
    await closeAndArchive(erin.web, undefined, `${ERIN.name}: ${ERIN.words}`);
    for (const id of [erin.email, erin.call, erin.gone]) await closeAndArchive(id);
    const items = await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CASE#${erin.gone}` } }));
    for (const i of items.Items ?? []) await env.doc.send(new DeleteCommand({ TableName: env.tableName, Key: { PK: i.PK, SK: i.SK } }));
    bystander = await webCase({ email: BYSTANDER.email, name: BYSTANDER.name }, BYSTANDER.words);
    await closeAndArchive(bystander.caseId, 'Answered');

    // An access request first: its export is a copy of everything, and must go with the rest.
    const access = await invoke(handlers['create-access-request'], apiEvent({ method: 'POST', path: '/v1/privacy/access-requests', body: JSON.stringify({ email: ERIN.email }), headers: json(tokens.admin) }));
    expect(access.status).toBe(201);
    accessExportKey = String((access.body?.request as PrivacyRequest).exportKey);
    accessRequestId = (access.body?.request as PrivacyRequest).requestId;
  });

  it('refuses the whole erasure while a case is under a legal hold, says which and why, and changes nothing (M5.1, C6.1)', async () => {
    const held = await holdRoute('PUT', erin.email!, { basis: 'litigation', matter: `Claim ${tag}`, note: 'Keep for the claim' });
    expect(held.status).toBe(200);
    // Admins read no case: the answer is the hold and the case's ids, nothing of the customer.
    expect(Object.keys(held.body?.case as object).sort()).toEqual(['caseId', 'legalHold', 'reference', 'status', 'version']);
    expect(tracesIn(JSON.stringify(held.body))).toEqual([]);
    const res = await requestErasure({ email: ERIN.email });
    expect(res.status).toBe(409);
    expect(String(res.body?.error)).toContain('legal hold (litigation');
    const record = res.body?.request as PrivacyRequest;
    expect(record).toMatchObject({ kind: 'erasure', status: 'refused', blockedBy: [{ caseId: erin.email, reason: 'legal-hold', hold: { basis: 'litigation', matter: `Claim ${tag}` } }] });
    expect(JSON.stringify(record)).not.toContain('Keep for the claim');
    const still = await env.store.getCase(erin.web!);
    expect(still?.customer.email).toBe(ERIN.email.toLowerCase());
    expect(still?.erasure).toBeUndefined();
    expect(await app.subjectKeys.existing(`email:${createHash('sha256').update(ERIN.email.toLowerCase()).digest('hex')}`)).toBeDefined();
  });

  it('refuses an open case of the customer with what to do about it', async () => {
    const open = await webCase({ email: `olly.open.${tag}@example.com`, name: 'Olly Open' }, 'still waiting');
    const res = await requestErasure({ email: `olly.open.${tag}@example.com` });
    expect(res.status).toBe(409);
    expect(res.body?.request).toMatchObject({ status: 'refused', blockedBy: [{ caseId: open.caseId, reason: 'open', detail: expect.stringContaining('close it first') }] });
  });

  it('lets only admins place and release legal holds, and not twice', async () => {
    expect((await holdRoute('PUT', erin.web!, { basis: 'other' }, tokens.agent)).status).toBe(403);
    expect((await holdRoute('PUT', erin.email!, { basis: 'other' })).status).toBe(409);
    expect((await holdRoute('PUT', erin.web!, { basis: 'not-a-basis' })).body?.error).toBeDefined();
    expect((await requestErasure({ email: ERIN.email }, tokens.agent)).status).toBe(403);
  });

  it('erases every case of the customer — found by address, and through it by number — once the hold is released (M5.1, C6.1)', async () => {
    const released = await holdRoute('DELETE', erin.email!, { note: 'Claim settled' });
    expect([released.status, released.body?.error]).toEqual([200, undefined]);
    const res = await requestErasure({ email: ERIN.email });
    expect([res.status, (res.body?.request as PrivacyRequest | undefined)?.failure]).toEqual([201, undefined]);
    completed = res.body?.request as PrivacyRequest;
    expect(completed).toMatchObject({ kind: 'erasure', status: 'completed', requestedBy: { kind: 'admin', id: 'erasure-admin' } });
    expect([...completed.caseIds].sort()).toEqual([erin.web, erin.email, erin.call, erin.gone].sort());
    expect(completed.subjects?.map((s) => s.kind).sort()).toEqual(['email', 'phone']);
    expect(completed.erased).toMatchObject({ casesErased: 3, archivedOnly: 1, rawMessagesDeleted: 1, filesDeleted: 1, exportsDeleted: 1, eventsNotErasable: 0 });
    expect(completed.erased?.keysDestroyed).toBe(2); // her address's key and her number's (the call)
    expect(JSON.stringify(completed)).not.toMatch(new RegExp(tag.replace(/[-]/g, '\\-') + '|@', 'i'));
  });

  it('leaves none of her personal data in any item of the table, and none in any index', async () => {
    const items = await everyItem();
    // Her survey answer's feedback-log entry is kept, its comment erased (C4.2).
    expect(items.filter((i) => i.entity === 'feedback' && i.caseId === erin.web)).toEqual([expect.objectContaining({ rating: 1, comment: '[erased]', erasedBy: completed.requestId })]);
    const leaks = items.filter((i) => tracesIn(JSON.stringify(i)).length > 0).map((i) => `${String(i.PK)} ${String(i.SK)}: ${tracesIn(JSON.stringify(i)).join(', ')}`);
    expect(leaks).toEqual([]);
    const byAddress = await app.queues.listQueue({ queue: 'customer', email: ERIN.email }, { limit: 10 });
    const byNumber = await app.queues.listQueue({ queue: 'customer', phone: ERIN.phone }, { limit: 10 });
    expect([...byAddress.items, ...byNumber.items]).toEqual([]);
  });

  it('deletes her raw mail, her files and the earlier export, and leaves nothing of her readable in the archives (crypto-shredding)', async () => {
    expect(await app.inboundFiles.open(erin.rawKey!)).toBeUndefined();
    expect(await app.attachmentFiles.open(accessExportKey)).toBeUndefined();
    const earlier = await invoke(
      handlers['get-privacy-request'],
      apiEvent({ method: 'GET', path: `/v1/privacy/requests/${accessRequestId}`, routePath: '/v1/privacy/requests/{requestId}', pathParameters: { requestId: accessRequestId }, headers: json(tokens.admin) }),
    );
    expect(earlier.status).toBe(200);
    expect(earlier.body?.download).toBeUndefined();
    const files = await everyObject(LOCAL_NAMES.archiveBucket, `cases/${erin.email}/`);
    expect([...files.keys()]).toEqual([]);
    for (const id of [erin.web, erin.email, erin.call, erin.gone]) {
      const bytes = await app.caseArchives.get(id!);
      expect(bytes).toBeDefined();
      const subject = archiveSubjectOf(bytes!);
      const key = subject ? await app.subjectKeys.existing(subject.id) : undefined;
      expect(key).toBeUndefined();
      const verdict = verifyCaseArchive(bytes!, undefined, key);
      expect(verdict).toMatchObject({ verified: true, personalData: 'sealed' });
      expect(tracesIn(Buffer.from(bytes!).toString('utf8'))).toEqual([]);
    }
    const index = await everyObject(LOCAL_NAMES.recordsBucket, 'index/');
    expect([...index.values()].filter((v) => [erin.web, erin.email, erin.call, erin.gone].some((id) => v.includes(`"caseId":"${id}"`)) && v.includes('subjectDigest'))).toEqual([]);
  });

  it('keeps the non-personal record, whose audit chain still verifies with a redaction marker on every event (M7.2, M7.3)', async () => {
    for (const id of [erin.web, erin.email, erin.call]) {
      const c = await env.store.getCase(id!);
      expect(c).toMatchObject({ status: 'closed', erasure: { requestId: completed.requestId }, archive: expect.anything() });
      const timeline = await env.store.getTimeline(id!);
      expect(timeline.at(-1)).toMatchObject({ type: 'personal_data_erased', data: { requestId: completed.requestId } });
      expect(timeline.every((e) => e.redaction?.requestId === completed.requestId)).toBe(true);
      expect(timeline.map((e) => e.type)).toEqual(expect.arrayContaining(['case_received', 'status_changed', 'case_archived']));
      const verdict = verifyAuditTrail(timeline, c!, [], await env.store.getEscalations(id!), c!, { erased: true });
      expect(verdict).toMatchObject({ valid: true });
    }
  });

  it('leaves another customer’s case as it was', async () => {
    const c = await env.store.getCase(bystander.caseId);
    expect(c).toMatchObject({ customer: { email: BYSTANDER.email, name: BYSTANDER.name }, message: BYSTANDER.words });
    expect(c?.erasure).toBeUndefined();
    const found = await app.queues.listQueue({ queue: 'customer', email: BYSTANDER.email }, { limit: 10 });
    expect(found.items.map((s) => s.caseId)).toEqual([bystander.caseId]);
    const archived = await app.caseArchives.get(bystander.caseId);
    const subject = archiveSubjectOf(archived!);
    expect(verifyCaseArchive(archived!, undefined, await app.subjectKeys.existing(subject!.id))).toMatchObject({ verified: true, personalData: 'opened' });
  });

  it('finishes an erasure that failed part-way when it is run again: the half-erased case is still found, nothing is done twice', async () => {
    const fay = { email: `fay.failure.${tag}@example.com`, name: `Fay Failure ${tag}` };
    const opened = await webCase(fay, `fay's words ${tag}`);
    await closeAndArchive(opened.caseId, 'Answered');
    const keyId = `email:${createHash('sha256').update(fay.email).digest('hex')}`;
    expect(await app.subjectKeys.existing(keyId)).toBeDefined();
    // The key service fails when the keys are to be destroyed: the case is erased by then, its key and index entries are not.
    const deps = {
      store: env.store,
      queues: app.queues,
      archives: app.caseArchives,
      keys: { existing: (id: string) => app.subjectKeys.existing(id), destroy: async () => Promise.reject(Object.assign(new Error('KMS unavailable'), { name: 'ServiceUnavailable' })) },
      records: app.caseRecordEraser,
      attachments: app.attachmentEraser,
      inboundMail: app.inboundEraser,
      requests: app.privacyRequests,
      feedback: app.feedbackLog,
      newRequestId: randomUUID,
    };
    const failed = await runErasureRequest({ subject: { email: fay.email }, requestedBy: { kind: 'admin', id: 'erasure-admin' } }, deps, systemClock);
    expect(failed).toMatchObject({ status: 'failed', failure: 'ServiceUnavailable', caseIds: [opened.caseId], erased: { casesErased: 1, keysDestroyed: 0 } });
    expect((await env.store.getCase(opened.caseId))?.erasure?.requestId).toBe(failed.requestId);

    const again = await requestErasure({ email: fay.email });
    expect(again.status).toBe(201);
    const record = again.body?.request as PrivacyRequest;
    expect(record).toMatchObject({ status: 'completed', caseIds: [opened.caseId], erased: { casesErased: 1, keysDestroyed: 1, indexEntriesDeleted: 1 } });
    expect(await app.subjectKeys.existing(keyId)).toBeUndefined();
    // The case was erased by the first run: its trail has one erasure event, by that request.
    const timeline = await env.store.getTimeline(opened.caseId);
    expect(timeline.filter((e) => e.type === 'personal_data_erased').map((e) => e.data)).toEqual([{ requestId: failed.requestId }]);
    expect(verifyAuditTrail(timeline, (await env.store.getCase(opened.caseId))!, [], [], undefined, { erased: true })).toMatchObject({ valid: true });
  });

  it('finds nothing of her afterwards, and a second erasure request completes with nothing left to do', async () => {
    const access = await invoke(handlers['create-access-request'], apiEvent({ method: 'POST', path: '/v1/privacy/access-requests', body: JSON.stringify({ email: ERIN.email }), headers: json(tokens.admin) }));
    expect(access.status).toBe(201);
    expect(access.body?.request).toMatchObject({ caseIds: [], counts: { cases: 0 } });
    const again = await requestErasure({ phone: ERIN.phone });
    expect(again.status).toBe(201);
    expect(again.body?.request).toMatchObject({ status: 'completed', caseIds: [], erased: { casesErased: 0, keysDestroyed: 0 } });
  });
});
