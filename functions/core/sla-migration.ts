import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import { CaseTypeSchema, isOpen, PrioritySchema, type Actor, type Case } from './case';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import type { CaseStore } from './ports';
import type { CaseQueues } from './queues';
import { computeDeadlines, type SlaDeadlines, type SlaPolicy } from './sla-policy';
import type { SlaPolicyVersions } from './sla-policy-versions';
import type { RestartableSlaWorkflows } from './sla-workflows';
import { requiredText } from './validation';

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
  startedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  status: z.enum(['running', 'completed']),
  /** Cases moved to the version by this migration, and open cases it found already on it. */
  migrated: z.number().int().nonnegative(),
  alreadyOnVersion: z.number().int().nonnegative(),
});
export type MigrationRecord = z.infer<typeof MigrationRecordSchema>;

/** Where migration records are kept (the policies' partition of the single table). */
export interface MigrationRecords {
  getMigration(migrationId: string): Promise<MigrationRecord | undefined>;
  putMigration(record: MigrationRecord): Promise<void>;
}

export interface MigrationDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange'>;
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
    const page = await deps.queues.listQueue({ queue: 'all', status: 'open', ...selection }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
    for (const summary of page.items) {
      const c = await deps.store.getCase(summary.caseId);
      if (c && isOpen(c.status) && c.sla.policyVersion !== toVersion) wouldMigrate += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return { dryRun: true, toVersion, selection, wouldMigrate };
}

/** Open cases read a page at a time from the queue index; the migration's record is saved after each page. */
const PAGE = 50;

/**
 * Moves the selected open cases to `toVersion` (POST /v1/sla-policies/{version}/migrations): each
 * case in its own transaction with an `sla_policy_migrated` event (who, why, from, to, the
 * deadlines before and after), then its SLA workflow is replaced so that it waits for the new
 * deadlines. Idempotent and resumable: a case already on the version is skipped, and a repeat of
 * the same migration continues its record. Runs in the request: docs/sla-policies.md says what
 * happens at scale.
 */
export async function migrateOpenCases(toVersion: string, input: Pick<MigrationInput, 'reason' | 'selection'>, actor: Actor, deps: MigrationDeps): Promise<MigrationRecord> {
  const policy = await deps.versions.policyOf(toVersion);
  const migrationId = migrationIdOf(policy.version, input.selection);
  const now = () => deps.clock.now().toISOString();
  let record: MigrationRecord = (await deps.migrations.getMigration(migrationId)) ?? {
    migrationId,
    toVersion: policy.version,
    selection: input.selection,
    reason: input.reason,
    startedBy: actor.id ?? actor.kind,
    startedAt: now(),
    updatedAt: now(),
    status: 'running',
    migrated: 0,
    alreadyOnVersion: 0,
  };
  // A repeat of a completed migration looks again: cases opened since under an older version move too.
  record = { ...record, status: 'running', alreadyOnVersion: 0 };
  let cursor: string | undefined;
  do {
    const page = await deps.queues.listQueue({ queue: 'all', status: 'open', ...input.selection }, { limit: PAGE, ...(cursor ? { cursor } : {}) });
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
              data: { migrationId, fromVersion: c.sla.policyVersion, toVersion: policy.version, reason: input.reason, before: deadlinesOf(c.sla), after: deadlinesOf(sla) },
            },
          ],
          result: true,
        };
      });
      if (moved) {
        // After the write: the new execution plans from the case on its new version.
        await deps.workflows.restart(summary.caseId);
        record.migrated += 1;
      } else {
        record.alreadyOnVersion += 1;
      }
    }
    cursor = page.cursor;
    record = { ...record, updatedAt: now() };
    await deps.migrations.putMigration(record);
  } while (cursor);
  record = { ...record, status: 'completed', updatedAt: now() };
  await deps.migrations.putMigration(record);
  return record;
}
