import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { casesChangedOn } from '../../functions/adapters/dynamo/by-day-index';
import { DAY_SHARDS, dayPartition, dayShardOf, INDEX } from '../../functions/adapters/dynamo/keys';
import { fixedClock } from '../../functions/core/clock';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { seededRandom, submission } from '../support/fixtures';
import { freshTable, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  env = await freshTable();
});

describe('the by-day index (M7.3, C6.3: the daily jobs and exports read a day of changes, never a Scan)', () => {
  it('spreads a day’s cases over its shards and reads them back merged in order of last change, each once', async () => {
    const day = '2026-05-14';
    const opened: { caseId: string; at: string }[] = [];
    // 48 cases through the day, out of id order, plus one the day before and one after.
    for (let i = 0; i < 48; i += 1) {
      const at = new Date(Date.parse(`${day}T00:00:00.000Z`) + ((i * 7919) % 86_400) * 1000).toISOString();
      const caseId = randomUUID();
      await openCaseFromSubmission(
        { submission: submission({ email: uniqueEmail() }), channel: 'web' },
        { store: env.store, clock: fixedClock(at), newCaseId: () => caseId, random: seededRandom(i + 1), policy: slaPolicy() },
      );
      opened.push({ caseId, at });
    }
    for (const at of ['2026-05-13T23:59:59.999Z', '2026-05-15T00:00:00.000Z']) {
      await openCaseFromSubmission({ submission: submission({ email: uniqueEmail() }), channel: 'web' }, { store: env.store, clock: fixedClock(at), newCaseId: randomUUID, random: seededRandom(99), policy: slaPolicy() });
    }

    // Every shard holds some of them: no partition takes the whole day.
    const perShard = await Promise.all(
      Array.from({ length: DAY_SHARDS }, async (_, shard) => {
        const out = await env.doc.send(new QueryCommand({ TableName: env.tableName, IndexName: INDEX.byDay, KeyConditionExpression: 'GSI4PK = :pk', ExpressionAttributeValues: { ':pk': dayPartition(day, shard) }, Select: 'COUNT' }));
        return out.Count ?? 0;
      }),
    );
    expect(perShard.filter((n) => n > 0).length).toBe(new Set(opened.map((o) => dayShardOf(o.caseId))).size);
    expect(perShard.reduce((a, b) => a + b, 0)).toBe(48);
    expect(Math.max(...perShard)).toBeLessThan(48);

    const read: { caseId: unknown; updatedAt: unknown }[] = [];
    for await (const item of casesChangedOn(env.doc, env.tableName, day, { attributes: ['caseId', 'updatedAt'] })) read.push(item as { caseId: unknown; updatedAt: unknown });
    const expected = [...opened].sort((a, b) => (a.at === b.at ? (a.caseId < b.caseId ? -1 : 1) : a.at < b.at ? -1 : 1));
    expect(read).toEqual(expected.map((o) => ({ caseId: o.caseId, updatedAt: o.at })));
  });
});
