import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type * as z from 'zod';
import { SLA_POLICY_CURRENT_SK, SLA_POLICY_VERSION_PREFIX, stripKeys } from './keys';

/**
 * A policy's partition read whole (the SLA policy's, the retention policy's: a few items a year),
 * one paginated Query, consistent: its published versions, oldest first, and the current pointer.
 */
export async function readPolicyVersions<T extends { publishedAt: string }>(
  doc: Pick<DynamoDBDocumentClient, 'send'>,
  tableName: string,
  pk: string,
  schema: z.ZodType<T>,
): Promise<{ currentVersion: string | undefined; published: T[] }> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  const current = items.find((i) => i.SK === SLA_POLICY_CURRENT_SK);
  const published = items
    .filter((i) => typeof i.SK === 'string' && i.SK.startsWith(SLA_POLICY_VERSION_PREFIX))
    .map((i) => schema.parse(stripKeys(i)))
    .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
  return { currentVersion: typeof current?.version === 'string' ? current.version : undefined, published };
}
