import { randomUUID } from 'node:crypto';
import { AwsEndpointsSchema, readConfig } from '../../functions/adapters/config';
import { cryptoRandom, newCaseId } from '../../functions/adapters/ids';
import { systemClock } from '../../functions/adapters/system-clock';
import { wiring } from '../../functions/adapters/wiring';
import type { CaseEvent } from '../../functions/core/case-event';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import { startMigration, type MigrationInput } from '../../functions/core/sla-migration';
import { CURRENT_SLA_POLICY_VERSION, slaPolicy, SlaPolicySchema } from '../../functions/core/sla-policy';
import { listSlaPolicies, publishSlaPolicy } from '../../functions/core/sla-policy-versions';
import { prepareBackground } from '../../local/background';
import { submission } from '../support/fixtures';
import { eventually, freshTable, uniqueEmail } from '../support/stand-ins';

/**
 * SLA policies as data (M8.3) against DynamoDB Local and the local SLA workflow on the
 * controllable clock: publishing a version never touches an open case; a migration moves exactly
 * the cases selected, on their timelines, and their workflows follow the new deadlines.
 */
const MIN = 60_000;
const HOUR = 60 * MIN;

let env: Awaited<ReturnType<typeof freshTable>>;
let background: Awaited<ReturnType<typeof prepareBackground>>;
let running: Awaited<ReturnType<Awaited<ReturnType<typeof prepareBackground>>['start']>>;
let app: ReturnType<typeof wiring>;

beforeAll(async () => {
  env = await freshTable();
  background = await prepareBackground({ dynamodbEndpoint: process.env.DYNAMODB_ENDPOINT ?? '', tableName: env.tableName, pollIntervalMs: 50 });
  running = await background.start();
  app = wiring({ ...readConfig(AwsEndpointsSchema), TABLE_NAME: env.tableName, SFN_ENDPOINT: background.sfnEndpoint, SLA_STATE_MACHINE_ARN: background.slaStateMachineArn, SLA_MIGRATION_STATE_MACHINE_ARN: background.slaMigrationStateMachineArn });
}, 90_000);

afterAll(() => background.stop());

const admin = { kind: 'admin' as const, id: 'admin-1' };

/** Opens a case under the current version as intake does, and waits until its workflow is parked in a Wait. */
async function opened(type: 'inquiry' | 'complaint') {
  const policy = await app.slaPolicies.current();
  const deps = { store: app.cases, clock: systemClock, newCaseId, random: cryptoRandom, policy, acknowledgements: { automatic: true, limitPerHour: 3 } };
  const { case: c } = await openCaseFromSubmission({ submission: submission({ type, email: uniqueEmail(type) }), channel: 'web' }, deps);
  await eventually(() => (background.sfn.listExecutions().some((e) => e.name === `case-${c.caseId}` && e.status === 'RUNNING') ? true : undefined), 10_000, 'workflow started');
  await eventually(async () => ((await app.cases.getCase(c.caseId))?.acknowledgedAt ? true : undefined), 10_000, 'acknowledged');
  await background.sfn.idle();
  return (await app.cases.getCase(c.caseId))!;
}

const eventsOf = async (caseId: string, type: CaseEvent['type']) => (await app.cases.getTimeline(caseId)).filter((e) => e.type === type);
const executions = (caseId: string) => background.sfn.listExecutions().filter((e) => e.name === `case-${caseId}` || e.name.startsWith(`case-${caseId}-r`)).map((e) => [e.name, e.status]);

/** A migration as the API starts it: recorded, its workflow run on the local runner until the record says completed. */
async function migrate(version: string, input: Pick<MigrationInput, 'reason' | 'selection'>) {
  const { record } = await startMigration(version, input, admin, { versions: app.slaPolicies, migrations: app.slaMigrations, workflows: app.slaMigrationWorkflows, clock: systemClock });
  return eventually(async () => {
    const now = await app.slaMigrations.getMigration(record.migrationId);
    return now?.status === 'running' ? undefined : now;
  }, 30_000, 'migration settled');
}

/** A stricter version: initial assistance within `hours` instead of 24. */
const stricter = (version: string, hours: number) => SlaPolicySchema.parse({ ...slaPolicy(CURRENT_SLA_POLICY_VERSION), version, initialResponseHours: hours });

describe('SLA policy versions', () => {
  it('publishing a new version changes no open case: its deadlines, its version, its timeline and its SLA workflow stay; cases opened after it take it (M8.3, M3.1)', async () => {
    const before = await opened('inquiry');
    const timelineBefore = await app.cases.getTimeline(before.caseId);
    const version = `it-${randomUUID().slice(0, 8)}`;

    const published = await publishSlaPolicy(stricter(version, 4), admin, { versions: app.slaPolicies, clock: systemClock });
    expect(published.created).toBe(true);

    const after = await app.cases.getCase(before.caseId);
    expect(after?.sla).toEqual(before.sla);
    expect(after?.version).toBe(before.version);
    expect(await app.cases.getTimeline(before.caseId)).toEqual(timelineBefore);
    expect(executions(before.caseId)).toEqual([[`case-${before.caseId}`, 'RUNNING']]);
    // Its 24-hour window still runs: nothing at the new version's 4 hours.
    await running.advance(5 * HOUR);
    expect(await eventsOf(before.caseId, 'sla_warning')).toEqual([]);
    expect(await eventsOf(before.caseId, 'sla_breached')).toEqual([]);

    const later = await opened('inquiry');
    expect(later.sla.policyVersion).toBe(version);
    expect(Date.parse(later.sla.initialResponseDueAt) - Date.parse(later.receivedAt)).toBeLessThanOrEqual(4 * HOUR);
    expect((await listSlaPolicies(app.slaPolicies)).currentPolicyVersion).toBe(version);
  });

  it('a migration moves exactly the selected open cases, records each on its timeline, and their SLA workflows follow the new deadline on the clock; a repeat moves nothing again (M8.3, M3.1)', async () => {
    const inquiry = await opened('inquiry');
    const complaint = await opened('complaint');
    const version = `it-${randomUUID().slice(0, 8)}`;
    await publishSlaPolicy(stricter(version, 2), admin, { versions: app.slaPolicies, clock: systemClock });
    // Cases of earlier tests in this file are open inquiries too: each is moved, none twice.
    const input = { reason: 'Initial assistance within 4 hours from this month (SOP revision)', selection: { type: 'inquiry' as const } };

    const record = await migrate(version, input);
    expect(record).toMatchObject({ toVersion: version, status: 'completed', startedBy: 'admin-1' });
    expect(record.migrated).toBeGreaterThanOrEqual(1);

    const moved = await app.cases.getCase(inquiry.caseId);
    expect(moved?.sla).toMatchObject({ policyVersion: version, acknowledgementDueAt: inquiry.sla.acknowledgementDueAt });
    const newDue = moved?.sla.initialResponseDueAt ?? '';
    expect(Date.parse(newDue) - Date.parse(inquiry.receivedAt)).toBe(2 * HOUR - (Date.parse(inquiry.receivedAt) % 1000));
    const [event] = await eventsOf(inquiry.caseId, 'sla_policy_migrated');
    expect(event).toMatchObject({
      actor: admin,
      data: {
        migrationId: record.migrationId,
        fromVersion: inquiry.sla.policyVersion,
        toVersion: version,
        reason: input.reason,
        before: { initialResponseDueAt: inquiry.sla.initialResponseDueAt },
        after: { initialResponseDueAt: newDue },
      },
    });
    // Not selected: the complaint keeps its version, deadlines and workflow.
    expect((await app.cases.getCase(complaint.caseId))?.sla).toEqual(complaint.sla);
    expect(await eventsOf(complaint.caseId, 'sla_policy_migrated')).toEqual([]);
    expect(executions(complaint.caseId)).toEqual([[`case-${complaint.caseId}`, 'RUNNING']]);
    // The moved case's workflow was replaced by one that waits for the new deadline.
    expect(executions(inquiry.caseId)).toEqual([
      [`case-${inquiry.caseId}`, 'ABORTED'],
      [`case-${inquiry.caseId}-r2`, 'RUNNING'],
    ]);

    await background.sfn.idle();
    // 75% of the new 2-hour window: the warning; then the breach at the new deadline, not the old one.
    await running.advance(90 * MIN + MIN);
    expect((await eventsOf(inquiry.caseId, 'sla_warning')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'initial_response', dueAt: newDue })]);
    await running.advance(30 * MIN);
    expect((await eventsOf(inquiry.caseId, 'sla_breached')).map((e) => e.data)).toEqual([expect.objectContaining({ milestone: 'initial_response', dueAt: newDue })]);
    // The complaint runs on the version it was opened under (the first test's 4 hours): nothing yet.
    expect(await eventsOf(complaint.caseId, 'sla_breached')).toEqual([]);

    const again = await migrate(version, input);
    expect(again).toEqual(record);
    expect(await eventsOf(inquiry.caseId, 'sla_policy_migrated')).toHaveLength(1);
  }, 60_000);
});
