import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { canonicalize } from '../../core/canonical-json';
import type * as z from 'zod';
import { CaseEventSchema } from '../../core/case-event';
import { EscalationRecordSchema } from '../../core/escalation';
import { OutboxMessageSchema } from '../../core/outbox';
import type { CaseRecordEraser } from '../../core/privacy-erasure';
import { queryCasePartition } from './case-partition';
import { inPool } from './in-pool';
import { stripKeys } from './keys';
import type { Item } from './transaction';

/** PutItems in flight at once: a long case is rewritten quickly without throttling the table. */
const CONCURRENCY = 8;

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * Rewrites a case's records in the table in erased form (core/privacy-erasure.ts): the partition
 * read with a paginated Query, each event, outbox message and escalation record passed through
 * its rewrite and put back only if it changed. The item keeps everything that is not its domain
 * object (keys, index keys, its `expiresAt`), so retention and the queues see the same item.
 * An event is put back only while its hash is the one read: the chain is never rewritten, only
 * its personal values (a redaction keeps the hash).
 */
export class DynamoCaseRecordEraser implements CaseRecordEraser {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async rewriteRecords(caseId: string, rewrite: Parameters<CaseRecordEraser['rewriteRecords']>[1]): Promise<{ rewritten: number; unchanged: number }> {
    const outcome = { rewritten: 0, unchanged: 0 };
    const writes: (() => Promise<void>)[] = [];
    for (const item of await queryCasePartition(this.doc, this.tableName, caseId)) {
      const planned =
        item.entity === 'event'
          ? this.plan(item, CaseEventSchema, rewrite.event)
          : item.entity === 'outbox'
            ? this.plan(item, OutboxMessageSchema, rewrite.outbox)
            : item.entity === 'escalation'
              ? this.plan(item, EscalationRecordSchema, rewrite.escalation)
              : undefined;
      if (!planned) {
        if (item.entity === 'event' || item.entity === 'outbox' || item.entity === 'escalation') outcome.unchanged += 1;
        continue;
      }
      writes.push(async () => {
        if (await this.put(planned, item.entity === 'event' ? String(item.hash) : undefined)) outcome.rewritten += 1;
      });
    }
    await inPool(writes, CONCURRENCY);
    return outcome;
  }

  /** The item rewritten, or undefined when the rewrite changes nothing. */
  private plan<S extends z.ZodType>(item: Item, schema: S, rewrite: (value: z.infer<S>) => z.infer<S>): Item | undefined {
    const domain = schema.parse(stripKeys(item)) as Record<string, unknown>;
    const next = rewrite(domain as z.infer<S>) as Record<string, unknown>;
    if (canonicalize(next) === canonicalize(domain)) return undefined;
    const storage = Object.fromEntries(Object.entries(item).filter(([k]) => !(k in domain)));
    return { ...storage, ...next };
  }

  private async put(item: Item, hash: string | undefined): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression: hash === undefined ? 'attribute_exists(PK)' : 'attribute_exists(PK) AND #hash = :hash',
          ...(hash === undefined ? {} : { ExpressionAttributeNames: { '#hash': 'hash' }, ExpressionAttributeValues: { ':hash': hash } }),
        }),
      );
      return true;
    } catch (error) {
      // Gone meanwhile (expired): nothing left to erase.
      if (!isConditionFailure(error)) throw error;
      return false;
    }
  }
}
