import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseSchema, type Case } from '../../core/case';
import { CaseEventSchema, type CaseEvent } from '../../core/case-event';
import type { ExportSource } from '../../core/compliance-export';
import { EscalationRecordSchema, type EscalationRecord } from '../../core/escalation';
import type { CaseRecords } from '../../core/export-records';
import { batchGetItems, type ItemKey } from './batch-get';
import { casesChangedOn } from './by-day-index';
import { casePk, CASE_SK, escalationSk, eventSk, stripKeys } from './keys';

type Item = Record<string, unknown>;

/** BatchGetItem requests of one batch of cases sent at once. */
const REQUESTS_IN_FLIGHT = 2;

/**
 * What a compliance export reads from the table: a day's case ids from the by-day index (every
 * shard, merged in time order: never a Scan), then the records of a batch of cases by key: their
 * case items first (BatchGetItem), which say how many events (`version`: the timeline is numbered
 * 1…version) and escalation records (the latest one's number) each has, then all those items
 * (BatchGetItem, a hundred keys a request). The outbox is never read: an export leaves it out.
 *
 * Reading by key rather than with a Query a case takes a request for eight or nine cases instead
 * of one: the SDK's work a request (signing, endpoint, middleware, HTTP) was a quarter of an
 * export's CPU (docs/benchmarks.md, "Compliance exports"). Every read is consistent; an item that
 * is missing (the case changed or expired meanwhile) leaves a gap that the chain check reports,
 * and a case changed again since the index was read is left to that later day's export.
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

  /**
   * The items of a batch of cases as stored, in no order: each case item, then its events and
   * escalation records by key (the case item says how many there are). The export's reads without
   * the parsing (the export benchmark measures them alone).
   */
  async itemsOfCases(caseIds: readonly string[]): Promise<Item[]> {
    const caseItems = await batchGetItems(
      this.doc,
      this.tableName,
      caseIds.map((id) => ({ PK: casePk(id), SK: CASE_SK })),
      REQUESTS_IN_FLIGHT,
    );
    const keys: ItemKey[] = [];
    for (const item of caseItems) {
      const pk = String(item.PK);
      const events = typeof item.version === 'number' ? item.version : 0;
      const escalation = item.escalation as { number?: unknown; level?: unknown } | undefined;
      const escalations = Number(escalation?.number ?? escalation?.level ?? 0) || 0;
      for (let seq = 1; seq <= events; seq += 1) keys.push({ PK: pk, SK: eventSk(seq) });
      for (let n = 1; n <= escalations; n += 1) keys.push({ PK: pk, SK: escalationSk(n) });
    }
    return [...caseItems, ...(await batchGetItems(this.doc, this.tableName, keys, REQUESTS_IN_FLIGHT))];
  }

  async recordsOfCases(caseIds: readonly string[]): Promise<(CaseRecords | undefined)[]> {
    const cases = new Map<string, Case>();
    const timelines = new Map<string, CaseEvent[]>();
    const escalations = new Map<string, EscalationRecord[]>();
    const add = <T>(map: Map<string, T[]>, id: string, value: T) => {
      const list = map.get(id);
      if (list) list.push(value);
      else map.set(id, [value]);
    };
    for (const item of await this.itemsOfCases(caseIds)) {
      if (item.entity === 'case') {
        const c = CaseSchema.parse(stripKeys(item));
        cases.set(c.caseId, c);
      } else if (item.entity === 'event') {
        const e = CaseEventSchema.parse(stripKeys(item));
        add(timelines, e.caseId, e);
      } else if (item.entity === 'escalation') {
        const r = EscalationRecordSchema.parse(stripKeys(item));
        add(escalations, r.caseId, r);
      }
    }
    return caseIds.map((id) => {
      const c = cases.get(id);
      if (!c) return undefined;
      return {
        case: c,
        // BatchGetItem returns items in no order: the timeline in sequence, escalations by number (as a Query returns them).
        timeline: (timelines.get(id) ?? []).sort((a, b) => a.seq - b.seq),
        escalations: (escalations.get(id) ?? []).sort((a, b) => (a.number ?? a.level) - (b.number ?? b.level)),
      };
    });
  }
}
