import { randomUUID } from 'node:crypto';
import { DynamoCasesReceived } from '../../functions/adapters/dynamo/cases-received';
import { acknowledgeCase } from '../../functions/core/actions/acknowledge';
import { claimCase } from '../../functions/core/actions/assignment';
import { replyToCustomer } from '../../functions/core/actions/reply';
import { resolveCase } from '../../functions/core/actions/resolve';
import { applySla } from '../../functions/core/apply-sla';
import { answerSurvey } from '../../functions/core/survey-answer';
import type { Actor } from '../../functions/core/case';
import { fixedClock } from '../../functions/core/clock';
import type { Row } from '../../functions/core/export-records';
import { runExport, type ExportStore } from '../../functions/core/compliance-export';
import { wiring } from '../../functions/adapters/wiring';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { LOCAL_NAMES } from '../../local/resources';
import { computeMetrics, metricsRecordOfExport, type MetricsReport } from '../../functions/core/metrics';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { slaPolicy } from '../../functions/core/sla-policy';
import { seededRandom, submission } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';
import { staffDirectory } from '../support/staff-directory';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();

let env: Awaited<ReturnType<typeof freshTable>>;
let getMetrics: unknown;
const ids: Record<string, string> = {};

const ana: Actor = { kind: 'agent', id: 'agent-ana' };
const ben: Actor = { kind: 'agent', id: 'agent-ben' };

async function open(name: string, type: 'inquiry' | 'complaint', at: string) {
  const caseId = randomUUID();
  ids[name] = caseId;
  await openCaseFromSubmission({ submission: submission({ type, email: uniqueEmail('metrics') }), channel: 'web' }, { store: env.store, clock: fixedClock(at), newCaseId: () => caseId, random: seededRandom(Object.keys(ids).length), policy: slaPolicy() });
  return caseId;
}

const deps = (at: string) => ({ store: env.store, clock: fixedClock(at), staff: staffDirectory() });

/*
 * Two days of cases, worked through the core's actions on the table (no SLA workflow runs here, so
 * no breach is recorded: a deadline passed unmet on an open case is breached all the same).
 * P  web inquiry, Mon 2 Mar 2026 09:00: claimed by agent-ana and acknowledged +5 min, answered +2 h, resolved +6 h;
 *    its survey answered +32 h: rated 4, solved.
 * Q  web complaint, Mon 2 Mar 10:00: nothing done; still new.
 * R  web inquiry, Tue 3 Mar 08:00: claimed by agent-ben and acknowledged +10 min, answered +1 h; open.
 * S  Wed 4 Mar 00:00:00.000 and T Sun 1 Mar 23:59:59.999: outside the period.
 */
beforeAll(async () => {
  env = await freshTable();
  ({ handler: getMetrics } = await import('../../functions/handlers/get-metrics'));

  const P = await open('P', 'inquiry', '2026-03-02T09:00:00.000Z');
  await claimCase(P, {}, { actor: ana }, deps(iso('2026-03-02T09:00:00.000Z', 4 * MIN)));
  await acknowledgeCase(P, {}, { actor: ana }, deps(iso('2026-03-02T09:00:00.000Z', 5 * MIN)));
  await replyToCustomer(P, { message: 'Your parcel left today.' }, { actor: ana }, deps(iso('2026-03-02T09:00:00.000Z', 2 * HOUR)));
  await resolveCase(P, { summary: 'Parcel sent.' }, { actor: ana }, deps(iso('2026-03-02T09:00:00.000Z', 6 * HOUR)));
  // Its survey goes out a day after the resolution; the customer answers it an hour later (4, solved).
  const contacts = { teamInbox: 'team@example.com', supervisor: 'sup@example.com', manager: 'mgr@example.com' };
  await applySla(P, { store: env.store, clock: fixedClock(iso('2026-03-02T09:00:00.000Z', 31 * HOUR)), contacts });
  const survey = (await env.store.getCase(P))?.survey;
  if (!survey) throw new Error('no survey sent');
  await answerSurvey({ caseId: P, surveyId: survey.surveyId, expiresAt: survey.expiresAt }, { rating: 4, solved: true, comment: 'Fast, thanks.' }, { store: env.store, clock: fixedClock(iso('2026-03-02T09:00:00.000Z', 32 * HOUR)) });

  await open('Q', 'complaint', '2026-03-02T10:00:00.000Z');

  const R = await open('R', 'inquiry', '2026-03-03T08:00:00.000Z');
  await claimCase(R, {}, { actor: ben }, deps(iso('2026-03-03T08:00:00.000Z', 9 * MIN)));
  await acknowledgeCase(R, {}, { actor: ben }, deps(iso('2026-03-03T08:00:00.000Z', 10 * MIN)));
  await replyToCustomer(R, { message: 'We are looking into it.' }, { actor: ben }, deps(iso('2026-03-03T08:00:00.000Z', HOUR)));

  await open('S', 'inquiry', '2026-03-04T00:00:00.000Z');
  await open('T', 'inquiry', '2026-03-01T23:59:59.999Z');
});

const call = (query: Record<string, string>, token: string) =>
  invoke(getMetrics, apiEvent({ method: 'GET', path: '/v1/metrics', query, headers: { authorization: `Bearer ${token}` } }));

const PERIOD = { from: '2026-03-02', to: '2026-03-03' };

describe('GET /v1/metrics (M6.2, C6.2, C7.3)', () => {
  it('gives the figures of the cases received over two days, in total and by day, read from the table', async () => {
    const res = await call({ ...PERIOD, groupBy: 'day' }, await staffToken(['supervisors'], 'metrics-sup'));
    expect(res.status).toBe(200);
    const report = res.body as unknown as MetricsReport;
    expect(report.period).toEqual({ ...PERIOD, days: 2 });
    // P, Q, R; S and T fall outside by a millisecond.
    expect(report.totals).toMatchObject({ cases: 3, byChannel: { web: 3, email: 0, phone: 0, api: 0 }, byType: { inquiry: 2, complaint: 1 } });
    // Acknowledged: P 5 min, R 10 min: p50 rank 1 = 5 min, p90 rank 2 = 10 min. Answered: R 1 h, P 2 h.
    expect(report.totals.acknowledgementTime).toEqual({ count: 2, p50Ms: 5 * MIN, p90Ms: 10 * MIN, maxMs: 10 * MIN });
    expect(report.totals.firstResponseTime).toEqual({ count: 2, p50Ms: HOUR, p90Ms: 2 * HOUR, maxMs: 2 * HOUR });
    // P and R met both milestones; Q, still new long after both deadlines, breached both: 2 / 3.
    expect(report.totals.sla.acknowledgement).toEqual({ met: 2, breached: 1, pending: 0, stopped: 0, attainment: 0.6667 });
    expect(report.totals.sla.initialResponse).toEqual({ met: 2, breached: 1, pending: 0, stopped: 0, attainment: 0.6667 });
    expect(report.totals.breaches).toEqual({ recorded: 0, cases: 1, rate: 0.3333 });
    // P resolved after 6 h, of three.
    expect(report.totals.resolution).toEqual({ resolved: 1, rate: 0.3333, time: { count: 1, p50Ms: 6 * HOUR, p90Ms: 6 * HOUR, maxMs: 6 * HOUR } });
    expect(report.totals.escalation).toMatchObject({ escalated: 0, rate: 0 });
    // P's survey answer alone (M8.1, C7.1).
    expect(report.totals.csat).toEqual({ answers: 1, meanRating: 4, satisfied: 1, solved: 1 });
    expect(report.groups.map((g) => [g.key, g.cases, g.resolution.resolved])).toEqual([
      ['2026-03-02', 2, 1],
      ['2026-03-03', 1, 0],
    ]);
  });

  it('groups by the representative who resolved or holds the case, for the feedback team and auditors too (C7.3)', async () => {
    for (const role of ['feedback', 'auditors']) {
      const res = await call({ ...PERIOD, groupBy: 'agent' }, await staffToken([role], `metrics-${role}`));
      expect(res.status).toBe(200);
      const report = res.body as unknown as MetricsReport;
      expect(report.groups.map((g) => [g.key, g.cases, g.firstResponseTime.maxMs])).toEqual([
        ['agent-ana', 1, 2 * HOUR],
        ['agent-ben', 1, HOUR],
        ['unassigned', 1, null],
      ]);
    }
  });

  it('computes the same figures again from the period’s compliance export, read back from its files, satisfaction included (docs/exports.md; C7.1)', async () => {
    const res = await call({ ...PERIOD, groupBy: 'agent' }, await staffToken(['auditors'], 'metrics-aud'));
    const served = res.body as unknown as MetricsReport;
    const app = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: env.tableName, EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket, EXPORT_SIGNING_KEY_DIR: process.env.EXPORT_SIGNING_KEY_DIR });
    // This test's own corner of the exports bucket: its chain is its alone.
    const prefix = `metrics-${randomUUID().slice(0, 8)}/`;
    const store: ExportStore = {
      put: (k, b, t) => app.exportStore.put(prefix + k, b, t),
      putIfAbsent: (k, b, t) => app.exportStore.putIfAbsent(prefix + k, b, t),
      get: (k) => app.exportStore.get(prefix + k),
      list: async (p) => (await app.exportStore.list(prefix + p)).map((k) => k.slice(prefix.length)),
    };
    // An export files a case under the day of its last change, metrics under the day it was received:
    // the month's export holds every case received in the period, and computeMetrics leaves out the rest.
    const manifest = await runExport({ from: '2026-03-01', to: '2026-03-31' }, 'on-demand', { store, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner }, fixedClock(served.asOf));
    const rowsOf = async (type: 'cases' | 'events') => {
      const rows: Row[] = [];
      for (const f of manifest.files.filter((x) => x.type === type && x.format === 'parquet')) rows.push(...(await app.exportCodec.readParquet(type, (await store.get(f.path))!)));
      return rows;
    };
    const events = await rowsOf('events');
    const records = (await rowsOf('cases')).map((row) => metricsRecordOfExport(row, events.filter((e) => e.caseId === row.caseId)));
    expect(records.map((r) => r.case.caseId).sort()).toEqual(Object.values(ids).sort());
    expect(served.totals.csat.answers).toBe(1);
    expect(computeMetrics(records, PERIOD, 'agent', served.asOf)).toEqual(served);
  });

  it('reads the period’s cases from the status indexes, each once whatever its status, and none a millisecond outside', async () => {
    const reader = new DynamoCasesReceived(env.doc, env.tableName, env.store);
    const found: string[] = [];
    for await (const r of reader.receivedBetween('2026-03-02T00:00:00.000Z', '2026-03-04T00:00:00.000Z')) found.push(r.case.caseId);
    // P resolved, Q new, R in progress: three status partitions; S (received at the upper bound) and T (a millisecond before the lower) left out.
    expect(found.sort()).toEqual([ids.P, ids.Q, ids.R].sort());
  });

  it('turns away a representative with 403: the metrics are for supervisors, the feedback team and auditors', async () => {
    const res = await call(PERIOD, await staffToken(['agents'], 'metrics-agent'));
    expect(res.status).toBe(403);
  });

  it('refuses a period longer than 93 days with a 400 naming `to`', async () => {
    const res = await call({ from: '2026-03-02', to: '2026-06-30' }, await staffToken(['supervisors'], 'metrics-sup'));
    expect(res.status).toBe(400);
    expect(res.body?.issues).toEqual([{ path: 'to', message: 'A period is at most 93 days; from 2026-03-02 to 2026-06-30 is 121' }]);
  });
});
