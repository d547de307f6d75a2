/**
 * The quality loop through the staff console, in a real browser, against the whole local stack as
 * `npm start` runs it (Debian's Chromium driven by playwright-core), the clock moved by hand: a
 * supervisor scores a sampled reply that fails, corrects and signs off the non-compliance record it
 * opened, and sees another record's 7-day timer run out (M6.1, C8.1, C8.2); the training guard
 * refuses an untrained representative a case until a supervisor records their courses (C5.1, C5.3);
 * a customer answers the satisfaction survey in a page without JavaScript and the feedback team
 * reads it in the feedback log (M8.1, C4.2). Every console screen used is checked with axe-core.
 *
 * What the console cannot do by itself (a representative's reply, the week passing) is set up
 * through the API and the local clock. The stack runs with TRAINING_GUARD=refuse, as an operator
 * would export it before `npm start`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { isoWeekOf } from '../../functions/core/quality-review';
import { CHROMIUM, CHROMIUM_ARGS, expectAccessible, requireChromium, SCREENSHOTS, signIn, type StaffUser, apiAs as staffApi, submitWebForm as submitCase, type Created } from '../support/console-browser';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(240_000);

interface CapturedEmail {
  subject: string;
  body?: { text?: string; html?: string };
  destination: { to: string[] };
}
interface NonComplianceItem {
  id: string;
  caseId?: string;
  status: string;
  openedAt: string;
  cause: { kind: string; milestone?: string };
}

const REQUIRED_COURSES = ['Communication skills', 'Complaint handling', 'Company policies', 'CRM software'];

let dataDir: string;
let stack: RunningStack | undefined;
let origin = '';
let browser: Browser;
let staff: StaffUser[] = [];
const contexts: BrowserContext[] = [];
/** Uncaught errors and console errors (CSP violations among them) per page. */
const pageProblems = new Map<Page, string[]>();

beforeAll(async () => {
  requireChromium();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'caseflow-quality-console-'));
  stack = await startStackProcess(dataDir, ['--fresh'], 90_000, { TRAINING_GUARD: 'refuse' });
  origin = new URL(stack.endpoints.web).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  staff = (await (await fetch(`${origin}/local/staff`)).json()) as StaffUser[];
  // Ada has her four required courses on record (C5.1, C5.2): she may work cases. Ben has none.
  const completedAt = await now();
  for (const courseId of ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software']) {
    expect((await apiAs(byId('sofia-supervisor'), 'POST', '/staff/ada-agent/training', { courseId, completedAt, evidence: { note: 'Induction course' } })).status).toBe(201);
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const endpoints = () => stack!.endpoints;
const submitWebForm = (fields: Parameters<typeof submitCase>[1]) => submitCase(endpoints(), fields);
const apiAs = (user: StaffUser, method: string, path: string, body?: unknown) => staffApi(endpoints(), user, method, path, body);
const byId = (id: string) => {
  const user = staff.find((s) => s.id === id);
  if (!user) throw new Error(`no seeded staff user ${id}`);
  return user;
};
const unique = (label: string) => `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Refused requests (a 409 shown to the user) are logged as failed loads: asserted on their own.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  return page;
}

/** Opens a screen from the main navigation and waits for its heading. */
async function openScreen(page: Page, link: string, heading = link) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: heading, exact: true }).waitFor();
}

/** Screenshots are named after this story, apart from the README's console-*.png (scripts/console-screenshots.ts). */
async function screenshot(page: Page, name: string) {
  await page.screenshot({ path: join(SCREENSHOTS, `quality-loop-${name}.png`) });
}



async function now(): Promise<string> {
  return ((await (await fetch(endpoints().clock)).json()) as { now: string }).now;
}

const advanceClock = async (by: Record<string, number>) => {
  const res = await fetch(`${endpoints().clock}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(by), signal: AbortSignal.timeout(60_000) });
  expect(res.status).toBe(200);
};

/** Ada claims, answers and resolves a case through the API (the console's part of it has its own tests). */
async function answerAndResolve(created: Created, message: string) {
  const ada = byId('ada-agent');
  expect((await apiAs(ada, 'POST', `/cases/${created.caseId}/claim`)).status).toBe(200);
  expect((await apiAs(ada, 'POST', `/cases/${created.caseId}/replies`, { message })).status).toBe(200);
  expect((await apiAs(ada, 'POST', `/cases/${created.caseId}/resolve`, { summary: 'Answered the question' })).status).toBe(200);
}

async function nonComplianceOf(caseId: string, month: string, status: string): Promise<NonComplianceItem> {
  return eventually(
    async () => {
      const res = await apiAs(byId('sofia-supervisor'), 'GET', `/non-compliance?month=${month}`);
      return ((res.body.items ?? []) as NonComplianceItem[]).find((r) => r.caseId === caseId && r.cause.kind === 'sla_breach' && r.status === status);
    },
    30_000,
    `the case's ${status} non-compliance record`,
    250,
  );
}

describe('the quality loop in the console, the clock moved', () => {
  it('takes a supervisor through a reply that fails its quality review, the non-compliance record it opens with its 7-day deadline, a corrective action with evidence signed off, and another record overdue after 7 days (M6.1, C8.1, C8.2)', async () => {
    // A reply by Ada, and a case nobody answers.
    const answered = await submitWebForm({ name: 'Rosa Reply', email: unique('rosa'), subject: 'When does my order ship?', message: 'Order 7731: when does it ship?' });
    const unanswered = await submitWebForm({ name: 'Walt Waiting', email: unique('walt'), subject: 'Where is my refund?', message: 'Returned the parcel two weeks ago.' });
    await answerAndResolve(answered, 'It ships some time, probably.');
    const replyWeek = isoWeekOf(await now());

    // A day on, the unanswered case's initial-response deadline has passed: a record opens (C8.1).
    await advanceClock({ hours: 24, minutes: 5 });
    const breachMonth = (await now()).slice(0, 7);
    const breach = await nonComplianceOf(unanswered.caseId, breachMonth, 'open');
    // A week on, nothing recorded on it: overdue, management told. The week's top-up has sampled Ada's reply (M6.1).
    await advanceClock({ days: 7 });
    await nonComplianceOf(unanswered.caseId, breachMonth, 'overdue');
    expect((await fetch(`${origin}/local/jobs/quality-review-top-up`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })).status).toBe(200);
    await eventually(
      async () => {
        const res = await apiAs(byId('sofia-supervisor'), 'GET', `/quality-reviews?week=${replyWeek}`);
        return ((res.body.items ?? []) as { caseId: string }[]).find((r) => r.caseId === answered.caseId);
      },
      30_000,
      'the reply in the review queue',
      250,
    );

    // Sofia opens the reviews of the reply's week and reads what Ada wrote.
    const page = await newPage();
    await signIn(page, origin, byId('sofia-supervisor'));
    await openScreen(page, 'Reviews', 'Quality reviews');
    await page.getByLabel('Week', { exact: true }).fill(replyWeek);
    const review = page.getByRole('list', { name: `Reviews of ${replyWeek}` }).getByRole('listitem').filter({ has: page.locator(`a[href="#/cases/${answered.caseId}"]`) });
    await review.waitFor();
    expect(await review.getByRole('heading', { level: 2 }).textContent()).toMatch(/^Reply by ada-agent, /);
    expect(await review.textContent()).toContain('Waiting for review');
    await review.getByRole('button', { name: 'Show the reply' }).click();
    await review.getByText('It ships some time, probably.').waitFor();
    await expectAccessible(page, 'quality reviews');

    // She scores it below the pass mark; the form says so before it is sent.
    const scorecard = review.getByRole('form', { name: 'Scorecard for the reply by ada-agent' });
    const scores: [string, string, string][] = [
      ['Accuracy', '2: fair', 'No date given'],
      ['Relevance', '2: fair', 'Touches the question only'],
      ['Completeness', '1: poor', 'No next step, no tracking'],
      ['Tone', '3: good', 'Polite enough'],
      ['Protocol adherence', '2: fair', 'No reference to the order'],
    ];
    for (const [criterion, score, comment] of scores) {
      await scorecard.getByRole('radiogroup', { name: `${criterion} score` }).getByLabel(score, { exact: true }).check();
      await scorecard.getByLabel(`${criterion}: comment`, { exact: true }).fill(comment);
    }
    await scorecard.getByRole('status').filter({ hasText: 'Overall 2.00 of 4: fails (a non-compliance record will be opened)' }).waitFor();
    await screenshot(page, 'quality-review');
    await scorecard.getByRole('button', { name: 'Score', exact: true }).click();
    const scored = review.getByRole('status').filter({ hasText: /^Scored: failed\. Non-compliance record .+ opened\.$/ });
    await scored.waitFor();
    expect(await review.textContent()).toContain('Failed: 2.00 of 4');
    expect(await review.textContent()).toContain('Completeness: 1 of 4');
    const recordId = /Non-compliance record (.+) opened\./.exec((await scored.textContent()) ?? '')?.[1];
    expect(recordId).toBeDefined();

    // The record the failed review opened, about Ada, with its 7-day corrective-action deadline (C8.1).
    await openScreen(page, 'Non-compliance');
    const record = page.getByRole('listitem').filter({ has: page.getByRole('heading', { level: 2, name: 'Failed quality review: overall 2.00 of 4', exact: true }) });
    await record.waitFor();
    expect(await record.textContent()).toMatch(/Open: corrective action due · due in (7 days|6 days 23 h) · opened .+ · staff member ada-agent/);
    await expectAccessible(page, 'non-compliance');

    // A corrective action with its type and evidence (C8.2), then her sign-off.
    const action = record.getByRole('form', { name: `Corrective action for ${recordId!}` });
    await action.getByRole('button', { name: 'Record the corrective action' }).click();
    await action.getByText('Give the evidence: a training record, a rota, the revised procedure').waitFor(); // nothing sent without evidence
    await action.getByLabel('Corrective action', { exact: true }).selectOption({ label: 'Retraining' });
    await action.getByLabel('What was done', { exact: true }).fill('Ada redid the written-replies module with a coach');
    await action.getByLabel('Evidence', { exact: true }).fill('Training record of the module, 2 h, signed by the coach');
    await action.getByRole('button', { name: 'Record the corrective action' }).click();
    await record.getByText('Action recorded: awaiting sign-off').waitFor();
    expect(await record.textContent()).toMatch(/Retraining \(.+, sofia-supervisor\): Ada redid the written-replies module with a coach\. Evidence: Training record of the module, 2 h, signed by the coach/);
    await action.getByRole('button', { name: 'Sign off', exact: true }).click();
    await record.getByText(/^Signed off by sofia-supervisor, /).waitFor();
    expect(await record.locator('strong').first().textContent()).toBe('Signed off');
    expect(await record.getByRole('form').count()).toBe(0); // nothing left to do on it
    await screenshot(page, 'non-compliance');

    // The breach nobody corrected within 7 days stands first among its month's records: overdue, management told.
    await page.getByLabel('Opened in', { exact: true }).fill(breachMonth);
    const overdue = page.getByRole('listitem').filter({ has: page.locator(`a[href="#/cases/${unanswered.caseId}"]`) }).filter({ hasText: 'SLA breach: initial response deadline missed' });
    await overdue.waitFor();
    expect(await overdue.textContent()).toMatch(/Overdue: management told · missed .+ ago/);
    expect(await overdue.getByRole('form', { name: `Corrective action for ${breach.id}` }).count()).toBe(1); // still correctable
    expect(await page.getByRole('list', { name: /^Records opened in / }).getByRole('listitem').first().textContent()).toContain('Overdue: management told');
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('shows the training guard refusing an untrained representative a case, and a supervisor recording the training that lifts it (C5.1, C5.3)', async () => {
    const created = await submitWebForm({ name: 'Tara Trained', email: unique('tara'), subject: 'Change my delivery address', message: 'I moved last week.' });
    const ben = await newPage();
    await signIn(ben, origin, byId('ben-agent'));
    await ben.goto(`${origin}/console/#/cases/${created.caseId}`);
    await ben.getByRole('heading', { level: 1, name: new RegExp(`^${created.reference}`) }).waitFor();
    await ben.getByRole('button', { name: 'Claim', exact: true }).click();
    const refusal = ben.getByRole('alert').filter({ hasText: 'lacks required training' });
    await refusal.waitFor();
    const refused = (await refusal.textContent()) ?? '';
    for (const course of REQUIRED_COURSES) expect(refused).toContain(`${course} (never trained)`);
    expect(refused).toContain('record the training first (C5.3)');

    // Sofia records his four courses on the Training screen.
    const sofia = await newPage();
    await signIn(sofia, origin, byId('sofia-supervisor'));
    await openScreen(sofia, 'Training');
    await sofia.getByLabel('Show', { exact: true }).selectOption({ label: 'Everyone' });
    const courses = sofia.getByRole('table', { name: 'Ben Agent', exact: true });
    await courses.waitFor();
    for (const course of REQUIRED_COURSES) expect(await courses.getByRole('row', { name: new RegExp(`^${course}`) }).getByRole('cell').textContent()).toBe('Never trained');
    await expectAccessible(sofia, 'training');
    const form = sofia.getByRole('form', { name: 'Record a completion for Ben Agent' });
    const today = (await now()).slice(0, 10);
    for (const course of REQUIRED_COURSES) {
      await form.getByLabel('Course', { exact: true }).selectOption({ label: course });
      expect(await form.getByLabel('Completed on', { exact: true }).inputValue()).toBe(today);
      await form.getByLabel('Evidence', { exact: true }).fill(`Attendance sheet of the ${course} session`);
      await form.getByRole('button', { name: 'Record the completion' }).click();
      await form.getByRole('status').filter({ hasText: `Recorded: ${course}, completed ${today}.` }).waitFor();
      expect(await courses.getByRole('row', { name: new RegExp(`^${course}`) }).getByRole('cell').textContent()).toMatch(new RegExp(`^Current: completed ${today}, refresher due `));
    }
    await screenshot(sofia, 'training');

    // The same claim goes through now.
    await ben.getByRole('button', { name: 'Claim', exact: true }).click();
    await eventually(
      async () => ((await ben.getByRole('list', { name: 'Timeline' }).getByRole('listitem').evaluateAll((items) => items.map((i) => i.getAttribute('data-event-type')))).includes('assignment_changed') ? true : undefined),
      20_000,
      'the claim on the timeline',
      200,
    );
    expect(await ben.getByRole('alert').filter({ hasText: 'lacks required training' }).count()).toBe(0);
    expect(pageProblems.get(ben)).toEqual([]);
    expect(pageProblems.get(sofia)).toEqual([]);
  });

  it('lets the feedback team read a customer’s survey answer, given in a page without JavaScript, in the feedback log (M8.1, C4.2)', async () => {
    const email = unique('vera');
    const created = await submitWebForm({ name: 'Vera Survey', email, subject: 'Shipping date', message: 'When does order 8812 ship?' });
    await answerAndResolve(created, 'Your order ships on Thursday.');
    // A day after resolution the survey goes out (M8.1).
    await advanceClock({ hours: 24, minutes: 5 });
    const survey = await eventually(
      async () => {
        const { emails } = (await (await fetch(`${endpoints().outbox}?to=${encodeURIComponent(email)}`)).json()) as { emails: CapturedEmail[] };
        return emails.find((m) => /\/survey\//.test(`${m.body?.text ?? ''}${m.body?.html ?? ''}`));
      },
      30_000,
      'the survey email',
      250,
    );
    const link = /https?:\/\/[^\s"<>]+\/survey\/[^\s"<>]+/.exec(survey.body?.text ?? survey.body?.html ?? '')?.[0];
    expect(link).toBeDefined();

    // The customer answers in a browser with JavaScript off: a plain form.
    const customer = await newPage({ javaScriptEnabled: false });
    await customer.goto(link!);
    await customer.getByRole('heading', { level: 1, name: 'How did we do?' }).waitFor();
    await customer.getByRole('group', { name: 'How satisfied are you with how we handled your case?' }).getByLabel('2 (poor)').check();
    await customer.getByRole('group', { name: 'Was your issue solved?' }).getByLabel('No', { exact: true }).check();
    await customer.getByLabel('Anything you would like to tell us? (optional)').fill('Thursday came and went; still no parcel.');
    await customer.getByRole('button', { name: 'Send my answer' }).click();
    await customer.getByRole('heading', { level: 1, name: 'Thank you' }).waitFor();
    expect(await customer.textContent('main')).toContain('Your answer has been recorded.');

    // Fred, of the feedback team, finds it in the confidential feedback log (C4.2).
    const page = await newPage();
    await signIn(page, origin, byId('fred-feedback'));
    await openScreen(page, 'Feedback');
    // The period: the day of the answer, on the stack's moved clock.
    const today = (await now()).slice(0, 10);
    await page.getByLabel('To (included)', { exact: true }).fill(today);
    await page.getByLabel('From', { exact: true }).fill(today);
    const answers = page.getByRole('table', { name: 'Survey answers' });
    const row = answers.getByRole('row').filter({ has: page.getByRole('link', { name: created.reference, exact: true }) });
    await row.waitFor({ timeout: 20_000 });
    expect((await row.getByRole('cell').allTextContents()).slice(1)).toEqual([created.reference, '2 of 5', 'No', 'Thursday came and went; still no parcel.']);
    await expectAccessible(page, 'feedback');
    await screenshot(page, 'feedback');
    expect(pageProblems.get(page)).toEqual([]);
  });
});
