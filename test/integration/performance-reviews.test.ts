import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { fileSurveyKeyring, HmacSurveyLinks } from '../../functions/adapters/survey-link-signer';
import { claimCase } from '../../functions/core/actions/assignment';
import { resolveCase } from '../../functions/core/actions/resolve';
import { applySla } from '../../functions/core/apply-sla';
import { utcDay } from '../../functions/core/audit-anchor';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import type { PerformanceReview, PerformanceSummary } from '../../functions/core/performance-review';
import { isoWeekOf, type QualityReview, type Scorecard } from '../../functions/core/quality-review';
import { DynamoQualityReviewStore } from '../../functions/adapters/dynamo/quality-review-store';
import { slaPolicy } from '../../functions/core/sla-policy';
import { submission } from '../support/fixtures';
import { InMemoryStaffDirectory } from '../support/staff-directory';
import { apiEvent, freshTable, invoke, onCase, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * Performance reviews through the API against DynamoDB Local (C7.3, M6.2): a representative with a
 * resolved case the customer rated, a reply whose sampled review failed (which opened a
 * non-compliance record) and no training gets the report those records give; another
 * representative reading it gets 403.
 */
let env: Awaited<ReturnType<typeof freshTable>>;
const h: Record<string, unknown> = {};
const tokens: Record<string, string> = {};
const HOUR = 3_600_000;
const AGENT = 'pr-ana';
const agent: Actor = { kind: 'agent', id: AGENT };
const directory = new InMemoryStaffDirectory([{ id: AGENT, name: 'Ana', roles: ['agents'] }]);
const contacts = { teamInbox: 'team@example.com', supervisor: 'sup@example.com', manager: 'mgr@example.com' };

beforeAll(async () => {
  env = await freshTable();
  process.env.QUALITY_REVIEW_SHARE = '1';
  for (const name of ['answer-survey', 'reply-to-case', 'score-quality-review', 'get-performance-review', 'list-performance-reviews']) {
    h[name] = ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
  }
  delete process.env.QUALITY_REVIEW_SHARE;
  for (const [who, groups] of [
    [AGENT, ['agents']],
    ['pr-bo', ['agents']],
    ['pr-sam', ['supervisors']],
  ] as const) {
    tokens[who] = await staffToken([...groups], who);
  }
});

afterAll(() => {
  delete process.env.QUALITY_REVIEW_SHARE;
});

/** A case received `hoursAgo`, claimed by the representative. */
async function claimed(hoursAgo: number) {
  const clock = fixedClock(new Date(Date.now() - hoursAgo * HOUR).toISOString());
  const { case: c } = await openCaseFromSubmission({ submission: submission({ email: uniqueEmail('perf') }), channel: 'web' }, { store: env.store, clock, newCaseId, random: cryptoRandom, policy: slaPolicy() });
  await claimCase(c.caseId, {}, { actor: agent }, { store: env.store, clock, staff: directory });
  return { c, clock };
}

const card = (n: number): Scorecard => ({
  accuracy: { score: n, comment: 'a' },
  relevance: { score: n, comment: 'r' },
  completeness: { score: n, comment: 'c' },
  tone: { score: n, comment: 't' },
  protocolAdherence: { score: n, comment: 'p' },
});

const read = (who: string, staffId: string, query: Record<string, string>) =>
  invoke(
    h['get-performance-review'],
    apiEvent({ method: 'GET', path: `/v1/performance-reviews/${staffId}`, routePath: '/v1/performance-reviews/{staffId}', pathParameters: { staffId }, query, headers: { authorization: `Bearer ${tokens[who] ?? ''}` } }),
  );

describe('performance reviews (C7.3, M6.2)', () => {
  const period = () => ({ from: utcDay(new Date(Date.now() - 2 * 24 * HOUR)), to: utcDay(new Date()) });

  beforeAll(async () => {
    // A case resolved 25 hours ago, its survey sent and answered 2 of 5, not solved.
    const { c } = await claimed(26);
    await resolveCase(c.caseId, { summary: 'Refund sent' }, { actor: agent }, { store: env.store, clock: fixedClock(new Date(Date.now() - 25 * HOUR).toISOString()), staff: directory });
    expect(await applySla(c.caseId, { store: env.store, clock: fixedClock(new Date().toISOString()), contacts })).toEqual([{ type: 'send_survey' }]);
    const survey = (await env.store.getCase(c.caseId))?.survey;
    if (!survey) throw new Error('no survey sent');
    const token = new HmacSurveyLinks(fileSurveyKeyring(process.env.SURVEY_LINK_KEY_DIR ?? ''), 'https://api.example.com').tokenFor({ caseId: c.caseId, surveyId: survey.surveyId, expiresAt: survey.expiresAt });
    const answered = await invoke(
      h['answer-survey'],
      apiEvent({ method: 'POST', path: `/survey/${token}`, routePath: '/survey/{token}', pathParameters: { token }, body: new URLSearchParams({ rating: '2', solved: 'no' }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' } }),
    );
    expect(answered.status).toBe(200);

    // A reply on a second case, sampled, scored as failing by a supervisor: a non-compliance record opens (C8.1).
    const second = await claimed(1);
    expect((await onCase(h['reply-to-case'], second.c.caseId, 'replies', { token: tokens[AGENT] ?? '', body: { message: 'We are looking into it.' } })).status).toBe(200);
    const { reviews } = await new DynamoQualityReviewStore(env.doc, env.tableName).listWeek(isoWeekOf(new Date()));
    const review = reviews.find((r: QualityReview) => r.caseId === second.c.caseId);
    if (!review) throw new Error('the reply was not sampled');
    const scored = await invoke(
      h['score-quality-review'],
      apiEvent({
        method: 'POST',
        path: `/v1/quality-reviews/${review.id}/score`,
        routePath: '/v1/quality-reviews/{reviewId}/score',
        pathParameters: { reviewId: review.id },
        body: JSON.stringify({ scorecard: card(2) }),
        headers: { authorization: `Bearer ${tokens['pr-sam'] ?? ''}`, 'content-type': 'application/json' },
      }),
    );
    expect(scored.status).toBe(200);
  });

  it('gives a supervisor the representative’s cases, CSAT, failed review, non-compliance record and missing training, attention points naming them (C7.3, M6.2)', async () => {
    const res = await read('pr-sam', AGENT, period());
    expect(res.status).toBe(200);
    const report = res.body as unknown as PerformanceReview;
    expect(report.metrics.cases).toBe(2);
    expect(report.metrics.resolution.resolved).toBe(1);
    expect(report.csat).toEqual({ answers: 1, meanRating: 2, satisfied: 0, solved: 0 });
    expect(report.quality).toMatchObject({ sampled: 1, scored: 1, failed: 1, meanOverall: 2 });
    expect(report.nonCompliance).toMatchObject({ opened: 1, byCause: { qualityReview: 1 }, byStatus: { open: 1 } });
    expect(report.training.requiredMissing).toHaveLength(4);
    expect(report.attention.map((p) => p.rule)).toEqual(expect.arrayContaining(['failed_review', 'required_training']));
    expect(report.attention.map((p) => p.rule)).not.toContain('overdue_corrective_action');
  });

  it('lets the representative read their own review and answers another representative 403 (C7.3)', async () => {
    expect((await read(AGENT, AGENT, period())).status).toBe(200);
    const refused = await read('pr-bo', AGENT, period());
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain('metrics');
  });

  it('refuses a period longer than 93 days naming the field (C7.3)', async () => {
    const res = await read('pr-sam', AGENT, { from: '2026-01-01', to: '2026-06-30' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('"to"');
  });

  it('gives supervisors one summary row a representative (C7.3)', async () => {
    const res = await invoke(h['list-performance-reviews'], apiEvent({ method: 'GET', path: '/v1/performance-reviews', query: period(), headers: { authorization: `Bearer ${tokens['pr-sam'] ?? ''}` } }));
    expect(res.status).toBe(200);
    const summary = res.body as unknown as PerformanceSummary;
    expect(summary.rows.find((r) => r.staffId === AGENT)).toMatchObject({ cases: 2, reviewsFailed: 1, nonComplianceOpened: 1, csatSatisfied: 0 });
  });
});
