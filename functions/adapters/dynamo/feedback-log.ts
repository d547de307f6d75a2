import { BatchGetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { FeedbackEntrySchema, type FeedbackEntry, type FeedbackKey, type FeedbackLog, type FeedbackPage } from '../../core/feedback-log';
import { ERASED } from '../../core/personal-data';
import { InvalidInputError } from '../../core/errors';
import { feedbackItem, feedbackPk, stripKeys } from './keys';

const CursorSchema = z.object({ m: z.string().regex(/^\d{4}-\d{2}$/), k: z.string().optional() });
type Cursor = z.infer<typeof CursorSchema>;

const encode = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decode(cursor: string): Cursor {
  try {
    return CursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new InvalidInputError([{ path: 'cursor', message: 'Not a cursor this list gave' }]);
  }
}

/** The months from the one of `fromIso` to the one of `toIso`, as `YYYY-MM`. */
function monthsBetween(fromIso: string, toIso: string): string[] {
  const months: string[] = [];
  const d = new Date(`${fromIso.slice(0, 7)}-01T00:00:00.000Z`);
  while (d.toISOString().slice(0, 7) <= toIso.slice(0, 7)) {
    months.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return months;
}

/** The feedback log in the table: a Query per month partition, never a Scan (keys.ts `feedbackPk`). */
export class DynamoFeedbackLog implements FeedbackLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(from: string, to: string, limit: number, cursor?: string): Promise<FeedbackPage> {
    const fromIso = new Date(from).toISOString();
    const toIso = new Date(to).toISOString();
    const start = cursor ? decode(cursor) : undefined;
    const entries: FeedbackEntry[] = [];
    for (const month of monthsBetween(fromIso, toIso)) {
      if (start && month < start.m) continue;
      let key: string | undefined = start && month === start.m ? start.k : undefined;
      do {
        const page = await this.doc.send(
          new QueryCommand({
            TableName: this.tableName,
            // `SK < to` by its form: `<to>#<caseId>` sorts after `<to>`, so an entry at `to` is left out.
            KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
            ExpressionAttributeValues: { ':pk': feedbackPk(month), ':from': fromIso, ':to': toIso },
            Limit: limit - entries.length,
            ...(key ? { ExclusiveStartKey: { PK: feedbackPk(month), SK: key } } : {}),
          }),
        );
        entries.push(...(page.Items ?? []).map((i) => FeedbackEntrySchema.parse(stripKeys(i))));
        key = typeof page.LastEvaluatedKey?.SK === 'string' ? page.LastEvaluatedKey.SK : undefined;
        if (entries.length >= limit) {
          const last = entries.at(-1);
          return { entries, ...(last ? { nextCursor: encode({ m: month, k: String(feedbackItem(last).SK) }) } : {}) };
        }
      } while (key);
    }
    return { entries };
  }

  async eraseComment(key: FeedbackKey, requestId: string): Promise<boolean> {
    const { PK, SK } = feedbackItem(key as FeedbackEntry);
    try {
      // The comment goes (an entry without one keeps none); rating, solved, type and channel are not personal.
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { PK, SK },
          UpdateExpression: 'SET erasedBy = :request, #comment = :erased',
          ConditionExpression: 'attribute_exists(PK) AND attribute_exists(#comment)',
          ExpressionAttributeNames: { '#comment': 'comment' },
          ExpressionAttributeValues: { ':request': requestId, ':erased': ERASED },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  async ofCases(cases: readonly FeedbackKey[]): Promise<FeedbackEntry[]> {
    const found: FeedbackEntry[] = [];
    for (let i = 0; i < cases.length; i += 100) {
      const keys = cases.slice(i, i + 100).map((c) => {
        const item = feedbackItem({ caseId: c.caseId, firstAnsweredAt: c.firstAnsweredAt } as FeedbackEntry);
        return { PK: item.PK, SK: item.SK };
      });
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = { [this.tableName]: { Keys: keys } };
      while (request && Object.keys(request).length > 0) {
        const out = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(out.Responses?.[this.tableName] ?? []).map((item) => FeedbackEntrySchema.parse(stripKeys(item))));
        request = out.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }
}
