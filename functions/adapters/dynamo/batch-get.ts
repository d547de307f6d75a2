import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '../../core/map-limited';

export type ItemKey = { PK: string; SK: string };
type Item = Record<string, unknown>;

/** BatchGetItem's limit of keys a request. */
export const BATCH_GET_KEYS = 100;
const MAX_ATTEMPTS = 9;

/**
 * The items at `keys` that exist (in no particular order), read consistently with BatchGetItem a
 * hundred keys a request, `inFlight` requests at once, unprocessed keys asked again with backoff
 * (DynamoDB returns some when a request would read more than 16 MB or is throttled).
 */
export async function batchGetItems(doc: DynamoDBDocumentClient, tableName: string, keys: readonly ItemKey[], inFlight = 1): Promise<Item[]> {
  const chunks: ItemKey[][] = [];
  for (let i = 0; i < keys.length; i += BATCH_GET_KEYS) chunks.push(keys.slice(i, i + BATCH_GET_KEYS));
  const found = await mapLimited(chunks, inFlight, async (chunk) => {
    const items: Item[] = [];
    let pending = chunk;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} keys unprocessed`);
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 50 * 2 ** attempt)));
      const out = await doc.send(new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(out.Responses?.[tableName] ?? []));
      pending = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as ItemKey[];
    }
    return items;
  });
  return found.flat();
}
