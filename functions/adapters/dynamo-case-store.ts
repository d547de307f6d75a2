import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
  type QueryCommandOutput,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod';
import { CaseSchema, OPEN_STATUSES, summarize, type Case, type CaseSummary } from '../core/case';
import { CaseEventSchema, type CaseEvent } from '../core/case-event';
import { AckRateLimitedError, ConcurrentUpdateError, DuplicateInboundError, InvalidInputError, ReferenceTakenError } from '../core/errors';
import { EscalationRecordSchema, type EscalationRecord } from '../core/escalation';
import { OutboxMessageSchema, type OutboxMessage } from '../core/outbox';
import type {
  AckLogWrite,
  CaseChange,
  CreateCaseResult,
  EmailStore,
  InboundLookup,
  InboundLookupQuery,
  InboundRecord,
  ListCasesQuery,
  MessageIdLink,
  NewCaseRecord,
  QuarantineRecord,
} from '../core/ports';
import {
  ACK_LOG_SK,
  INBOUND_SK,
  MESSAGE_ID_SK,
  QUARANTINE_PK,
  INGEST_FAILURE_SK,
  ingestFailurePk,
  ackLogPk,
  inboundPk,
  messageIdPk,
  quarantineSk,
  CASE_SK,
  ESCALATION_PREFIX,
  EVENT_PREFIX,
  IDEMPOTENCY_SK,
  INDEX,
  REFERENCE_SK,
  caseItem,
  casePk,
  escalationSk,
  eventItem,
  idempotencyPk,
  listPartition,
  outboxSk,
  referencePk,
  stripKeys,
} from './dynamo-keys';

const CREATE_CASE_SCOPE = 'cases:create';
/** Failures of one raw message are counted for two weeks: longer than any retry policy runs. */
const INGEST_FAILURE_TTL_SECONDS = 14 * 24 * 60 * 60;

type Item = Record<string, unknown>;
type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const put = (TableName: string, Item: Item, ConditionExpression?: string, extra: Partial<TransactItem['Put']> = {}): TransactItem => ({
  Put: { TableName, Item, ...(ConditionExpression ? { ConditionExpression } : {}), ...extra },
});

const outboxItem = (m: OutboxMessage): Item => ({ PK: casePk(m.caseId), SK: outboxSk(m.id), entity: 'outbox', ...m });
const escalationItem = (e: EscalationRecord): Item => ({ PK: casePk(e.caseId), SK: escalationSk(e.level), entity: 'escalation', ...e });

const INBOUND_FIELDS = ['key', 'rawObjectKey', 'receivedAt', 'kind', 'reason', 'outcome', 'caseId'] as const;
const inboundItem = (r: InboundRecord): Item => ({ PK: inboundPk(r.key), SK: INBOUND_SK, entity: 'inbound', ...r });
const inboundPut = (T: string, r: InboundRecord): TransactItem => put(T, inboundItem(r), 'attribute_not_exists(PK)');
const messageIdPuts = (T: string, links: readonly MessageIdLink[] = []): TransactItem[] =>
  // Deduplicated: a transaction may touch an item only once.
  [...new Map(links.map((l) => [messageIdPk(l.messageId), l])).entries()].map(([pk, l]) => put(T, { PK: pk, SK: MESSAGE_ID_SK, entity: 'message_id', caseId: l.caseId }));
/** The recipient's acknowledgement log, replaced only if it is still as read (the condition fails the transaction). */
const ackLogPut = (T: string, w: AckLogWrite): TransactItem =>
  put(
    T,
    { PK: ackLogPk(w.recipientHash), SK: ACK_LOG_SK, entity: 'ack_log', sentAt: w.next, expiresAt: w.expiresAt },
    w.expected === undefined ? 'attribute_not_exists(PK)' : 'sentAt = :expected',
    w.expected === undefined ? {} : { ExpressionAttributeValues: { ':expected': w.expected } },
  );

const sentAtOf = (item: Item | undefined): number[] | undefined =>
  item === undefined ? undefined : Array.isArray(item.sentAt) ? item.sentAt.filter((t): t is number => typeof t === 'number') : [];

function toInbound(item: Item): InboundRecord {
  const out: Record<string, unknown> = {};
  for (const f of INBOUND_FIELDS) if (item[f] !== undefined) out[f] = item[f];
  return out as unknown as InboundRecord;
}

/** Cancellation reasons come back as raw attribute values; normalise them. */
function reasonItem(item: unknown): Item | undefined {
  if (!item || typeof item !== 'object') return undefined;
  const values = Object.values(item as Item);
  const looksRaw = values.length > 0 && values.every((v) => v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1);
  return looksRaw ? unmarshall(item as Record<string, AttributeValue>) : (item as Item);
}

// ---- listing cursor: one exclusive start key per (status, type) partition, null once exhausted ----
const StartKeySchema = z.object({ PK: z.string(), SK: z.string(), GSI1PK: z.string(), GSI1SK: z.string() });
const CursorSchema = z.object({ f: z.string(), k: z.record(z.string(), StartKeySchema.nullable()) });
type Cursor = z.infer<typeof CursorSchema>;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(raw: string, filter: string): Cursor {
  try {
    const parsed = CursorSchema.parse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.f !== filter) throw new Error('filter changed');
    return parsed;
  } catch {
    throw new InvalidInputError([{ path: 'cursor', message: 'Invalid or expired cursor for these filters' }]);
  }
}

export class DynamoCaseStore implements EmailStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createCase(record: NewCaseRecord): Promise<CreateCaseResult> {
    const T = this.tableName;
    const c = record.case;
    const items: TransactItem[] = [];
    if (record.idempotency) {
      const { key, requestHash, expiresAt } = record.idempotency;
      items.push(
        put(
          T,
          { PK: idempotencyPk(CREATE_CASE_SCOPE, key), SK: IDEMPOTENCY_SK, entity: 'idempotency', caseId: c.caseId, requestHash, expiresAt },
          // TTL deletes lazily: an expired record counts as absent.
          'attribute_not_exists(PK) OR expiresAt < :now',
          { ExpressionAttributeValues: { ':now': Math.floor(Date.parse(c.receivedAt) / 1000) }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        ),
      );
    }
    items.push(
      put(T, caseItem(c), 'attribute_not_exists(PK)'),
      put(T, { PK: referencePk(c.reference), SK: REFERENCE_SK, entity: 'reference', caseId: c.caseId }, 'attribute_not_exists(PK)'),
      ...record.events.map((e) => put(T, eventItem(e), 'attribute_not_exists(PK)')),
      ...record.outbox.map((m) => put(T, outboxItem(m), 'attribute_not_exists(PK)')),
    );
    // Email intake: checked items at known positions after the case's own.
    const inboundAt = record.inbound ? items.push(inboundPut(T, record.inbound)) - 1 : -1;
    const ackAt = record.ackLog ? items.push(ackLogPut(T, record.ackLog)) - 1 : -1;
    items.push(...messageIdPuts(T, record.messageIds));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
      return { created: true };
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // A retry of a request seen before answers with its case, whatever else would have failed.
      if (record.idempotency && reasons[0]?.Code === 'ConditionalCheckFailed') {
        const existing = reasonItem(reasons[0].Item) ?? (await this.getIdempotency(record.idempotency.key));
        if (existing && typeof existing.caseId === 'string' && typeof existing.requestHash === 'string') {
          return { created: false, existing: { caseId: existing.caseId, requestHash: existing.requestHash } };
        }
      }
      if (inboundAt >= 0 && reasons[inboundAt]?.Code === 'ConditionalCheckFailed') throw new DuplicateInboundError('inbound message recorded before');
      if (ackAt >= 0 && reasons[ackAt]?.Code === 'ConditionalCheckFailed') throw new AckRateLimitedError('the acknowledgement log changed meanwhile');
      const offset = record.idempotency ? 1 : 0;
      if (reasons[offset + 1]?.Code === 'ConditionalCheckFailed') throw new ReferenceTakenError(c.reference);
      // Another transaction held one of the items (the recipient's acknowledgement log): try again.
      if (reasons.some((r) => r.Code === 'TransactionConflict')) throw new ConcurrentUpdateError('a concurrent transaction touched the same items');
      throw error;
    }
  }

  async findIdempotent(key: string): Promise<{ caseId: string; requestHash: string } | undefined> {
    const item = await this.getIdempotency(key);
    return typeof item?.caseId === 'string' && typeof item.requestHash === 'string' ? { caseId: item.caseId, requestHash: item.requestHash } : undefined;
  }

  private async getIdempotency(key: string): Promise<Item | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: idempotencyPk(CREATE_CASE_SCOPE, key), SK: IDEMPOTENCY_SK }, ConsistentRead: true }),
    );
    return out.Item;
  }

  async applyChange(change: CaseChange): Promise<void> {
    const T = this.tableName;
    const items: TransactItem[] = [
      put(T, caseItem(change.case), '#version = :expected', {
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': change.expectedVersion },
      }),
      ...change.events.map((e) => put(T, eventItem(e), 'attribute_not_exists(PK)')),
      ...(change.outboxInserts ?? []).map((m) => put(T, outboxItem(m), 'attribute_not_exists(PK)')),
      ...(change.outboxUpdates ?? []).map((m) => put(T, outboxItem(m), 'attribute_exists(PK)')),
      ...(change.escalations ?? []).map((e) => put(T, escalationItem(e))),
    ];
    const inboundAt = change.inbound ? items.push(inboundPut(T, change.inbound)) - 1 : -1;
    items.push(...messageIdPuts(T, change.messageIds));
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (inboundAt >= 0 && error instanceof TransactionCanceledException && error.CancellationReasons?.[inboundAt]?.Code === 'ConditionalCheckFailed') {
        throw new DuplicateInboundError('inbound message recorded before');
      }
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[0]?.Code === 'ConditionalCheckFailed') {
        throw new ConcurrentUpdateError(`case ${change.case.caseId} changed since version ${change.expectedVersion}`);
      }
      throw error;
    }
  }

  async lookupInbound(query: InboundLookupQuery): Promise<InboundLookup> {
    const keys = new Map<string, { PK: string; SK: string }>();
    const add = (PK: string, SK: string) => keys.set(`${PK}\n${SK}`, { PK, SK });
    add(inboundPk(query.inboundKey), INBOUND_SK);
    if (query.legacyInboundKey) add(inboundPk(query.legacyInboundKey), INBOUND_SK);
    for (const r of query.references) add(referencePk(r), REFERENCE_SK);
    for (const m of query.messageIds) add(messageIdPk(m), MESSAGE_ID_SK);
    if (query.ackLog) add(ackLogPk(query.ackLog.recipientHash), ACK_LOG_SK);
    const found = new Map((await this.batchGet([...keys.values()])).map((item) => [`${String(item.PK)}\n${String(item.SK)}`, item]));
    const item = (PK: string, SK: string) => found.get(`${PK}\n${SK}`);
    const caseIdOf = (i: Item | undefined) => (typeof i?.caseId === 'string' ? i.caseId : undefined);
    const inbound = item(inboundPk(query.inboundKey), INBOUND_SK) ?? (query.legacyInboundKey ? item(inboundPk(query.legacyInboundKey), INBOUND_SK) : undefined);
    const caseIdByReference = new Map<string, string>();
    for (const r of query.references) {
      const id = caseIdOf(item(referencePk(r), REFERENCE_SK));
      if (id) caseIdByReference.set(r, id);
    }
    const caseIdByMessageId = new Map<string, string>();
    for (const m of query.messageIds) {
      const id = caseIdOf(item(messageIdPk(m), MESSAGE_ID_SK));
      if (id) caseIdByMessageId.set(m, id);
    }
    const ackLog = query.ackLog ? sentAtOf(item(ackLogPk(query.ackLog.recipientHash), ACK_LOG_SK)) : undefined;
    return {
      ...(inbound ? { inbound: toInbound(inbound) } : {}),
      caseIdByReference,
      caseIdByMessageId,
      ...(ackLog ? { ackLog } : {}),
    };
  }

  /** BatchGetItem, 100 keys a request, consistent; unprocessed keys are asked for again with backoff. */
  private async batchGet(keys: { PK: string; SK: string }[]): Promise<Item[]> {
    const chunks: { PK: string; SK: string }[][] = [];
    for (let i = 0; i < keys.length; i += 100) chunks.push(keys.slice(i, i + 100));
    const pages = await Promise.all(
      chunks.map(async (chunk) => {
        const items: Item[] = [];
        let pending: Record<string, unknown>[] = chunk;
        for (let attempt = 0; pending.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 25 * 2 ** attempt)));
          if (attempt > 8) throw new Error('BatchGetItem left keys unprocessed after 8 retries');
          const out = await this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
          items.push(...((out.Responses?.[this.tableName] ?? []) as Item[]));
          pending = out.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
        }
        return items;
      }),
    );
    return pages.flat();
  }

  async readAckLog(recipientHash: string): Promise<number[] | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: ackLogPk(recipientHash), SK: ACK_LOG_SK }, ConsistentRead: true }));
    return sentAtOf(out.Item);
  }

  async getInbound(key: string): Promise<InboundRecord | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: inboundPk(key), SK: INBOUND_SK }, ConsistentRead: true }));
    return out.Item ? toInbound(out.Item) : undefined;
  }

  async recordInbound(record: InboundRecord): Promise<boolean> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: inboundItem(record), ConditionExpression: 'attribute_not_exists(PK)' }));
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async caseIdByReference(reference: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: referencePk(reference), SK: REFERENCE_SK }, ConsistentRead: true }));
    return typeof out.Item?.caseId === 'string' ? out.Item.caseId : undefined;
  }

  async caseIdByMessageId(messageId: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: messageIdPk(messageId), SK: MESSAGE_ID_SK }, ConsistentRead: true }));
    return typeof out.Item?.caseId === 'string' ? out.Item.caseId : undefined;
  }

  async quarantine(record: QuarantineRecord): Promise<void> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: QUARANTINE_PK, SK: quarantineSk(record.rawObjectKey), entity: 'quarantine', ...record },
          ConditionExpression: 'attribute_not_exists(PK)',
        }),
      );
    } catch (error) {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    }
  }

  async recordIngestFailure(rawObjectKey: string, errorName: string, at: string): Promise<number> {
    const out = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: ingestFailurePk(rawObjectKey), SK: INGEST_FAILURE_SK },
        UpdateExpression: 'SET entity = :entity, lastError = :err, lastFailedAt = :at, expiresAt = :exp ADD attempts :one',
        ExpressionAttributeValues: { ':entity': 'ingest_failure', ':err': errorName, ':at': at, ':exp': Math.floor(Date.parse(at) / 1000) + INGEST_FAILURE_TTL_SECONDS, ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return typeof out.Attributes?.attempts === 'number' ? out.Attributes.attempts : 1;
  }

  async listQuarantine(limit: number, cursor?: string): Promise<{ items: QuarantineRecord[]; cursor?: string }> {
    let start: Item | undefined;
    if (cursor) {
      try {
        start = StartKeySchema.pick({ PK: true, SK: true }).parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
      } catch {
        throw new InvalidInputError([{ path: 'cursor', message: 'Invalid cursor' }]);
      }
    }
    const out = await this.doc.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': QUARANTINE_PK },
        Limit: limit,
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    const items = (out.Items ?? []).map((i) => ({
      rawObjectKey: String(i.rawObjectKey),
      reason: String(i.reason),
      problems: Array.isArray(i.problems) ? i.problems.map(String) : [],
      quarantinedAt: String(i.quarantinedAt),
    }));
    const next = out.LastEvaluatedKey ? Buffer.from(JSON.stringify({ PK: out.LastEvaluatedKey.PK, SK: out.LastEvaluatedKey.SK })).toString('base64url') : undefined;
    return { items, ...(next ? { cursor: next } : {}) };
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: CASE_SK }, ConsistentRead: true }),
    );
    return out.Item ? CaseSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async getTimeline(caseId: string): Promise<CaseEvent[]> {
    return (await this.queryPrefix(caseId, EVENT_PREFIX)).map((item) => CaseEventSchema.parse(stripKeys(item)));
  }

  async getEscalations(caseId: string): Promise<EscalationRecord[]> {
    return (await this.queryPrefix(caseId, ESCALATION_PREFIX)).map((item) => EscalationRecordSchema.parse(stripKeys(item)));
  }

  /** Every item of a case's partition whose sort key starts with `prefix`, in order. */
  private async queryPrefix(caseId: string, prefix: string): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Item | undefined;
    do {
      const out: QueryCommandOutput = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': casePk(caseId), ':prefix': prefix },
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(out.Items ?? []));
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    return items;
  }

  async getOutbox(caseId: string, messageId: string): Promise<OutboxMessage | undefined> {
    const out = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: { PK: casePk(caseId), SK: outboxSk(messageId) }, ConsistentRead: true }),
    );
    return out.Item ? OutboxMessageSchema.parse(stripKeys(out.Item)) : undefined;
  }

  async recordOutboxFailure(caseId: string, messageId: string, errorName: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { PK: casePk(caseId), SK: outboxSk(messageId) },
        UpdateExpression: 'SET attempts = attempts + :one, lastError = :err',
        ConditionExpression: 'attribute_exists(PK) AND #status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':one': 1, ':err': errorName, ':pending': 'pending' },
      }),
    ).catch((error: unknown) => {
      if (!(error instanceof Error && error.name === 'ConditionalCheckFailedException')) throw error;
    });
  }

  async *openCases(): AsyncIterable<Case> {
    for (const status of OPEN_STATUSES) {
      let startKey: Item | undefined;
      do {
        const out: QueryCommandOutput = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEX.openByDue,
            KeyConditionExpression: 'GSI2PK = :pk',
            ExpressionAttributeValues: { ':pk': `OPEN#${status}` },
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        );
        for (const item of out.Items ?? []) yield CaseSchema.parse(stripKeys(item));
        startKey = out.LastEvaluatedKey;
      } while (startKey);
    }
  }

  /**
   * Newest first across every selected (status, type) partition of the byStatus index: each
   * partition is read in order and the pages are merged, so a page is exact without filters.
   */
  async listCases(query: ListCasesQuery): Promise<{ items: CaseSummary[]; cursor?: string }> {
    const partitions = query.statuses.flatMap((s) => query.types.map((t) => listPartition(s, t)));
    const filter = [...partitions].sort().join(',');
    const previous = query.cursor ? decodeCursor(query.cursor, filter) : undefined;

    const fetched = await Promise.all(
      partitions.map(async (partition) => {
        const start = previous?.k[partition];
        if (start === null) return { partition, items: [] as Item[], exhausted: true };
        const out = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: INDEX.byStatus,
            KeyConditionExpression: 'GSI1PK = :pk',
            ExpressionAttributeValues: { ':pk': partition },
            ScanIndexForward: false,
            Limit: query.limit,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        return { partition, items: out.Items ?? [], exhausted: !out.LastEvaluatedKey };
      }),
    );

    const merged = fetched
      .flatMap(({ partition, items }) => items.map((item) => ({ partition, item })))
      .sort((a, b) => String(b.item.GSI1SK).localeCompare(String(a.item.GSI1SK)))
      .slice(0, query.limit);

    const next: Cursor = { f: filter, k: {} };
    let more = false;
    for (const { partition, items, exhausted } of fetched) {
      const taken = merged.filter((m) => m.partition === partition);
      const last = taken.at(-1)?.item;
      if (previous?.k[partition] === null || (exhausted && taken.length === items.length)) {
        next.k[partition] = null;
        continue;
      }
      more = true;
      const key = last ? StartKeySchema.parse(last) : previous?.k[partition];
      if (key) next.k[partition] = key;
    }

    return {
      items: merged.map(({ item }) => summarize(CaseSchema.parse(stripKeys(item)))),
      ...(more ? { cursor: encodeCursor(next) } : {}),
    };
  }
}
