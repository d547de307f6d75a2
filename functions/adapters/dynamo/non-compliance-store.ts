import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '../../core/errors';
import { NonComplianceRecordSchema, type NonComplianceRecord } from '../../core/non-compliance';
import type { NonComplianceStore } from '../../core/non-compliance-records';
import { NON_COMPLIANCE_POINTER_SK, NON_COMPLIANCE_PREFIX, nonComplianceItem, nonComplianceMonthPk, nonCompliancePointerItem, nonCompliancePointerPk, stripKeys } from './keys';
import { Transaction, type Item } from './transaction';

/**
 * Non-compliance records in the table (core/non-compliance.ts): a partition a month, sorted by
 * opening time (the lists and C8.3's repeat check read whole months: one paginated Query each),
 * and a pointer item a record id. The record changes in place under its version; the pointer
 * never changes. No expiry: they are the contract's compliance record (C8.1).
 */
export class DynamoNonComplianceStore implements NonComplianceStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(record: NonComplianceRecord): Promise<'created' | 'exists'> {
    try {
      await addNonComplianceRecord(new Transaction(this.tableName), record).commit(this.doc);
      return 'created';
    } catch (error) {
      if (error instanceof RecordExists) return 'exists';
      throw error;
    }
  }

  async get(id: string): Promise<NonComplianceRecord | undefined> {
    const pointer = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: nonCompliancePointerPk(id), SK: NON_COMPLIANCE_POINTER_SK }, ConsistentRead: true }));
    const { recordPk, recordSk } = pointer.Item ?? {};
    if (typeof recordPk !== 'string' || typeof recordSk !== 'string') return undefined;
    const out = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { PK: recordPk, SK: recordSk }, ConsistentRead: true }));
    return out.Item ? recordOf(out.Item) : undefined;
  }

  async update(record: NonComplianceRecord, expectedVersion: number): Promise<void> {
    await new Transaction(this.tableName)
      .put(nonComplianceItem(record), {
        condition: '#version = :expected',
        names: { '#version': 'version' },
        values: { ':expected': expectedVersion },
        onConditionFailed: () => new ConcurrentUpdateError(`non-compliance record ${record.id} changed since version ${expectedVersion}`),
      })
      .commit(this.doc);
  }

  async listMonth(month: string): Promise<NonComplianceRecord[]> {
    const records: NonComplianceRecord[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :nc)',
          ExpressionAttributeValues: { ':pk': nonComplianceMonthPk(month), ':nc': NON_COMPLIANCE_PREFIX },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of out.Items ?? []) records.push(recordOf(item));
      start = out.LastEvaluatedKey;
    } while (start);
    return records;
  }
}

/** A record with this id is there already (its pointer names it). */
class RecordExists extends Error {}

/** The record and its pointer, each written only if new: with the case's breach (apply-sla) or alone (a report). */
export function addNonComplianceRecord(tx: Transaction, record: NonComplianceRecord): Transaction {
  return tx
    .put(nonComplianceItem(record), { condition: 'attribute_not_exists(PK)' })
    .put(nonCompliancePointerItem(record), { condition: 'attribute_not_exists(PK)', onConditionFailed: () => new RecordExists(record.id) });
}

const recordOf = (item: Item): NonComplianceRecord => NonComplianceRecordSchema.parse(stripKeys(item));
