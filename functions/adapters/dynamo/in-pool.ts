import { mapLimited } from '../../core/map-limited';

/** Runs the tasks with at most `limit` at once; the first failure fails the whole (the caller retries it: every task is idempotent). */
export async function inPool(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  await mapLimited(tasks, limit, (task) => task());
}
