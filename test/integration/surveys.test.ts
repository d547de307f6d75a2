import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { fileSurveyKeyring, HmacSurveyLinks } from '../../functions/adapters/survey-link-signer';
import { resolveCase } from '../../functions/core/actions/resolve';
import { applySla } from '../../functions/core/apply-sla';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { submission } from '../support/fixtures';
import { staffDirectory } from '../support/staff-directory';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

let env: Awaited<ReturnType<typeof freshTable>>;
const handlers: Record<string, unknown> = {};
const agent: Actor = { kind: 'agent', id: 'agent-sue' };
const contacts = { teamInbox: 'team@example.com', supervisor: 'sup@example.com', manager: 'mgr@example.com' };
const HOUR = 3_600_000;

beforeAll(async () => {
  env = await freshTable();
  for (const name of ['get-survey', 'answer-survey', 'list-feedback']) handlers[name] = ((await import(`../../functions/handlers/${name}`)) as { handler: unknown }).handler;
});

/** The same keyring the handlers read (the test run's generated file). */
const links = () => new HmacSurveyLinks(fileSurveyKeyring(process.env.SURVEY_LINK_KEY_DIR ?? ''), 'https://api.example.com');

/** A case resolved 25 hours ago whose survey the SLA workflow has sent: its token, as the mail links it. */
async function surveyed() {
  const resolvedAt = new Date(Date.now() - 25 * HOUR);
  const clock = fixedClock(resolvedAt.toISOString());
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ email: uniqueEmail('survey') }), channel: 'web' },
    { store: env.store, clock, newCaseId, random: cryptoRandom, policy: slaPolicy() },
  );
  await resolveCase(c.caseId, { summary: 'Refund sent' }, { actor: agent }, { store: env.store, clock, staff: staffDirectory() });
  expect(await applySla(c.caseId, { store: env.store, clock: fixedClock(new Date().toISOString()), contacts })).toEqual([{ type: 'send_survey' }]);
  const survey = (await env.store.getCase(c.caseId))?.survey;
  if (!survey) throw new Error('no survey sent');
  const token = links().tokenFor({ caseId: c.caseId, surveyId: survey.surveyId, expiresAt: survey.expiresAt });
  return { caseId: c.caseId, reference: c.reference, survey, token };
}

const page = (token: string) => invoke(handlers['get-survey'], apiEvent({ method: 'GET', path: `/survey/${token}`, routePath: '/survey/{token}', pathParameters: { token }, headers: { accept: 'text/html' } }));
const answer = (token: string, fields: Record<string, string>, json = false) =>
  invoke(
    handlers['answer-survey'],
    apiEvent({
      method: 'POST',
      path: `/survey/${token}`,
      routePath: '/survey/{token}',
      pathParameters: { token },
      body: json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      headers: json ? { 'content-type': 'application/json', accept: 'application/json' } : { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    }),
  );

async function feedbackLog(role: string) {
  const token = await staffToken([role], `fb-${role}`);
  const from = new Date(Date.now() - HOUR).toISOString();
  const to = new Date(Date.now() + HOUR).toISOString();
  return invoke(handlers['list-feedback'], apiEvent({ method: 'GET', path: '/v1/feedback', query: { from, to, limit: '100' }, headers: { authorization: `Bearer ${token}` } }));
}

describe('the satisfaction survey page and the feedback log (M8.1, M9.4, C7.1, C4.2)', () => {
  it('serves an accessible form without any script under a strict CSP that lets it post only to itself (M9.4)', async () => {
    const { token, reference } = await surveyed();
    const res = await page(token);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).toContain(reference);
    expect(res.text.match(/type="radio" name="rating"/g)).toHaveLength(5);
    expect(res.text.match(/type="radio" name="solved"/g)).toHaveLength(2);
    expect(res.text).toMatch(/<legend>Was your issue solved\?<\/legend>/);
    expect(res.text).toMatch(/<label for="comment">[^<]*<\/label>/);
    expect(res.text).toMatch(/<form method="post">/);
    const csp = res.headers['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
  });

  it('records an answer on the timeline and in the feedback log, which the feedback team reads with the comment (M8.1, C7.1, C4.2)', async () => {
    const { token, caseId, survey } = await surveyed();
    const res = await answer(token, { rating: '4', solved: 'yes', comment: 'Quick & <b>kind</b>' });
    expect(res.status).toBe(200);
    expect(res.text).toContain('Your answer has been recorded');
    expect((await env.store.getTimeline(caseId)).at(-1)).toMatchObject({
      type: 'survey_answered',
      actor: { kind: 'customer' },
      data: { surveyId: survey.surveyId, rating: 4, solved: true, comment: 'Quick & <b>kind</b>', updated: false },
    });
    const log = await feedbackLog('feedback');
    expect(log.status).toBe(200);
    const entries = (log.body?.items as Record<string, unknown>[]).filter((e) => e.caseId === caseId);
    expect(entries).toEqual([
      expect.objectContaining({ rating: 4, solved: true, comment: 'Quick & <b>kind</b>', agent: 'agent-sue', type: 'inquiry', channel: 'web', surveyId: survey.surveyId }),
    ]);
  });

  it('updates the one answer when the customer answers again while the link is valid (M8.1)', async () => {
    const { token, caseId } = await surveyed();
    expect((await answer(token, { rating: '2', solved: 'no' })).status).toBe(200);
    const again = await answer(token, { rating: '5', solved: 'yes', comment: 'Sorted after all' });
    expect(again.status).toBe(200);
    expect(again.text).toContain('Your answer has been updated');
    const answers = (await env.store.getTimeline(caseId)).filter((e) => e.type === 'survey_answered');
    expect(answers.map((e) => e.data)).toEqual([
      expect.objectContaining({ rating: 2, solved: false, updated: false }),
      expect.objectContaining({ rating: 5, solved: true, comment: 'Sorted after all', updated: true }),
    ]);
    const c = await env.store.getCase(caseId);
    expect(c?.survey?.firstAnsweredAt).toBe(answers[0]?.at);
    const entries = ((await feedbackLog('supervisors')).body?.items as Record<string, unknown>[]).filter((e) => e.caseId === caseId);
    expect(entries).toEqual([expect.objectContaining({ rating: 5, solved: true, firstAnsweredAt: answers[0]?.at, answeredAt: answers[1]?.at })]);
  });

  it('answers 400 naming the field for a bad answer, keeping what was entered as text, and records nothing (M9.4)', async () => {
    const { token, caseId } = await surveyed();
    const before = (await env.store.getTimeline(caseId)).length;
    const res = await answer(token, { rating: '9', solved: 'yes', comment: '<script>alert(1)</script>' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('data-field="rating"');
    expect(res.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.text).not.toMatch(/<script/i);
    const json = await answer(token, { solved: 'maybe', rating: '3' }, true);
    expect(json.status).toBe(400);
    expect(json.body?.issues).toEqual([expect.objectContaining({ path: 'solved' })]);
    expect((await env.store.getTimeline(caseId)).length).toBe(before);
  });

  it('answers 410 with a kind page for an expired link or a survey that is no longer the case’s, and 404 for a tampered one (M8.1)', async () => {
    const { token, caseId } = await surveyed();
    const expired = links().tokenFor({ caseId, surveyId: (await env.store.getCase(caseId))?.survey?.surveyId ?? '', expiresAt: new Date(Date.now() - 1000).toISOString() });
    for (const res of [await page(expired), await answer(expired, { rating: '3', solved: 'yes' })]) {
      expect(res.status).toBe(410);
      expect(res.text).toContain('This survey is closed');
    }
    const other = links().tokenFor({ caseId, surveyId: 'f'.repeat(32), expiresAt: new Date(Date.now() + HOUR).toISOString() });
    expect((await page(other)).status).toBe(410);
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const res = await page(tampered);
    expect(res.status).toBe(404);
    expect(res.text).toContain('This survey is closed');
    expect((await env.store.getTimeline(caseId)).some((e) => e.type === 'survey_answered')).toBe(false);
  });

  it('keeps the feedback log from agents and auditors (C4.2)', async () => {
    for (const role of ['agents', 'auditors']) expect((await feedbackLog(role)).status).toBe(403);
  });
});
