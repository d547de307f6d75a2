import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { DaySchema } from '../../core/audit-anchor';
import type { ClosedCaseEntry, ClosedCasesByDay } from '../../core/reconcile-retention';
import { dayPartition, INDEX } from './keys';

const EntrySchema = z.object({ caseId: z.string(), updatedAt: z.string(), archive: z.object({ key: z.string() }).optional() });

/**
 * The closed cases last changed on a day, read from the by-day index (GSI4) a page at a time, for
 * the retention reconciler. Only the case id, its last change and its archive's key are read back;
 * the filter leaves out the day's open cases.
 */
export class DynamoClosedCasesByDay implements ClosedCasesByDay {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *closedOn(day: string): AsyncIterable<ClosedCaseEntry> {
    DaySchema.parse(day);
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: INDEX.byDay,
          KeyConditionExpression: '#pk = :day',
          FilterExpression: '#status = :closed',
          ExpressionAttributeNames: { '#pk': 'GSI4PK', '#status': 'status', '#caseId': 'caseId', '#updatedAt': 'updatedAt', '#archive': 'archive', '#key': 'key' },
          ExpressionAttributeValues: { ':day': dayPartition(day), ':closed': 'closed' },
          ProjectionExpression: '#caseId, #updatedAt, #archive.#key',
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const entry = EntrySchema.parse(item);
        yield { caseId: entry.caseId, updatedAt: entry.updatedAt, archived: entry.archive !== undefined };
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
}
