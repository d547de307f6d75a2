import { createHash, randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import * as yauzl from 'yauzl';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { systemClock } from '../../functions/adapters/system-clock';
import { wiring } from '../../functions/adapters/wiring';
import { closeCase } from '../../functions/core/actions/close';
import { resolveCase } from '../../functions/core/actions/resolve';
import { archiveClosedCase } from '../../functions/core/case-archive';
import type { IngestOutcome } from '../../functions/core/email/ingest-email';
import { ExportManifestSchema, type PrivacyRequest } from '../../functions/core/privacy-access';
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
const agent = { kind: 'agent' as const, id: 'privacy-agent' };
const tag = randomUUID().slice(0, 8);
/** Customer A, as they write their address; customer B; a caller who gave a number alone. */
const A = `Anna.Access.${tag}@Example.com`;
const B = `bert.bystander.${tag}@example.com`;
const PHONE = `+44 20 7946 ${String(Math.floor(Math.random() * 9000) + 1000)}`;

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

beforeAll(async () => {
  env = await freshTable();
  process.env.SUPPORT_ADDRESSES = SUPPORT;
  const endpoints = readConfig(AwsEndpointsSchema);
  s3 = createS3Client(endpoints);
  app = wiring({ ...endpoints, TABLE_NAME: env.tableName, CASE_ARCHIVE_BUCKET: LOCAL_NAMES.recordsBucket, SUBJECT_KEY_DIR: process.env.SUBJECT_KEY_DIR });
  ({ handler: ingest } = (await import('../../functions/handlers/email-ingest')) as unknown as { handler: typeof ingest });
  for (const name of ['create-case', 'open-case-from-call', 'create-access-request', 'get-privacy-request', 'list-privacy-requests']) {
    handlers[name] = ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
  }
  tokens.admin = await staffToken(['admins'], 'privacy-admin');
  tokens.agent = await staffToken(['agents'], 'privacy-agent');
});

afterAll(() => s3.destroy());

/** A web-form case of the customer with this address. */
async function webCase(email: string, subject: string) {
  const res = await invoke(
    handlers['create-case'],
    apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email, subject }), headers: { 'content-type': 'application/json' } }),
  );
  expect(res.status).toBe(201);
  return { caseId: String(res.body?.caseId), reference: String(res.body?.reference) };
}

/** An email from the customer with one file, stored as SES stores it and ingested: the case it opened, its raw bytes and the file. */
async function emailCase(from: string, file: { filename: string; content: Buffer }) {
  const raw = await new MailComposer({
    from: `Customer <${from}>`,
    to: SUPPORT,
    subject: 'Invoice charged twice',
    messageId: `<invoice.${randomUUID()}@mail.example.net>`,
    text: 'The invoice attached charges me twice.',
    attachments: [{ ...file, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
  const key = `inbound/${randomUUID()}`;
  await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
  const event = objectCreatedEvent({ bucket: LOCAL_NAMES.inboundBucket, key, size: raw.length, eTag: createHash('md5').update(key).digest('hex'), principal: 'SES' });
  const [out] = (await ingest(event, lambdaContext('email-ingest'))).outcomes;
  if (out?.outcome !== 'case_opened') throw new Error(`expected a new case, got ${out?.outcome}`);
  const c = await env.store.getCase(out.caseId);
  return { caseId: out.caseId, reference: c!.reference, raw, file };
}

/** A case closed and archived (the archiver's work, done here at once). */
async function archivedCase(email: string) {
  const opened = await webCase(email, 'An old complaint');
  const deps = { store: env.store, clock: systemClock, staff: staffDirectory() };
  await resolveCase(opened.caseId, { summary: 'Refunded' }, { actor: agent }, deps);
  await closeCase(opened.caseId, {}, { actor: agent }, deps);
  expect(await archiveClosedCase(opened.caseId, { store: env.store, clock: systemClock, archives: app.caseArchives, itemImages: app.caseItemImages, keys: app.subjectKeys })).toBe('archived');
  return opened;
}

const asAdmin = (token = tokens.admin ?? '') => ({ authorization: `Bearer ${token}` });

const requestAccess = (subject: { email: string } | { phone: string }) =>
  invoke(
    handlers['create-access-request'],
    apiEvent({ method: 'POST', path: '/v1/privacy/access-requests', body: JSON.stringify(subject), headers: { 'content-type': 'application/json', ...asAdmin() } }),
  );

const getRequest = (requestId: string) =>
  invoke(
    handlers['get-privacy-request'],
    apiEvent({ method: 'GET', path: `/v1/privacy/requests/${requestId}`, routePath: '/v1/privacy/requests/{requestId}', pathParameters: { requestId }, headers: asAdmin() }),
  );

/** Every entry of a zip, read back with yauzl (the counterpart of the writer's yazl). */
function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (openError, stream) => {
          if (openError || !stream) return reject(openError ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

async function download(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe('a GDPR access request (M5.1, C6.1)', () => {
  const files = { invoice: { filename: 'Facture Anna.pdf', content: Buffer.from(`%PDF-1.4 invoice of ${tag}`) }, bertsFile: { filename: 'bert.pdf', content: Buffer.from(`%PDF-1.4 bert ${tag}`) } };
  let a: { web: { caseId: string; reference: string }; mail: Awaited<ReturnType<typeof emailCase>>; archived: { caseId: string; reference: string } };
  let b: { caseId: string; reference: string }[];

  beforeAll(async () => {
    a = { web: await webCase(A, 'Where is my order?'), mail: await emailCase(A.toLowerCase(), files.invoice), archived: await archivedCase(A) };
    b = [await webCase(B, 'My own question'), await emailCase(B, files.bertsFile)];
  });

  it('returns every case of the customer in one zip — the web case, the email case with its file and raw message, the closed case with its archive — and none of anyone else’s', async () => {
    const res = await requestAccess({ email: A.toUpperCase() });
    expect(res.status).toBe(201);
    const request = res.body?.request as PrivacyRequest;
    expect(request).toMatchObject({ kind: 'access', status: 'completed', requestedBy: { kind: 'admin', id: 'privacy-admin' }, counts: { cases: 3, messages: 1, attachments: 1, archives: 1 } });
    expect([...request.caseIds].sort()).toEqual([a.web.caseId, a.mail.caseId, a.archived.caseId].sort());
    for (const other of b) expect(request.caseIds).not.toContain(other.caseId);

    const zip = await download(String((res.body?.download as { url: string }).url));
    expect(sha256(zip)).toBe(request.exportSha256);
    expect(zip.length).toBe(request.counts.bytes);
    const entries = await unzip(zip);
    const fileHash = sha256(files.invoice.content);
    expect([...entries.keys()].sort()).toEqual(
      [
        `cases/${a.web.reference}/case.json`,
        `cases/${a.mail.reference}/case.json`,
        `cases/${a.mail.reference}/attachments/${fileHash}-Facture Anna.pdf`,
        `cases/${a.mail.reference}/messages/1.eml`,
        `cases/${a.archived.reference}/case.json`,
        `archives/${a.archived.reference}.json`,
        'manifest.json',
      ].sort(),
    );
    // The very bytes stored: the customer's file, their mail as SES received it; the archive's record opened with the customer's key.
    expect(entries.get(`cases/${a.mail.reference}/attachments/${fileHash}-Facture Anna.pdf`)?.equals(files.invoice.content)).toBe(true);
    expect(entries.get(`cases/${a.mail.reference}/messages/1.eml`)?.equals(a.mail.raw)).toBe(true);
    const archived = JSON.parse(entries.get(`archives/${a.archived.reference}.json`)!.toString('utf8')) as { archive: { verified: boolean }; record: { case: { caseId: string; customer: { email: string } } } };
    expect(archived).toMatchObject({ archive: { verified: true }, record: { case: { caseId: a.archived.caseId } } });
    expect(archived.record.case.customer.email.toLowerCase()).toBe(A.toLowerCase());
    const record = JSON.parse(entries.get(`cases/${a.web.reference}/case.json`)!.toString('utf8')) as { case: { caseId: string; customer: { email: string } }; timeline: unknown[] };
    expect(record.case.caseId).toBe(a.web.caseId);
    expect(record.case.customer.email.toLowerCase()).toBe(A.toLowerCase());

    // The manifest lists every other file with the SHA-256 and size of its bytes in the zip.
    const manifest = ExportManifestSchema.parse(JSON.parse(entries.get('manifest.json')!.toString('utf8')));
    expect(manifest).toMatchObject({ requestId: request.requestId, subject: request.subject });
    expect(manifest.files.map((f) => f.path).sort()).toEqual([...entries.keys()].filter((k) => k !== 'manifest.json').sort());
    for (const f of manifest.files) expect({ path: f.path, sha256: f.sha256, bytes: f.bytes }).toEqual({ path: f.path, sha256: sha256(entries.get(f.path)!), bytes: entries.get(f.path)!.length });
    // No case of this customer was surveyed.
    expect(manifest.categories.find((c) => c.category === 'survey-answers')).toMatchObject({ included: false, count: 0 });

    // Nothing of B's anywhere in the export.
    const everything = [...entries.values()].map((e) => e.toString('latin1')).join('\n');
    for (const other of b) expect(everything).not.toContain(other.reference);
    expect(everything).not.toContain(B);
    expect(everything).not.toContain(files.bertsFile.content.toString('latin1'));
  });

  it('keeps a request record that holds no address, and a download link that carries none, valid 15 minutes', async () => {
    const res = await requestAccess({ email: A });
    const request = res.body?.request as PrivacyRequest;
    const local = A.split('@')[0]!.toLowerCase();
    expect(request.subject).toEqual({ kind: 'email', digest: sha256(A.trim().toLowerCase()) });
    expect(JSON.stringify(res.body?.request).toLowerCase()).not.toContain(local);
    // As the table keeps it, too (PK PRIVACY, no expiry: the accountability record).
    const stored = await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'PRIVACY' } }));
    const item = stored.Items?.find((i) => i.requestId === request.requestId);
    expect(item).toMatchObject({ PK: 'PRIVACY', SK: `REQ#${request.requestedAt}#${request.requestId}` });
    expect(item?.expiresAt).toBeUndefined();
    expect(JSON.stringify(item).toLowerCase()).not.toContain(local);

    const url = new URL(String((res.body?.download as { url: string }).url));
    expect(url.origin).toBe(process.env.S3_ENDPOINT);
    expect(url.pathname).toBe(`/${LOCAL_NAMES.archiveBucket}/privacy-exports/${request.requestId}.zip`);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('900');
    expect(decodeURIComponent(url.href).toLowerCase()).not.toContain(local);
    expect(Date.parse(String((res.body?.download as { expiresAt: string }).expiresAt)) - Date.now()).toBeLessThanOrEqual(900_000);
    const fetched = await fetch(url);
    expect(fetched.status).toBe(200);
    expect(fetched.headers.get('content-type')).toBe('application/zip');
    expect(fetched.headers.get('content-disposition')).toContain(`caseflow-access-${request.requestId}.zip`);
  });

  it('records the export on the audit trail of each of the customer’s cases, closed ones included: who, when, which request (M7.3)', async () => {
    const res = await requestAccess({ email: A });
    const request = res.body?.request as PrivacyRequest;
    for (const c of [a.web, a.mail, a.archived]) {
      const timeline = await env.store.getTimeline(c.caseId);
      expect(timeline.filter((e) => e.type === 'privacy_access_exported').at(-1)).toMatchObject({ actor: { kind: 'admin', id: 'privacy-admin' }, data: { requestId: request.requestId } });
    }
    expect((await env.store.getCase(a.archived.caseId))?.status).toBe('closed');
    for (const other of b) expect((await env.store.getTimeline(other.caseId)).some((e) => e.type === 'privacy_access_exported')).toBe(false);
  });

  it('gives the record again with a fresh link, and lists the requests newest first', async () => {
    const first = (await requestAccess({ email: B })).body?.request as PrivacyRequest;
    const second = (await requestAccess({ email: A })).body?.request as PrivacyRequest;
    const again = await getRequest(first.requestId);
    expect(again.status).toBe(200);
    expect(again.body?.request).toEqual(first);
    const zip = await download(String((again.body?.download as { url: string }).url));
    expect(sha256(zip)).toBe(first.exportSha256);
    expect((await getRequest(randomUUID())).status).toBe(404);

    const list = await invoke(handlers['list-privacy-requests'], apiEvent({ method: 'GET', path: '/v1/privacy/requests', query: { limit: '2' }, headers: asAdmin() }));
    expect(list.status).toBe(200);
    expect((list.body?.items as PrivacyRequest[]).map((r) => r.requestId)).toEqual([second.requestId, first.requestId]);
    expect(list.body?.nextCursor).toEqual(expect.any(String));
    const next = await invoke(handlers['list-privacy-requests'], apiEvent({ method: 'GET', path: '/v1/privacy/requests', query: { limit: '100', cursor: String(list.body?.nextCursor) }, headers: asAdmin() }));
    expect((next.body?.items as PrivacyRequest[]).map((r) => r.requestId)).not.toContain(second.requestId);
  });

  it('finds a caller who gave a phone number alone, with the call’s transcript', async () => {
    const call = await invoke(
      handlers['open-case-from-call'],
      apiEvent({
        method: 'POST',
        path: '/v1/calls',
        body: JSON.stringify({ customer: { name: 'Pat Caller', phone: PHONE }, subject: 'Opening hours', message: 'When are you open?', call: { direction: 'inbound', durationSeconds: 60, transcript: `Caller ${tag}: when do you open?` } }),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.agent}` },
      }),
    );
    expect(call.status).toBe(201);
    const caseId = String((call.body?.case as { caseId: string }).caseId);
    const res = await requestAccess({ phone: PHONE.replace(/ /g, '') });
    expect(res.status).toBe(201);
    const request = res.body?.request as PrivacyRequest;
    expect(request).toMatchObject({ subject: { kind: 'phone' }, caseIds: [caseId], counts: { cases: 1 } });
    const entries = await unzip(await download(String((res.body?.download as { url: string }).url)));
    const reference = String((call.body?.case as { reference: string }).reference);
    expect(entries.get(`cases/${reference}/case.json`)?.toString('utf8')).toContain(`Caller ${tag}: when do you open?`);
    expect(ExportManifestSchema.parse(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).categories.find((c) => c.category === 'call-transcripts')).toMatchObject({ count: 1, included: true });
  });

  it('finds a case that has expired from the table through the archive’s subject index, from its archive alone', async () => {
    const C = `carla.closed.${tag}@example.com`;
    const gone = await archivedCase(C);
    // Retention ended: TTL deleted every item of the case's partition (the local stand-in for it).
    const items = await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': `CASE#${gone.caseId}` } }));
    for (const i of items.Items ?? []) await env.doc.send(new DeleteCommand({ TableName: env.tableName, Key: { PK: i.PK, SK: i.SK } }));
    expect((await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: `CASE#${gone.caseId}`, SK: 'CASE' } }))).Item).toBeUndefined();

    const res = await requestAccess({ email: C });
    expect(res.status).toBe(201);
    const request = res.body?.request as PrivacyRequest;
    expect(request).toMatchObject({ caseIds: [gone.caseId], counts: { cases: 1, archives: 1 }, notRecordedOn: [{ caseId: gone.caseId, reason: expect.stringContaining('expired from the table') }] });
    const entries = await unzip(await download(String((res.body?.download as { url: string }).url)));
    expect([...entries.keys()].sort()).toEqual([`archives/${gone.reference}.json`, 'manifest.json']);
    expect(ExportManifestSchema.parse(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).cases).toEqual([
      { reference: gone.reference, caseId: gone.caseId, foundThrough: 'archive-index', inTable: false, archived: true, archiveVerified: true },
    ]);
  });

  it('takes the address in the body only: 400 without one, and a staff member who is not an admin is turned away (403)', async () => {
    const empty = await invoke(handlers['create-access-request'], apiEvent({ method: 'POST', path: '/v1/privacy/access-requests', body: '{}', headers: { 'content-type': 'application/json', ...asAdmin() } }));
    expect(empty.status).toBe(400);
    const agentTry = await invoke(
      handlers['create-access-request'],
      apiEvent({ method: 'POST', path: '/v1/privacy/access-requests', body: JSON.stringify({ email: A }), headers: { 'content-type': 'application/json', ...asAdmin(tokens.agent) } }),
    );
    expect(agentTry.status).toBe(403);
  });
});
