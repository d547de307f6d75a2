import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DaySchema } from '../../core/audit-anchor';
import { dayPartition, INDEX } from './keys';

export interface ByDayRead {
  /** The attributes read back, by name (projected). */
  attributes: readonly string[];
  /** Only items whose `status` is this (a filter: every item of the day is still read). */
  status?: string;
}

/**
 * The cases last changed on a UTC day, from the by-day index (GSI4), a page at a time, never a
 * Scan: the one Query the daily jobs (audit anchoring, retention reconciling) read a day with.
 * Attribute names may be paths (`archive.key`).
 */
export async function* casesChangedOn(doc: DynamoDBDocumentClient, tableName: string, day: string, read: ByDayRead): AsyncIterable<Record<string, unknown>> {
  DaySchema.parse(day);
  const names: Record<string, string> = { '#pk': 'GSI4PK' };
  const projection = read.attributes.map((path) =>
    path
      .split('.')
      .map((part) => {
        names[`#${part}`] = part;
        return `#${part}`;
      })
      .join('.'),
  );
  if (read.status !== undefined) names['#status'] = 'status';
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        IndexName: INDEX.byDay,
        KeyConditionExpression: '#pk = :day',
        ...(read.status !== undefined ? { FilterExpression: '#status = :status' } : {}),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':day': dayPartition(day), ...(read.status !== undefined ? { ':status': read.status } : {}) },
        ProjectionExpression: projection.join(', '),
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield* page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}
