import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../core/errors';
import { QualityReviewSchema, weekOfReviewId, type QualityReview, type ReplyRef } from '../../core/quality-review';
import type { QualityReviewStore } from '../../core/quality-review-records';
import { QUALITY_REPLY_PREFIX, QUALITY_REVIEW_PREFIX, qualityReviewItem, qualityReviewSk, qualityWeekPk, stripKeys } from './keys';
import { Transaction, type Item } from './transaction';

/**
 * Quality reviews in the table (core/quality-review.ts): a partition an ISO week holding the week's
 * reply ledger and its reviews; a review's id names its week, so it is read by key. No expiry:
 * they are the adherence record (M6.1, C6.3).
 */
export class DynamoQualityReviewStore implements QualityReviewStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<QualityReview | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: qualityWeekPk(weekOfReviewId(id)), SK: qualityReviewSk(id) }, ConsistentRead: true }));
    return out.Item ? QualityReviewSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async listWeek(week: string): Promise<{ replies: ReplyRef[]; reviews: QualityReview[] }> {
    const replies: ReplyRef[] = [];
    const reviews: QualityReview[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': qualityWeekPk(week) }, ...(start ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const item of out.Items ?? []) {
        const sk = String(item.SK);
        if (sk.startsWith(QUALITY_REVIEW_PREFIX)) reviews.push(QualityReviewSchema.parse(stripKeys(item)));
        else if (sk.startsWith(QUALITY_REPLY_PREFIX)) replies.push({ caseId: String(item.caseId), seq: Number(item.seq), staffId: String(item.staffId), repliedAt: String(item.repliedAt) });
      }
      start = out.LastEvaluatedKey;
    } while (start);
    return { replies, reviews };
  }

  async create(review: QualityReview): Promise<'created' | 'exists'> {
    try {
      await addQualityReview(new Transaction(this.tableName), review).commit(this.doc);
      return 'created';
    } catch (error) {
      if (error instanceof ReviewExists) return 'exists';
      throw error;
    }
  }

  async replace(review: QualityReview, expectedVersion: number): Promise<void> {
    await addQualityReview(new Transaction(this.tableName), review, expectedVersion).commit(this.doc);
  }
}

class ReviewExists extends Error {}

/** A new review (written only if new) or a scored one (only if still at `expectedVersion`): alone or in a case's transaction. */
export function addQualityReview(tx: Transaction, review: QualityReview, expectedVersion?: number): Transaction {
  return expectedVersion === undefined
    ? tx.put(qualityReviewItem(review), { condition: 'attribute_not_exists(PK)', onConditionFailed: () => new ReviewExists(review.id) })
    : tx.put(qualityReviewItem(review), {
        condition: '#version = :expected',
        names: { '#version': 'version' },
        values: { ':expected': expectedVersion },
        onConditionFailed: () => new ConcurrentUpdateError(`quality review ${review.id} changed since version ${expectedVersion}`, review.version - 1),
      });
}
