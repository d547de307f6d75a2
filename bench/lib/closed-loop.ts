import { performance } from 'node:perf_hooks';
import { round, summarize, type LatencySummary } from './stats';

export interface LoadResult {
  operations: number;
  concurrency: number;
  wallMs: number;
  /** Completed operations per second over the wall time. */
  perSecond: number;
  latencyMs: LatencySummary;
  errors: number;
  /** The first few error messages, to say what went wrong without flooding the output. */
  errorSamples: string[];
}

/**
 * A closed-loop load: `concurrency` workers each start the next operation as soon as their last
 * one ends, until `total` have run. `op(i)` throws to count as an error; latency is recorded for
 * every operation, failed or not. An aborted signal stops the workers after their current operation.
 */
export async function closedLoop(total: number, concurrency: number, op: (i: number) => Promise<void>, signal?: AbortSignal): Promise<LoadResult> {
  const latencies = new Array<number>(total);
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < total && !signal?.aborted; i = next++) {
      const started = performance.now();
      try {
        await op(i);
      } catch (error) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push((error as Error).message);
      }
      latencies[i] = performance.now() - started;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
  signal?.throwIfAborted();
  const wallMs = performance.now() - started;
  return {
    operations: total,
    concurrency,
    wallMs: round(wallMs),
    perSecond: round((total / wallMs) * 1000),
    latencyMs: summarize(latencies),
    errors,
    errorSamples,
  };
}
