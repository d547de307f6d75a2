import { queueRead } from '../../../functions/adapters/dynamo/keys';
import { decodeCursor, encodeCursor } from '../../../functions/adapters/dynamo/queue-cursor';
import { InvalidInputError } from '../../../functions/core/errors';
import type { QueueSelection } from '../../../functions/core/queues';

const caseId = '0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e';
const mine: QueueSelection = { queue: 'mine', staffId: 'agent-1' };

/** DynamoDB's LastEvaluatedKey after a page of a queue. */
function lastKey(s: QueueSelection, sortKey = `2026-03-02T09:00:00.000Z#${caseId}`) {
  const read = queueRead(s);
  return { PK: `CASE#${caseId}`, SK: 'CASE', [read.index.partitionKey]: read.partition, [read.index.sortKey]: sortKey };
}

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error instanceof InvalidInputError ? error.issues.map((i) => i.path) : error;
  }
  return 'accepted';
}

describe('queue cursors', () => {
  it('stand for the start key of the next page of their own selection', () => {
    for (const s of [mine, { queue: 'all', status: 'open', type: 'complaint' }, { queue: 'customer', email: 'ada@example.com' }] as QueueSelection[]) {
      const cursor = encodeCursor(s, queueRead(s), lastKey(s));
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(cursor, s, queueRead(s))).toEqual(lastKey(s));
    }
  });

  it('carry no personal data in clear', () => {
    const s: QueueSelection = { queue: 'customer', email: 'ada@example.com' };
    const decoded = Buffer.from(encodeCursor(s, queueRead(s), lastKey(s)), 'base64url').toString();
    expect(decoded).not.toContain('ada');
    expect(Buffer.from(encodeCursor(mine, queueRead(mine), lastKey(mine)), 'base64url').toString()).not.toContain('agent-1');
  });

  it('are refused, naming cursor, for another selection: another staff member, other filters, another queue', () => {
    const cursor = encodeCursor(mine, queueRead(mine), lastKey(mine));
    const others: QueueSelection[] = [{ queue: 'mine', staffId: 'agent-2' }, { queue: 'unassigned' }, { queue: 'all', status: 'open' }];
    for (const other of others) expect(refusal(() => decodeCursor(cursor, other, queueRead(other)))).toEqual(['cursor']);
    const open: QueueSelection = { queue: 'all', status: 'open' };
    const openCursor = encodeCursor(open, queueRead(open), lastKey(open));
    expect(refusal(() => decodeCursor(openCursor, { ...open, priority: 'urgent' }, queueRead({ ...open, priority: 'urgent' })))).toEqual(['cursor']);
  });

  it('are refused, naming cursor, when altered in any way', () => {
    const cursor = encodeCursor(mine, queueRead(mine), lastKey(mine));
    const payload = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as { s: string; k: string };
    const spelled = (p: unknown) => Buffer.from(JSON.stringify(p)).toString('base64url');
    const altered = [
      `${cursor}x`,
      `${cursor}=`,
      cursor.slice(0, -1),
      'not a cursor',
      '',
      spelled({ ...payload, k: 'CASE' }),
      spelled({ ...payload, k: `${payload.k}#more` }),
      spelled({ ...payload, extra: 1 }),
      spelled({ ...payload, s: 'AAAAAAAAAAAAAAAAAAAAAA' }),
      spelled([payload]),
    ];
    for (const bad of altered) expect({ bad, result: refusal(() => decodeCursor(bad, mine, queueRead(mine))) }).toEqual({ bad, result: ['cursor'] });
  });
});
