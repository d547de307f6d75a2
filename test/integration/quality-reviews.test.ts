import { DynamoNonComplianceStore } from '../../functions/adapters/dynamo/non-compliance-store';
import { DynamoQualityReviewStore } from '../../functions/adapters/dynamo/quality-review-store';
import { openNonCompliance } from '../../functions/core/non-compliance';
import { isoWeekOf, nonComplianceIdOfReview, type QualityReview, type Scorecard } from '../../functions/core/quality-review';
import { eraseCaseReviews } from '../../functions/core/quality-review-records';
import { slaPolicy } from '../../functions/core/sla-policy';
import { lambdaContext } from '../../local/lambda-context';
import { jsonFixture } from '../support/fixtures';
import { apiEvent, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Response-quality reviews through the API against DynamoDB Local (M3.1 quality checkpoints, M6.1,
 * C6.3, C8.1): a reply the sampler picks goes into the review queue with the reply; a supervisor
 * scores it on the scorecard; a failed review opens a non-compliance record in the score's own
 * transaction and shows on the case's timeline; representatives see their own reviews only; the
 * weekly top-up samples one reply of each agent the share missed.
 */
type Handler = unknown;
let h: Record<'create' | 'reply' | 'call' | 'list' | 'get' | 'score' | 'mine' | 'rollup' | 'getCase', Handler>;
let replyUnsampled: Handler;
let topUp: (event: unknown, context: unknown) => Promise<{ week: string; sampled: number }>;
let env: Awaited<ReturnType<typeof freshTable>>;
let reviews: DynamoQualityReviewStore;
let records: DynamoNonComplianceStore;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  env = await freshTable();
  reviews = new DynamoQualityReviewStore(env.doc, env.tableName);
  records = new DynamoNonComplianceStore(env.doc, env.tableName);
  // Handlers read their configuration when loaded: every reply sampled, then one reply handler that samples none.
  process.env.QUALITY_REVIEW_SHARE = '1';
  h = {
    create: (await import('../../functions/handlers/create-case')).handler,
    reply: (await import('../../functions/handlers/reply-to-case')).handler,
    call: (await import('../../functions/handlers/log-case-call')).handler,
    list: (await import('../../functions/handlers/list-quality-reviews')).handler,
    get: (await import('../../functions/handlers/get-quality-review')).handler,
    score: (await import('../../functions/handlers/score-quality-review')).handler,
    mine: (await import('../../functions/handlers/list-my-quality-reviews')).handler,
    rollup: (await import('../../functions/handlers/get-quality-rollup')).handler,
    getCase: (await import('../../functions/handlers/get-case')).handler,
  };
  await jest.isolateModulesAsync(async () => {
    process.env.QUALITY_REVIEW_SHARE = '0';
    replyUnsampled = (await import('../../functions/handlers/reply-to-case')).handler;
  });
  delete process.env.QUALITY_REVIEW_SHARE;
  topUp = (await import('../../functions/handlers/quality-review-top-up')).handler as typeof topUp;
  for (const [who, groups] of [
    ['qr-ana', ['agents']],
    ['qr-bo', ['agents']],
    ['qr-cy', ['agents']],
    ['qr-sam', ['supervisors']],
    ['qr-sue', ['supervisors']],
    ['qr-fay', ['feedback']],
  ] as const) {
    tokens[who] = await staffToken([...groups], who);
  }
});

afterAll(() => {
  delete process.env.QUALITY_REVIEW_SHARE;
});

async function open() {
  const res = await invoke(h.create, apiEvent({ method: 'POST', path: '/v1/cases', body: JSON.stringify({ ...jsonFixture('web-form', 'inquiry.json'), email: uniqueEmail('qr') }), headers: { 'content-type': 'application/json' } }));
  expect(res.status).toBe(201);
  return String(res.body?.caseId);
}

const WEEK = () => isoWeekOf(new Date());

/** A reply by `who` on a new case, through the reply route; the review the sampler made of it, if any. */
async function replied(who: string, message: string, handler: Handler = h.reply): Promise<{ caseId: string; review: QualityReview | undefined }> {
  const caseId = await open();
  const res = await onCase(handler, caseId, 'replies', { token: tokens[who] ?? '', body: { message } });
  expect(res.status).toBe(200);
  const { reviews: week } = await reviews.listWeek(WEEK());
  return { caseId, review: week.find((r) => r.caseId === caseId) };
}

const get = (reviewId: string, who: string) =>
  invoke(h.get, apiEvent({ method: 'GET', path: `/v1/quality-reviews/${reviewId}`, routePath: '/v1/quality-reviews/{reviewId}', pathParameters: { reviewId }, headers: { authorization: `Bearer ${tokens[who] ?? ''}` } }));

const score = (reviewId: string, who: string, body: unknown, ifMatch?: number) =>
  invoke(
    h.score,
    apiEvent({
      method: 'POST',
      path: `/v1/quality-reviews/${reviewId}/score`,
      routePath: '/v1/quality-reviews/{reviewId}/score',
      pathParameters: { reviewId },
      body: JSON.stringify(body),
      headers: { authorization: `Bearer ${tokens[who] ?? ''}`, 'content-type': 'application/json', ...(ifMatch !== undefined ? { 'if-match': `"${ifMatch}"` } : {}) },
    }),
  );

const list = (handler: Handler, path: string, who: string, query?: Record<string, string>) =>
  invoke(handler, apiEvent({ method: 'GET', path, headers: { authorization: `Bearer ${tokens[who] ?? ''}` }, ...(query ? { query } : {}) }));

const card = (n: number, low?: keyof Scorecard): Scorecard => ({
  accuracy: { score: n, comment: 'Facts checked against the order' },
  relevance: { score: n, comment: 'Answers the question asked' },
  completeness: { score: n, comment: 'Covers the refund and its timing' },
  tone: { score: n, comment: 'Courteous' },
  protocolAdherence: { score: low === 'protocolAdherence' ? 1 : n, comment: 'Reference quoted' },
});

describe('response-quality reviews (M3.1 quality checkpoints, M6.1, C6.3, C8.1)', () => {
  it('puts a reply the sampler picks into the week’s review queue with the reply, and shows supervisors the reply’s text (M3.1, M6.1)', async () => {
    const { caseId, review } = await replied('qr-ana', 'Your refund was issued today; it shows within 5 working days.');
    expect(review).toMatchObject({ caseId, staffId: 'qr-ana', status: 'pending', sampledBy: 'share', week: WEEK() });
    const queue = await list(h.list, '/v1/quality-reviews', 'qr-sam', { status: 'pending' });
    expect(queue.status).toBe(200);
    expect((queue.body?.items as QualityReview[]).map((r) => r.id)).toContain(review?.id);
    const one = await get(review?.id ?? '', 'qr-sam');
    expect(one.status).toBe(200);
    expect(one.body?.reply).toMatchObject({ text: 'Your refund was issued today; it shows within 5 working days.' });
  });

  it('samples a logged call like a reply, and shows supervisors its transcript (M3.1, M6.1)', async () => {
    const caseId = await open();
    const transcript = 'Bo: I can see the parcel at the depot.\nCustomer: Can it come on Saturday?';
    const res = await onCase(h.call, caseId, 'calls', { token: tokens['qr-bo'] ?? '', body: { direction: 'outbound', durationSeconds: 240, transcript } });
    expect(res.status).toBe(200);
    const { reviews: week } = await reviews.listWeek(WEEK());
    const review = week.find((r) => r.caseId === caseId);
    expect(review).toMatchObject({ caseId, staffId: 'qr-bo', status: 'pending', sampledBy: 'share' });
    const one = await get(review?.id ?? '', 'qr-sam');
    expect(one.status).toBe(200);
    expect(one.body?.reply).toMatchObject({ text: transcript });
  });

  it('lets a representative see the reviews of their own replies and nobody else’s (M6.1, C6.3)', async () => {
    const { review } = await replied('qr-ana', 'We have rebooked your delivery for Tuesday.');
    const id = review?.id ?? '';
    const anaMine = await list(h.mine, '/v1/my/quality-reviews', 'qr-ana');
    const boMine = await list(h.mine, '/v1/my/quality-reviews', 'qr-bo');
    expect((anaMine.body?.items as QualityReview[]).map((r) => r.id)).toContain(id);
    expect((anaMine.body?.items as QualityReview[]).every((r) => r.staffId === 'qr-ana')).toBe(true);
    expect((boMine.body?.items as QualityReview[]).map((r) => r.id)).not.toContain(id);
    expect((await get(id, 'qr-ana')).status).toBe(200);
    expect((await get(id, 'qr-bo')).status).toBe(403);
  });

  it('refuses a supervisor scoring their own reply, with the reason (C6.3)', async () => {
    const { review } = await replied('qr-sue', 'I have escalated your complaint to our returns team.');
    const res = await score(review?.id ?? '', 'qr-sue', { scorecard: card(4) });
    expect(res.status).toBe(403);
    expect(String(res.body?.error)).toMatch(/own reply/);
    expect((await reviews.get(review?.id ?? ''))?.status).toBe('pending');
  });

  it('names the field of a scorecard it refuses (400)', async () => {
    const { review } = await replied('qr-ana', 'Thank you, the replacement is on its way.');
    const { tone: _, ...noTone } = card(3);
    const res = await score(review?.id ?? '', 'qr-sam', { scorecard: noTone });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('scorecard.tone');
  });

  it('opens a non-compliance record for the agent and case when a review fails, with the score and its timeline event, in one transaction (C8.1, M6.1)', async () => {
    const { caseId, review } = await replied('qr-ana', 'Not our problem, ask the courier.');
    const id = review?.id ?? '';
    const res = await score(id, 'qr-sam', { scorecard: card(2), summary: 'Deflects the customer' });
    expect(res.status).toBe(200);
    const ncId = nonComplianceIdOfReview(id);
    expect(res.body?.review).toMatchObject({ status: 'done', version: 2, nonComplianceId: ncId, score: { overall: 2, failed: true } });
    expect(await records.get(ncId)).toMatchObject({ cause: { kind: 'quality_review', reviewId: id, overall: 2 }, staffId: 'qr-ana', caseId, status: 'open' });
    const c = await onCase(h.getCase, caseId, '', { token: tokens['qr-sam'] ?? '', method: 'GET' });
    const timeline = (c.body?.timeline ?? c.body?.events ?? []) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(timeline.filter((e) => e.type === 'quality_review_scored').map((e) => e.data)).toEqual([
      { reviewId: id, replySeq: review?.seq, staffId: 'qr-ana', overall: 2, failed: true, rescored: false, nonComplianceId: ncId },
    ]);

    // A retried request does not score twice; a re-score names the version and is recorded, opening no second record.
    expect((await score(id, 'qr-sam', { scorecard: card(2) })).status).toBe(409);
    const again = await score(id, 'qr-sam', { scorecard: card(4, 'protocolAdherence') }, 2);
    expect(again.status).toBe(200);
    expect(again.body?.review).toMatchObject({ version: 3, score: { overall: 3.4, failed: true }, history: [{ type: 'sampled' }, { type: 'scored' }, { type: 'rescored' }] });
    expect(again.body?.nonCompliance).toBeUndefined();
  });

  it('writes nothing of a failing score when its non-compliance record cannot be written: score, event and record go together (C8.1)', async () => {
    const { caseId, review } = await replied('qr-ana', 'Please wait.');
    const id = review?.id ?? '';
    // A record already holding the id the failure would open makes the score's transaction fail.
    await records.create(openNonCompliance({ id: nonComplianceIdOfReview(id), cause: { kind: 'reported', description: 'placeholder' }, openedBy: { kind: 'supervisor', id: 'qr-sue' }, at: new Date(), policy: slaPolicy(), earlier: [], notify: 'supervisors' }));
    const res = await score(id, 'qr-sam', { scorecard: card(1) });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await reviews.get(id)).toMatchObject({ status: 'pending', version: 1 });
    const timeline = await env.store.getTimeline(caseId);
    expect(timeline.some((e) => e.type === 'quality_review_scored')).toBe(false);
  });

  it('tops the week up with one reply of each agent the share missed, and a rerun samples none (M6.1)', async () => {
    const first = await replied('qr-cy', 'Your account is unlocked.', replyUnsampled);
    const second = await replied('qr-cy', 'The invoice is attached.', replyUnsampled);
    expect(first.review).toBeUndefined();
    expect(second.review).toBeUndefined();
    const run = await topUp({ week: WEEK() }, lambdaContext('quality-review-top-up'));
    expect(run).toEqual({ week: WEEK(), sampled: 1 });
    const { reviews: week } = await reviews.listWeek(WEEK());
    const cys = week.filter((r) => r.staffId === 'qr-cy');
    expect(cys).toHaveLength(1);
    expect(cys[0]).toMatchObject({ sampledBy: 'weekly_top_up', status: 'pending' });
    expect([first.caseId, second.caseId]).toContain(cys[0]?.caseId);
    expect(await topUp({ week: WEEK() }, lambdaContext('quality-review-top-up'))).toEqual({ week: WEEK(), sampled: 0 });
  });

  it('rolls reviews up per agent and week for the feedback team: replies, sampled, scored, failed (M6.1, C6.3)', async () => {
    const res = await list(h.rollup, '/v1/quality-rollup', 'qr-fay');
    expect(res.status).toBe(200);
    const rows = res.body?.rows as Array<{ staffId: string; replies: number; sampled: number; scored: number; failed: number }>;
    const ana = rows.find((r) => r.staffId === 'qr-ana');
    expect(ana).toMatchObject({ replies: 5, sampled: 5, scored: 1, failed: 1 });
    expect(rows.find((r) => r.staffId === 'qr-cy')).toMatchObject({ replies: 2, sampled: 1, scored: 0 });
  });

  it('erases the scorecard’s comments and summary of a case’s reviews for a GDPR erasure, keeping the scores, once (M5.1, C6.1)', async () => {
    const { caseId, review } = await replied('qr-ana', 'Dear Erin Example, your order 4411 is on its way.');
    const id = review?.id ?? '';
    expect((await score(id, 'qr-sam', { scorecard: card(3), summary: 'Good answer to Erin Example' })).status).toBe(200);
    const timeline = await env.store.getTimeline(caseId);
    expect(await eraseCaseReviews(timeline, 'erasure-1', reviews)).toBe(1);
    const erased = await reviews.get(id);
    expect(erased).toMatchObject({ erasedBy: 'erasure-1', status: 'done', score: { overall: 3, failed: false, summary: '[erased]' } });
    expect(Object.values(erased?.score?.scorecard ?? {}).map((c) => c)).toEqual(Array.from({ length: 5 }, () => ({ score: 3, comment: '[erased]' })));
    expect(JSON.stringify(erased)).not.toContain('Erin');
    expect(await eraseCaseReviews(timeline, 'erasure-2', reviews)).toBe(0);
  });

  it('refuses a roll-up period that runs backwards or spans more than 26 weeks, naming the field (400)', async () => {
    for (const query of [
      { from: '2026-W10', to: '2026-W09' },
      { from: '2025-W40', to: '2026-W40' },
    ]) {
      const res = await list(h.rollup, '/v1/quality-rollup', 'qr-fay', query);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain('"from"');
    }
    expect((await list(h.rollup, '/v1/quality-rollup', 'qr-fay', { from: '2026-W15', to: '2026-W40' })).status).toBe(200);
  });
});
