/**
 * `fn` over the items with at most `limit` running at once, the results in the items' order; the
 * first failure fails the whole (callers make each call idempotent and retry the whole). The one
 * bounded-concurrency helper of the code base: enough calls in flight to hide round trips, few
 * enough not to throttle the table or the bucket.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
