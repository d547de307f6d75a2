import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient, type QueryCommandOutput } from '@aws-sdk/lib-dynamodb';
import { CaseSchema, type Case } from '../../core/case';
import { CaseEventSchema, type CaseEvent } from '../../core/case-event';
import { AckRateLimitedError, ConcurrentUpdateError, DuplicateInboundError, ReferenceTakenError } from '../../core/errors';
import { EscalationRecordSchema, type EscalationRecord } from '../../core/escalation';
import { OutboxMessageSchema, type OutboxMessage } from '../../core/outbox';
import type { CaseChange, CaseStore, CreateCaseResult, NewCaseRecord } from '../../core/ports';
import type { SlaPolicyVersions } from '../../core/sla-policy-versions';
import { ackLogItem, escalationItem, inboundItem, messageIdItem, outboxItem, sentAtOf } from './items';
import {
  ACK_LOG_SK,
  ackLogPk,
  CASE_SK,
  caseItem,
  casePk,
  ESCALATION_PREFIX,
  escalationSk,
  EVENT_PREFIX,
  eventItem,
  feedbackItem,
  IDEMPOTENCY_SK,
  idempotencyPk,
  INDEX,
  outboxSk,
  qualityReplyItem,
  REFERENCE_SK,
  referencePk,
  stripKeys,
  TIMER_STATUSES,
  timerPartition,
} from './keys';
import { addNonComplianceRecord } from './non-compliance-store';
import { addFollowUps } from './follow-up-store';
import { addQualityReview } from './quality-review-store';
import { Transaction, type Item } from './transaction';
import { queryCasePartition } from './case-partition';

const CREATE_CASE_SCOPE = 'cases:create';

/** A retry of a request seen before: not an error to the caller, the case it opened. */
class IdempotentReplay extends Error {
  constructor(readonly existing: { caseId: string; requestHash: string }) {
    super('idempotent replay');
  }
}

/**
 * The case aggregate in the single table (docs/data-model.md): the case item, its append-only
 * timeline, outbox and escalation records share a partition; a case is created or changed with
 * everything that comes with it in one transaction (the channel's own records too: idempotency
 * key, inbound record, Message-ID links, the recipient's acknowledgement log).
 */
export class DynamoCaseRepository implements CaseStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /**
     * Where a case's own SLA policy version is read before the case is handed out, so that every
     * computation on it (deadlines, queues, the SLA plan) finds a published version (M8.3).
     */
    private readonly policies?: Pick<SlaPolicyVersions, 'policyOf'>,
  ) {}

  /** The case, its policy version known to the process (see `policies`): read on the way out and before a write. */
  private async withPolicy(c: Case): Promise<Case> {
    await this.policies?.policyOf(c.sla.policyVersion);
    return c;
  }

  async createCase(record: NewCaseRecord): Promise<CreateCaseResult> {
    const c = record.case;
    const tx = new Transaction(this.tableName);
    if (record.idempotency) {
      const { key, requestHash, expiresAt } = record.idempotency;
      tx.put(
        { PK: idempotencyPk(CREATE_CASE_SCOPE, key), SK: IDEMPOTENCY_SK, entity: 'idempotency', caseId: c.caseId, requestHash, expiresAt },
        {
          // TTL deletes lazily: an expired record counts as absent.
          condition: 'attribute_not_exists(PK) OR expiresAt < :now',
          values: { ':now': Math.floor(Date.parse(c.receivedAt) / 1000) },
          // A retry of a request seen before answers with its case, whatever else would have failed.
          priority: -1,
          onConditionFailed: (old) =>
            typeof old?.caseId === 'string' && typeof old.requestHash === 'string' ? new IdempotentReplay({ caseId: old.caseId, requestHash: old.requestHash }) : new IdempotentReplay({ caseId: '', requestHash: '' }),
        },
      );
    }
    await this.withPolicy(c);
    tx.put(caseItem(c), { condition: 'attribute_not_exists(PK)' })
      .put({ PK: referencePk(c.reference), SK: REFERENCE_SK, entity: 'reference', caseId: c.caseId }, { condition: 'attribute_not_exists(PK)', onConditionFailed: () => new ReferenceTakenError(c.reference) });
    for (const e of record.events) tx.put(eventItem(e), { condition: 'attribute_not_exists(PK)' });
    for (const m of record.outbox) tx.put(outboxItem(m), { condition: 'attribute_not_exists(PK)' });
    this.addInbound(tx, record);
    if (record.ackLog) {
      const w = record.ackLog;
      tx.put(ackLogItem(w), {
        condition: w.expected === undefined ? 'attribute_not_exists(PK)' : 'sentAt = :expected',
        ...(w.expected === undefined ? {} : { values: { ':expected': w.expected } }),
        onConditionFailed: () => new AckRateLimitedError('the acknowledgement log changed meanwhile'),
      });
    }
    try {
      await tx.commit(this.doc);
      return { created: true };
    } catch (error) {
      if (!(error instanceof IdempotentReplay)) throw error;
      // The old item normally comes with the cancellation; read it when it does not.
      const existing = error.existing.caseId ? error.existing : await this.findIdempotent(record.idempotency?.key ?? '');
      if (!existing) throw new ConcurrentUpdateError('the idempotency record vanished meanwhile');
      return { created: false, existing };
    }
  }

  async applyChange(change: CaseChange): Promise<void> {
    // The item's queue keys count down by the case's own policy version: a case read elsewhere (an ingestion's batch read) may bring one this process has not read.
    await this.withPolicy(change.case);
    const tx = new Transaction(this.tableName).put(caseItem(change.case), {
      condition: '#version = :expected',
      names: { '#version': 'version' },
      values: { ':expected': change.expectedVersion },
      onConditionFailed: () => new ConcurrentUpdateError(`case ${change.case.caseId} changed since version ${change.expectedVersion}`),
    });
    // A closed case whose archive is recorded has every item stamped with its expiry (retention-stamper):
    // what a later change writes to it (a late delivery's event, a Message-ID link) carries it too (M7.2).
    const expiry = change.case.archive !== undefined && change.case.expiresAt !== undefined ? { expiresAt: change.case.expiresAt } : {};
    for (const e of change.events) tx.put({ ...eventItem(e), ...expiry }, { condition: 'attribute_not_exists(PK)' });
    for (const m of change.outboxInserts ?? []) tx.put({ ...outboxItem(m), ...expiry }, { condition: 'attribute_not_exists(PK)' });
    for (const m of change.outboxUpdates ?? []) tx.put({ ...outboxItem(m), ...expiry }, { condition: 'attribute_exists(PK)' });
    for (const e of change.escalations ?? []) tx.put({ ...escalationItem(e), ...expiry });
    // Not the case's expiry: a non-compliance record is the contract's record, kept on its own terms.
    for (const r of change.nonCompliance ?? []) addNonComplianceRecord(tx, r);
    if (change.feedback) tx.put(feedbackItem(change.feedback));
    // Not the case's expiry either: quality reviews are the adherence record (M6.1, C6.3).
    for (const r of change.replies ?? []) tx.put(qualityReplyItem(r));
    for (const q of change.qualityReviews ?? []) addQualityReview(tx, q.review, q.expectedVersion);
    // A complaint's follow-up (M3.2): its due-list entry comes and goes with the change that schedules or ends it.
    addFollowUps(tx, change.followUpsDue, change.followUpsDone);
    this.addInbound(tx, change, expiry);
    await tx.commit(this.doc);
  }

  /** The email channel's records that come with a case or a change: its inbound record (written once) and Message-ID links. */
  private addInbound(tx: Transaction, record: Pick<NewCaseRecord, 'inbound' | 'messageIds'>, expiry: { expiresAt?: number } = {}): void {
    if (record.inbound) {
      // Checked first: a redelivery is not a conflict to retry.
      tx.put({ ...inboundItem(record.inbound), ...expiry }, { condition: 'attribute_not_exists(PK)', priority: -0.5, onConditionFailed: () => new DuplicateInboundError('inbound message recorded before') });
    }
    for (const link of record.messageIds ?? []) tx.put({ ...messageIdItem(link), ...expiry });
  }

  async findIdempotent(key: string): Promise<{ caseId: string; requestHash: string } | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: idempotencyPk(CREATE_CASE_SCOPE, key), SK: IDEMPOTENCY_SK }, ConsistentRead: true }),
    );
    const item = out.Item;
    return typeof item?.caseId === 'string' && typeof item.requestHash === 'string' ? { caseId: item.caseId, requestHash: item.requestHash } : undefined;
  }

  async readAckLog(recipientHash: string): Promise<number[] | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: ackLogPk(recipientHash), SK: ACK_LOG_SK }, ConsistentRead: true }));
    return sentAtOf(out.Item);
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: CASE_SK }, ConsistentRead: true }));
    return out.Item ? this.withPolicy(CaseSchema.parse(stripKeys(out.Item))) : undefined;
  }

  async getTimeline(caseId: string): Promise<CaseEvent[]> {
    return (await this.queryPrefix(caseId, EVENT_PREFIX)).map((item) => CaseEventSchema.parse(stripKeys(item)));
  }

  async getEscalations(caseId: string): Promise<EscalationRecord[]> {
    return (await this.queryPrefix(caseId, ESCALATION_PREFIX)).map((item) => EscalationRecordSchema.parse(stripKeys(item)));
  }

  async getEscalation(caseId: string, number: number): Promise<EscalationRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: escalationSk(number) }, ConsistentRead: true }));
    return out.Item ? EscalationRecordSchema.parse(stripKeys(out.Item)) : undefined;
  }

  /** Every item of a case's partition whose sort key starts with `prefix`, in order. */
  private queryPrefix(caseId: string, prefix: string): Promise<Item[]> {
    return queryCasePartition(this.doc, this.tableName, caseId, prefix);
  }

  async getOutbox(caseId: string, messageId: string): Promise<OutboxMessage | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: outboxSk(messageId) }, ConsistentRead: true }));
    return out.Item ? OutboxMessageSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async getOutboxHistory(caseId: string): Promise<OutboxMessage[]> {
    return (await this.queryPrefix(caseId, outboxSk(''))).map((item) => OutboxMessageSchema.parse(stripKeys(item)));
  }

  async recordOutboxFailure(caseId: string, messageId: string, errorName: string): Promise<void> {
    await this.doc
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: casePk(caseId), SK: outboxSk(messageId) },
          UpdateExpression: 'SET attempts = attempts + :one, lastError = :err',
          ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':err': errorName, ':pending': 'pending' },
        }),
      )
      .catch((error: unknown) => {
        if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
      });
  }

  /**
   * Every case with an SLA timer (the reconciler's sweep), from the timers index: open cases by
   * status, nearest deadline first, then resolved cases by automatic closure, soonest first.
   */
  async *casesWithTimers(): AsyncIterable<Case> {
    for (const status of TIMER_STATUSES) {
      let startKey: Item | undefined;
      do {
        const out: QueryCommandOutput = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEX.timers,
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': timerPartition(status) },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of out.Items ?? []) yield await this.withPolicy(CaseSchema.parse(stripKeys(item)));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
  }
}
