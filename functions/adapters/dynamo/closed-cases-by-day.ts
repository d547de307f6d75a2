import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { ClosedCaseEntry, ClosedCasesByDay } from '../../core/reconcile-retention';
import { casesChangedOn } from './by-day-index';

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
    for await (const item of casesChangedOn(this.doc, this.tableName, day, { attributes: ['caseId', 'updatedAt', 'archive.key'], status: 'closed' })) {
      const entry = EntrySchema.parse(item);
      yield { caseId: entry.caseId, updatedAt: entry.updatedAt, archived: entry.archive !== undefined };
    }
  }
}
