import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DaySchema } from '../../core/audit-anchor';
import { DAY_SHARDS, dayPartition, INDEX } from './keys';

export interface ByDayRead {
  /** The attributes read back, by name (projected). */
  attributes: readonly string[];
  /** Only items whose `status` is this (a filter: every item of the day is still read). */
  status?: string;
}

type Item = Record<string, unknown>;

/** One shard of a day, a page at a time. The sort key is always read: the merge orders by it. */
async function* shardOf(doc: DynamoDBDocumentClient, tableName: string, day: string, shard: number, read: ByDayRead): AsyncGenerator<Item> {
  const names: Record<string, string> = { '#pk': 'GSI4PK', '#sk': 'GSI4SK' };
  const projection = ['#sk', ...read.attributes.map((path) =>
    path
      .split('.')
      .map((part) => {
        names[`#${part}`] = part;
        return `#${part}`;
      })
      .join('.'),
  )];
  if (read.status !== undefined) names['#status'] = 'status';
  let startKey: Item | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX.byDay,
        KeyConditionExpression: '#pk = :day',
        ...(read.status !== undefined ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':day': dayPartition(day, shard), ...(read.status !== undefined ? { ':status': read.status } : {}) },
        ProjectionExpression: [...new Set(projection)].join(', '),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/**
 * The cases last changed on a UTC day, from the by-day index (GSI4), never a Scan: every shard of
 * the day (keys.ts `DAY_SHARDS`) read a page at a time and merged in order of last change (the
 * sort key, `<updatedAt>#<caseId>`), holding one item a shard. The one read the daily jobs (audit
 * anchoring, retention reconciling, exports) take a day with. Attribute names may be paths
 * (`archive.key`); `GSI4SK` is read too and removed unless asked for.
 */
export async function* casesChangedOn(doc: DynamoDBDocumentClient, tableName: string, day: string, read: ByDayRead): AsyncIterable<Item> {
  DaySchema.parse(day);
  const keepSortKey = read.attributes.includes('GSI4SK');
  const shards = Array.from({ length: DAY_SHARDS }, (_, shard) => shardOf(doc, tableName, day, shard, read));
  const heads = await Promise.all(shards.map((s) => s.next()));
  for (;;) {
    let first = -1;
    for (let i = 0; i < heads.length; i += 1) {
      const head = heads[i];
      if (!head || head.done) continue;
      const best = heads[first];
      if (first < 0 || (best && !best.done && String(head.value.GSI4SK) < String(best.value.GSI4SK))) first = i;
    }
    if (first < 0) return;
    const head = heads[first];
    const shard = shards[first];
    if (!head || head.done || !shard) return;
    const { GSI4SK: _sortKey, ...rest } = head.value;
    yield keepSortKey ? head.value : rest;
    heads[first] = await shard.next();
  }
}
