import { BusinessCalendarSchema } from '../../../functions/core/business-calendar';
import { summarize, type Case } from '../../../functions/core/case';
import { fixedClock } from '../../../functions/core/clock';
import { InvalidInputError } from '../../../functions/core/errors';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { migratedDeadlines, migrateNextPage, previewMigration, startMigration, type MigrationDeps, type MigrationInput, type MigrationRecord } from '../../../functions/core/sla-migration';
import { CURRENT_SLA_POLICY_VERSION, slaPolicy, SlaPolicySchema, type SlaPolicy } from '../../../functions/core/sla-policy';
import { listSlaPolicies, PolicyVersionConflictError, publishSlaPolicy, type PublishedSlaPolicy, type SlaPolicyVersions } from '../../../functions/core/sla-policy-versions';
import { parseInput } from '../../../functions/core/validation';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

const HOUR = 3_600_000;
const admin = { kind: 'admin' as const, id: 'admin-1' };
const clock = fixedClock('2026-12-01T10:00:00.000Z');
const builtIn = slaPolicy(CURRENT_SLA_POLICY_VERSION);

/** The policy store as the table keeps it: versions written once, the last published current. */
class InMemoryPolicyVersions implements SlaPolicyVersions {
  readonly published: PublishedSlaPolicy[] = [];
  async policyOf(version: string): Promise<SlaPolicy> {
    const found = this.published.find((p) => p.policy.version === version)?.policy ?? (version === builtIn.version ? builtIn : undefined);
    if (!found) throw new Error(`no version ${version}`);
    return found;
  }
  async current() {
    return this.published.at(-1)?.policy ?? builtIn;
  }
  async list() {
    return { currentVersion: this.published.at(-1)?.policy.version, published: this.published };
  }
  async publish(version: PublishedSlaPolicy) {
    if (this.published.some((p) => p.policy.version === version.policy.version)) return false;
    this.published.push(version);
    return true;
  }
}

/** A migration as its workflow runs it: started, then one page step after another until none is left. */
async function migrateAll(version: string, input: Pick<MigrationInput, 'reason' | 'selection'>, deps: MigrationDeps): Promise<MigrationRecord> {
  const { record, started } = await startMigration(version, input, admin, { ...deps, workflows: { start: async () => 'started' } });
  if (!started) return record;
  let step = await migrateNextPage(record.migrationId, deps);
  while (step.more) step = await migrateNextPage(record.migrationId, deps);
  return step.record;
}

const body = (overrides: Record<string, unknown> = {}) => ({ ...builtIn, version: '2027-01', initialResponseHours: 8, ...overrides });
const issuesOf = (value: unknown) => {
  try {
    parseInput(SlaPolicySchema, value);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues.map((i) => i.path);
  }
  return [];
};

const workday = [{ from: '09:00', to: '17:00' }];
const office = BusinessCalendarSchema.parse({ timeZone: 'Europe/Amsterdam', week: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday } });

describe('publishing SLA policy versions', () => {
  it('refuses a version whose windows are not positive or whose calendar rules name a calendar it lacks, naming the field (M8.3, M3.1)', () => {
    expect(issuesOf(body({ acknowledgementMinutes: 0 }))).toEqual(['acknowledgementMinutes']);
    expect(issuesOf(body({ initialResponseHours: -1 }))).toEqual(['initialResponseHours']);
    expect(issuesOf(body({ warningRatio: 1 }))).toEqual(['warningRatio']);
    expect(issuesOf(body({ calendarRules: { default: 'office' } }))).toEqual(['calendarRules']);
    expect(issuesOf(body({ calendars: { office }, calendarRules: { default: 'office' } }))).toEqual([]);
  });

  it('refuses a version id that cannot be a key or a path segment, naming `version` (M8.3)', async () => {
    const versions = new InMemoryPolicyVersions();
    await expect(publishSlaPolicy(SlaPolicySchema.parse(body({ version: 'next/year' })), admin, { versions, clock })).rejects.toMatchObject({ issues: [{ path: 'version' }] });
    expect(versions.published).toEqual([]);
  });

  it('publishes a version as the current one; the same body again answers it unchanged, another body under its id is a conflict (M8.3)', async () => {
    const versions = new InMemoryPolicyVersions();
    const policy = SlaPolicySchema.parse(body());
    expect(await publishSlaPolicy(policy, admin, { versions, clock })).toEqual({ created: true, policy });
    expect(await publishSlaPolicy(SlaPolicySchema.parse(body()), admin, { versions, clock })).toEqual({ created: false, policy });
    await expect(publishSlaPolicy(SlaPolicySchema.parse(body({ initialResponseHours: 12 })), admin, { versions, clock })).rejects.toBeInstanceOf(PolicyVersionConflictError);
    expect(versions.published).toHaveLength(1);
    const listed = await listSlaPolicies(versions);
    expect(listed.currentPolicyVersion).toBe('2027-01');
    expect(listed.policies.map((p) => [p.policy.version, p.current, p.publishedBy])).toEqual([
      [builtIn.version, false, undefined],
      ['2027-01', true, 'admin-1'],
    ]);
  });

  it('never changes a built-in version: its id with another body is a conflict (M8.3)', async () => {
    const versions = new InMemoryPolicyVersions();
    await expect(publishSlaPolicy(SlaPolicySchema.parse({ ...builtIn, initialResponseHours: 12 }), admin, { versions, clock })).rejects.toBeInstanceOf(PolicyVersionConflictError);
    expect(await publishSlaPolicy(builtIn, admin, { versions, clock })).toEqual({ created: false, policy: builtIn });
  });
});

describe('recomputing deadlines under another version', () => {
  async function openedAt(receivedAt: string, type: 'inquiry' | 'complaint' = 'inquiry'): Promise<Case> {
    const { case: c } = await openCaseFromSubmission(
      { submission: submission({ type }), channel: 'web' },
      { store: new InMemoryCaseStore(), clock: fixedClock(receivedAt), newCaseId: () => '55555555-5555-4555-8555-555555555555', random: seededRandom(), policy: builtIn },
    );
    return c;
  }

  it('recomputes a round-the-clock case from its receipt on the business-hours calendar the new version gives it, keeping what already happened (M8.3, M3.1)', async () => {
    const c = await openedAt('2026-03-06T16:00:00.000Z'); // Friday 17:00 CET: office hours are over
    const withHistory = { ...c, sla: { ...c.sla, warned: ['acknowledgement' as const], pausedMs: 60_000 } };
    const onOffice = SlaPolicySchema.parse({ ...builtIn, version: '2027-office', calendars: { office }, calendarRules: { default: 'office' } });
    expect(migratedDeadlines(withHistory, onOffice)).toEqual({
      policyVersion: '2027-office',
      calendar: 'office',
      acknowledgementDueAt: '2026-03-09T08:15:00.000Z', // Monday 09:15 CET
      initialResponseDueAt: '2026-03-11T16:00:00.000Z', // 24 business hours: Monday, Tuesday, Wednesday 09:00-17:00 CET
      warned: ['acknowledgement'],
      pausedMs: 60_000,
    });
  });

  it('gives a complaint its escalation deadline under the new version too (M8.3, M3.2)', async () => {
    const c = await openedAt('2026-03-02T10:00:00.000Z', 'complaint');
    const faster = SlaPolicySchema.parse({ ...builtIn, version: '2027-fast', initialResponseHours: 4, complaintEscalationHours: 12 });
    expect(migratedDeadlines(c, faster)).toMatchObject({
      policyVersion: '2027-fast',
      initialResponseDueAt: new Date(Date.parse(c.receivedAt) + 4 * HOUR).toISOString(),
      escalationDueAt: new Date(Date.parse(c.receivedAt) + 12 * HOUR).toISOString(),
    });
  });

  it('moves the open cases the queue selects, skips those on the version, records progress and restarts each moved workflow (M8.3)', async () => {
    const store = new InMemoryCaseStore();
    const deps = { store, clock: fixedClock('2026-03-02T10:00:00.000Z'), random: seededRandom(), policy: builtIn };
    const ids = ['66666666-6666-4666-8666-666666666661', '66666666-6666-4666-8666-666666666662'];
    for (const id of ids) await openCaseFromSubmission({ submission: submission({ email: `${id.slice(-1)}@example.com` }), channel: 'web' }, { ...deps, newCaseId: () => id });
    const versions = new InMemoryPolicyVersions();
    await publishSlaPolicy(SlaPolicySchema.parse(body()), admin, { versions, clock });
    const restarted: string[] = [];
    const saved: MigrationRecord[] = [];
    const selections: unknown[] = [];
    const migrationDeps = {
      store,
      queues: { listQueue: async (selection: unknown) => (selections.push(selection), { items: ids.map((caseId) => ({ caseId })) as never[] }) },
      versions,
      workflows: { restart: async (caseId: string) => void restarted.push(caseId) },
      migrations: { getMigration: async () => saved.at(-1), putMigration: async (r: MigrationRecord) => void saved.push(r) },
      clock,
    } satisfies MigrationDeps;
    const input = { reason: 'SOP revision', selection: { type: 'inquiry' as const } };
    // The dry run the console confirms with counts the cases and changes none.
    expect(await previewMigration('2027-01', input.selection, migrationDeps)).toMatchObject({ dryRun: true, wouldMigrate: 2 });
    expect(restarted).toEqual([]);
    expect((await store.getCase(ids[0] ?? ''))?.sla.policyVersion).toBe(builtIn.version);
    const record = await migrateAll('2027-01', input, migrationDeps);
    expect(record).toMatchObject({ toVersion: '2027-01', migrated: 2, alreadyOnVersion: 0, status: 'completed', startedBy: 'admin-1' });
    // The dry run and the migration read the same queue: the open inquiries.
    expect(selections).toEqual([{ queue: 'all', status: 'open', type: 'inquiry' }, { queue: 'all', status: 'open', type: 'inquiry' }]);
    expect(restarted).toEqual(ids);
    expect((await store.getCase(ids[0] ?? ''))?.sla.policyVersion).toBe('2027-01');

    // A repeat answers the completed migration and moves nothing.
    const again = await migrateAll('2027-01', input, migrationDeps);
    expect(again).toEqual(record);
    expect(restarted).toEqual(ids);
    expect((await store.getTimeline(ids[0] ?? '')).filter((e) => e.type === 'sla_policy_migrated')).toHaveLength(1);
    expect(await previewMigration('2027-01', input.selection, migrationDeps)).toMatchObject({ wouldMigrate: 0 });
  });

  it('summarizes a closed case for the queues without its policy version, which a function that never read it need not know (M8.3)', async () => {
    const c = await openedAt('2026-03-02T10:00:00.000Z');
    const elsewhere = { ...c, sla: { ...c.sla, policyVersion: 'published-elsewhere' } };
    expect(summarize({ ...elsewhere, status: 'closed', closedAt: '2026-03-03T10:00:00.000Z' })).not.toHaveProperty('nextDue');
    // An open case needs its version: it is read before the case is handed out (the case store).
    expect(() => summarize(elsewhere)).toThrow('Unknown SLA policy version published-elsewhere');
  });
});
