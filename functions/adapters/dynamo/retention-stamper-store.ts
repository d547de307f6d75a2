import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../../core/case';
import { CaseEventSchema, type CaseEvent } from '../../core/case-event';
import { OutboxMessageSchema, type OutboxMessage } from '../../core/outbox';
import { itemExpiryOf } from '../../core/case-items';
import { keysOutsidePartition } from './case-item-images';
import { inPool } from './in-pool';
import { stripKeys } from './keys';
import { queryCasePartition } from './case-partition';
import type { Item } from './transaction';

/** UpdateItems in flight at once: enough to stamp a long case quickly, few enough not to throttle the table. */
const CONCURRENCY = 8;

export interface StampOutcome {
  /** Items given the expiry now. */
  stamped: number;
  /** Items that carried it already (a redelivery stamps nothing). */
  already: number;
  /** Items outside the partition that are gone, name another case now, or carry the expiry already. */
  skipped: number;
}

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Gives every item of a closed, archived case the case's `expiresAt` (M7.2 / C4.3; docs/retention.md):
 * the case partition, read with a paginated Query (never a Scan), then the reference item, the
 * thread's Message-ID links and the inbound records of its messages (core/case-items.ts). Each item is updated on its own (UpdateItem,
 * never a rewrite), only while it exists; items outside the partition only while they still name the case.
 */
export class DynamoRetentionStamper {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Gives every item the expiry it should carry (core/case-items.ts `itemExpiryOf`): the case's
   * `expiresAt` once closed and archived, or none while a legal hold stands (the attribute removed).
   */
  async stampCase(c: Case): Promise<StampOutcome> {
    const expiresAt = itemExpiryOf(c);
    if (c.status !== 'closed' || c.archive === undefined) throw new Error(`case ${c.caseId} is not closed and archived: its items carry no expiry`);
    const partition = await this.partition(c.caseId);
    const events: CaseEvent[] = [];
    const outbox: OutboxMessage[] = [];
    for (const item of partition) {
      if (item.entity === 'event') events.push(CaseEventSchema.parse(stripKeys(item)));
      else if (item.entity === 'outbox') outbox.push(OutboxMessageSchema.parse(stripKeys(item)));
    }
    const outcome: StampOutcome = { stamped: 0, already: 0, skipped: 0 };
    const writes: (() => Promise<void>)[] = [];
    for (const item of partition) {
      if (item.expiresAt === expiresAt) outcome.already += 1;
      else writes.push(() => this.stamp({ PK: String(item.PK), SK: String(item.SK) }, expiresAt, undefined, outcome));
    }
    const outside = keysOutsidePartition(c, events, outbox);
    for (const key of outside) writes.push(() => this.stamp(key, expiresAt, c.caseId, outcome));
    await inPool(writes, CONCURRENCY);
    return outcome;
  }

  private async stamp(key: { PK: string; SK: string }, expiresAt: number | undefined, caseId: string | undefined, outcome: StampOutcome): Promise<void> {
    // Outside the partition an item is the case's only while it names it (a Message-ID may have moved on).
    const owned = caseId === undefined ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND caseId = :caseId';
    const values = caseId === undefined ? {} : { ':caseId': caseId };
    try {
      await this.doc.send(
        expiresAt === undefined
          ? new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'REMOVE expiresAt',
              ConditionExpression: `${owned} AND attribute_exists(expiresAt)`,
              ...(caseId === undefined ? {} : { ExpressionAttributeValues: values }),
            })
          : new UpdateCommand({
              TableName: this.tableName,
              Key: key,
              UpdateExpression: 'SET expiresAt = :exp',
              ConditionExpression: `${owned} AND (attribute_not_exists(expiresAt) OR expiresAt <> :exp)`,
              ExpressionAttributeValues: { ':exp': expiresAt, ...values },
            }),
      );
      outcome.stamped += 1;
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      outcome.skipped += 1;
    }
  }

  /** Every item of the case's partition, page by page, consistent. */
  private partition(caseId: string): Promise<Item[]> {
    return queryCasePartition(this.doc, this.tableName, caseId);
  }
}
