import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { CaseStatusSchema, type Case } from '../../core/case';
import type { CaseEvent } from '../../core/case-event';
import type { EscalationAuditCases } from '../../core/escalation-audit';
import type { ReceivedCases } from '../../core/metrics';
import type { CaseStore } from '../../core/ports';
import { queueRead } from './keys';

type Item = Record<string, unknown>;

/** A case as stored, and its timeline: what the metrics and the escalation audit read of it. */
export interface ReceivedCase {
  case: Case;
  timeline: CaseEvent[];
}

/** Cases whose item and timeline are read at once. */
export const READ_CONCURRENCY = 8;

/**
 * The cases received in a period, with their timelines, for the metrics (core/metrics.ts) and the
 * escalation audit (core/escalation-audit.ts); never a Scan. The `all` queue's status index (keys.ts `queueRead` with one status) files every case under
 * its own status, sorted by `<receivedAt>#<caseId>`: the six status partitions, each read over the
 * period's sort-key range, hold every case received in it exactly once. Only the sort key is read
 * back (it names the case); then each case's item and timeline (the case repository), a few cases
 * at a time.
 *
 * The partitions are read one after another in lifecycle order (new first, closed last), so a case
 * that moves on while they are read is found again further on, and counted once (by its id). One
 * that moves back in that moment (reopened, or no longer waiting for the customer) may be missed:
 * the figures are a snapshot, as is any read of an index DynamoDB keeps eventually consistent.
 * Each case costs two reads: docs/metrics.md says what a long period costs.
 */
export class DynamoCasesReceived implements ReceivedCases, EscalationAuditCases {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly cases: Pick<CaseStore, 'getCase' | 'getTimeline'>,
  ) {}

  async *receivedBetween(since: string, until: string): AsyncIterable<ReceivedCase> {
    const ids = await this.caseIds(since, until);
    for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
      const batch = await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => this.recordOf(id)));
      for (const r of batch) if (r) yield r;
    }
  }

  /** The ids of the cases received in [since, until), in the order found, each once. */
  private async caseIds(since: string, until: string): Promise<string[]> {
    const ids = new Set<string>();
    for (const status of CaseStatusSchema.options) {
      const read = queueRead({ queue: 'all', status });
      let startKey: Item | undefined;
      do {
        const out: QueryCommandOutput = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: read.index.indexName,
            // Sort keys `<ISO time>#<caseId>`: `<since>#` sorts before every case received at `since`, `<until>#` before every one at `until`.
            KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :lo AND :hi',
            ExpressionAttributeNames: { '#pk': read.index.partitionKey, '#sk': read.index.sortKey },
            ExpressionAttributeValues: { ':pk': read.partition, ':lo': `${new Date(since).toISOString()}#`, ':hi': `${new Date(until).toISOString()}#` },
            ProjectionExpression: '#sk',
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of out.Items ?? []) {
          const sortKey = item[read.index.sortKey];
          const id = typeof sortKey === 'string' ? sortKey.slice(sortKey.indexOf('#') + 1) : '';
          if (id) ids.add(id);
        }
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
    return [...ids];
  }

  /** The case and its timeline; none when it is gone meanwhile (expired). */
  private async recordOf(caseId: string): Promise<ReceivedCase | undefined> {
    const [c, timeline] = await Promise.all([this.cases.getCase(caseId), this.cases.getTimeline(caseId)]);
    return c ? { case: c, timeline } : undefined;
  }
}
