import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DaySchema, type DigestHead } from '../../core/audit-anchor';
import type { CaseHeads } from '../../core/anchor-audit-heads';
import { dayPartition, INDEX } from './keys';

const HeadItemSchema = z.object({ caseId: z.string(), version: z.number().int().positive(), lastEventHash: z.string() });

/**
 * The chain heads of the cases last changed on a day, read from the by-day index (GSI4) a page
 * at a time: the case item carries its head (version and last event hash), so no timeline is read.
 */
export class DynamoCaseHeads implements CaseHeads {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *changedOn(day: string): AsyncIterable<DigestHead> {
    DaySchema.parse(day);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.byDay,
          KeyConditionExpression: '#pk = :day',
          ExpressionAttributeNames: { '#pk': 'GSI4PK', '#caseId': 'caseId', '#version': 'version', '#hash': 'lastEventHash' },
          ExpressionAttributeValues: { ':day': dayPartition(day) },
          ProjectionExpression: '#caseId, #version, #hash',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const head = HeadItemSchema.parse(item);
        yield { caseId: head.caseId, seq: head.version, hash: head.lastEventHash };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
