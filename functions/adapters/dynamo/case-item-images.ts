import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from './batch-get';
import { CaseSchema, type Case } from '../../core/case';
import { CaseEventSchema, type CaseEvent } from '../../core/case-event';
import { itemsOfCase } from '../../core/case-items';
import { EscalationRecordSchema, type EscalationRecord } from '../../core/escalation';
import type { CaseItemImages, CaseRecords, ItemImage } from '../../core/item-images';
import { OutboxMessageSchema, type OutboxMessage } from '../../core/outbox';
import { queryCasePartition } from './case-partition';
import { CASE_SK, INBOUND_SK, inboundPk, MESSAGE_ID_SK, messageIdPk, REFERENCE_SK, referencePk, stripKeys } from './keys';

type Key = { PK: string; SK: string };

/** The keys of a case's items outside its partition: its reference, Message-ID links and inbound records (case-items.ts). */
export function keysOutsidePartition(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): Key[] {
  const owned = itemsOfCase(c, timeline, outbox);
  return [
    { PK: referencePk(owned.reference), SK: REFERENCE_SK },
    ...owned.messageIds.map((m) => ({ PK: messageIdPk(m), SK: MESSAGE_ID_SK })),
    ...owned.inboundKeys.map((k) => ({ PK: inboundPk(k), SK: INBOUND_SK })),
  ];
}

/**
 * The images of every item of a case, as stored: the partition (one paginated, consistent Query),
 * then the items outside it that still name the case (BatchGetItem, unprocessed keys retried).
 * What the archive lists with their digests (case-archive.ts), so that expiry can check each one.
 */
export class DynamoCaseItemImages implements CaseItemImages {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async imagesOf(c: Case, timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): Promise<{ items: ItemImage[]; caseVersion: number | undefined }> {
    const partition = await queryCasePartition(this.doc, this.tableName, c.caseId);
    const items = await this.withOutside(c, partition, timeline, outbox);
    const caseItem = partition.find((i) => i.SK === CASE_SK);
    return { items, caseVersion: typeof caseItem?.version === 'number' ? caseItem.version : undefined };
  }

  /**
   * The records parsed from the same partition read as the images (the Query of case-partition.ts,
   * parsed as the case repository parses them), then the items outside it: two requests in all,
   * where reading the records through the repository and then the images took six.
   */
  async recordsOf(caseId: string): Promise<CaseRecords | undefined> {
    const partition = await queryCasePartition(this.doc, this.tableName, caseId);
    let c: Case | undefined;
    const timeline: CaseEvent[] = [];
    const escalations: EscalationRecord[] = [];
    const outbox: OutboxMessage[] = [];
    for (const item of partition) {
      if (item.entity === 'case') c = CaseSchema.parse(stripKeys(item));
      else if (item.entity === 'event') timeline.push(CaseEventSchema.parse(stripKeys(item)));
      else if (item.entity === 'escalation') escalations.push(EscalationRecordSchema.parse(stripKeys(item)));
      else if (item.entity === 'outbox') outbox.push(OutboxMessageSchema.parse(stripKeys(item)));
    }
    if (!c) return undefined;
    // Sort keys pad the sequence number, so the Query returns the timeline in order.
    const items = await this.withOutside(c, partition, timeline, outbox);
    return { case: c, timeline, escalations, outbox, items };
  }

  /** The partition's images, then those of the items outside it that still name the case. */
  private async withOutside(c: Case, partition: Record<string, unknown>[], timeline: readonly CaseEvent[], outbox: readonly OutboxMessage[]): Promise<ItemImage[]> {
    const outside = await this.batchGet(keysOutsidePartition(c, timeline, outbox));
    return [...partition, ...outside.filter((i) => i.caseId === c.caseId)].map((image) => ({ pk: String(image.PK), sk: String(image.SK), image }));
  }

  private batchGet(keys: Key[]): Promise<Record<string, unknown>[]> {
    return batchGetItems(this.doc, this.tableName, keys);
  }
}
