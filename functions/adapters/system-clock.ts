import type { Clock } from '../core/clock';

/**
 * The clock every handler uses. In AWS it is the system clock. The local runtime may shift it
 * (`POST /local/clock/advance`) so that SLA windows can be exercised without waiting; the shift is
 * process-wide so handlers, the core and the local Step Functions runner agree on "now".
 */
let offsetMs = 0;

export const systemClock: Clock = {
  now: () => new Date(Date.now() + offsetMs),
};

export const clockControl = {
  offsetMs: () => offsetMs,
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error('the clock only moves forward');
    offsetMs += ms;
  },
  set(offset: number): void {
    offsetMs = offset;
  },
};
