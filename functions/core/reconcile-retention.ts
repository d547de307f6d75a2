import { addDays, utcDay } from './audit-anchor';
import { readAuditTrail } from './audit-verification';
import type { Case } from './case';
import { archiveClosedCase, type ArchiveClosedCaseDeps } from './case-archive';
import { needsStamping } from './case-items';

/** A closed case as the by-day index lists it: enough to tell whether it is archived and how long ago it last changed. */
export interface ClosedCaseEntry {
  caseId: string;
  updatedAt: string;
  archived: boolean;
}

/** The closed cases whose last change fell on a UTC day (the table's by-day index, never a Scan), page by page. */
export interface ClosedCasesByDay {
  closedOn(day: string): AsyncIterable<ClosedCaseEntry>;
}

/** Gives every item of a closed, archived case the case's expiry (idempotent: an item that has it is left alone). */
export interface RetentionStamper {
  stampCase(c: Case): Promise<{ stamped: number }>;
}

export type ReconcileRetentionDeps = ArchiveClosedCaseDeps & { closedCases: ClosedCasesByDay; stamper: RetentionStamper };

/**
 * How many UTC days back a run looks, today included. A case is found by the day of its last
 * change, which for a closed case is its closure or the recording of its archive. Fourteen days is
 * as long as the stream consumers' on-failure queues keep what they could not process (the stream
 * itself keeps records 24 hours), and gives the daily run thirteen more chances after a failed one.
 */
export const DEFAULT_RECONCILE_DAYS = 14;

/**
 * A case whose last change is more recent than this is left to the stream consumers, which are
 * still working on it (or retrying): archiving it from here too would write a second archive
 * version, locked for years. The next daily run finds it if they failed.
 */
export const SETTLE_MS = 60 * 60 * 1000;

/** Cases reconciled at once: enough to get through thousands of cases in a run, few enough not to throttle the table. */
export const RECONCILE_CONCURRENCY = 4;

/** The UTC days a run at `now` reads, oldest first (those closest to falling out of reach), today last. */
export function daysInReach(now: Date, days: number): string[] {
  if (!Number.isInteger(days) || days < 1) throw new RangeError('a reconciliation reads one day at least');
  const today = utcDay(now);
  return Array.from({ length: days }, (_, n) => addDays(today, n - days + 1));
}

/** What the reconciliation did to one case. */
export interface CaseReconciliation {
  archived: boolean;
  /** Items given the case's expiry; undefined when every item carried it already (or the case is not archived). */
  itemsStamped?: number;
}

/**
 * Brings one closed case into line with the retention order (docs/retention.md): archived first
 * (archiveClosedCase, as the case-archiver does it); then, once archived, every item of the case
 * carries its expiry. Stamping follows the archiving at once, in the same pass: when the archiver's
 * stream consumer failed, the stamper's (which starts from the change recording the archive) may
 * have failed with it, and nothing else would stamp the case. Safe to run beside the consumers:
 * an archive already recorded is left alone, and stamping skips what carries the expiry.
 */
export async function reconcileCase(caseId: string, entry: Pick<ClosedCaseEntry, 'archived'>, deps: ReconcileRetentionDeps): Promise<CaseReconciliation> {
  let archived = false;
  if (!entry.archived) {
    const outcome = await archiveClosedCase(caseId, deps);
    // The index lags the table: a case it still lists may be gone or, in principle, not closed.
    if (outcome === 'no-such-case' || outcome === 'not-closed') return { archived: false };
    archived = outcome === 'archived';
  }
  const trail = await readAuditTrail(deps.store, caseId);
  const c = trail?.case;
  if (!trail || !c?.archive) return { archived };
  const outbox = await deps.store.getOutboxHistory(caseId);
  const { items } = await deps.itemImages.imagesOf(c, trail.events, outbox);
  if (!needsStamping(c, items.map((i) => i.image))) return { archived };
  const stamped = await deps.stamper.stampCase(c);
  return { archived, itemsStamped: stamped.stamped };
}

export interface ReconcileOptions {
  /** Days back, today included (DEFAULT_RECONCILE_DAYS). */
  days?: number;
  settleMs?: number;
  concurrency?: number;
  /** Asked before each case: true stops the run (its time is nearly up); the rest waits for the next run. */
  shouldStop?: () => boolean;
}

export interface RetentionReconcileRun {
  /** The days read, oldest first. */
  days: string[];
  /** Closed cases found and checked. */
  checked: number;
  /** Closed cases changed within the settle period, left to the stream consumers this time. */
  settling: number;
  /** Cases archived by this run. */
  archived: number;
  /** Cases some of whose items were given their expiry by this run. */
  stamped: number;
  itemsStamped: number;
  /** Cases that failed (ids and error names only: no personal data); each is tried again by the next run. */
  failed: { caseId: string; error: string }[];
  /** The run stopped before reading every day (shouldStop). */
  unfinished: boolean;
}

/**
 * The retention reconciliation (M7.2 / C4.3): the guarantee behind the stream consumers. Every
 * closed case whose last change falls in the last `days` UTC days is found through the by-day index
 * and, unless it changed within the settle period, archived if it is not yet, and stamped if any of
 * its items lacks the case's expiry. A case that fails is counted and the run goes on. A case whose
 * last change is older than the reach is not seen at all (docs/retention.md says so).
 */
export async function reconcileRetention(deps: ReconcileRetentionDeps, now: Date, options: ReconcileOptions = {}): Promise<RetentionReconcileRun> {
  const settleMs = options.settleMs ?? SETTLE_MS;
  const concurrency = Math.max(1, options.concurrency ?? RECONCILE_CONCURRENCY);
  const run: RetentionReconcileRun = { days: daysInReach(now, options.days ?? DEFAULT_RECONCILE_DAYS), checked: 0, settling: 0, archived: 0, stamped: 0, itemsStamped: 0, failed: [], unfinished: false };
  const settledBefore = now.getTime() - settleMs;
  // A case this run archives moves to today's partition, read last: it is not counted twice.
  const seen = new Set<string>();

  const reconcileOne = async (entry: ClosedCaseEntry) => {
    if (seen.has(entry.caseId)) return;
    seen.add(entry.caseId);
    if (Date.parse(entry.updatedAt) > settledBefore) {
      run.settling += 1;
      return;
    }
    run.checked += 1;
    try {
      const done = await reconcileCase(entry.caseId, entry, deps);
      if (done.archived) run.archived += 1;
      if (done.itemsStamped !== undefined) {
        run.stamped += 1;
        run.itemsStamped += done.itemsStamped;
      }
    } catch (error) {
      run.failed.push({ caseId: entry.caseId, error: error instanceof Error ? error.name : 'Error' });
    }
  };

  for (const day of run.days) {
    if (options.shouldStop?.()) {
      run.unfinished = true;
      break;
    }
    // A day's entries first, then the cases: archiving moves a case to today's partition while this one is read.
    const entries: ClosedCaseEntry[] = [];
    for await (const entry of deps.closedCases.closedOn(day)) entries.push(entry);
    let next = 0;
    const worker = async () => {
      while (next < entries.length && !run.unfinished) {
        if (options.shouldStop?.()) {
          run.unfinished = true;
          return;
        }
        const entry = entries[next];
        next += 1;
        if (entry) await reconcileOne(entry);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, entries.length) }, worker));
    if (run.unfinished) break;
  }
  return run;
}
