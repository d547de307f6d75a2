/**
 * The server's time, as its answers' `Date` headers tell it: deadlines are the server's instants,
 * so a countdown must run on the server's clock, not on a laptop's that is minutes off (or on the
 * local stack's, which `/local/clock/advance` moves by hours). A `Date` header has one-second
 * precision, so differences under two seconds are taken as no difference at all.
 */
export interface ServerClock {
  /** Takes note of an answer's `Date` header, received at `receivedAtMs` on this machine's clock. */
  observe(dateHeader: string | null | undefined, receivedAtMs: number): void;
  /** How far the server's clock is ahead of this machine's, in milliseconds. */
  offsetMs(): number;
  now(localNowMs?: number): number;
}

const NOISE_MS = 2000;

export function serverClock(): ServerClock {
  let offset = 0;
  return {
    observe(dateHeader, receivedAtMs) {
      const serverMs = dateHeader ? Date.parse(dateHeader) : Number.NaN;
      if (!Number.isFinite(serverMs)) return;
      const measured = serverMs - receivedAtMs;
      offset = Math.abs(measured) < NOISE_MS ? 0 : measured;
    },
    offsetMs: () => offset,
    now: (localNowMs = Date.now()) => localNowMs + offset,
  };
}

/** The console's one server clock. */
export const SERVER_CLOCK = serverClock();
