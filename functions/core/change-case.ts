import { chainEvents } from './audit-chain';
import type { Case } from './case';
import type { EventDraft } from './case-event';
import { ConcurrentUpdateError } from './errors';
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

/**
 * The one way the core changes an existing case: read it, plan the change, place the events on the
 * audit chain, and commit on the condition that nobody changed the case meanwhile; on a conflict,
 * read again and plan again. `plan` answers `undefined` when there is nothing to do.
 * Returns undefined when the case does not exist or nothing was done.
 */
export async function changeCase<R>(
  store: Pick<CaseStore, 'getCase' | 'applyChange'>,
  caseId: string,
  plan: (current: Case, attempt: number) => PlannedChange<R> | undefined,
  maxAttempts = MAX_CHANGE_ATTEMPTS,
): Promise<{ result: R; case: Case } | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await store.getCase(caseId);
    if (!current) return undefined;
    const planned = plan(current, attempt);
    if (!planned) return undefined;
    const { events, head } = chainEvents(current, planned.drafts);
    const updated: Case = { ...planned.next, version: head.version, lastEventHash: head.lastEventHash };
    try {
      await store.applyChange({ ...planned.with, expectedVersion: current.version, case: updated, events });
      return { result: planned.result, case: updated };
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < maxAttempts) continue;
      throw error;
    }
  }
}
