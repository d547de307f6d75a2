import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

jest.setTimeout(240_000);

const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-quality-'));
let stack: RunningStack | undefined;

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
interface Email {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

const REQUIRED_COURSES = ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'];

/**
 * The quality loop as people live it on `npm start`, the clock moved by hand: the training guard,
 * the satisfaction survey and the feedback log, a breach's non-compliance record and its 7-day
 * corrective-action timer. Each part has its own integration tests; this one runs them through the
 * one process a developer starts, its gateway, its stream consumers and its local Step Functions.
 */
describe('the quality loop on npm start, the clock moved (C5.3, M8.1, C4.2, C8.1)', () => {
  it('refuses a lapsed agent until the refresher, surveys the customer a day after resolution into the feedback log, and escalates an unanswered non-compliance after 7 days', async () => {
    stack = await startStackProcess(dataDir, ['--fresh'], 90_000, { TRAINING_GUARD: 'refuse' });
    const { endpoints } = stack;
    const tokens = new Map<string, string>();
    for (const [sub, group] of [
      ['ada-agent', 'agents'],
      ['sofia-supervisor', 'supervisors'],
      ['fred-feedback', 'feedback'],
    ] as const) {
      const minted = await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups: [group], name: sub }) });
      tokens.set(sub, ((await minted.json()) as { token: string }).token);
    }
    const call = async (who: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(`${endpoints.api}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.get(who) ?? ''}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: res.status, body: (await res.json()) as Json };
    };
    const now = async () => ((await (await fetch(endpoints.clock)).json()) as { now: string }).now;
    const advance = async (by: { days?: number; hours?: number; minutes?: number }) =>
      expect((await fetch(`${endpoints.clock}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(by) })).status).toBe(200);
    const mail = async () => ((await (await fetch(endpoints.outbox)).json()) as { emails: Email[] }).emails;
    const openCase = async (name: string, email: string, subject: string) => {
      const res = await fetch(`${endpoints.api}/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'inquiry', name, email, subject, message: 'Could you tell me when my order ships?', privacyConsent: true }),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { caseId: string; reference: string };
    };
    const record = (completedAt: string) =>
      Promise.all(REQUIRED_COURSES.map((courseId) => call('sofia-supervisor', 'POST', '/staff/ada-agent/training', { courseId, completedAt, evidence: { note: 'Attended the session' } })));

    // Ada's required courses were taken seven months ago: their 6-month refreshers have lapsed (C5.2).
    const sevenMonthsAgo = new Date(Date.parse(await now()) - 213 * 86_400_000).toISOString();
    expect((await record(sevenMonthsAgo)).map((r) => r.status)).toEqual([201, 201, 201, 201]);

    const answered = await openCase('Vera Survey', 'vera.survey@example.com', 'Shipping date');
    const unanswered = await openCase('Walt Breach', 'walt.breach@example.com', 'Where is my parcel');

    // The guard refuses her claim and says why (C5.3); after the refresher it lets her take the case.
    const refused = await call('ada-agent', 'POST', `/cases/${answered.caseId}/claim`);
    expect(refused.status).toBe(409);
    expect(JSON.stringify(refused.body)).toMatch(/Complaint handling \(lapsed/);
    expect((await record(await now())).map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect((await call('ada-agent', 'POST', `/cases/${answered.caseId}/claim`)).status).toBe(200);

    // She answers and resolves the first case; nobody answers the second.
    expect((await call('ada-agent', 'POST', `/cases/${answered.caseId}/replies`, { message: 'Your order ships on Thursday.' })).status).toBe(200);
    expect((await call('ada-agent', 'POST', `/cases/${answered.caseId}/resolve`, { summary: 'Told the customer the shipping date' })).status).toBe(200);

    // A day later: the survey reaches the customer (M8.1), and the second case's initial-assistance
    // window has passed: the breach opens a non-compliance record at once (C8.1).
    await advance({ hours: 24, minutes: 5 });
    const survey = await eventually(async () => (await mail()).find((m) => m.destination.to.includes('vera.survey@example.com') && /survey/i.test(`${m.subject} ${m.body.text ?? ''}`)), 30_000, 'the survey email');
    const link = /https?:\/\/[^\s"<>]+\/survey\/[^\s"<>]+/.exec(survey.body.text ?? survey.body.html ?? '')?.[0];
    expect(link).toBeDefined();
    const page = await fetch(link!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('name="rating"');
    const posted = await fetch(link!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ rating: '2', solved: 'no', comment: 'The parcel still has not arrived.' }).toString() });
    expect(posted.status).toBe(200);

    // The feedback team sees the answer in the confidential feedback log (C4.2); it is on the case's timeline too.
    const feedback = await eventually(async () => {
      const res = await call('fred-feedback', 'GET', `/feedback?from=${(await now()).slice(0, 10)}`);
      const items = (res.body.items ?? []) as Json[];
      return items.find((i) => i.reference === answered.reference);
    }, 20_000, 'the answer in the feedback log');
    expect(feedback).toMatchObject({ rating: 2, solved: false, comment: 'The parcel still has not arrived.' });

    const month = (await now()).slice(0, 7);
    const opened = await eventually(async () => {
      const res = await call('sofia-supervisor', 'GET', `/non-compliance?month=${month}`);
      return ((res.body.items ?? []) as Json[]).find((r) => r.caseId === unanswered.caseId);
    }, 20_000, 'the breach’s non-compliance record');
    expect(opened).toMatchObject({ status: 'open', cause: expect.objectContaining({ kind: 'sla_breach' }) });

    // Nobody records a corrective action for 7 days: the record is overdue and management is told (C8.1).
    await advance({ days: 7, minutes: 5 });
    const overdue = await eventually(async () => {
      const res = await call('sofia-supervisor', 'GET', `/non-compliance?month=${month}`);
      const r = ((res.body.items ?? []) as Json[]).find((x) => x.id === opened.id);
      return r?.status === 'overdue' ? r : undefined;
    }, 30_000, 'the overdue non-compliance record');
    expect(overdue.id).toBe(opened.id);
    const notice = await eventually(async () => (await mail()).find((m) => m.subject === `Corrective action overdue: non-compliance ${String(opened.id)}`), 20_000, 'the overdue notice');
    expect(notice.destination.to).toContain('manager@caseflow.local');
  });
});
