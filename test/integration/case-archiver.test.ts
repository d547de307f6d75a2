import { gunzipSync, gzipSync } from 'node:zlib';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { systemClock } from '../../functions/adapters/system-clock';
import { closeCase } from '../../functions/core/actions/close';
import { resolveCase } from '../../functions/core/actions/resolve';
import { addNote } from '../../functions/core/actions/add-note';
import { caseArchiveKey, verifyCaseArchive } from '../../functions/core/case-archive';
import { subjectIdOf } from '../../functions/core/subject-keys';
import { FileSubjectKeys } from '../../functions/adapters/file-subject-keys';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { LOCAL_NAMES } from '../../local/resources';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { submission } from '../support/fixtures';
import { apiEvent, eventually, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

let env: Awaited<ReturnType<typeof freshTable>>;
let archiver: StreamHandler;
let poller: ReturnType<typeof startStreamPoller>;
const deliveries: DynamoDBStreamEvent[] = [];
const s3 = () => createS3Client(readConfig(AwsEndpointsSchema));
/** The local key service the handlers use (SUBJECT_KEY_DIR). */
const subjectKeys = () => new FileSubjectKeys(process.env.SUBJECT_KEY_DIR ?? '');
const agent = { kind: 'agent' as const, id: 'agent-ana' };

beforeAll(async () => {
  env = await freshTable();
  ({ handler: archiver } = (await import('../../functions/handlers/case-archiver')) as { handler: StreamHandler });
  // The table's stream, read as the local stack (and Lambda's event source mapping) read it.
  poller = startStreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: env.tableName,
    functionName: 'case-archiver',
    handler: async (event, context) => {
      deliveries.push(event);
      return archiver(event, context);
    },
    pollIntervalMs: 50,
  });
});

afterAll(async () => {
  await poller.stop();
});

async function closedCase() {
  const deps = { store: env.store, clock: systemClock, staff: staffDirectory() };
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('archive') }), channel: 'web' },
    { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
  );
  await addNote(c.caseId, { text: 'Called the courier' }, { actor: agent }, deps);
  await resolveCase(c.caseId, { summary: 'Parcel redelivered' }, { actor: agent }, deps);
  await closeCase(c.caseId, {}, { actor: agent }, deps);
  return { caseId: c.caseId, reference: c.reference };
}

const archivedOf = (caseId: string) => eventually(async () => (await env.store.getCase(caseId))?.archive, 20_000, 'the archive recorded on the case');

describe('archiving a case when it closes (M7.2, M7.3)', () => {
  it('writes the closed case to the records bucket as gzipped canonical JSON whose checksum is the one recorded on the case, holding every event, and it verifies', async () => {
    const { caseId } = await closedCase();
    const archive = await archivedOf(caseId);
    const c = await env.store.getCase(caseId);
    expect(archive).toMatchObject({ key: caseArchiveKey(caseId), retainUntil: new Date(c!.expiresAt! * 1000).toISOString() });

    const object = await s3().send(new GetObjectCommand({ Bucket: LOCAL_NAMES.recordsBucket, Key: archive.key }));
    expect(object).toMatchObject({ ContentType: 'application/json', ContentEncoding: 'gzip' });
    const stored = await object.Body!.transformToByteArray();
    expect(stored.length).toBe(archive.bytes);
    const json = gunzipSync(stored);
    // Sealed with the customer's key (the local key service), and opened with it.
    const c2 = (await env.store.getCase(caseId))!;
    const key = await subjectKeys().existing(subjectIdOf(c2.customer));
    expect(key).toBeDefined();
    expect(json.toString('utf8')).not.toContain(c2.customer.email);
    const verdict = verifyCaseArchive(new Uint8Array(json), archive.sha256, key);
    expect(verdict).toMatchObject({ verified: true, problems: [], sha256: archive.sha256, personalData: 'opened' });

    // Every event of the case, up to its closure: only the event recording the archive comes after it.
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.at(-1)).toMatchObject({ type: 'case_archived', data: { sha256: archive.sha256, key: archive.key } });
    expect(verdict.record?.timeline).toEqual(timeline.slice(0, -1));
    expect(verdict.document?.timeline.map((e) => e.hash)).toEqual(timeline.slice(0, -1).map((e) => e.hash));
    expect(verdict.record?.outbox.map((m) => m.id)).toEqual(['acknowledgement']);
    expect(await env.store.getTimeline(caseId).then((t) => t.filter((e) => e.type === 'case_archived'))).toHaveLength(1);
  });

  it('writes nothing new when the stream delivers the closing record again', async () => {
    const { caseId } = await closedCase();
    const archive = await archivedOf(caseId);
    const before = await env.store.getCase(caseId);
    const closing = deliveries
      .flatMap((d) => d.Records)
      .filter((r: DynamoDBRecord) => r.eventName === 'MODIFY' && r.dynamodb?.NewImage?.caseId?.S === caseId && r.dynamodb?.NewImage?.entity?.S === 'case')
      .filter((r) => r.dynamodb?.NewImage?.status?.S === 'closed' && !r.dynamodb?.NewImage?.archive);
    expect(closing).toHaveLength(1);

    const sends = jest.spyOn(S3Client.prototype, 'send');
    try {
      expect(await archiver({ Records: closing }, { awsRequestId: 'redelivery' } as never)).toEqual({ batchItemFailures: [] });
      expect(sends.mock.calls.filter(([command]) => command instanceof PutObjectCommand)).toHaveLength(0);
    } finally {
      sends.mockRestore();
    }
    const after = await env.store.getCase(caseId);
    expect(after).toEqual(before);
    expect(after?.archive).toEqual(archive);
  });
});

describe('an auditor fetching a closed case’s archive (M7.2, M7.3)', () => {
  const fetchArchive = async (reference: string, token: string) => {
    const { handler } = (await import('../../functions/handlers/get-case-archive')) as { handler: unknown };
    return invoke(
      handler,
      apiEvent({ method: 'GET', path: `/v1/archive/${reference}`, routePath: '/v1/archive/{reference}', pathParameters: { reference }, headers: { authorization: `Bearer ${token}` } }),
    );
  };

  it('gets the archive by the case’s reference, its checksum and chain verified, and says so', async () => {
    const { caseId, reference } = await closedCase();
    const archive = await archivedOf(caseId);
    const res = await fetchArchive(reference, await staffToken(['auditors'], 'auditor-archive'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ reference, caseId, verified: true, problems: [], recorded: archive, archive: { format: 'caseflow.case-archive/3', caseId }, personalData: 'readable' });
    const timeline = await env.store.getTimeline(caseId);
    expect((res.body?.record as { timeline: unknown[] }).timeline).toEqual(timeline.slice(0, -1));
  });

  it('reports an archive altered in the bucket as not verified, naming what does not hold', async () => {
    const { caseId, reference } = await closedCase();
    const archive = await archivedOf(caseId);
    const stored = await (await s3().send(new GetObjectCommand({ Bucket: LOCAL_NAMES.recordsBucket, Key: archive.key }))).Body!.transformToByteArray();
    const doc = JSON.parse(gunzipSync(stored).toString('utf8')) as { timeline: Array<{ type: string; data: { text?: string } }> };
    const note = doc.timeline.find((e) => e.type === 'note_added');
    note!.data.text = 'Nothing was done';
    // Locally the bucket has no Object Lock: the overwrite stands in for an edit AWS would refuse.
    await s3().send(new PutObjectCommand({ Bucket: LOCAL_NAMES.recordsBucket, Key: archive.key, Body: gzipSync(JSON.stringify(doc)), ContentEncoding: 'gzip', ContentType: 'application/json' }));

    const res = await fetchArchive(reference, await staffToken(['supervisors'], 'supervisor-archive'));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: false });
    expect(res.body?.problems).toEqual(
      expect.arrayContaining(['the archive checksum differs from the one recorded on the case', expect.stringContaining('an erased event carries content where its personal data was'), 'the clear part of the archive is not the non-personal form of its sealed record']),
    );
  });

  it('answers 404 for a case that is not archived', async () => {
    const { case: c } = await openCaseFromSubmission(
      { submission: submission({ email: uniqueEmail('open') }), channel: 'web' },
      { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
    );
    expect((await fetchArchive(c.reference, await staffToken(['auditors'], 'auditor-archive'))).status).toBe(404);
  });
});
