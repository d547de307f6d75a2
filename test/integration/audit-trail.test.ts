import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { canonicalize } from 'json-canonicalize';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { casePk, eventItem, eventSk, CASE_SK } from '../../functions/adapters/dynamo/keys';
import { logger } from '../../functions/adapters/observability';
import { anchorKeys } from '../../functions/adapters/s3-audit-anchors';
import { createS3Client } from '../../functions/adapters/s3-blob-store';
import { wiring } from '../../functions/adapters/wiring';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { addNote } from '../../functions/core/actions/add-note';
import { AuditAnchorIntegrityError, buildDayDigest, verifyDigestChain, type DayDigest } from '../../functions/core/audit-anchor';
import { chainEvents, GENESIS_HASH } from '../../functions/core/audit-chain';
import { verifyAuditTrail } from '../../functions/core/audit-verification';
import type { Actor } from '../../functions/core/case';
import type { CaseEvent, EventDraft } from '../../functions/core/case-event';
import { fixedClock } from '../../functions/core/clock';
import { openCase } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { lambdaContext } from '../../local/lambda-context';
import { apiEvent, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * The audit trail against tampering behind the API's back (M5.3, M7.3): the chain, the head the
 * case carries, and the daily head digests the audit-anchor function writes to S3. Cases are opened
 * and changed on fixed days; the anchoring runs as its schedule would, just after each midnight.
 */
const DAY1 = '2025-03-10';
const DAY2 = '2025-03-11';
const agent: Actor = { kind: 'agent', id: 'agent-7' };
// A bucket of this file's own: the anchors' chain is the bucket's, whatever else runs.
const bucket = `audit-${randomUUID().slice(0, 8)}`;

let env: Awaited<ReturnType<typeof freshTable>>;
let s3: S3Client;
let anchor: (event: { time?: string }) => Promise<{ anchored: { day: string; cases: number }[]; remaining: number }>;
let verifyHandler: unknown;
let auditor: string;
const cases: Record<'intact' | 'edited' | 'truncated' | 'rewritten' | 'twoDays', string> = { intact: '', edited: '', truncated: '', rewritten: '', twoDays: '' };

async function open(at: string): Promise<string> {
  const opened = await openCase(
    { draft: { channel: 'web', type: 'inquiry', customer: { name: 'Test Customer', email: uniqueEmail('audit') }, subject: 'Where is my parcel', message: 'It did not arrive.' } },
    { store: env.store, clock: fixedClock(at), newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: false, limitPerHour: 3 } },
  );
  return opened.case.caseId;
}

const note = (caseId: string, at: string, text: string) => addNote(caseId, { text }, { actor: agent }, { store: env.store, clock: fixedClock(at) });

async function verify(caseId: string) {
  return invoke(
    verifyHandler,
    apiEvent({
      method: 'POST',
      path: `/v1/cases/${caseId}/audit/verify`,
      routePath: '/v1/cases/{caseId}/audit/verify',
      pathParameters: { caseId },
      headers: { authorization: `Bearer ${auditor}` },
    }),
  );
}

async function readObject(key: string): Promise<string> {
  const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

async function listKeys(prefix = 'audit-anchors/'): Promise<string[]> {
  const out = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key ?? '').sort();
}

/** The event as a draft again (what chainEvents seals). */
const draftOf = ({ caseId: _c, seq: _s, prevHash: _p, hash: _h, ...draft }: CaseEvent) => draft as EventDraft;

const anchorBucketBefore = process.env.AUDIT_ANCHOR_BUCKET;
afterAll(() => {
  process.env.AUDIT_ANCHOR_BUCKET = anchorBucketBefore;
});

beforeAll(async () => {
  env = await freshTable();
  s3 = createS3Client(readConfig(AwsEndpointsSchema));
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  process.env.AUDIT_ANCHOR_BUCKET = bucket;
  const { handler } = await import('../../functions/handlers/audit-anchor');
  anchor = (event) => handler(event, lambdaContext('audit-anchor'));
  verifyHandler = (await import('../../functions/handlers/verify-audit-trail')).handler;
  auditor = await staffToken(['auditors'], 'auditor-1');

  for (const name of Object.keys(cases) as (keyof typeof cases)[]) {
    cases[name] = await open(`${DAY1}T09:00:00.000Z`);
    await note(cases[name], `${DAY1}T10:00:00.000Z`, 'Called the carrier: the parcel is in the depot.');
    await note(cases[name], `${DAY1}T11:00:00.000Z`, 'Carrier confirms delivery tomorrow.');
  }
  // The schedule's run just after the first midnight: the first digest, chained to GENESIS.
  await anchor({ time: `${DAY2}T00:15:00Z` });
  // Two cases change again on the second day, anchored by the next night's run.
  await note(cases.twoDays, `${DAY2}T09:30:00.000Z`, 'Customer confirms the parcel arrived.');
  await note(cases.rewritten, `${DAY2}T09:45:00.000Z`, 'Customer asks for the delivery note.');
  await anchor({ time: '2025-03-12T00:15:00Z' });
});

describe('the daily anchoring of audit chain heads (M7.3, M5.3)', () => {
  it('writes one digest a day, chained to the day before, with a marker for each case changed that day', async () => {
    const digests = await Promise.all([DAY1, DAY2].map(async (day) => JSON.parse(await readObject(anchorKeys.digest(day))) as DayDigest));
    expect(verifyDigestChain(digests)).toMatchObject({ valid: true, days: 2 });
    expect(digests[0]?.heads.map((h) => h.caseId).sort()).toEqual(Object.values(cases).sort());
    expect(digests[1]?.heads.map((h) => h.caseId).sort()).toEqual([cases.twoDays, cases.rewritten].sort());
    const head = await env.store.getCase(cases.twoDays);
    expect(digests[1]?.heads.find((h) => h.caseId === cases.twoDays)).toEqual({ caseId: cases.twoDays, seq: head?.version, hash: head?.lastEventHash });
    expect(await listKeys(anchorKeys.markersOfCase(cases.twoDays))).toEqual([anchorKeys.marker(cases.twoDays, DAY1), anchorKeys.marker(cases.twoDays, DAY2)]);
    expect(JSON.parse(await readObject(anchorKeys.marker(cases.twoDays, DAY2)))).toEqual({
      format: 'caseflow.audit-anchor.case-marker/1',
      caseId: cases.twoDays,
      day: DAY2,
      digestSha256: digests[1]?.sha256,
    });
    // Ids and hashes only: no personal data in a key or an object.
    const everything = (await Promise.all((await listKeys()).map(readObject))).join('\n');
    expect(everything).not.toMatch(/@example\.com|Test Customer|parcel/);
  });

  it('writes nothing when run again for a day already anchored', async () => {
    const before = await listKeys();
    const send = jest.spyOn(S3Client.prototype, 'send');
    try {
      expect(await anchor({ time: '2025-03-12T00:20:00Z' })).toMatchObject({ anchored: [], remaining: 0 });
      expect(send.mock.calls.filter(([command]) => command instanceof PutObjectCommand)).toEqual([]);
    } finally {
      send.mockRestore();
    }
    expect(await listKeys()).toEqual(before);
  });

  it('catches up the days it missed, each chained to the one before, empty days included', async () => {
    expect(await anchor({ time: '2025-03-14T00:15:00Z' })).toMatchObject({
      anchored: [
        { day: '2025-03-12', cases: 0 },
        { day: '2025-03-13', cases: 0 },
      ],
      remaining: 0,
    });
    const days = ['2025-03-10', '2025-03-11', '2025-03-12', '2025-03-13'];
    expect(await listKeys(anchorKeys.digests)).toEqual(days.map(anchorKeys.digest));
    const digests = await Promise.all(days.map(async (day) => JSON.parse(await readObject(anchorKeys.digest(day))) as unknown));
    expect(verifyDigestChain(digests)).toMatchObject({ valid: true, days: 4 });
  });
});

describe('verifying an audit trail against tampering behind the API (M7.3, M5.3)', () => {
  it('finds an untouched trail valid, checked against its anchored heads', async () => {
    const res = await verify(cases.intact);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ caseId: cases.intact, valid: true, length: 3, anchorsChecked: 1 });
    expect((await verify(cases.twoDays)).body).toMatchObject({ valid: true, length: 4, anchorsChecked: 2 });
  });

  it('names the event edited behind the API', async () => {
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { PK: casePk(cases.edited), SK: eventSk(2) },
        UpdateExpression: 'SET #data.#text = :text',
        ExpressionAttributeNames: { '#data': 'data', '#text': 'text' },
        ExpressionAttributeValues: { ':text': 'Nothing was said to the customer.' },
      }),
    );
    const res = await verify(cases.edited);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ valid: false, brokenAtSeq: 2, reason: 'event content changed' });
  });

  it('names an escalation record edited behind the API: the log is checked against the trail (M3.3, M9.3)', async () => {
    const { handler: escalate } = await import('../../functions/handlers/escalate-case');
    const { handler: resolveEscalation } = await import('../../functions/handlers/resolve-escalation');
    const caseId = await open(`${DAY2}T10:00:00.000Z`);
    const act = async (handler: unknown, suffix: string, body: unknown, groups: string[]) => onCase(handler, caseId, suffix, { body, token: await staffToken(groups, `esc-${groups[0]}`) });
    expect((await act(escalate, 'escalations', { reason: 'Refund above my authority' }, ['agents'])).status).toBe(200);
    expect((await act(resolveEscalation, 'escalation/resolve', { outcome: 'Refund refused' }, ['supervisors'])).status).toBe(200);
    expect((await verify(caseId)).body).toMatchObject({ valid: true });
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { PK: casePk(caseId), SK: 'ESC#01' },
        UpdateExpression: 'SET outcome = :outcome',
        ExpressionAttributeValues: { ':outcome': 'Refund approved' },
      }),
    );
    expect((await verify(caseId)).body).toMatchObject({
      valid: false,
      escalationLog: [{ escalationId: 'ESC-01', problem: 'its outcome is not the one recorded on the trail' }],
      reason: 'the escalation log differs from the trail: ESC-01: its outcome is not the one recorded on the trail',
    });
  });

  it('names a field of the case item edited behind the API, which no event on the trail explains', async () => {
    const caseId = await open(`${DAY2}T11:00:00.000Z`);
    expect((await verify(caseId)).body).toMatchObject({ valid: true });
    await env.doc.send(
      new UpdateCommand({ TableName: env.tableName, Key: { PK: casePk(caseId), SK: CASE_SK }, UpdateExpression: 'SET priority = :p', ExpressionAttributeValues: { ':p': 'low' } }),
    );
    expect((await verify(caseId)).body).toMatchObject({
      valid: false,
      caseState: [{ field: '(opening state)', problem: 'a field the trail never changed is not what the case was opened with' }],
    });
  });

  it('detects the last event deleted: the case head still names it', async () => {
    await env.doc.send(new DeleteCommand({ TableName: env.tableName, Key: { PK: casePk(cases.truncated), SK: eventSk(3) } }));
    const res = await verify(cases.truncated);
    expect(res.body).toMatchObject({ valid: false, length: 2, brokenAtSeq: 3, reason: expect.stringContaining('the case head says the trail has 3 events') });
  });

  it('detects a trail rewritten from an early event, re-hashed whole and the case head updated, through the anchored digest alone', async () => {
    const caseId = cases.rewritten;
    const events = await env.store.getTimeline(caseId);
    expect(events).toHaveLength(4);
    // Event 2's note says something else; every later event is re-hashed, the case head follows.
    const drafts = events.map(draftOf).map((d, i) => (i === 1 ? ({ ...d, data: { text: 'The customer withdrew the complaint.' } } as EventDraft) : d));
    const forged = chainEvents({ caseId, version: 0, lastEventHash: GENESIS_HASH }, drafts);
    for (const event of forged.events) await env.doc.send(new PutCommand({ TableName: env.tableName, Item: eventItem(event) }));
    await env.doc.send(
      new UpdateCommand({
        TableName: env.tableName,
        Key: { PK: casePk(caseId), SK: CASE_SK },
        UpdateExpression: 'SET lastEventHash = :hash',
        ExpressionAttributeValues: { ':hash': forged.head.lastEventHash },
      }),
    );
    const stored = await env.store.getTimeline(caseId);
    const head = await env.store.getCase(caseId);
    // Without the anchors nothing is wrong: the chain and the case head agree.
    expect(verifyAuditTrail(stored, { version: head?.version ?? 0, lastEventHash: head?.lastEventHash ?? '' }, [])).toMatchObject({ valid: true });

    const res = await verify(caseId);
    expect(res.status).toBe(200);
    // Event 3 was the head anchored on the first day: the first anchored event the rewrite reaches.
    expect(res.body).toMatchObject({
      valid: false,
      anchorsChecked: 2,
      brokenAtSeq: 3,
      reason: `event 3 does not match its hash anchored on ${DAY1}: the trail was rewritten`,
    });
  });

  it('reports a trail whose day digest in S3 was altered, replaced or removed as not valid, never as "no anchors" (M7.3)', async () => {
    const key = anchorKeys.digest(DAY2);
    const original = JSON.parse(await readObject(key)) as DayDigest;
    const error = jest.spyOn(logger, 'error');
    const anchors = wiring({ ...readConfig(AwsEndpointsSchema), AUDIT_ANCHOR_BUCKET: bucket }).auditAnchors;
    try {
      // A head changed in place: the digest no longer hashes to its sha256.
      const altered = { ...original, heads: original.heads.map((h) => (h.caseId === cases.twoDays ? { ...h, seq: h.seq - 1 } : h)) };
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: canonicalize(altered), ContentType: 'application/json' }));
      await expect(anchors.anchorsFor(cases.twoDays)).rejects.toThrow(
        new AuditAnchorIntegrityError(`the audit anchor digest of ${DAY2} does not hash to its own sha256: its content was altered`),
      );
      const res = await verify(cases.twoDays);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ valid: false, anchorsChecked: 0, reason: `the daily anchors of this case do not verify: the audit anchor digest of ${DAY2} does not hash to its own sha256: its content was altered` });
      expect(error).not.toHaveBeenCalled();

      // Replaced by a digest that hashes correctly: the case's marker still names the original.
      const previous = JSON.parse(await readObject(anchorKeys.digest(DAY1))) as DayDigest;
      const replaced = buildDayDigest(DAY2, altered.heads, previous);
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: canonicalize(replaced), ContentType: 'application/json' }));
      await expect(anchors.anchorsFor(cases.twoDays)).rejects.toThrow(`the audit anchor digest of ${DAY2} is not the one case ${cases.twoDays} was anchored in: it was replaced`);
      expect((await verify(cases.twoDays)).body).toMatchObject({ valid: false, reason: expect.stringContaining('it was replaced') });

      // Removed: the marker names a digest that must be there.
      await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      await expect(anchors.anchorsFor(cases.twoDays)).rejects.toThrow(`the audit anchor object ${key} is missing: it was removed`);
      expect((await verify(cases.twoDays)).body).toMatchObject({ valid: false, reason: expect.stringContaining('it was removed') });
    } finally {
      error.mockRestore();
    }
    // A case whose anchors are all on the untouched day still verifies.
    expect((await verify(cases.intact)).body).toMatchObject({ valid: true, anchorsChecked: 1 });
  });
});
