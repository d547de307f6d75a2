import { clockControl } from '../../functions/adapters/system-clock';

/**
 * Timers on the local clock (`clockControl`), which may run faster than real time, jump forward or
 * be held still. A pending timer sleeps `(timestamp - now) / timeScale` real ms, in setTimeout steps
 * of at most 2^31-1 ms (longer delays would overflow and fire at once), and every pending timer is
 * recomputed whenever the clock jumps, changes speed or is released. While the clock is held no
 * timer sleeps on real time: only a jump (or the release) can make one due.
 */

/** The largest delay setTimeout accepts; above it Node fires after 1 ms. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

interface PendingTimer {
  at: number;
  seq: number;
  handle: NodeJS.Timeout | undefined;
  fire(): void;
}

const pending = new Set<PendingTimer>();
let nextSeq = 0;
/** While advanceClock steps through deadlines, it alone fires timers (in timestamp order). */
let stepping = false;
let unsubscribe: (() => void) | undefined;

const byDeadline = (a: PendingTimer, b: PendingTimer) => a.at - b.at || a.seq - b.seq;

function fire(timer: PendingTimer): void {
  clearTimeout(timer.handle);
  pending.delete(timer);
  if (pending.size === 0) {
    unsubscribe?.();
    unsubscribe = undefined;
  }
  timer.fire();
}

function schedule(timer: PendingTimer): void {
  clearTimeout(timer.handle);
  timer.handle = undefined;
  if (stepping || !pending.has(timer)) return;
  const now = clockControl.nowMs();
  if (now >= timer.at) {
    fire(timer);
    return;
  }
  // Held: real time does not move the clock, so nothing to sleep on (release() reschedules).
  if (clockControl.isHeld()) return;
  const realDelay = Math.ceil((timer.at - now) / clockControl.timeScale());
  // Early wake-ups (capped delay, rounding) land here again and sleep the rest.
  timer.handle = setTimeout(() => schedule(timer), Math.min(MAX_TIMEOUT_MS, Math.max(1, realDelay)));
}

/** Recomputes every pending timer, firing those now due in timestamp (then registration) order. */
function rescheduleAll(): void {
  if (stepping) return; // advanceClock fires them; their handles were cleared when it began
  for (const timer of [...pending].sort(byDeadline)) schedule(timer);
}

/** The pending timer that is due first (linear: no sort per step while advancing). */
function earliest(): PendingTimer | undefined {
  let first: PendingTimer | undefined;
  for (const timer of pending) if (!first || byDeadline(timer, first) < 0) first = timer;
  return first;
}

/**
 * Resolves once `clockControl.nowMs() >= timestampMs`. Rejects with the signal's reason if the
 * signal aborts first (and the timer is dropped).
 */
export function sleepUntil(timestampMs: number, signal?: AbortSignal): Promise<void> {
  if (Number.isNaN(timestampMs)) return Promise.reject(new RangeError('sleepUntil needs a timestamp'));
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (clockControl.nowMs() >= timestampMs) return Promise.resolve();
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer.handle);
      pending.delete(timer);
      reject(signal?.reason);
    };
    const timer: PendingTimer = {
      at: timestampMs,
      seq: nextSeq++,
      handle: undefined,
      fire: () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    pending.add(timer);
    unsubscribe ??= clockControl.onChange(rescheduleAll);
    schedule(timer);
  });
}

/** How many timers are waiting (for diagnostics and tests). */
export function pendingTimerCount(): number {
  return pending.size;
}

async function step(ms: number, settle: () => Promise<void>): Promise<void> {
  // Time stands still for the whole jump: what a deadline triggers sees exactly that deadline's
  // time, however long its work takes in real time. A hold the caller made is left in place.
  const heldBefore = clockControl.isHeld();
  clockControl.hold();
  stepping = true;
  try {
    const target = clockControl.nowMs() + ms;
    for (const timer of pending) {
      clearTimeout(timer.handle);
      timer.handle = undefined;
    }
    for (;;) {
      const next = earliest();
      if (!next || next.at > target) break;
      const now = clockControl.nowMs();
      if (next.at > now) clockControl.advance(next.at - now); // stays held, at next.at
      fire(next);
      await settle();
    }
    const now = clockControl.nowMs();
    if (target > now) clockControl.advance(target - now);
  } finally {
    stepping = false;
    // release() tells onChange listeners, which reschedule the pending timers on the running clock.
    if (heldBefore) rescheduleAll();
    else clockControl.release();
  }
}

let queue: Promise<void> = Promise.resolve();

/**
 * Moves the clock `ms` forward, stopping at each due timer's timestamp in turn: the timer fires,
 * then `settle()` is awaited (so what one deadline triggers finishes before the next fires), then
 * the clock moves on; timers that the settled work registers inside the window fire too. Equal
 * timestamps fire in registration order. The clock is held for the whole jump (released at the end,
 * also on error, unless the caller held it): while `settle()` runs, `clockControl.nowMs()` is
 * exactly the fired timer's timestamp. Calls run one after another, never interleaved.
 */
export function advanceClock(ms: number, settle: () => Promise<void> = async () => {}): Promise<void> {
  if (!Number.isFinite(ms) || ms < 0) return Promise.reject(new RangeError('the clock only moves forward'));
  const run = queue.then(() => step(ms, settle));
  queue = run.catch(() => undefined);
  return run;
}
