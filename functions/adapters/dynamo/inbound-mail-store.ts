import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import type { InboundLookup, InboundLookupQuery, InboundMailStore, InboundRecord, QuarantineRecord } from '../../core/email/ports';
import { batchGetItems, BATCH_GET_KEYS } from './batch-get';
import { InvalidInputError } from '../../core/errors';
import { inboundItem, quarantineItem, sentAtOf, toInbound } from './items';
import { ACK_LOG_SK, ackLogPk, INBOUND_SK, inboundPk, INGEST_FAILURE_SK, ingestFailurePk, MESSAGE_ID_SK, messageIdPk, QUARANTINE_PK, REFERENCE_SK, referencePk } from './keys';
import type { Item } from './transaction';

/** Failures of one raw message are counted for two weeks: longer than any retry policy runs. */
const INGEST_FAILURE_TTL_SECONDS = 14 * 24 * 60 * 60;

const QuarantineCursorSchema = z.object({ PK: z.string(), SK: z.string() });

const caseIdOf = (i: Item | undefined) => (typeof i?.caseId === 'string' ? i.caseId : undefined);
const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * The inbound-mail aggregate in the single table: one inbound record per message, the Message-ID
 * links of case threads (written with the case by DynamoCaseRepository), quarantine records and
 * ingestion failure counts. Every key hashes message ids, addresses and object keys.
 */
export class DynamoInboundMailStore implements InboundMailStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

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
    return { ...(inbound ? { inbound: toInbound(inbound) } : {}), caseIdByReference, caseIdByMessageId, ...(ackLog ? { ackLog } : {}) };
  }

  /** BatchGetItem, 100 keys a request, all at once, consistent; unprocessed keys are asked for again with backoff. */
  private async batchGet(keys: { PK: string; SK: string }[]): Promise<Item[]> {
    return (await batchGetItems(this.doc, this.tableName, keys, Math.max(1, Math.ceil(keys.length / BATCH_GET_KEYS)))) as Item[];
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
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async caseIdByReference(reference: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: referencePk(reference), SK: REFERENCE_SK }, ConsistentRead: true }));
    return caseIdOf(out.Item);
  }

  async caseIdByMessageId(messageId: string): Promise<string | undefined> {
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: messageIdPk(messageId), SK: MESSAGE_ID_SK }, ConsistentRead: true }));
    return caseIdOf(out.Item);
  }

  async quarantine(record: QuarantineRecord): Promise<void> {
    try {
      await this.doc.send(new PutCommand({ TableName: this.tableName, Item: quarantineItem(record), ConditionExpression: 'attribute_not_exists(PK)' }));
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
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
        start = QuarantineCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
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
}
