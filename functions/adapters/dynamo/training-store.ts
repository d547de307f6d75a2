import { PutCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TrainingRecordSchema, type TrainingRecord, type TrainingRecords } from '../../core/training';
import { stripKeys, TRAINING_RECORD_PREFIX, trainingPk, trainingRecordSk, trainingReminderSk } from './keys';
import type { Item } from './transaction';

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';

/**
 * The staff's training records in the table (core/training.ts): one partition a staff member
 * (`TRAIN#<hash of their id>`), the completions in the order recorded, each written once and never
 * changed, and beside them a marker a reminder sent. No index: a staff member's records are one
 * Query, the team's status one Query a member of the staff directory.
 */
export class DynamoTrainingStore implements TrainingRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(record: TrainingRecord): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { PK: trainingPk(record.staffId), SK: trainingRecordSk(record.recordedAt, record.recordId), entity: 'training_record', ...record },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  }

  async listFor(staffId: string): Promise<TrainingRecord[]> {
    const records: TrainingRecord[] = [];
    let start: Item | undefined;
    do {
      const out = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :rec)',
          ExpressionAttributeValues: { ':pk': trainingPk(staffId), ':rec': TRAINING_RECORD_PREFIX },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      records.push(...(out.Items ?? []).map((item) => TrainingRecordSchema.parse(stripKeys(item))));
      start = out.LastEvaluatedKey;
    } while (start);
    return records;
  }

  async markReminded(staffId: string, courseId: string, dueAt: string, at: Date): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { PK: trainingPk(staffId), SK: trainingReminderSk(courseId, dueAt), entity: 'training_reminder', courseId, dueAt, state: 'sent', remindedAt: at.toISOString() },
          ConditionExpression: 'attribute_not_exists(PK) OR #state = :released',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':released': 'released' },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** The mark stays, released (a PutItem: the function may not delete), and the next markReminded takes it again. */
  async forgetReminded(staffId: string, courseId: string, dueAt: string): Promise<void> {
    await this.doc.send(
      new PutCommand({ TableName: this.tableName, Item: { PK: trainingPk(staffId), SK: trainingReminderSk(courseId, dueAt), entity: 'training_reminder', courseId, dueAt, state: 'released' } }),
    );
  }
}
