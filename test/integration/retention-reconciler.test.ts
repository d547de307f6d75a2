import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { DynamoClosedCasesByDay } from '../../functions/adapters/dynamo/closed-cases-by-day';
import { casePk, eventSk, referencePk, REFERENCE_SK } from '../../functions/adapters/dynamo/keys';
import { DynamoRetentionStamper } from '../../functions/adapters/dynamo/retention-stamper-store';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { S3CaseArchives } from '../../functions/adapters/s3-case-archives';
import { clockControl, systemClock } from '../../functions/adapters/system-clock';
import { addNote } from '../../functions/core/actions/add-note';
import { utcDay } from '../../functions/core/audit-anchor';
import { closeCase } from '../../functions/core/actions/close';
import { resolveCase } from '../../functions/core/actions/resolve';
import { verifyCaseArchive } from '../../functions/core/case-archive';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { DEFAULT_RECONCILE_DAYS, SETTLE_MS, type RetentionReconcileRun } from '../../functions/core/reconcile-retention';
import { slaPolicy } from '../../functions/core/sla-policy';
import { lambdaContext } from '../../local/lambda-context';
import { LOCAL_NAMES } from '../../local/resources';
import { startStreamPoller, type StreamHandler } from '../../local/stream-poller';
import { submission } from '../support/fixtures';
import { eventually, freshTable, uniqueEmail } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

/**
 * The retention reconciler against DynamoDB Local and s3rver, with the failures it exists for made
 * real: the case-archiver consumes the table's stream (as its event source mapping does), and a
 * case it could not archive past its retries is set aside; no retention-stamper consumer runs at
 * all, so nothing but the reconciler stamps a case the archiver did archive.
 */
let env: Awaited<ReturnType<typeof freshTable>>;
let reconciler: (event: unknown, context: Context) => Promise<RetentionReconcileRun>;
let archiverPoller: ReturnType<typeof startStreamPoller>;
const deadLetterFile = join(process.env.CASEFLOW_TEST_WORKDIR ?? tmpdir(), `reconciler-archiver-dead-letters-${process.pid}.jsonl`);
const agent = { kind: 'agent' as const, id: 'agent-ana' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  env = await freshTable();
  const { handler: archiver } = (await import('../../functions/handlers/case-archiver')) as { handler: StreamHandler };
  ({ handler: reconciler } = (await import('../../functions/handlers/retention-reconciler')) as unknown as { handler: typeof reconciler });
  archiverPoller = startStreamPoller({
    endpoint: process.env.DYNAMODB_ENDPOINT ?? '',
    tableName: env.tableName,
    functionName: 'case-archiver',
    handler: archiver,
    maxRetryAttempts: 1,
    deadLetterFile,
    pollIntervalMs: 50,
  });
});

afterAll(async () => {
  await archiverPoller.stop();
});

const reconcile = () => reconciler({}, lambdaContext('retention-reconciler', 60_000));

async function closedCase(): Promise<{ caseId: string; reference: string }> {
  const deps = { store: env.store, clock: systemClock, staff: staffDirectory() };
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('reconcile') }), channel: 'web' },
    { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
  );
  await addNote(c.caseId, { text: 'Called the courier' }, { actor: agent }, deps);
  await resolveCase(c.caseId, { summary: 'Parcel redelivered' }, { actor: agent }, deps);
  await closeCase(c.caseId, {}, { actor: agent }, deps);
  return { caseId: c.caseId, reference: c.reference };
}

const deadLetters = () => (existsSync(deadLetterFile) ? readFileSync(deadLetterFile, 'utf8').split('\n').filter(Boolean).length : 0);

/** Closes a case while the archive bucket refuses every write: the archiver fails past its retries and sets the record aside. */
async function closedWhileArchivingFails(): Promise<{ caseId: string; reference: string }> {
  const before = deadLetters();
  const put = jest.spyOn(S3CaseArchives.prototype, 'put').mockRejectedValue(Object.assign(new Error('S3 is unavailable'), { name: 'ServiceUnavailable' }));
  try {
    const closed = await closedCase();
    await eventually(() => (deadLetters() > before ? true : undefined), 20_000, 'the closure set aside by the archiver after its retries');
    return closed;
  } finally {
    put.mockRestore();
  }
}

const archivedOf = (caseId: string) => eventually(async () => (await env.store.getCase(caseId))?.archive, 20_000, 'the archive recorded by the archiver');

/** Every item of the case in the table: its partition and its reference. */
async function itemsOf(caseId: string, reference: string): Promise<Record<string, unknown>[]> {
  const partition = (await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': casePk(caseId) }, ConsistentRead: true }))).Items ?? [];
  const ref = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: referencePk(reference), SK: REFERENCE_SK }, ConsistentRead: true }))).Item;
  return [...partition, ref ?? { missing: 'reference' }];
}

/** The items that do not carry the case's expiry, by key. */
async function unstamped(caseId: string, reference: string): Promise<string[]> {
  const c = await env.store.getCase(caseId);
  expect(c?.expiresAt).toEqual(expect.any(Number));
  return (await itemsOf(caseId, reference)).filter((i) => i.expiresAt !== c?.expiresAt).map((i) => `${String(i.PK)} ${String(i.SK)}`);
}

describe('the retention reconciler (M7.2, C4.3: every closed case archived and expiring with all its items, whatever the stream consumers did)', () => {
  it('archives a case whose archiving failed past the stream’s retries, and stamps every item of it in the same run', async () => {
    const { caseId, reference } = await closedWhileArchivingFails();
    expect((await env.store.getCase(caseId))?.archive).toBeUndefined();
    expect(await unstamped(caseId, reference)).not.toEqual([]);
    // Past the settle period, in which the reconciler leaves a closure to the stream consumers.
    clockControl.advance(SETTLE_MS + 60_000);

    expect(await reconcile()).toMatchObject({ checked: 1, archived: 1, stamped: 1, failed: [], unfinished: false });

    const c = await env.store.getCase(caseId);
    const archive = c?.archive;
    expect(archive).toBeDefined();
    const stored = await (await createS3Client(readConfig(AwsEndpointsSchema)).send(new GetObjectCommand({ Bucket: LOCAL_NAMES.recordsBucket, Key: archive!.key }))).Body!.transformToByteArray();
    expect(verifyCaseArchive(new Uint8Array(gunzipSync(stored)), archive!.sha256)).toMatchObject({ verified: true, problems: [] });
    expect(await unstamped(caseId, reference)).toEqual([]);
  });

  it('stamps an archived case whose items were never stamped, and one whose items lost their expiry; a second run changes nothing', async () => {
    const never = await closedCase();
    const lost = await closedCase();
    await archivedOf(never.caseId);
    await archivedOf(lost.caseId);
    // No stamper consumer runs: the first was never stamped. The second was, then lost the expiry of two items.
    expect((await unstamped(never.caseId, never.reference)).length).toBeGreaterThan(1);
    await new DynamoRetentionStamper(env.doc, env.tableName).stampCase((await env.store.getCase(lost.caseId))!);
    for (const Key of [{ PK: referencePk(lost.reference), SK: REFERENCE_SK }, { PK: casePk(lost.caseId), SK: eventSk(1) }]) {
      await env.doc.send(new UpdateCommand({ TableName: env.tableName, Key, UpdateExpression: 'REMOVE expiresAt', ConditionExpression: 'attribute_exists(PK)' }));
    }
    expect(await unstamped(lost.caseId, lost.reference)).toEqual([`${referencePk(lost.reference)} ${REFERENCE_SK}`, `${casePk(lost.caseId)} ${eventSk(1)}`].sort());
    clockControl.advance(SETTLE_MS + 60_000);

    expect(await reconcile()).toMatchObject({ archived: 0, stamped: 2, failed: [] });
    expect(await unstamped(never.caseId, never.reference)).toEqual([]);
    expect(await unstamped(lost.caseId, lost.reference)).toEqual([]);

    expect(await reconcile()).toMatchObject({ checked: 3, archived: 0, stamped: 0, itemsStamped: 0 });
  });

  it('finds the closed cases of a day through the by-day index, each with whether it is archived, and no open case', async () => {
    const unarchived = await closedWhileArchivingFails();
    const archived = await closedCase();
    await archivedOf(archived.caseId);
    const { case: open } = await openCaseFromSubmission(
      { submission: submission({ email: uniqueEmail('open') }), channel: 'web' },
      { store: env.store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
    );
    const listed = new Map<string, boolean>();
    const index = new DynamoClosedCasesByDay(env.doc, env.tableName);
    // Each case's own day of last change (the three may straddle midnight).
    for (const caseId of [unarchived.caseId, archived.caseId, open.caseId]) {
      const c = await env.store.getCase(caseId);
      for await (const entry of index.closedOn(utcDay(new Date(c!.updatedAt)))) listed.set(entry.caseId, entry.archived);
    }
    expect([listed.get(unarchived.caseId), listed.get(archived.caseId), listed.has(open.caseId)]).toEqual([false, true, false]);
  });

  // Runs last: it moves the clock past the reach of every case above.
  it(`does not reach a case whose last change is more than its ${DEFAULT_RECONCILE_DAYS} days ago: that case stays unarchived, while a recent one is archived`, async () => {
    const old = await closedWhileArchivingFails();
    clockControl.advance(DEFAULT_RECONCILE_DAYS * DAY);
    const recent = await closedWhileArchivingFails();
    clockControl.advance(SETTLE_MS + 60_000);

    expect(await reconcile()).toMatchObject({ checked: 1, archived: 1, stamped: 1 });
    expect((await env.store.getCase(recent.caseId))?.archive).toBeDefined();
    expect((await env.store.getCase(old.caseId))?.archive).toBeUndefined();
  });
});
