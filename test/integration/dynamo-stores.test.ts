import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ACK_LOG_SK, ackLogPk, casePk, CASE_SK, MESSAGE_ID_SK, messageIdPk, referencePk, REFERENCE_SK } from '../../functions/adapters/dynamo/keys';
import { chainEvents } from '../../functions/core/audit-chain';
import { fixedClock } from '../../functions/core/clock';
import { ConcurrentUpdateError } from '../../functions/core/errors';
import { transition } from '../../functions/core/lifecycle';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { newReference } from '../../functions/core/reference';
import { slaPolicy } from '../../functions/core/sla-policy';
import { seededRandom, submission } from '../support/fixtures';
import { freshTable, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  env = await freshTable();
});

const deps = (caseId: string, seed: number) => ({
  store: env.store,
  clock: fixedClock('2026-03-02T09:00:00.000Z'),
  newCaseId: () => caseId,
  random: seededRandom(seed),
  policy: slaPolicy(),
});

describe('the DynamoDB case store', () => {
  it('writes nothing of a case whose reference is taken, then succeeds with another one', async () => {
    const caseId = 'aaaaaaaa-0000-4000-8000-000000000001';
    const taken = newReference(seededRandom(42));
    await env.doc.send(new PutCommand({ TableName: env.tableName, Item: { PK: referencePk(taken), SK: REFERENCE_SK, caseId: 'someone-else' } }));
    const { case: c } = await openCaseFromSubmission({ submission: submission({ email: uniqueEmail() }), channel: 'web' }, deps(caseId, 42));
    expect(c.reference).not.toBe(taken);
    const ref = await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: referencePk(taken), SK: REFERENCE_SK } }));
    expect(ref.Item?.caseId).toBe('someone-else');
    expect((await env.store.getTimeline(caseId)).length).toBe(1);
  });

  it('refuses a change made from a stale read, so no update is lost', async () => {
    const caseId = 'aaaaaaaa-0000-4000-8000-000000000002';
    const { case: c } = await openCaseFromSubmission({ submission: submission({ email: uniqueEmail() }), channel: 'web' }, deps(caseId, 7));
    const at = new Date('2026-03-02T09:05:00.000Z');
    const first = transition(c, 'in_progress', at, { kind: 'agent', id: 'a1' });
    const firstChain = chainEvents(c, [first.draft]);
    await env.store.applyChange({ expectedVersion: c.version, case: { ...first.next, ...firstChain.head }, events: firstChain.events });

    const second = transition(c, 'resolved', at, { kind: 'agent', id: 'a2' });
    const secondChain = chainEvents(c, [second.draft]);
    await expect(
      env.store.applyChange({ expectedVersion: c.version, case: { ...second.next, ...secondChain.head }, events: secondChain.events }),
    ).rejects.toThrow(ConcurrentUpdateError);
    expect((await env.store.getCase(caseId))?.status).toBe('in_progress');
    expect((await env.store.getTimeline(caseId)).map((e) => e.seq)).toEqual([1, 2]);
  });

  it('keeps personal data out of keys: the customer index holds a hash of the address', async () => {
    const email = uniqueEmail('privacy');
    const caseId = 'aaaaaaaa-0000-4000-8000-000000000003';
    await openCaseFromSubmission({ submission: submission({ email }), channel: 'web' }, deps(caseId, 9));
    const item = (await env.doc.send(new GetCommand({ TableName: env.tableName, Key: { PK: casePk(caseId), SK: CASE_SK } }))).Item ?? {};
    const keys = Object.entries(item).filter(([k]) => /PK$|SK$/.test(k)).map(([, v]) => String(v));
    expect(keys.join(' ')).not.toContain(email);
    expect(keys.join(' ')).not.toContain('Ada');
  });

  it('answers every read of an email ingestion in one lookup: redelivery, references, Message-IDs past 100 keys, and the acknowledgement count', async () => {
    const caseId = 'aaaaaaaa-0000-4000-8000-000000000004';
    const { case: c } = await openCaseFromSubmission({ submission: submission({ email: uniqueEmail('lookup') }), channel: 'web' }, deps(caseId, 11));
    const known = `known.${caseId}@mail.example.net`;
    const sesId = `0100019a-${caseId}-000000`;
    await env.doc.send(new PutCommand({ TableName: env.tableName, Item: { PK: messageIdPk(known), SK: MESSAGE_ID_SK, caseId } }));
    await env.doc.send(new PutCommand({ TableName: env.tableName, Item: { PK: messageIdPk(sesId), SK: MESSAGE_ID_SK, caseId } }));
    await env.inbound.recordInbound({ key: `inbound-${caseId}`, rawObjectKey: 'inbound/x', receivedAt: '2026-03-02T09:00:00.000Z', kind: 'auto_reply', reason: 'test', outcome: 'recorded' });
    await env.doc.send(new PutCommand({ TableName: env.tableName, Item: { PK: ackLogPk('sender-hash'), SK: ACK_LOG_SK, sentAt: [1790000000, 1790000060] } }));
    // 150 unknown ids first: the known ones are in the second BatchGetItem page.
    const unknown = Array.from({ length: 150 }, (_, i) => `unknown-${i}.${caseId}@mail.example.net`);
    const lookup = await env.inbound.lookupInbound({
      inboundKey: `inbound-${caseId}`,
      references: [c.reference, 'CS-0000000'],
      messageIds: [...unknown, known.toUpperCase(), sesId, known.toUpperCase()],
      ackLog: { recipientHash: 'sender-hash' },
    });
    expect(lookup.inbound?.kind).toBe('auto_reply');
    expect([...lookup.caseIdByReference]).toEqual([[c.reference, caseId]]);
    expect([...lookup.caseIdByMessageId]).toEqual([
      [known.toUpperCase(), caseId],
      [sesId, caseId],
    ]);
    expect(lookup.ackLog).toEqual([1790000000, 1790000060]);

    const empty = await env.inbound.lookupInbound({ inboundKey: `never-${caseId}`, references: [], messageIds: [] });
    expect(empty).toEqual({ caseIdByReference: new Map(), caseIdByMessageId: new Map() });
  });
});
