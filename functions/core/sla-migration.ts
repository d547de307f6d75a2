import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import { ActorSchema, CaseTypeSchema, isOpen, PrioritySchema, type Actor, type Case } from './case';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { NotFoundError } from './errors';
import type { CaseStore } from './ports';
import type { CaseQueues } from './queues';
import { computeDeadlines, type SlaDeadlines, type SlaPolicy } from './sla-policy';
import type { SlaPolicyVersions } from './sla-policy-versions';
import type { RestartableSlaWorkflows } from './sla-workflows';
import { requiredText } from './validation';

/** How many open cases one step of the migration workflow reads and moves: the default, and the most. */
export const DEFAULT_MIGRATION_PAGE_SIZE = 50;
export const MAX_MIGRATION_PAGE_SIZE = 100;

/**
 * Moving open cases to another SLA policy version (M8.3): explicit, by an admin, with a reason,
 * on the cases' timelines. Publishing a version never does it (sla-policy-versions.ts).
 */
export const MigrationSelectionSchema = z
  .object({
    /** Only open cases of this type; none: every type. */
    type: CaseTypeSchema.optional(),
    /** Only open cases of this priority; none: every priority. */
    priority: PrioritySchema.optional(),
  })
  .strict();
export type MigrationSelection = z.infer<typeof MigrationSelectionSchema>;

export const MigrationInputSchema = z
  .object({
    reason: requiredText('Reason', 1000),
    /** Which open cases move: all of them (`{}`, the default), or those of a type and/or priority. */
    selection: MigrationSelectionSchema.default({}),
    /** Count the open cases the migration would move, and change nothing (the console's confirmation names the number). */
    dryRun: z.boolean().default(false),
    /** Open cases a workflow step moves (default 50): smaller pages record progress more often. A repeat keeps the first one's. */
    pageSize: z.number().int().min(1).max(MAX_MIGRATION_PAGE_SIZE).optional(),
  })
  .strict();
export type MigrationInput = z.infer<typeof MigrationInputSchema>;

/** A migration's record and progress: one per target version and selection, so a repeat resumes it. */
export const MigrationRecordSchema = z.object({
  migrationId: z.string(),
  toVersion: z.string(),
  selection: MigrationSelectionSchema,
  reason: z.string(),
  startedBy: z.string(),
  /** Who the cases' timelines name (the admin who started it): the workflow's steps run without a request. */
  actor: ActorSchema.optional(),
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** `running` while a workflow execution moves it; `failed` once one stopped (a repeat resumes it); `completed`. */
  status: z.enum(['running', 'completed', 'failed']),
  /** Cases moved to the version by this migration, and open cases it found already on it. */
  migrated: z.number().int().nonnegative(),
  alreadyOnVersion: z.number().int().nonnegative(),
  /** Where the next page of the selection starts in the queue index; none: at its start. */
  cursor: z.string().optional(),
  pageSize: z.number().int().min(1).max(MAX_MIGRATION_PAGE_SIZE).optional(),
  /** The workflow executions this migration has taken (a resumed one is the next run). */
  runs: z.number().int().nonnegative().optional(),
  /** Why the last run failed (the error's name and message, never a case's data). */
  failure: z.string().optional(),
  /** Set by a resumed run until its first page is done: that page may hold cases moved before the failure whose SLA workflow was not replaced. */
  resumed: z.boolean().optional(),
});
export type MigrationRecord = z.infer<typeof MigrationRecordSchema>;

/** Where migration records are kept (the policies' partition of the single table). */
export interface MigrationRecords {
  getMigration(migrationId: string): Promise<MigrationRecord | undefined>;
  putMigration(record: MigrationRecord): Promise<void>;
}

/**
 * The migration workflow (state-machines/sla-migration.asl.json): one execution a run of a
 * migration, named after it (migrationExecutionName). `started`: this call started it; `running`:
 * that run is going on; `ended`: that run has ended (it could not record how, e.g. stopped by hand).
 */
export interface MigrationWorkflows {
  start(migrationId: string, run: number): Promise<'started' | 'running' | 'ended'>;
}

/**
 * The execution of a migration's run: its id (a version id and a hash: letters, digits, `.`, `_`,
 * `-`, as Step Functions allows), `-r<n>` from the second run; hashed when a long version id would
 * pass the 80 characters Step Functions allows.
 */
export function migrationExecutionName(migrationId: string, run: number): string {
  const base = migrationId.length <= 72 ? migrationId : createHash('sha256').update(migrationId).digest('hex').slice(0, 40);
  return run > 1 ? `${base}-r${run}` : base;
}

export interface MigrationDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange' | 'getTimeline'>;
  queues: Pick<CaseQueues, 'listQueue'>;
  versions: Pick<SlaPolicyVersions, 'policyOf'>;
  workflows: Pick<RestartableSlaWorkflows, 'restart'>;
  migrations: MigrationRecords;
  clock: Clock;
}

/** The same target and selection make the same migration: a repeat resumes it instead of starting another. */
export function migrationIdOf(toVersion: string, selection: MigrationSelection): string {
  return `${toVersion}.${createHash('sha256').update(canonicalize(selection)).digest('hex').slice(0, 16)}`;
}

/**
 * A case's deadlines under another policy version, from its own receipt (M3.1, M3.2), on the
 * calendar the new version gives its type and priority. What already happened stays: the
 * milestones warned of and breached (each happens once), and the time it waited for the customer.
 * Which milestones are still pending is the case's own (acknowledged, answered): sla-plan.ts.
 */
export function migratedDeadlines(c: Pick<Case, 'type' | 'priority' | 'receivedAt' | 'sla'>, policy: SlaPolicy): SlaDeadlines {
  const fresh = computeDeadlines(c.type, new Date(c.receivedAt), policy, { priority: c.priority });
  const { pausedMs, pausedSince, warned, breached } = c.sla;
  return {
    ...fresh,
    ...(pausedMs !== undefined ? { pausedMs } : {}),
    ...(pausedSince !== undefined ? { pausedSince } : {}),
    ...(warned !== undefined ? { warned } : {}),
    ...(breached !== undefined ? { breached } : {}),
  };
}

const deadlinesOf = (sla: SlaDeadlines) => ({
  acknowledgementDueAt: sla.acknowledgementDueAt,
  initialResponseDueAt: sla.initialResponseDueAt,
  ...(sla.escalationDueAt !== undefined ? { escalationDueAt: sla.escalationDueAt } : {}),
  ...(sla.calendar !== undefined ? { calendar: sla.calendar } : {}),
});

/** What a migration would do: the open cases selected that are not on the version yet. */
export interface MigrationPreview {
  dryRun: true;
  toVersion: string;
  selection: MigrationSelection;
  wouldMigrate: number;
}

/** A migration's dry run: how many of the selected open cases it would move; nothing changes. */
export async function previewMigration(version: string, selection: MigrationSelection, deps: Pick<MigrationDeps, 'queues' | 'store' | 'versions'>): Promise<MigrationPreview> {
  const toVersion = (await deps.versions.policyOf(version)).version;
  let wouldMigrate = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.queues.listQueue({ queue: 'all', status: 'open', ...selection }, { limit: DEFAULT_MIGRATION_PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    for (const summary of page.items) {
      const c = await deps.store.getCase(summary.caseId);
      if (c && isOpen(c.status) && c.sla.policyVersion !== toVersion) wouldMigrate += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return { dryRun: true, toVersion, selection, wouldMigrate };
}

export interface MigrationStartDeps {
  versions: Pick<SlaPolicyVersions, 'policyOf'>;
  migrations: MigrationRecords;
  workflows: MigrationWorkflows;
  clock: Clock;
}

/** What starting a migration did: `started` a run (a new or a resumed migration), or nothing (running, or completed). */
export interface MigrationStart {
  record: MigrationRecord;
  started: boolean;
}

/**
 * Starts moving the selected open cases to `toVersion` (POST /v1/sla-policies/{version}/migrations):
 * records the migration `running` and starts its workflow, which moves a page at a time
 * (migrateNextPage). The same version and selection make the same migration: while it runs, a
 * repeat answers its record (and starts its run if the request that recorded it died before); once
 * completed, a repeat answers the completed record and changes nothing; once failed, a repeat
 * resumes it from its record's progress in a new run.
 */
export async function startMigration(toVersion: string, input: Pick<MigrationInput, 'reason' | 'selection' | 'pageSize'>, actor: Actor, deps: MigrationStartDeps): Promise<MigrationStart> {
  const policy = await deps.versions.policyOf(toVersion);
  const migrationId = migrationIdOf(policy.version, input.selection);
  const now = deps.clock.now().toISOString();
  const existing = await deps.migrations.getMigration(migrationId);
  if (existing?.status === 'completed') return { record: existing, started: false };
  if (existing?.status === 'running') {
    const run = existing.runs ?? 1;
    const outcome = await deps.workflows.start(migrationId, run);
    if (outcome !== 'ended') return { record: existing, started: outcome === 'started' };
    // Its run ended without recording how (stopped by hand, timed out): the next run resumes it.
    const next = await deps.migrations.getMigration(migrationId);
    if (next?.status !== 'running') return { record: next ?? existing, started: false };
    return resume(next, run + 1, now, deps);
  }
  if (existing?.status === 'failed') return resume(existing, (existing.runs ?? 1) + 1, now, deps);
  const record: MigrationRecord = {
    migrationId,
    toVersion: policy.version,
    selection: input.selection,
    reason: input.reason,
    startedBy: actor.id ?? actor.kind,
    actor,
    startedAt: now,
    updatedAt: now,
    status: 'running',
    migrated: 0,
    alreadyOnVersion: 0,
    pageSize: input.pageSize ?? DEFAULT_MIGRATION_PAGE_SIZE,
    runs: 1,
  };
  await deps.migrations.putMigration(record);
  await deps.workflows.start(migrationId, 1);
  return { record, started: true };
}

/** A new run of a migration that stopped: from its record's cursor, with its counts. */
async function resume(record: MigrationRecord, run: number, now: string, deps: MigrationStartDeps): Promise<MigrationStart> {
  const { failure: _failure, ...rest } = record;
  const next: MigrationRecord = { ...rest, status: 'running', runs: run, resumed: true, updatedAt: now };
  await deps.migrations.putMigration(next);
  const outcome = await deps.workflows.start(next.migrationId, run);
  return { record: next, started: outcome === 'started' };
}

/** One step of the migration workflow: the record after the page, and whether pages are left. */
export interface MigrationPage {
  record: MigrationRecord;
  more: boolean;
}

/**
 * Moves the next page of a running migration's selection (the migration workflow's step): each
 * case in its own transaction with an `sla_policy_migrated` event (who, why, from, to, the
 * deadlines before and after), then its SLA workflow is replaced so that it waits for the new
 * deadlines. The page starts at the record's cursor, and the record is saved after it with the next
 * cursor and the counts: a step retried, or a run resumed, goes on from there. A case already on
 * the version is skipped, so a page moved half-way before a failure moves none twice (its cases
 * moved then count as already on the version). A migration not running is left alone.
 */
export async function migrateNextPage(migrationId: string, deps: MigrationDeps): Promise<MigrationPage> {
  const found = await deps.migrations.getMigration(migrationId);
  if (!found) throw new MigrationNotFoundError(migrationId);
  if (found.status !== 'running') return { record: found, more: false };
  const policy = await deps.versions.policyOf(found.toVersion);
  const actor: Actor = found.actor ?? { kind: 'admin', id: found.startedBy };
  const page = await deps.queues.listQueue(
    { queue: 'all', status: 'open', ...found.selection },
    { limit: found.pageSize ?? DEFAULT_MIGRATION_PAGE_SIZE, ...(found.cursor ? { cursor: found.cursor } : {}) },
  );
  let { migrated, alreadyOnVersion } = found;
  for (const summary of page.items) {
    const moved = await changeCase(deps.store, summary.caseId, (c) => {
      if (!isOpen(c.status) || c.sla.policyVersion === policy.version) return undefined;
      const at = deps.clock.now().toISOString();
      const sla = migratedDeadlines(c, policy);
      return {
        next: { ...c, sla, updatedAt: at },
        drafts: [
          {
            type: 'sla_policy_migrated',
            at,
            actor,
            data: { migrationId, fromVersion: c.sla.policyVersion, toVersion: policy.version, reason: found.reason, before: deadlinesOf(c.sla), after: deadlinesOf(sla) },
          },
        ],
        result: true,
      };
    });
    if (moved) {
      // After the write: the new execution plans from the case on its new version.
      await deps.workflows.restart(summary.caseId);
      migrated += 1;
    } else {
      alreadyOnVersion += 1;
      // The page a failed run stopped in: a case it moved may have failed before its workflow was
      // replaced. Replacing it again is harmless (the new execution plans from the case as it is).
      if (found.resumed && (await movedBy(migrationId, summary.caseId, deps.store))) await deps.workflows.restart(summary.caseId);
    }
  }
  const { cursor: _done, resumed: _resumed, ...rest } = found;
  const record: MigrationRecord = {
    ...rest,
    migrated,
    alreadyOnVersion,
    ...(page.cursor ? { cursor: page.cursor } : {}),
    status: page.cursor ? 'running' : 'completed',
    updatedAt: deps.clock.now().toISOString(),
  };
  await deps.migrations.putMigration(record);
  return { record, more: page.cursor !== undefined };
}

/** Whether this migration moved the case (its timeline has the migration's event). */
async function movedBy(migrationId: string, caseId: string, store: Pick<CaseStore, 'getTimeline'>): Promise<boolean> {
  return (await store.getTimeline(caseId)).some((e) => e.type === 'sla_policy_migrated' && e.data.migrationId === migrationId);
}

/** The workflow's last word on a run that failed (its Catch): the migration `failed`, with why; a repeat resumes it. */
export async function failMigration(migrationId: string, failure: string, deps: Pick<MigrationDeps, 'migrations' | 'clock'>): Promise<MigrationRecord> {
  const found = await deps.migrations.getMigration(migrationId);
  if (!found) throw new MigrationNotFoundError(migrationId);
  if (found.status !== 'running') return found;
  const record: MigrationRecord = { ...found, status: 'failed', failure: failure.slice(0, 500), updatedAt: deps.clock.now().toISOString() };
  await deps.migrations.putMigration(record);
  return record;
}

/** No record of that migration (a 404 through the API). */
export class MigrationNotFoundError extends NotFoundError {
  constructor(migrationId: string) {
    super(`No SLA policy migration ${migrationId}: start it with POST /v1/sla-policies/{version}/migrations`);
  }
}

/** A migration's record by its id, under the version it migrates to (GET /v1/sla-policies/{version}/migrations/{migrationId}). */
export async function migrationOf(version: string, migrationId: string, migrations: Pick<MigrationRecords, 'getMigration'>): Promise<MigrationRecord> {
  const record = await migrations.getMigration(migrationId);
  if (!record || record.toVersion !== version) throw new MigrationNotFoundError(migrationId);
  return record;
}
