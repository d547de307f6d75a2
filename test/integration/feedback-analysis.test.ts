import { DynamoActionItemStore } from '../../functions/adapters/dynamo/action-item-store';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { resolveCase } from '../../functions/core/actions/resolve';
import type { ActionItemView } from '../../functions/core/action-items';
import { createActionItem } from '../../functions/core/action-items';
import { applySla } from '../../functions/core/apply-sla';
import { utcDay } from '../../functions/core/audit-anchor';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import type { FeedbackTrendsReport } from '../../functions/core/feedback-trends';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { answerSurvey } from '../../functions/core/survey-answer';
import { submission } from '../support/fixtures';
import { staffDirectory } from '../support/staff-directory';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
const handlers: Record<string, unknown> = {};
const agent: Actor = { kind: 'agent', id: 'agent-sue' };
const contacts = { teamInbox: 'team@example.com', supervisor: 'sup@example.com', manager: 'mgr@example.com' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const day = (plusDays: number) => utcDay(new Date(Date.now() + plusDays * DAY));

/** A case resolved 25 hours ago, its survey sent, and answered now: its id. */
async function answered(rating: 1 | 2 | 3 | 4 | 5, solved: boolean, comment?: string) {
  const resolvedAt = new Date(Date.now() - 25 * HOUR).toISOString();
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('feedback') }), channel: 'web' },
    { store: env.store, clock: fixedClock(resolvedAt), newCaseId, random: cryptoRandom, policy: slaPolicy() },
  );
  await resolveCase(c.caseId, { summary: 'Done' }, { actor: agent }, { store: env.store, clock: fixedClock(resolvedAt), staff: staffDirectory() });
  await applySla(c.caseId, { store: env.store, clock: fixedClock(new Date().toISOString()), contacts });
  const survey = (await env.store.getCase(c.caseId))?.survey;
  if (!survey) throw new Error('no survey sent');
  await answerSurvey({ caseId: c.caseId, surveyId: survey.surveyId, expiresAt: survey.expiresAt }, { rating, solved, ...(comment ? { comment } : {}) }, { store: env.store, clock: fixedClock(new Date().toISOString()) });
  return c.caseId;
}

const COMMENTS = ['I waited three days and the agent was RUDE.', 'Quick refund, thanks!', 'Still waiting for my refund'];
const answers: string[] = [];

beforeAll(async () => {
  env = await freshTable();
  for (const name of ['get-feedback-trends', 'create-action-item', 'update-action-item', 'list-action-items', 'get-action-item']) {
    handlers[name] = ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
  }
  answers.push(await answered(2, false, COMMENTS[0]), await answered(5, true, COMMENTS[1]), await answered(1, false, COMMENTS[2]), await answered(4, true));
});

const auth = (token: string) => ({ authorization: `Bearer ${token}` });

describe('feedback trends from the survey answers (M4.3, M8.3, C2.3, C7.1)', () => {
  it('gives the period’s CSAT and the comments’ themes with their low-rating shares, and no comment text (M4.3, C2.3)', async () => {
    const res = await invoke(handlers['get-feedback-trends'], apiEvent({ method: 'GET', path: '/v1/feedback/trends', query: { from: day(-1), to: day(1), groupBy: 'type' }, headers: auth(await staffToken(['feedback'], 'fb-fay')) }));
    expect(res.status).toBe(200);
    const report = res.body as unknown as FeedbackTrendsReport;
    // Ratings 2 5 1 4: mean 3, two of four 4-5, two solved.
    expect(report.totals.csat).toEqual({ answers: 4, meanRating: 3, satisfied: 0.5, solved: 0.5 });
    // Three comments: response time (waited, waiting: 2 and 1, both low), billing (refund: 5 and 1, one low), staff attitude (rude: 2).
    expect(report.totals.comments).toBe(3);
    expect(report.totals.themes.slice(0, 3)).toEqual([
      { theme: 'response time', comments: 2, lowRatings: 2, lowRatingShare: 1 },
      { theme: 'billing', comments: 2, lowRatings: 1, lowRatingShare: 0.5 },
      { theme: 'staff attitude', comments: 1, lowRatings: 1, lowRatingShare: 1 },
    ]);
    expect(report.groups.find((g) => g.key === 'inquiry')?.csat.answers).toBe(4);
    const text = JSON.stringify(report);
    for (const c of COMMENTS) expect(text).not.toContain(c);
    for (const id of answers) expect(text).not.toContain(id);
  });

  it('turns away a representative with 403: trends are the feedback team’s and supervisors’ (C4.2)', async () => {
    const res = await invoke(handlers['get-feedback-trends'], apiEvent({ method: 'GET', path: '/v1/feedback/trends', headers: auth(await staffToken(['agents'], 'agent-ana')) }));
    expect(res.status).toBe(403);
  });
});

const create = async (token: string, body: unknown) =>
  invoke(handlers['create-action-item'], apiEvent({ method: 'POST', path: '/v1/action-items', body: JSON.stringify(body), headers: { ...auth(token), 'content-type': 'application/json' } }));
const update = async (token: string, itemId: string, body: unknown, ifMatch?: string) =>
  invoke(
    handlers['update-action-item'],
    apiEvent({
      method: 'PATCH',
      path: `/v1/action-items/${itemId}`,
      routePath: '/v1/action-items/{itemId}',
      pathParameters: { itemId },
      body: JSON.stringify(body),
      headers: { ...auth(token), 'content-type': 'application/json', ...(ifMatch ? { 'if-match': ifMatch } : {}) },
    }),
  );
const list = async (token: string, query: Record<string, string>) => invoke(handlers['list-action-items'], apiEvent({ method: 'GET', path: '/v1/action-items', query, headers: auth(token) }));

describe('action items from feedback (M8.2, C7.2)', () => {
  it('takes an item from recommendation to done: the owner starts it, a stale If-Match is a 409, another representative a 403, and the history keeps every change (M8.2, C7.2)', async () => {
    const fay = await staffToken(['feedback'], 'fb-fay');
    const ana = await staffToken(['agents'], 'agent-ana');
    const ben = await staffToken(['agents'], 'agent-ben');
    const created = await create(fay, { recommendation: 'Reply to refund requests within a day', theme: 'billing', owner: 'agent-ana', dueOn: day(7), links: { feedback: [answers[1], answers[2]] } });
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    const item = created.body?.item as unknown as ActionItemView;
    expect(item).toMatchObject({ status: 'open', owner: 'agent-ana', overdue: false, links: { feedback: [answers[1], answers[2]], cases: [], nonCompliance: [] } });

    const started = await update(ana, item.itemId, { status: 'in_progress' }, '"1"');
    expect(started.status).toBe(200);
    expect(started.headers.etag).toBe('"2"');

    // The feedback team acts on the version it saw first: the owner moved it on meanwhile.
    const stale = await update(fay, item.itemId, { dueOn: day(14) }, '"1"');
    expect(stale.status).toBe(409);
    expect(stale.body?.currentVersion).toBe(2);
    expect((await update(fay, item.itemId, { dueOn: day(14) })).status).toBe(400);
    expect((await update(ben, item.itemId, { status: 'done' }, '"2"')).status).toBe(403);

    const done = await update(ana, item.itemId, { status: 'done', reason: 'Refund replies now go out the same day' }, '"2"');
    expect(done.status).toBe(200);
    const got = await invoke(handlers['get-action-item'], apiEvent({ method: 'GET', path: `/v1/action-items/${item.itemId}`, routePath: '/v1/action-items/{itemId}', pathParameters: { itemId: item.itemId }, headers: auth(await staffToken(['auditors'], 'aud-abe')) }));
    expect(got.status).toBe(200);
    const history = (got.body?.item as unknown as ActionItemView).history;
    expect(history.map((h) => [h.by.id, h.status?.to])).toEqual([
      ['fb-fay', 'open'],
      ['agent-ana', 'in_progress'],
      ['agent-ana', 'done'],
    ]);
    expect(history[2]?.reason).toBe('Refund replies now go out the same day');
  });

  it('refuses an item whose feedback link names a case with no survey answer or whose record link names no record, and a dropped status without a reason (C7.2)', async () => {
    const sam = await staffToken(['supervisors'], 'sup-sam');
    await staffToken(['agents'], 'agent-ana');
    const unanswered = await openCaseFromSubmission({ submission: submission({ email: uniqueEmail('nofeedback') }), channel: 'web' }, { store: env.store, clock: fixedClock(new Date().toISOString()), newCaseId, random: cryptoRandom, policy: slaPolicy() });
    const bad = await create(sam, { recommendation: 'Look into it', owner: 'agent-ana', dueOn: day(3), links: { feedback: [unanswered.case.caseId], nonCompliance: ['nc-00000000-0000-4000-8000-000000000000'] } });
    expect(bad.status).toBe(400);
    expect(bad.body?.issues).toEqual([
      { path: 'links.feedback.0', message: 'No survey answer of that case' },
      { path: 'links.nonCompliance.0', message: 'No such non-compliance record' },
    ]);
    const ok = await create(sam, { recommendation: 'Look into it', owner: 'agent-ana', dueOn: day(3), links: { feedback: [answers[0]] } });
    const itemId = String((ok.body?.item as unknown as ActionItemView).itemId);
    const dropped = await update(sam, itemId, { status: 'dropped' }, '"1"');
    expect(dropped.status).toBe(400);
    expect(dropped.body?.issues).toEqual([{ path: 'reason', message: 'Give the reason it is dropped' }]);
  });

  it('lists an item still open after its due day as overdue, and not one done (M8.2)', async () => {
    const store = new DynamoActionItemStore(env.doc, env.tableName);
    const tenDaysAgo = new Date(Date.now() - 10 * DAY).toISOString();
    const deps = (at: string) => ({ items: store, staff: staffDirectory(), cases: env.store, nonCompliance: { get: async () => undefined }, clock: fixedClock(at), newId: newCaseId });
    const late = await createActionItem({ recommendation: 'Train the team on the refund policy', owner: 'agent-ana', dueOn: day(-3), links: { feedback: [String(answers[2])], cases: [], nonCompliance: [] } }, { kind: 'supervisor', id: 'sup-sam' }, deps(tenDaysAgo));
    const res = await list(await staffToken(['supervisors'], 'sup-sam'), { overdue: 'true' });
    expect(res.status).toBe(200);
    const items = res.body?.items as unknown as ActionItemView[];
    expect(items.map((i) => [i.itemId, i.overdue])).toEqual([[late.itemId, true]]);
    const mine = (await list(await staffToken(['agents'], 'agent-ana'), { owner: 'agent-ana', status: 'done' })).body?.items as unknown as ActionItemView[];
    expect(mine.every((i) => i.status === 'done' && !i.overdue)).toBe(true);
    expect(mine.length).toBe(1);
  });
});
