import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { InvalidInputError } from '../../core/errors';
import { PrivacyRequestSchema, type PrivacyRequest, type PrivacyRequestStore } from '../../core/privacy-access';
import { PRIVACY_PK, PRIVACY_REQUEST_POINTER_SK, PRIVACY_REQUEST_PREFIX, privacyRequestItem, privacyRequestPointerItem, privacyRequestPointerPk, stripKeys } from './keys';
import { Transaction, type Item } from './transaction';

const CursorSchema = z.object({ PK: z.literal(PRIVACY_PK), SK: z.string().startsWith(PRIVACY_REQUEST_PREFIX).max(200) }).strict();

/**
 * The privacy requests' records in the table (core/privacy-access.ts): one partition, `PRIVACY`,
 * sorted by request time, read newest first page by page (one Query each); and a pointer item per
 * request id, so that one request is two GetItems. Both are written once, together, and never
 * expire: they are the accountability record of what was done with a customer's data.
 */
export class DynamoPrivacyRequestStore implements PrivacyRequestStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async put(record: PrivacyRequest): Promise<void> {
    await new Transaction(this.tableName)
      .put(privacyRequestItem(record), { condition: 'attribute_not_exists(PK)' })
      .put(privacyRequestPointerItem(record), { condition: 'attribute_not_exists(PK)' })
      .commit(this.doc);
  }

  async get(requestId: string): Promise<PrivacyRequest | undefined> {
    const pointer = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: privacyRequestPointerPk(requestId), SK: PRIVACY_REQUEST_POINTER_SK }, ConsistentRead: true }));
    const sk = pointer.Item?.recordSk;
    if (typeof sk !== 'string') return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: PRIVACY_PK, SK: sk }, ConsistentRead: true }));
    return out.Item ? recordOf(out.Item) : undefined;
  }

  async list(page: { limit: number; cursor?: string }): Promise<{ items: PrivacyRequest[]; cursor?: string }> {
    let start: Item | undefined;
    if (page.cursor !== undefined) {
      try {
        start = CursorSchema.parse(JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')));
      } catch {
        throw new InvalidInputError([{ path: 'cursor', message: 'Invalid cursor' }]);
      }
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :req)',
        ExpressionAttributeValues: { ':pk': PRIVACY_PK, ':req': PRIVACY_REQUEST_PREFIX },
        ScanIndexForward: false,
        Limit: page.limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const last = out.LastEvaluatedKey;
    const cursor = last ? Buffer.from(JSON.stringify({ PK: last.PK, SK: last.SK })).toString('base64url') : undefined;
    return { items: (out.Items ?? []).map(recordOf), ...(cursor ? { cursor } : {}) };
  }
}

const recordOf = (item: Item): PrivacyRequest => PrivacyRequestSchema.parse(stripKeys(item));
