import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter } from '../../core/ports';
import type { RateWindow } from '../../core/rate-limit';
import { RATE_SK, ratePk } from './keys';

/** Fixed-window counters in the table: one conditional UpdateItem per use, expired by TTL. */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async consume(w: RateWindow): Promise<boolean> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: ratePk(w.scope, w.subjectHash, w.window), SK: RATE_SK },
          UpdateExpression: 'SET entity = :entity, expiresAt = :exp ADD #count :one',
          ConditionExpression: 'attribute_not_exists(#count) OR #count < :limit',
          ExpressionAttributeNames: { '#count': 'count' },
          ExpressionAttributeValues: { ':entity': 'rate', ':exp': w.expiresAt, ':one': 1, ':limit': w.limit },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
