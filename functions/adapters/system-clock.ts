import type { Clock } from '../core/clock';

/**
 * The clock every handler uses. In AWS it is the system clock. The local runtime may run it
 * faster (`--time-scale`) or jump it forward (`POST /local/clock/advance`) so that SLA windows can
 * be exercised without waiting. The setting is process-wide, so handlers, the core and the local
 * Step Functions runner agree on "now". Nothing in AWS ever changes it.
 */
let anchorReal = Date.now();
let anchorVirtual = anchorReal;
let scale = 1;
/** While held (during a jump), time stands still: everything a deadline triggers sees that deadline's time. */
let heldAt: number | undefined;
const listeners = new Set<() => void>();

const virtualNow = () => heldAt ?? anchorVirtual + (Date.now() - anchorReal) * scale;

export const systemClock: Clock = {
  now: () => new Date(virtualNow()),
};

export const clockControl = {
  nowMs: virtualNow,
  timeScale: () => scale,
  /** Jumps forward; never backward, so deadlines already recorded stay in the past. */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('the clock only moves forward');
    anchorVirtual = virtualNow() + ms;
    anchorReal = Date.now();
    if (heldAt !== undefined) heldAt = anchorVirtual;
    for (const listener of listeners) listener();
  },
  /** Stops the clock where it is until `release()`; advancing still moves it. */
  hold(): void {
    heldAt = virtualNow();
  },
  /** Lets the clock run again from where it stands. */
  release(): void {
    if (heldAt === undefined) return;
    anchorVirtual = heldAt;
    anchorReal = Date.now();
    heldAt = undefined;
    for (const listener of listeners) listener();
  },
  isHeld: () => heldAt !== undefined,
  /** Runs the clock `factor` times faster than real time from now on. */
  setTimeScale(factor: number): void {
    if (!Number.isFinite(factor) || factor <= 0) throw new RangeError('the time scale must be positive');
    anchorVirtual = virtualNow();
    anchorReal = Date.now();
    scale = factor;
    for (const listener of listeners) listener();
  },
  /** Called whenever the clock jumps or changes speed (timers must be recomputed). */
  onChange(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
