import { canonicalize } from './canonical-json';
import { chainEvents } from './audit-chain';
import type { Case } from './case';
import type { EventDraft } from './case-event';
import { UNAUDITED_FIELDS } from './case-state';
import { ConcurrentUpdateError, DomainError } from './errors';
import type { CaseChange, CaseStore } from './ports';

/** What a use case wants to do to the case it read: the new state, its timeline drafts, the rest of the write. */
export interface PlannedChange<R> {
  next: Case;
  drafts: EventDraft[];
  /** Everything else written in the same transaction (outbox, escalations, inbound record…). */
  with?: Omit<CaseChange, 'expectedVersion' | 'case' | 'events'>;
  result: R;
}

export const MAX_CHANGE_ATTEMPTS = 5;

export interface ChangeOptions {
  /**
   * The version the caller saw (a staff client's `If-Match`): if the case moved on since, nothing
   * is planned or written and the caller gets a ConcurrentUpdateError with the current version.
   * Without it a conflict is resolved by reading the case again and planning again.
   */
  expectedVersion?: number;
  maxAttempts?: number;
}


/**
 * The case fields a change touched, before and after (M7.3): compared as canonical JSON, so a
 * field rewritten with the same value is not a change. Absent `before`: the field was not set.
 */
export function fieldChanges(before: Case, after: Case): Record<string, { before?: unknown; after?: unknown }> {
  const changes: Record<string, { before?: unknown; after?: unknown }> = {};
  const b = before as unknown as Record<string, unknown>;
  const a = after as unknown as Record<string, unknown>;
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (UNAUDITED_FIELDS.has(key)) continue;
    const was = b[key];
    const is = a[key];
    if (was === undefined && is === undefined) continue;
    if (was !== undefined && is !== undefined && canonicalize(was) === canonicalize(is)) continue;
    changes[key] = { ...(was !== undefined ? { before: was } : {}), ...(is !== undefined ? { after: is } : {}) };
  }
  return changes;
}

/** The drafts with the change's before/after on the first one (which names the act). */
function withChanges(current: Case, next: Case, drafts: readonly EventDraft[]): EventDraft[] {
  const changes = fieldChanges(current, next);
  const [first, ...rest] = drafts;
  if (!first || Object.keys(changes).length === 0) return [...drafts];
  return [{ ...first, changes: { ...changes, ...first.changes } } as EventDraft, ...rest];
}

/**
 * The one way the core changes an existing case: read it, plan the change, place the events on the
 * audit chain with the fields they changed, and commit on the condition that nobody changed the
 * case meanwhile; on a conflict, read again and plan again (unless the caller named the version it
 * saw). `plan` answers `undefined` when there is nothing to do; a domain error it throws carries the
 * case's version. Returns undefined when the case does not exist or nothing was done.
 */
export async function changeCase<R>(
  store: Pick<CaseStore, 'getCase' | 'applyChange'>,
  caseId: string,
  plan: (current: Case, attempt: number) => PlannedChange<R> | undefined | Promise<PlannedChange<R> | undefined>,
  options: ChangeOptions | number = {},
): Promise<{ result: R; case: Case } | undefined> {
  const { expectedVersion, maxAttempts = MAX_CHANGE_ATTEMPTS } = typeof options === 'number' ? { maxAttempts: options } : options;
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getCase(caseId);
    if (!current) return undefined;
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new ConcurrentUpdateError(`The case changed since version ${expectedVersion}: it is at version ${current.version}. Reload it and try again`, current.version);
    }
    let planned: PlannedChange<R> | undefined;
    try {
      planned = await plan(current, attempt);
    } catch (error) {
      if (error instanceof DomainError) error.currentVersion ??= current.version;
      throw error;
    }
    if (!planned) return undefined;
    const { events, head } = chainEvents(current, withChanges(current, planned.next, planned.drafts));
    const updated: Case = { ...planned.next, version: head.version, lastEventHash: head.lastEventHash };
    try {
      await store.applyChange({ ...planned.with, expectedVersion: current.version, case: updated, events });
      return { result: planned.result, case: updated };
    } catch (error) {
      if (!(error instanceof ConcurrentUpdateError)) throw error;
      if (expectedVersion === undefined && attempt < maxAttempts) continue;
      const now = await store.getCase(caseId);
      throw new ConcurrentUpdateError(
        expectedVersion !== undefined
          ? `The case changed since version ${expectedVersion}: it is at version ${now?.version ?? 'unknown'}. Reload it and try again`
          : 'The case kept changing while this change was being made; reload it and try again',
        now?.version,
      );
    }
  }
}
