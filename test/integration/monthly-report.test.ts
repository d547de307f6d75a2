import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findChromium, NO_CHROMIUM } from '../../functions/adapters/report-pdf';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { wiring } from '../../functions/adapters/wiring';
import { acknowledgeCase } from '../../functions/core/actions/acknowledge';
import { claimCase } from '../../functions/core/actions/assignment';
import { replyToCustomer } from '../../functions/core/actions/reply';
import { resolveCase } from '../../functions/core/actions/resolve';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import { exportKeys, runExport } from '../../functions/core/compliance-export';
import { reportKeys, storedMonthlyReport } from '../../functions/core/monthly-report-delivery';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import type { StackAccess } from '../../local/export-commands';
import { lambdaContext } from '../../local/lambda-context';
import { reportCommand } from '../../local/report-commands';
import { LOCAL_NAMES } from '../../local/resources';
import type { LocalEndpoints } from '../../local/stack';
import { seededRandom, submission } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

/*
 * The monthly report through its handlers, on DynamoDB Local and s3rver: cases worked in April
 * 2025 (and one in March, for month over month), an export of three of April's days sealed on the
 * chain, then a supervisor makes the report and an auditor fetches it again.
 * P web inquiry, 7 Apr 09:00: claimed and acknowledged +5 min, answered +2 h, resolved +6 h.
 * Q web complaint, 8 Apr 10:00: nothing done (both milestones breached).
 * R web inquiry, 30 Apr 22:00: claimed and acknowledged +10 min, answered +1 h; open.
 * S web inquiry, 15 Mar 10:00: claimed and acknowledged +3 min.
 */
const MONTH = '2025-04';
const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();
const ana: Actor = { kind: 'agent', id: 'agent-ana' };
const customers = Array.from({ length: 4 }, (_, i) => ({ email: `report.customer.${randomUUID().slice(0, 8)}.${i}@example.com`, name: `Reported Customer ${i} ${randomUUID().slice(0, 6)}` }));

let env: Awaited<ReturnType<typeof freshTable>>;
let createReport: unknown;
let getReport: unknown;
let manifestSha256 = '';
let manifestSequence = 0;

beforeAll(async () => {
  env = await freshTable();
  ({ handler: createReport } = await import('../../functions/handlers/create-monthly-report'));
  ({ handler: getReport } = await import('../../functions/handlers/get-monthly-report'));
  const deps = (at: string) => ({ store: env.store, clock: fixedClock(at), staff: staffDirectory() });
  const open = async (i: number, type: 'inquiry' | 'complaint', at: string) => {
    const caseId = randomUUID();
    await openCaseFromSubmission({ submission: submission({ type, ...customers[i]! }), channel: 'web' }, { store: env.store, clock: fixedClock(at), newCaseId: () => caseId, random: seededRandom(i + 1), policy: slaPolicy() });
    return caseId;
  };
  const worked = async (caseId: string, at: string, ackMin: number) => {
    await claimCase(caseId, {}, { actor: ana }, deps(iso(at, MIN)));
    await acknowledgeCase(caseId, {}, { actor: ana }, deps(iso(at, ackMin * MIN)));
  };

  const P = await open(0, 'inquiry', '2025-04-07T09:00:00.000Z');
  await worked(P, '2025-04-07T09:00:00.000Z', 5);
  await replyToCustomer(P, { message: 'It left today.' }, { actor: ana }, deps(iso('2025-04-07T09:00:00.000Z', 2 * HOUR)));
  await resolveCase(P, { summary: 'Sent.' }, { actor: ana }, deps(iso('2025-04-07T09:00:00.000Z', 6 * HOUR)));
  await open(1, 'complaint', '2025-04-08T10:00:00.000Z');
  const R = await open(2, 'inquiry', '2025-04-30T22:00:00.000Z');
  await worked(R, '2025-04-30T22:00:00.000Z', 10);
  await replyToCustomer(R, { message: 'Looking into it.' }, { actor: ana }, deps(iso('2025-04-30T22:00:00.000Z', HOUR)));
  const S = await open(3, 'inquiry', '2025-03-15T10:00:00.000Z');
  await worked(S, '2025-03-15T10:00:00.000Z', 3);

  // An export of 6 to 8 April, sealed on the exports bucket's chain: the report's evidence.
  const app = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: env.tableName, EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket, EXPORT_SIGNING_KEY_DIR: process.env.EXPORT_SIGNING_KEY_DIR });
  const manifest = await runExport({ from: '2025-04-06', to: '2025-04-08' }, 'on-demand', { store: app.exportStore, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner }, fixedClock('2025-05-02T01:00:00.000Z'));
  manifestSequence = manifest.sequence;
  manifestSha256 = createHash('sha256').update((await app.exportStore.get(exportKeys.chained(manifest.sequence)))!).digest('hex');
}, 60_000);

const post = async (body: unknown, role: string) =>
  invoke(createReport, apiEvent({ method: 'POST', path: '/v1/reports/monthly', body: JSON.stringify(body), headers: { authorization: `Bearer ${await staffToken([role], `report-${role}`)}`, 'content-type': 'application/json' } }));
const get = async (month: string, role: string) =>
  invoke(getReport, apiEvent({ method: 'GET', path: `/v1/reports/monthly/${month}`, routePath: '/v1/reports/monthly/{month}', pathParameters: { month }, headers: { authorization: `Bearer ${await staffToken([role], `report-${role}`)}` } }));

interface ReportAnswer {
  report: { month: string; asOf: string; pdfNotProduced?: string };
  links: { html: { url: string; expiresAt: string }; json: { url: string }; pdf?: { url: string } };
}

describe('the monthly report through the API (M6.2, C6.2, M4.2, M7.3)', () => {
  it('refuses representatives, and has no report of a month before one is made', async () => {
    expect((await post({ month: MONTH }, 'agents')).status).toBe(403);
    expect((await get(MONTH, 'agents')).status).toBe(403);
    expect((await get(MONTH, 'supervisors')).status).toBe(404);
  });

  it('makes a supervisor the month’s report in the exports bucket, with 15-minute links to its page, figures and PDF', async () => {
    const res = await post({ month: MONTH }, 'supervisors');
    expect(res.status).toBe(201);
    const answer = res.body as unknown as ReportAnswer;
    expect(answer.report.month).toBe(MONTH);
    const expiresIn = Date.parse(answer.links.html.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(14 * MIN);
    expect(expiresIn).toBeLessThanOrEqual(15 * MIN);

    const page = await fetch(answer.links.html.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Monthly compliance report: April 2025');
    // P, Q and R, all by the web form; P and R acknowledged in time, Q never: 2 of 3.
    expect(html).toMatch(/<th scope="row">Month<\/th><td class="num">3<\/td><td class="num">3<\/td>/);
    expect(html).toMatch(/<th scope="row">Acknowledgement \(M3\.1\)<\/th><td>15 min<\/td><td class="num">2<\/td><td class="num">1<\/td>/);
    // March had S: month over month compares 3 cases with 1.
    expect(html).toMatch(/<th scope="row">Cases received<\/th><td class="num">3<\/td><td class="num">1<\/td><td class="num">\+2<\/td>/);
    // The export of 6 to 8 April, by the SHA-256 of its manifest on the chain.
    expect(html).toContain(`<th scope="row" class="num">#${manifestSequence}</th><td>2025-04-06_2025-04-08</td>`);
    expect(html).toContain(manifestSha256);
    expect(html).toContain('3 of 30 days covered by an export');
    for (const c of customers) {
      expect(html).not.toContain(c.email);
      expect(html).not.toContain(c.name);
    }

    const figures = (await (await fetch(answer.links.json.url)).json()) as { totals: { cases: number }; asOf: string };
    expect(figures).toMatchObject({ totals: { cases: 3 }, asOf: answer.report.asOf });
    // The quality loop's sections (M6.1, C5.3): Ana's two replies of April on the review ledger, and the one
    // representative on the roster (who asked for the report above) never trained, so the assignment guard applied to them.
    expect(figures).toMatchObject({
      qualityReviews: { replies: 2 },
      training: { representatives: 1, requiredMissing: [{ staffId: 'report-agents', courses: ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'] }] },
    });
    expect(html).toContain('<h2 id="h-quality-reviews">Response-quality reviews</h2>');
    expect(html).toContain('<h2 id="h-training">Training and refreshers</h2>');

    if (findChromium()) {
      expect(answer.report.pdfNotProduced).toBeUndefined();
      const pdf = Buffer.from(await (await fetch(answer.links.pdf!.url)).arrayBuffer());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    } else {
      expect(answer).toMatchObject({ report: { pdfNotProduced: NO_CHROMIUM } });
      expect(answer.links.pdf).toBeUndefined();
    }
  }, 60_000);

  it('gives the feedback team and auditors the report made, with fresh links', async () => {
    for (const role of ['feedback', 'auditors']) {
      const res = await get(MONTH, role);
      expect(res.status).toBe(200);
      const answer = res.body as unknown as ReportAnswer;
      expect(answer.report.month).toBe(MONTH);
      expect((await fetch(answer.links.html.url)).status).toBe(200);
    }
    expect(reportKeys(MONTH).html).toBe('reports/monthly/2025-04/report.html');
  });

  it('refuses a month that has not ended (409) and one that is not a month (400, naming it)', async () => {
    const thisMonth = new Date().toISOString().slice(0, 7);
    expect((await post({ month: thisMonth }, 'supervisors')).status).toBe(409);
    const bad = await post({ month: '2025-13' }, 'supervisors');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('month');
    expect((await get('April', 'auditors')).status).toBe(400);
  });
});

describe('the monthly report on a schedule', () => {
  it('reports on the month before the schedule fired, into the exports bucket, and on a month named by hand', async () => {
    const { handler } = await import('../../functions/handlers/monthly-report-job');
    const run = (event: object) => handler(event, lambdaContext('monthly-report-job')) as Promise<{ month: string; asOf: string; keys: { html: string; pdf?: string } }>;
    // EventBridge fired on 1 May 2025, 03:00 UTC: April's report.
    const scheduled = await run({ time: '2025-05-01T03:00:00Z' });
    expect(scheduled).toMatchObject({ month: MONTH, keys: { html: reportKeys(MONTH).html } });
    const app = wiring({ ...readConfig(AwsEndpointsSchema), EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket });
    expect(await storedMonthlyReport(MONTH, app.exportStore)).toMatchObject({ month: MONTH, asOf: scheduled.asOf });
    expect((await run({ month: '2025-03' })).month).toBe('2025-03');
    await expect(run({ month: 'March' })).rejects.toThrow('YYYY-MM');
  }, 60_000);
});

describe('npm run caseflow -- report', () => {
  /** The stand-ins as a running stack's endpoints.json names them, with its clock (1 May 2025: April has ended, May has not). */
  async function withStack<T>(run: (access: () => StackAccess) => Promise<T>): Promise<T> {
    const clock = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ now: '2025-05-01T08:00:00.000Z' })));
    await new Promise<void>((r) => clock.listen(0, '127.0.0.1', () => r()));
    const endpoints = readConfig(AwsEndpointsSchema);
    const stack: StackAccess = {
      endpoints: { dynamodb: endpoints.DYNAMODB_ENDPOINT, s3: endpoints.S3_ENDPOINT, clock: `http://127.0.0.1:${(clock.address() as AddressInfo).port}/local/clock`, resources: { table: env.tableName, exportsBucket: LOCAL_NAMES.exportsBucket } } as LocalEndpoints,
      credentials: { accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? '' },
      dataDir: tmpdir(),
    };
    try {
      return await run(() => stack);
    } finally {
      await new Promise<void>((r) => clock.close(() => r()));
    }
  }

  it('makes the month’s report on the stack’s clock and writes the page, and its PDF beside it, where asked', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'caseflow-report-')), 'april.html');
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await withStack((access) => reportCommand(['--month', MONTH, '--out', out], access))).toBe(0);
      const printed = log.mock.calls.map((c) => String(c[0])).join('\n');
      expect(printed).toContain('report 2025-04: 3 cases received, figures as of 2025-05-01T08:00:00.000Z');
      expect(printed).toContain('Acknowledgement within 15 min: 66.7% (target 100.0%; 2 met, 1 breached)');
      expect(readFileSync(out, 'utf8')).toContain('Monthly compliance report: April 2025');
      expect(existsSync(out.replace(/\.html$/, '.pdf'))).toBe(findChromium() !== undefined);

      // May has not ended on the stack's clock: a usage error, nothing made.
      expect(await withStack((access) => reportCommand(['--month', '2025-05'], access))).toBe(2);
      expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toContain('The month 2025-05 has not ended');
    } finally {
      log.mockRestore();
      errors.mockRestore();
    }
  }, 60_000);
});
