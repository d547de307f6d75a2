import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoFeedbackLog } from '../../functions/adapters/dynamo/feedback-log';
import { feedbackItem } from '../../functions/adapters/dynamo/keys';
import type { FeedbackEntry } from '../../functions/core/feedback-log';
import { freshTable } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
let log: DynamoFeedbackLog;

const entry = (n: number, at: string): FeedbackEntry => ({
  caseId: `55555555-5555-4555-8555-${String(n).padStart(12, '0')}`,
  reference: `CS-00000${n}`,
  surveyId: String(n).repeat(32).slice(0, 32),
  rating: (n % 5) + 1,
  solved: n % 2 === 0,
  type: 'inquiry',
  channel: 'web',
  answeredAt: at,
  firstAnsweredAt: at,
});

// Across a month boundary, with one entry exactly at `to` (left out) and one before `from`.
const ENTRIES = [
  entry(1, '2026-09-30T23:00:00.000Z'),
  entry(2, '2026-10-01T00:00:00.000Z'),
  entry(3, '2026-10-15T12:00:00.000Z'),
  entry(4, '2026-10-31T23:59:59.000Z'),
  entry(5, '2026-11-01T08:00:00.000Z'),
  entry(6, '2026-11-02T09:00:00.000Z'),
  entry(7, '2026-11-03T00:00:00.000Z'),
];

beforeAll(async () => {
  env = await freshTable();
  log = new DynamoFeedbackLog(env.doc, env.tableName);
  for (const e of ENTRIES) await env.doc.send(new PutCommand({ TableName: env.tableName, Item: feedbackItem(e) }));
});

describe('the feedback log in the table (C4.2)', () => {
  it('lists the entries first answered in [from, to), oldest first, across months, a page at a time by its cursor', async () => {
    const seen: string[] = [];
    const pages: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await log.list('2026-10-01T00:00:00.000Z', '2026-11-03T00:00:00.000Z', 2, cursor);
      seen.push(...page.entries.map((e) => e.reference));
      pages.push(page.entries.length);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['CS-000002', 'CS-000003', 'CS-000004', 'CS-000005', 'CS-000006']);
    expect(pages.slice(0, 3)).toEqual([2, 2, 1]);
  });

  it('finds a case’s entry by its key, and erases its comment only where there is one (M5.1, C6.1)', async () => {
    const withComment = { ...entry(8, '2026-11-10T10:00:00.000Z'), comment: 'Pat says thanks' };
    await env.doc.send(new PutCommand({ TableName: env.tableName, Item: feedbackItem(withComment) }));
    const key = { caseId: withComment.caseId, firstAnsweredAt: withComment.firstAnsweredAt };
    expect(await log.ofCases([key])).toEqual([withComment]);
    expect(await log.eraseComment(key, 'req-1')).toBe(true);
    expect(await log.ofCases([key])).toEqual([{ ...withComment, comment: '[erased]', erasedBy: 'req-1' }]);
    const [noComment] = ENTRIES;
    expect(await log.eraseComment({ caseId: noComment!.caseId, firstAnsweredAt: noComment!.firstAnsweredAt }, 'req-1')).toBe(false);
  });
});
