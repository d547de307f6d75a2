import { summarize, type LatencySummary } from './stats';

/**
 * Latency samples kept in a fixed-size uniform sample (reservoir sampling, Algorithm R): a run of
 * any length holds at most `size` numbers, so a benchmark of memory use does not grow its own
 * arrays per operation. Percentiles are exact up to `size` operations, estimates beyond.
 */
export function latencyReservoir(size = 10_000, seed = 1) {
  const samples: number[] = [];
  let seen = 0;
  let s = seed >>> 0;
  const random = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return {
    add(ms: number): void {
      seen += 1;
      if (samples.length < size) samples.push(ms);
      else {
        const j = Math.floor(random() * seen);
        if (j < size) samples[j] = ms;
      }
    },
    get count(): number {
      return seen;
    },
    summary(): LatencySummary {
      return { ...summarize(samples), count: seen };
    },
  };
}
