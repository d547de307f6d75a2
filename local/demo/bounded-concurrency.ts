/**
 * Runs `work` on every item with at most `limit` at once (the local stack runs on a laptop: a
 * handful of requests in flight keeps it busy without drowning it). Failures are collected, not
 * thrown, so one refused request does not stop the rest.
 */
export async function forEachBounded<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<unknown[]> {
  const failures: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return failures;
}
