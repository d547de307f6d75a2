import { mapOrdered } from '../../../functions/core/map-limited';

/** A call that finishes when the test says so. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

async function* ids(n: number) {
  for (let i = 0; i < n; i += 1) yield i;
}

describe('reading a day of cases a few at a time, in index order (exports, M7.3)', () => {
  it('yields results in the order of the items, whatever order the calls finish in', async () => {
    const calls = Array.from({ length: 6 }, () => deferred<string>());
    const out: string[] = [];
    const run = (async () => {
      for await (const r of mapOrdered(ids(6), 3, (i) => calls[i]!.promise)) out.push(r);
    })();
    // The later calls finish first.
    for (const i of [2, 1, 0, 5, 4, 3]) {
      calls[i]!.resolve(`case-${i}`);
      await Promise.resolve();
    }
    await run;
    expect(out).toEqual(['case-0', 'case-1', 'case-2', 'case-3', 'case-4', 'case-5']);
  });

  it('keeps at most the limit of calls in flight, and starts the next as the first is taken', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    for await (const r of mapOrdered(ids(50), 4, async (i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise<void>((res) => setImmediate(res));
      inFlight -= 1;
      return i;
    })) seen.push(r);
    expect(most).toBe(4);
    expect(seen).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });

  it('throws a failed call where its result would come, after the results before it', async () => {
    const seen: number[] = [];
    const run = async () => {
      for await (const r of mapOrdered(ids(10), 3, async (i) => {
        if (i === 4) throw new Error('table throttled');
        return i;
      })) seen.push(r);
    };
    await expect(run()).rejects.toThrow('table throttled');
    expect(seen).toEqual([0, 1, 2, 3]);
  });
});
