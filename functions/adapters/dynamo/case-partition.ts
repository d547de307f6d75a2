import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { casePk, OUTBOX_SK_PREFIX } from './keys';

type Item = Record<string, unknown>;

/** Which of a case's items: those whose sort key starts with `prefix`, or those sorted before `before`. */
export type PartitionRange = { prefix: string } | { before: string };

/**
 * The case's records without its outbox: the case, its escalation records and its timeline sort
 * before every `OUTBOX#` key (`CASE` < `ESC#` < `EVT#` < `OUTBOX#`), so one range leaves the
 * outgoing messages (bodies and all) unread where only the record is wanted (exports).
 */
export const RECORDS_WITHOUT_OUTBOX: PartitionRange = { before: OUTBOX_SK_PREFIX };

/**
 * Every item of a case's partition (or those in `range`), in sort-key order, page by page,
 * consistent: the one Query the stores read a case's items with (never a Scan).
 */
export async function queryCasePartition(doc: DynamoDBDocumentClient, tableName: string, caseId: string, range?: string | PartitionRange): Promise<Item[]> {
  const r: PartitionRange | undefined = typeof range === 'string' ? { prefix: range } : range;
  const condition = r === undefined ? 'PK = :pk' : 'prefix' in r ? 'PK = :pk AND begins_with(SK, :sk)' : 'PK = :pk AND SK < :sk';
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out: QueryCommandOutput = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: condition,
        ExpressionAttributeValues: { ':pk': casePk(caseId), ...(r === undefined ? {} : { ':sk': 'prefix' in r ? r.prefix : r.before }) },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
