/**
 * `fn` over the items with at most `limit` running at once, the results in the items' order; the
 * first failure fails the whole (callers make each call idempotent and retry the whole). With
 * `mapOrdered` below, the code base's bounded-concurrency helpers: enough calls in flight to hide
 * round trips, few enough not to throttle the table or the bucket.
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

/**
 * `fn` over items that arrive one by one (a paginated index Query), at most `limit` calls in
 * flight, the results yielded in the items' order as soon as each is ready: the pipelined form of
 * `mapLimited`, for a stream too long to hold whole. A failure is thrown where its result would
 * have been yielded; calls still in flight then are left to finish unobserved.
 */
export async function* mapOrdered<T, R>(items: AsyncIterable<T> | Iterable<T>, limit: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const inFlight: Promise<R>[] = [];
  const started = (item: T) => {
    const call = fn(item);
    // Observed now, so a failure behind one still awaited is not an unhandled rejection.
    call.catch(() => undefined);
    return call;
  };
  for await (const item of items) {
    inFlight.push(started(item));
    if (inFlight.length >= limit) yield await (inFlight.shift() as Promise<R>);
  }
  while (inFlight.length > 0) yield await (inFlight.shift() as Promise<R>);
}
