import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { DigestHead } from '../../core/audit-anchor';
import type { CaseHeads } from '../../core/anchor-audit-heads';
import { casesChangedOn } from './by-day-index';

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
    for await (const item of casesChangedOn(this.doc, this.tableName, day, { attributes: ['caseId', 'version', 'lastEventHash'] })) {
      const head = HeadItemSchema.parse(item);
      yield { caseId: head.caseId, seq: head.version, hash: head.lastEventHash };
    }
  }
}
