import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { FollowUpDueSchema, type FollowUpDue, type FollowUpReminder, type FollowUpStore } from '../../core/follow-up';
import { FOLLOW_UP_PREFIX, FOLLOW_UPS_PK, followUpsDueBySk, followUpSk, stripKeys } from './keys';
import type { Item, Transaction } from './transaction';

const isConditionFailure = (error: unknown) => error instanceof Error && error.name === 'ConditionalCheckFailedException';
const MARK: Record<FollowUpReminder, string> = { responsible: 'remindedAt', supervisor: 'supervisorRemindedAt' };

export const followUpItem = (f: FollowUpDue): Item => ({ PK: FOLLOW_UPS_PK, SK: followUpSk(f.date, f.caseId), entity: 'follow_up_due', ...f });

/** The case change's follow-up entries (M3.2): written and removed in the case's own transaction. */
export function addFollowUps(tx: Transaction, due: readonly FollowUpDue[] = [], done: readonly Pick<FollowUpDue, 'caseId' | 'date'>[] = []): void {
  // An entry rescheduled to the same day is replaced by its put, not deleted.
  const kept = new Set(due.map((f) => followUpSk(f.date, f.caseId)));
  for (const d of done) if (!kept.has(followUpSk(d.date, d.caseId))) tx.delete({ PK: FOLLOW_UPS_PK, SK: followUpSk(d.date, d.caseId) });
  for (const f of due) tx.put(followUpItem(f));
}

/** The pending follow-ups' partition (core/follow-up.ts): read by Query, reminders marked on the entry itself. */
export class DynamoFollowUpStore implements FollowUpStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async dueBy(day: string): Promise<FollowUpDue[]> {
    const out: FollowUpDue[] = [];
    let start: Item | undefined;
    do {
      const page = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': FOLLOW_UPS_PK, ':from': FOLLOW_UP_PREFIX, ':to': followUpsDueBySk(day) },
          ConsistentRead: true,
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      out.push(...(page.Items ?? []).map((row) => FollowUpDueSchema.parse(stripKeys(row))));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  }

  async markReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder, at: Date): Promise<boolean> {
    try {
      // Only a pending entry (it exists) not marked before: a rerun, or a race with another run, sends nothing.
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: FOLLOW_UPS_PK, SK: followUpSk(entry.date, entry.caseId) },
          UpdateExpression: 'SET #mark = :at',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#mark)',
          ExpressionAttributeNames: { '#mark': MARK[reminder] },
          ExpressionAttributeValues: { ':at': at.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async forgetReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK: FOLLOW_UPS_PK, SK: followUpSk(entry.date, entry.caseId) },
          UpdateExpression: 'REMOVE #mark',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#mark': MARK[reminder] },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
