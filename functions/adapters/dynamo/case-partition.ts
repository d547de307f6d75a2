import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { casePk } from './keys';

type Item = Record<string, unknown>;

/**
 * Every item of a case's partition (or those whose sort key starts with `prefix`), in sort-key
 * order, page by page, consistent: the one Query the stores read a case's items with (never a Scan).
 */
export async function queryCasePartition(doc: DynamoDBDocumentClient, tableName: string, caseId: string, prefix?: string): Promise<Item[]> {
  const items: Item[] = [];
  let startKey: Item | undefined;
  do {
    const out: QueryCommandOutput = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: prefix === undefined ? 'PK = :pk' : 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': casePk(caseId), ...(prefix === undefined ? {} : { ':prefix': prefix }) },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
