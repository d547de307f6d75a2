import { randomUUID } from 'node:crypto';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { SfnSlaWorkflows } from '../../functions/adapters/sfn-sla-workflows';
import { systemClock } from '../../functions/adapters/system-clock';
import { wiring } from '../../functions/adapters/wiring';
import type { Case } from '../../functions/core/case';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { CURRENT_SLA_POLICY_VERSION, slaPolicy, SlaPolicySchema } from '../../functions/core/sla-policy';
import { publishSlaPolicy } from '../../functions/core/sla-policy-versions';
import { prepareBackground } from '../../local/background';
import { submission } from '../support/fixtures';
import { apiEvent, eventually, freshTable, invoke, staffToken, uniqueEmail } from '../support/stand-ins';

/**
 * SLA policy migrations by workflow (M8.3), through the API handlers, against DynamoDB Local and
 * the local Step Functions runner running state-machines/sla-migration.asl.json: the POST starts
 * the migration's run, the GET answers its progress, every selected case moves once.
 */
const HOUR = 3_600_000;

let background: Awaited<ReturnType<typeof prepareBackground>>;
let app: ReturnType<typeof wiring>;
let migrate: unknown;
let getMigration: unknown;
let token: string;

beforeAll(async () => {
  const env = await freshTable();
  background = await prepareBackground({ dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, pollIntervalMs: 50 });
  await background.start();
  app = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: env.tableName, SFN_ENDPOINT: background.sfnEndpoint, SLA_STATE_MACHINE_ARN: background.slaStateMachineArn });
  // The handlers read their configuration when loaded: after the table and the local runner exist.
  migrate = ((await import('../../functions/handlers/migrate-sla-policy')) as { handler: unknown }).handler;
  getMigration = ((await import('../../functions/handlers/get-sla-migration')) as { handler: unknown }).handler;
  token = await staffToken(['admins'], 'admin-mig');
}, 90_000);

afterAll(async () => {
  jest.restoreAllMocks();
  await background.stop();
});

const admin = { kind: 'admin' as const, id: 'admin-mig' };

/** `count` open cases of a type under the current version, each with its SLA workflow running. */
async function openCases(count: number, type: 'inquiry' | 'complaint'): Promise<Case[]> {
  const policy = await app.slaPolicies.current();
  const deps = { store: app.cases, clock: systemClock, newCaseId, random: cryptoRandom, policy, acknowledgements: { automatic: false, limitPerHour: 3 } };
  const cases: Case[] = [];
  for (let i = 0; i < count; i += 1) cases.push((await openCaseFromSubmission({ submission: submission({ type, email: uniqueEmail(type) }), channel: 'web' }, deps)).case);
  const names = new Set(cases.map((c) => `case-${c.caseId}`));
  await eventually(() => (background.sfn.listExecutions().filter((e) => names.has(e.name) && e.status === 'RUNNING').length === count ? true : undefined), 60_000, 'SLA workflows started', 200);
  await background.sfn.idle();
  return cases;
}

async function publish(hours: number) {
  const version = `it-${randomUUID().slice(0, 8)}`;
  await publishSlaPolicy(SlaPolicySchema.parse({ ...slaPolicy(CURRENT_SLA_POLICY_VERSION), version, initialResponseHours: hours }), admin, { versions: app.slaPolicies, clock: systemClock });
  return version;
}

const post = async (version: string, body: unknown) =>
  invoke(migrate, apiEvent({ method: 'POST', path: `/v1/sla-policies/${version}/migrations`, routePath: '/v1/sla-policies/{version}/migrations', pathParameters: { version }, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }));

const get = async (location: string) => {
  const [, , , version = '', , migrationId = ''] = location.split('/');
  return invoke(getMigration, apiEvent({ method: 'GET', path: location, routePath: '/v1/sla-policies/{version}/migrations/{migrationId}', pathParameters: { version, migrationId }, headers: { authorization: `Bearer ${token}` } }));
};

type Record = { migrationId: string; status: string; migrated: number; alreadyOnVersion: number; failure?: string; runs?: number };
/** Polls the migration as the console does until it is no longer running. */
const settled = async (location: string) =>
  eventually(async () => {
    const answer = await get(location);
    expect(answer.status).toBe(200);
    const record = answer.body?.migration as Record;
    return record.status === 'running' ? undefined : record;
  }, 120_000, 'migration settled', 200);

const migratedEvents = async (caseId: string) => (await app.cases.getTimeline(caseId)).filter((e) => e.type === 'sla_policy_migrated');

describe('SLA policy migration workflow', () => {
  it('moves 120 open cases a page at a time through the workflow, each once with its event and new deadlines, while the GET reports progress; a second POST answers the completed record and changes nothing (M8.3, M3.1)', async () => {
    const cases = await openCases(120, 'inquiry');
    const version = await publish(4);
    const input = { reason: 'Initial assistance within 4 hours (SOP revision)', selection: { type: 'inquiry' }, pageSize: 25 };

    const started = await post(version, input);
    expect(started.status).toBe(202);
    const location = started.headers.location ?? '';
    expect(location).toBe(`/v1/sla-policies/${version}/migrations/${(started.body?.migration as Record).migrationId}`);
    expect(started.body?.migration).toMatchObject({ status: 'running', toVersion: version, startedBy: 'admin-mig' });

    const done = await settled(location);
    expect(done).toMatchObject({ status: 'completed', migrated: 120, alreadyOnVersion: 0, runs: 1 });
    // One run, named after the migration, that went through the pages and succeeded.
    expect(background.sfn.listExecutions().filter((e) => e.name.startsWith(done.migrationId)).map((e) => [e.name, e.status])).toEqual([[done.migrationId, 'SUCCEEDED']]);
    for (const before of cases) {
      const after = await app.cases.getCase(before.caseId);
      expect(after?.sla.policyVersion).toBe(version);
      expect(Date.parse(after?.sla.initialResponseDueAt ?? '') - Date.parse(before.receivedAt)).toBeLessThanOrEqual(4 * HOUR);
      const events = await migratedEvents(before.caseId);
      expect(events).toEqual([expect.objectContaining({ actor: admin, data: expect.objectContaining({ migrationId: done.migrationId, toVersion: version, after: expect.objectContaining({ initialResponseDueAt: after?.sla.initialResponseDueAt }) }) })]);
    }

    const again = await post(version, input);
    expect(again.status).toBe(200);
    expect(again.body?.migration).toEqual((await get(location)).body?.migration);
    expect(again.body?.migration).toMatchObject({ status: 'completed', migrated: 120 });
    expect(background.sfn.listExecutions().filter((e) => e.name.startsWith(done.migrationId))).toHaveLength(1);
    for (const c of cases.slice(0, 10)) expect(await migratedEvents(c.caseId)).toHaveLength(1);
  }, 240_000);

  it('records a run that fails mid-way as failed with why; POSTing again resumes it from its progress and moves every case once (M8.3)', async () => {
    const cases = await openCases(30, 'complaint');
    const version = await publish(6);
    const input = { reason: 'Complaints: initial assistance within 6 hours', selection: { type: 'complaint' }, pageSize: 10 };
    // Step Functions throttling the replacement of one case's SLA workflow (the local runner never
    // throttles): the page step fails; the Task retries Lambda's own errors only, so the run fails.
    const throttled = cases[14]?.caseId ?? '';
    const realRestart = SfnSlaWorkflows.prototype.restart;
    const restart = jest.spyOn(SfnSlaWorkflows.prototype, 'restart').mockImplementation(async function (this: SfnSlaWorkflows, caseId: string) {
      if (caseId === throttled) throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
      return realRestart.call(this, caseId);
    });

    const started = await post(version, input);
    expect(started.status).toBe(202);
    const location = started.headers.location ?? '';
    const failed = await settled(location);
    expect(failed).toMatchObject({ status: 'failed', runs: 1 });
    expect(failed.failure).toMatch(/ThrottlingException|Rate exceeded/);
    expect(failed.migrated).toBeLessThan(30);
    restart.mockRestore();

    const resumed = await post(version, input);
    expect(resumed.status).toBe(202);
    expect(resumed.body?.migration).toMatchObject({ status: 'running', runs: 2, migrated: failed.migrated });
    const done = await settled(location);
    expect(done).toMatchObject({ status: 'completed', runs: 2 });
    expect(done.migrated + done.alreadyOnVersion).toBe(30);
    expect(background.sfn.listExecutions().filter((e) => e.name.startsWith(done.migrationId)).map((e) => [e.name, e.status])).toEqual([
      [done.migrationId, 'FAILED'],
      [`${done.migrationId}-r2`, 'SUCCEEDED'],
    ]);
    for (const c of cases) {
      expect((await app.cases.getCase(c.caseId))?.sla.policyVersion).toBe(version);
      expect(await migratedEvents(c.caseId)).toHaveLength(1);
    }
    // The case moved before its workflow's replacement failed got a workflow on the new deadlines when resumed.
    await background.sfn.idle();
    const runsOfThrottled = background.sfn.listExecutions().filter((e) => e.name === `case-${throttled}` || e.name.startsWith(`case-${throttled}-r`));
    expect(runsOfThrottled.filter((e) => e.status === 'RUNNING').map((e) => e.name)).toEqual([`case-${throttled}-r2`]);
  }, 240_000);
});
