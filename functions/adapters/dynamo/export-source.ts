import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseSchema } from '../../core/case';
import { CaseEventSchema, type CaseEvent } from '../../core/case-event';
import type { ExportSource } from '../../core/compliance-export';
import { EscalationRecordSchema, type EscalationRecord } from '../../core/escalation';
import type { CaseRecords } from '../../core/export-records';
import { casesChangedOn } from './by-day-index';
import { queryCasePartition, RECORDS_WITHOUT_OUTBOX } from './case-partition';
import { stripKeys } from './keys';

/**
 * What a compliance export reads from the table: a day's case ids from the by-day index (every
 * shard, merged in time order: never a Scan), then each case's partition with one paginated Query
 * (the case, its timeline in order, its escalation records; not its outbox, which an export leaves out).
 */
export class DynamoExportSource implements ExportSource {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async *caseIdsChangedOn(day: string): AsyncIterable<string> {
    for await (const item of casesChangedOn(this.doc, this.tableName, day, { attributes: ['caseId'] })) {
      if (typeof item.caseId === 'string') yield item.caseId;
    }
  }

  async recordsOf(caseId: string): Promise<CaseRecords | undefined> {
    const items = await queryCasePartition(this.doc, this.tableName, caseId, RECORDS_WITHOUT_OUTBOX);
    const caseItem = items.find((i) => i.entity === 'case');
    if (!caseItem) return undefined;
    const timeline: CaseEvent[] = [];
    const escalations: EscalationRecord[] = [];
    for (const item of items) {
      if (item.entity === 'event') timeline.push(CaseEventSchema.parse(stripKeys(item)));
      else if (item.entity === 'escalation') escalations.push(EscalationRecordSchema.parse(stripKeys(item)));
    }
    return { case: CaseSchema.parse(stripKeys(caseItem)), timeline, escalations };
  }
}
