import { marshall } from '@aws-sdk/util-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { casePk, CASE_SK, INBOUND_SK, inboundPk, MESSAGE_ID_SK, messageIdPk, referencePk, REFERENCE_SK } from '../../functions/adapters/dynamo/keys';
import { placeLegalHold, releaseLegalHold } from '../../functions/core/actions/legal-hold';
import { chainEvents } from '../../functions/core/audit-chain';
import type { Case } from '../../functions/core/case';
import type { EventDraft } from '../../functions/core/case-event';
import { fixedClock } from '../../functions/core/clock';
import type { EscalationRecord } from '../../functions/core/escalation';
import { transition } from '../../functions/core/lifecycle';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { lambdaContext } from '../../local/lambda-context';
import { seededRandom, submission } from '../support/fixtures';
import { freshTable, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let handler: (event: DynamoDBStreamEvent, context: ReturnType<typeof lambdaContext>) => Promise<unknown>;

beforeAll(async () => {
  env = await freshTable();
  // The handler reads its configuration (the table) when loaded.
  ({ handler } = (await import('../../functions/handlers/retention-stamper')) as unknown as { handler: typeof handler });
});

const agent = { kind: 'agent' as const, id: 'agent-1' };
const SES_ID = '0100018c-retention-test@email.amazonses.com';
const inboundKeyOf = (caseId: string) => `inbound-key-${caseId}`;

/** A case with events, a customer reply (and its inbound record), an outbox message sent under an SES id (and its Message-ID link), an escalation record; closed if asked. */
async function aCase(caseId: string, seed: number, close: boolean): Promise<Case> {
  const { case: opened } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail() }), channel: 'web' },
    { store: env.store, clock: fixedClock('2026-03-02T09:00:00.000Z'), newCaseId: () => caseId, random: seededRandom(seed), policy: slaPolicy() },
  );
  const at = new Date('2026-03-02T10:00:00.000Z');
  let c = opened;
  const drafts: EventDraft[] = [];
  for (const to of close ? (['in_progress', 'resolved', 'closed'] as const) : (['in_progress'] as const)) {
    const moved = transition(c, to, at, agent);
    c = moved.next;
    drafts.push(moved.draft);
  }
  const messageId = `${caseId.slice(-12)}-${SES_ID}`;
  drafts.push({
    type: 'customer_replied', at: at.toISOString(), actor: { kind: 'customer' },
    data: { rawObjectKey: `inbound/${caseId}`, inboundKey: inboundKeyOf(caseId), subject: 'Re: my parcel', attachments: [], matchedBy: 'reference' },
  });
  drafts.push({ type: 'reply_sent', at: at.toISOString(), actor: { kind: 'system', id: 'caseflow' }, data: { outboxId: 'acknowledgement', messageId, recipient: 'customer' } });
  const chain = chainEvents(opened, drafts);
  const escalation: EscalationRecord = {
    caseId, escalationId: `${caseId}#1`, number: 1, level: 1, trigger: 'manual', escalatedAt: at.toISOString(), escalatedFrom: 'agent-1',
    responsibleParty: 'supervisor@example.com', reason: 'needs a refund', respondBy: '2026-03-03T10:00:00.000Z', actionsTaken: [],
  };
  const next = { ...c, ...chain.head };
  await env.store.applyChange({
    expectedVersion: opened.version,
    case: next,
    events: chain.events,
    outboxInserts: [{ caseId, id: 'agent_reply#1', kind: 'agent_reply', status: 'sent', createdAt: at.toISOString(), attempts: 1, sentAt: at.toISOString(), messageId }],
    escalations: [escalation],
    messageIds: [{ messageId, caseId }],
    inbound: { key: inboundKeyOf(caseId), rawObjectKey: `inbound/${caseId}`, receivedAt: at.toISOString(), kind: 'new_message', reason: 'reply', outcome: 'reply', caseId },
  });
  return next;
}

const archive = (caseId: string) => ({ key: `records/${caseId}/case-archive.json.gz`, sha256: 'ab'.repeat(32), archivedAt: '2026-03-02T10:01:00.000Z', retainUntil: '2031-03-02T10:00:00.000Z', bytes: 2048 });

/** Records the archive on the case item as the archiver does, and returns the stream record of that MODIFY. */
function archiveRecord(caseId: string): Promise<DynamoDBRecord> {
  return modifyRecord(caseId, async (key) => {
    await env.doc.send(new UpdateCommand({ TableName: env.tableName, Key: key, UpdateExpression: 'SET #archive = :a', ExpressionAttributeNames: { '#archive': 'archive' }, ExpressionAttributeValues: { ':a': archive(caseId) } }));
  });
}

/** Makes a change to the case item and returns the stream record of that MODIFY, as the table's stream gives it. */
async function modifyRecord(caseId: string, change: (key: { PK: string; SK: string }) => Promise<unknown>): Promise<DynamoDBRecord> {
  const key = { PK: casePk(caseId), SK: CASE_SK };
  const before = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: key, ConsistentRead: true }))).Item ?? {};
  await change(key);
  const after = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: key, ConsistentRead: true }))).Item ?? {};
  const image = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
  return { eventID: `${caseId}-${String(before.version)}-modified`, eventName: 'MODIFY', eventSource: 'aws:dynamodb', dynamodb: { Keys: image(key), OldImage: image(before), NewImage: image(after), StreamViewType: 'NEW_AND_OLD_IMAGES' } };
}

const run = async (...records: DynamoDBRecord[]) => handler({ Records: records }, lambdaContext('retention-stamper'));

/** Every item of the case: its partition, its reference, its Message-ID link, its inbound record. */
async function itemsOf(c: Case): Promise<Record<string, unknown>[]> {
  const partition = (await env.doc.send(new QueryCommand({ TableName: env.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': casePk(c.caseId) }, ConsistentRead: true }))).Items ?? [];
  const get = async (PK: string, SK: string) => (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK, SK }, ConsistentRead: true }))).Item;
  const reference = await get(referencePk(c.reference), REFERENCE_SK);
  const link = await get(messageIdPk(`${c.caseId.slice(-12)}-${SES_ID}`), MESSAGE_ID_SK);
  const inbound = await get(inboundPk(inboundKeyOf(c.caseId)), INBOUND_SK);
  return [...partition, reference ?? { missing: 'reference' }, link ?? { missing: 'message-id link' }, inbound ?? { missing: 'inbound record' }];
}

describe('the retention stamper (M7.2, C4.3: every record of a closed case expires with it, after its archive exists)', () => {
  it('gives every item of a closed case the case expiry once its archive is recorded, and no item of another case', async () => {
    const closed = await aCase('bbbbbbbb-0000-4000-8000-000000000001', 11, true);
    const other = await aCase('bbbbbbbb-0000-4000-8000-000000000002', 12, true);
    expect(closed.expiresAt).toEqual(expect.any(Number));
    const items = await itemsOf(closed);
    expect(new Set(items.map((i) => i.entity))).toEqual(new Set(['case', 'event', 'outbox', 'escalation', 'reference', 'message_id', 'inbound']));
    // Closed but not archived: no item carries the TTL attribute yet; the case item holds its expiry aside.
    expect(items.filter((i) => i.expiresAt !== undefined)).toHaveLength(0);
    expect(items.filter((i) => i.heldExpiresAt === closed.expiresAt).map((i) => i.entity)).toEqual(['case']);

    expect(await run(await archiveRecord(closed.caseId))).toEqual({ batchItemFailures: [] });

    const stamped = await itemsOf(closed);
    expect(stamped.length).toBe(items.length);
    for (const item of stamped) expect({ PK: item.PK, SK: item.SK, expiresAt: item.expiresAt }).toEqual({ PK: item.PK, SK: item.SK, expiresAt: closed.expiresAt });
    for (const item of await itemsOf(other)) if (item.entity !== 'case') expect(item.expiresAt).toBeUndefined();
  });

  it('takes the expiry off every item of an archived case while a legal hold stands, and gives it back when the hold is released (M5.1, C6.1, M7.2)', async () => {
    const closed = await aCase('bbbbbbbb-0000-4000-8000-000000000009', 19, true);
    expect(await run(await archiveRecord(closed.caseId))).toEqual({ batchItemFailures: [] });
    const deps = { store: env.store, clock: fixedClock('2026-04-01T09:00:00.000Z') };
    const admin = { kind: 'admin' as const, id: 'admin-1' };
    const held = await modifyRecord(closed.caseId, () => placeLegalHold(closed.caseId, { basis: 'litigation', matter: 'Claim 77' }, { actor: admin }, deps));
    expect(await run(held)).toEqual({ batchItemFailures: [] });
    const whileHeld = await itemsOf(closed);
    expect(whileHeld.filter((i) => i.expiresAt !== undefined).map((i) => `${String(i.PK)} ${String(i.SK)}`)).toEqual([]);
    expect(whileHeld.find((i) => i.entity === 'case')?.heldExpiresAt).toBe(closed.expiresAt);

    const released = await modifyRecord(closed.caseId, () => releaseLegalHold(closed.caseId, {}, { actor: admin }, deps));
    expect(await run(released)).toEqual({ batchItemFailures: [] });
    for (const item of await itemsOf(closed)) expect({ PK: item.PK, SK: item.SK, expiresAt: item.expiresAt }).toEqual({ PK: item.PK, SK: item.SK, expiresAt: closed.expiresAt });
  });

  it('stamps nothing for an open case, nor for a closed case whose archive is not recorded yet', async () => {
    const open = await aCase('bbbbbbbb-0000-4000-8000-000000000003', 13, false);
    expect(await run(await archiveRecord(open.caseId))).toEqual({ batchItemFailures: [] });
    for (const item of await itemsOf(open)) expect(item.expiresAt).toBeUndefined();

    const closed = await aCase('bbbbbbbb-0000-4000-8000-000000000004', 14, true);
    const record = await archiveRecord(closed.caseId);
    const unarchived: DynamoDBRecord = { ...record, dynamodb: { ...record.dynamodb, NewImage: record.dynamodb?.OldImage } };
    expect(await run(unarchived)).toEqual({ batchItemFailures: [] });
    for (const item of await itemsOf(closed)) if (item.entity !== 'case') expect(item.expiresAt).toBeUndefined();
  });

  it('changes nothing when the stream redelivers the record, and refuses to re-stamp a link another case took over', async () => {
    const closed = await aCase('bbbbbbbb-0000-4000-8000-000000000005', 15, true);
    const record = await archiveRecord(closed.caseId);
    await run(record);
    const first = await itemsOf(closed);
    expect(await run(record, record)).toEqual({ batchItemFailures: [] });
    expect(await itemsOf(closed)).toEqual(first);

    const taken = await aCase('bbbbbbbb-0000-4000-8000-000000000006', 16, true);
    const link = { PK: messageIdPk(`${taken.caseId.slice(-12)}-${SES_ID}`), SK: MESSAGE_ID_SK };
    await env.doc.send(new UpdateCommand({ TableName: env.tableName, Key: link, UpdateExpression: 'SET caseId = :other', ExpressionAttributeValues: { ':other': closed.caseId } }));
    await run(await archiveRecord(taken.caseId));
    const kept = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: link, ConsistentRead: true }))).Item;
    expect(kept?.expiresAt).toBeUndefined();
  });

  it('gives what a later change writes to a stamped case (a late delivery\'s event and Message-ID link) the case expiry too', async () => {
    const closed = await aCase('bbbbbbbb-0000-4000-8000-000000000007', 17, true);
    await run(await archiveRecord(closed.caseId));
    const stamped = await env.store.getCase(closed.caseId);
    if (!stamped) throw new Error('the case vanished');
    const late = chainEvents(stamped, [{ type: 'notification_sent', at: '2026-03-02T11:00:00.000Z', actor: { kind: 'system', id: 'caseflow' }, data: { messageId: 'late-1', template: 'sla_warning', recipient: 'team' } }]);
    await env.store.applyChange({ expectedVersion: stamped.version, case: { ...stamped, ...late.head }, events: late.events, messageIds: [{ messageId: 'late-1', caseId: closed.caseId }] });
    const items = await itemsOf(closed);
    const linkItem = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: messageIdPk('late-1'), SK: MESSAGE_ID_SK }, ConsistentRead: true }))).Item;
    for (const item of [...items, linkItem ?? {}]) expect({ PK: item.PK, SK: item.SK, expiresAt: item.expiresAt }).toEqual({ PK: item.PK, SK: item.SK, expiresAt: closed.expiresAt });
  });
});
