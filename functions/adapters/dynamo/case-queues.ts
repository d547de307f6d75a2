import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CaseSchema, CaseSummarySchema, summarize, type CaseSummary } from '../../core/case';
import type { CaseQueues, Page, QueueSelection } from '../../core/queues';
import { SUMMARY_ATTRIBUTE } from '../table-design';
import { CASE_SK, casePk, queueRead, REFERENCE_SK, referencePk, stripKeys } from './keys';
import { decodeCursor, encodeCursor } from './queue-cursor';
import type { Item } from './transaction';

/** What one read of the queues cost, for whoever measures it (the staff bench, tests). */
export interface QueueReadStats {
  operation: 'Query' | 'GetItem';
  /** The index read, for a Query. */
  index?: string;
  /** Items returned, and items DynamoDB read to return them (a Query's ScannedCount). */
  count: number;
  scannedCount: number;
  /** Read capacity units (ReturnConsumedCapacity TOTAL). */
  capacityUnits: number | undefined;
}

export interface CaseQueuesOptions {
  /** Called after every read with what it cost; asks DynamoDB for the consumed capacity when set. */
  observe?: (stats: QueueReadStats) => void;
}

/**
 * The staff queues and searches (core/queues.ts). Each page is ONE Query on ONE partition of one
 * index (keys.ts `queueRead`), with Limit = the page size and the cursor as ExclusiveStartKey: no
 * Scan, no filter expression, never more items read than served. The queue indexes project only
 * the case summary; the customer index projects whole cases, whose summary is read the same way.
 * A page may come back with fewer items than asked and a cursor to an empty last page: DynamoDB
 * says there may be more whenever it stopped at the Limit, and reading one more item to know would
 * cost a read.
 */
export class DynamoCaseQueues implements CaseQueues {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: CaseQueuesOptions = {},
  ) {}

  async listQueue(selection: QueueSelection, page: { limit: number; cursor?: string }): Promise<Page<CaseSummary>> {
    const read = queueRead(selection);
    const startKey = page.cursor === undefined ? undefined : decodeCursor(page.cursor, selection, read);
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: read.index.indexName,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': read.index.partitionKey },
        ExpressionAttributeValues: { ':pk': read.partition },
        ScanIndexForward: read.ascending,
        Limit: page.limit,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        ...this.capacity(),
      }),
    );
    const items = out.Items ?? [];
    this.options.observe?.({ operation: 'Query', index: read.index.indexName, count: out.Count ?? items.length, scannedCount: out.ScannedCount ?? items.length, capacityUnits: out.ConsumedCapacity?.CapacityUnits });
    return {
      items: items.map(summaryOf),
      ...(out.LastEvaluatedKey ? { cursor: encodeCursor(selection, read, out.LastEvaluatedKey) } : {}),
    };
  }

  /** The reference item names the case; the case item's summary is read (two GetItems). */
  async findByReference(reference: string): Promise<CaseSummary | undefined> {
    const ref = await this.get({ PK: referencePk(reference), SK: REFERENCE_SK }, 'caseId');
    const caseId = ref?.caseId;
    if (typeof caseId !== 'string') return undefined;
    const key = { PK: casePk(caseId), SK: CASE_SK };
    const item = await this.get(key, SUMMARY_ATTRIBUTE);
    if (!item) return undefined;
    // A case item written before the summary was kept: summarise the whole case.
    return summaryOf(item[SUMMARY_ATTRIBUTE] === undefined ? ((await this.get(key)) ?? item) : item);
  }

  /** One item, or one attribute of it. */
  private async get(key: Item, attribute?: string): Promise<Item | undefined> {
    const projection = attribute === undefined ? {} : { ProjectionExpression: '#a', ExpressionAttributeNames: { '#a': attribute } };
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true, ...projection, ...this.capacity() }));
    this.options.observe?.({ operation: 'GetItem', count: out.Item ? 1 : 0, scannedCount: out.Item ? 1 : 0, capacityUnits: out.ConsumedCapacity?.CapacityUnits });
    return out.Item;
  }

  private capacity() {
    return this.options.observe ? { ReturnConsumedCapacity: 'TOTAL' as const } : {};
  }
}

/**
 * A case's summary as the table keeps it (keys.ts `caseItem`). A case item written before the
 * summary was kept has none; where the whole case is projected (the customer index) it is
 * summarised from the case.
 */
function summaryOf(item: Item): CaseSummary {
  const summary = item[SUMMARY_ATTRIBUTE];
  return summary !== undefined ? CaseSummarySchema.parse(summary) : summarize(CaseSchema.parse(stripKeys(item)));
}
