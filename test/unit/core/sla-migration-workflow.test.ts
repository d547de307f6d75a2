import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import {
  failMigration,
  migrateNextPage,
  migrationExecutionName,
  migrationOf,
  startMigration,
  type MigrationDeps,
  type MigrationRecord,
  type MigrationWorkflows,
} from '../../../functions/core/sla-migration';
import { CURRENT_SLA_POLICY_VERSION, slaPolicy, SlaPolicySchema, type SlaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

/**
 * The migration workflow's rules (M8.3; the ASL only loops): starting records the migration and
 * starts one run; each page step moves a page from the record's cursor and saves progress; a run
 * that failed is recorded and a repeat resumes it from its progress, moving no case twice.
 */
const admin = { kind: 'admin' as const, id: 'admin-1' };
const clock = fixedClock('2026-12-01T10:00:00.000Z');
const builtIn = slaPolicy(CURRENT_SLA_POLICY_VERSION);
const target: SlaPolicy = SlaPolicySchema.parse({ ...builtIn, version: '2027-01', initialResponseHours: 8 });
const caseId = (i: number) => `77777777-7777-4777-8777-${String(i).padStart(12, '0')}`;

class Records {
  readonly saved: MigrationRecord[] = [];
  async getMigration(id: string) {
    return this.saved.filter((r) => r.migrationId === id).at(-1);
  }
  async putMigration(r: MigrationRecord) {
    this.saved.push(r);
  }
}

class Runs implements MigrationWorkflows {
  readonly started: string[] = [];
  /** What StartExecution of a name already used finds: the run still going, or ended. */
  constructor(private readonly existing: 'running' | 'ended' = 'running') {}
  async start(migrationId: string, run: number) {
    const name = migrationExecutionName(migrationId, run);
    if (this.started.includes(name)) return this.existing;
    this.started.push(name);
    return 'started' as const;
  }
}

/** `count` open inquiries under the built-in version, and a queue that pages them by a numeric cursor. */
async function setup(count: number) {
  const store = new InMemoryCaseStore();
  const deps = { store, clock, random: seededRandom(), policy: builtIn };
  const ids = Array.from({ length: count }, (_, i) => caseId(i + 1));
  for (const [i, id] of ids.entries()) await openCaseFromSubmission({ submission: submission({ email: `c${i}@example.com` }), channel: 'web' }, { ...deps, newCaseId: () => id });
  const restarted: string[] = [];
  const migrations = new Records();
  const pageDeps: MigrationDeps = {
    store,
    queues: {
      listQueue: async (_selection, page) => {
        const from = page.cursor ? Number(page.cursor) : 0;
        const items = ids.slice(from, from + page.limit).map((id) => ({ caseId: id })) as never[];
        return from + page.limit < ids.length ? { items, cursor: String(from + page.limit) } : { items };
      },
    },
    versions: { policyOf: async (v) => (v === target.version ? target : builtIn) },
    workflows: { restart: async (id) => void restarted.push(id) },
    migrations,
    clock,
  };
  return { store, ids, restarted, migrations, pageDeps };
}

const input = { reason: 'SOP revision: initial assistance within 8 hours', selection: { type: 'inquiry' as const }, pageSize: 2 };

describe('SLA policy migration workflow steps', () => {
  it('records the migration running and starts one run named after it; a repeat while it runs answers the same record and starts nothing (M8.3)', async () => {
    const { migrations, pageDeps } = await setup(3);
    const runs = new Runs();
    const deps = { versions: pageDeps.versions, migrations, workflows: runs, clock };
    const first = await startMigration(target.version, input, admin, deps);
    expect(first).toMatchObject({ started: true, record: { status: 'running', migrated: 0, pageSize: 2, runs: 1, actor: admin, startedBy: 'admin-1' } });
    expect(runs.started).toEqual([first.record.migrationId]);
    const again = await startMigration(target.version, input, admin, deps);
    expect(again).toEqual({ started: false, record: first.record });
    expect(runs.started).toEqual([first.record.migrationId]);
    expect(await migrationOf(target.version, first.record.migrationId, migrations)).toEqual(first.record);
    await expect(migrationOf(builtIn.version, first.record.migrationId, migrations)).rejects.toThrow(/No SLA policy migration/);
  });

  it('moves one page a step from the record’s cursor, saving the progress after each, until it completes; a repeat answers the completed record and moves nothing (M8.3)', async () => {
    const { store, ids, restarted, migrations, pageDeps } = await setup(5);
    const runs = new Runs();
    const { record } = await startMigration(target.version, input, admin, { versions: pageDeps.versions, migrations, workflows: runs, clock });
    const steps = [];
    for (;;) {
      const step = await migrateNextPage(record.migrationId, pageDeps);
      steps.push([step.more, step.record.migrated, step.record.cursor, step.record.status]);
      if (!step.more) break;
    }
    expect(steps).toEqual([
      [true, 2, '2', 'running'],
      [true, 4, '4', 'running'],
      [false, 5, undefined, 'completed'],
    ]);
    expect(restarted).toEqual(ids);
    for (const id of ids) {
      expect((await store.getCase(id))?.sla.policyVersion).toBe(target.version);
      const events = (await store.getTimeline(id)).filter((e) => e.type === 'sla_policy_migrated');
      expect(events).toEqual([expect.objectContaining({ actor: admin, data: expect.objectContaining({ migrationId: record.migrationId, toVersion: target.version, reason: input.reason }) })]);
    }
    // A step of a completed migration (a retried Task) changes nothing.
    expect(await migrateNextPage(record.migrationId, pageDeps)).toMatchObject({ more: false, record: { status: 'completed', migrated: 5 } });
    const again = await startMigration(target.version, input, admin, { versions: pageDeps.versions, migrations, workflows: runs, clock });
    expect(again).toMatchObject({ started: false, record: { status: 'completed', migrated: 5, alreadyOnVersion: 0 } });
    expect(runs.started).toEqual([record.migrationId]);
    expect(restarted).toEqual(ids);
  });

  it('records a run that failed with why; a repeat resumes it in a new run from its progress, moving no case twice (M8.3)', async () => {
    const { store, ids, restarted, migrations, pageDeps } = await setup(5);
    const runs = new Runs();
    const startDeps = { versions: pageDeps.versions, migrations, workflows: runs, clock };
    const { record } = await startMigration(target.version, input, admin, startDeps);
    await migrateNextPage(record.migrationId, pageDeps);
    // The second page fails half-way: its first case moved, the restart of its second refused.
    const failing: MigrationDeps = {
      ...pageDeps,
      workflows: {
        restart: async (id) => {
          if (id === ids[3]) throw new Error('ThrottlingException');
          restarted.push(id);
        },
      },
    };
    await expect(migrateNextPage(record.migrationId, failing)).rejects.toThrow('ThrottlingException');
    const failed = await failMigration(record.migrationId, 'Error: ThrottlingException', pageDeps);
    expect(failed).toMatchObject({ status: 'failed', failure: 'Error: ThrottlingException', migrated: 2, cursor: '2' });

    const resumed = await startMigration(target.version, input, admin, startDeps);
    expect(resumed).toMatchObject({ started: true, record: { status: 'running', runs: 2, cursor: '2' } });
    expect(resumed.record.failure).toBeUndefined();
    expect(runs.started).toEqual([record.migrationId, `${record.migrationId}-r2`]);
    let step = await migrateNextPage(record.migrationId, pageDeps);
    while (step.more) step = await migrateNextPage(record.migrationId, pageDeps);
    // Cases 3 and 4 were moved before the failure (4's workflow restart failed after its write):
    // skipped now, counted as already on the version, and their SLA workflows replaced (again).
    expect(step.record).toMatchObject({ status: 'completed', migrated: 3, alreadyOnVersion: 2 });
    expect(step.record.resumed).toBeUndefined();
    for (const id of ids) expect((await store.getTimeline(id)).filter((e) => e.type === 'sla_policy_migrated')).toHaveLength(1);
    expect(restarted).toEqual([ids[0], ids[1], ids[2], ids[2], ids[3], ids[4]]);
  });

  it('starts the next run when the running one ended without recording how (stopped by hand) (M8.3)', async () => {
    const { migrations, pageDeps } = await setup(1);
    const runs = new Runs('ended');
    const deps = { versions: pageDeps.versions, migrations, workflows: runs, clock };
    const { record } = await startMigration(target.version, input, admin, deps);
    const again = await startMigration(target.version, input, admin, deps);
    expect(again).toMatchObject({ started: true, record: { status: 'running', runs: 2 } });
    expect(runs.started).toEqual([record.migrationId, `${record.migrationId}-r2`]);
  });

  it('names a run’s execution after its migration, within the 80 characters Step Functions allows', () => {
    expect(migrationExecutionName('2027-01.0123456789abcdef', 1)).toBe('2027-01.0123456789abcdef');
    expect(migrationExecutionName('2027-01.0123456789abcdef', 3)).toBe('2027-01.0123456789abcdef-r3');
    const long = `${'v'.repeat(64)}.0123456789abcdef`;
    expect(migrationExecutionName(long, 12).length).toBeLessThanOrEqual(80);
    expect(migrationExecutionName(long, 1)).toMatch(/^[0-9a-f]{40}$/);
  });
});
