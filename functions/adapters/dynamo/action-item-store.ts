import { GetCommand, PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ActionItemSchema, type ActionItem, type ActionItemStore } from '../../core/action-items';
import { ACTION_ITEM_PREFIX, ACTION_ITEMS_PK, actionItemSk, stripKeys } from './keys';
import type { Item } from './transaction';

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * The action items in the table (core/action-items.ts): one partition (`ACTIONITEMS`), an item a
 * row keyed by its id. A change is a conditional PutItem on the version it was made on, so two
 * changes at once cannot both win; the list is one Query of the partition, never a Scan.
 */
export class DynamoActionItemStore implements ActionItemStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private row(item: ActionItem): Item {
    return { PK: ACTION_ITEMS_PK, SK: actionItemSk(item.itemId), entity: 'action_item', ...item };
  }

  async create(item: ActionItem): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: this.row(item), ConditionExpression: 'attribute_not_exists(PK)' }));
  }

  async get(itemId: string): Promise<ActionItem | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: ACTION_ITEMS_PK, SK: actionItemSk(itemId) }, ConsistentRead: true }));
    return out.Item ? ActionItemSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async replace(item: ActionItem, expectedVersion: number): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.row(item),
          ConditionExpression: 'attribute_exists(PK) AND #version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async list(): Promise<ActionItem[]> {
    const items: ActionItem[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :item)',
          ExpressionAttributeValues: { ':pk': ACTION_ITEMS_PK, ':item': ACTION_ITEM_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(out.Items ?? []).map((row) => ActionItemSchema.parse(stripKeys(row))));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
