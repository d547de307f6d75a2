import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentUpdateError } from '../../core/errors';

export type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

export interface PutOptions {
  /** The condition the item must meet, e.g. `attribute_not_exists(PK)` (write once). */
  condition?: string;
  values?: Record<string, unknown>;
  names?: Record<string, string>;
  /**
   * What a failed condition means, as an error to throw (the old item is given when DynamoDB
   * returns it). Items with a meaning are checked in the order they were added, or by `priority`.
   */
  onConditionFailed?: (old: Item | undefined) => Error;
  priority?: number;
}

/**
 * One TransactWriteItems, built item by item by every adapter that writes an aggregate (cases
 * and their events, outbox, escalations; inbound records; acknowledgement logs), so that a change
 * and everything that comes with it is written at once or not at all (M5.3). A failed condition
 * becomes the domain error its item registered; a conflict with a concurrent transaction becomes
 * ConcurrentUpdateError, which callers retry.
 */
export class Transaction {
  private readonly items: TransactItem[] = [];
  private readonly meanings: { index: number; priority: number; error: (old: Item | undefined) => Error }[] = [];
  /** Keys already in the transaction: DynamoDB refuses one that touches an item twice. */
  private readonly keys = new Set<string>();

  constructor(private readonly tableName: string) {}

  get size(): number {
    return this.items.length;
  }

  put(item: Item, opts: PutOptions = {}): this {
    const key = `${String(item.PK)}\n${String(item.SK)}`;
    if (this.keys.has(key)) return this;
    this.keys.add(key);
    const index = this.items.length;
    this.items.push({
      Put: {
        TableName: this.tableName,
        Item: item,
        ...(opts.condition ? { ConditionExpression: opts.condition } : {}),
        ...(opts.values ? { ExpressionAttributeValues: opts.values } : {}),
        ...(opts.names ? { ExpressionAttributeNames: opts.names } : {}),
        ...(opts.onConditionFailed ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
      },
    });
    if (opts.onConditionFailed) this.meanings.push({ index, priority: opts.priority ?? index, error: opts.onConditionFailed });
    return this;
  }

  /** Deletes an item (unconditionally: deleting one already gone is no error). */
  delete(keyOf: { PK: string; SK: string }): this {
    const key = `${keyOf.PK}\n${keyOf.SK}`;
    if (this.keys.has(key)) return this;
    this.keys.add(key);
    this.items.push({ Delete: { TableName: this.tableName, Key: { PK: keyOf.PK, SK: keyOf.SK } } });
    return this;
  }

  async commit(doc: DynamoDBDocumentClient): Promise<void> {
    if (this.items.length === 0) return;
    try {
      await doc.send(new TransactWriteCommand({ TransactItems: this.items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      for (const meaning of [...this.meanings].sort((a, b) => a.priority - b.priority)) {
        const reason = reasons[meaning.index];
        if (reason?.Code === 'ConditionalCheckFailed') throw meaning.error(reasonItem(reason.Item));
      }
      if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConcurrentUpdateError('a concurrent transaction touched the same items');
      throw error;
    }
  }
}

/** Cancellation reasons come back as raw attribute values; normalise them. */
function reasonItem(item: unknown): Item | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const values = Object.values(item as Item);
  const looksRaw = values.length > 0 && values.every((v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1);
  return looksRaw ? unmarshall(item as Record<string, AttributeValue>) : (item as Item);
}
