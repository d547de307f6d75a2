import { clockControl } from '../../../functions/adapters/system-clock';
import { advanceClock, MAX_TIMEOUT_MS, pendingTimerCount, sleepUntil } from '../../../local/step-functions/clock-timers';

// The clock is process-wide (one per test file here): it only ever moves forward, so every time
// below is relative to clockControl.nowMs() and every test leaves the time scale at 1.

const MINUTE = 60_000;

/** Lets every already-due callback run (promise reactions and immediates), without waiting on time. */
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Tracks whether a promise has settled yet. */
function track(promise: Promise<void>) {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

/** Real time passing, on purpose: proves that the held clock does not move meanwhile. */
const realDelay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('local Step Functions: clock timers', () => {
  afterEach(() => {
    clockControl.release();
    clockControl.setTimeScale(1);
  });

  it('keeps a timer pending until the clock passes its timestamp', async () => {
    const wake = track(sleepUntil(clockControl.nowMs() + 10 * MINUTE));
    await advanceClock(9 * MINUTE);
    await flush();
    expect(wake.done).toBe(false);
    await advanceClock(MINUTE);
    await flush();
    expect(wake.done).toBe(true);
  });

  it('resolves at once for a timestamp already past', async () => {
    await expect(sleepUntil(clockControl.nowMs() - 1)).resolves.toBeUndefined();
    expect(pendingTimerCount()).toBe(0);
  });

  it('fires due timers in timestamp order, ties in registration order, settling after each', async () => {
    const start = clockControl.nowMs();
    const log: string[] = [];
    const at = (label: string, offset: number) => void sleepUntil(start + offset).then(() => log.push(`${label}@${clockControl.nowMs() - start >= offset ? 'due' : 'early'}`));
    at('ten', 10 * MINUTE);
    at('five-a', 5 * MINUTE);
    at('five-b', 5 * MINUTE);
    at('later', 30 * MINUTE);
    let registeredInSettle = false;
    await advanceClock(20 * MINUTE, async () => {
      await flush();
      log.push('settle');
      if (!registeredInSettle) {
        registeredInSettle = true;
        at('seven', 7 * MINUTE); // work triggered by a deadline sets a new one inside the window
      }
    });
    expect(log).toEqual(['five-a@due', 'settle', 'five-b@due', 'settle', 'seven@due', 'settle', 'ten@due', 'settle']);
    expect(clockControl.nowMs() - start).toBeGreaterThanOrEqual(20 * MINUTE);
    expect(pendingTimerCount()).toBe(1);
    await advanceClock(10 * MINUTE, flush);
    expect(log.at(-1)).toBe('later@due');
  });

  it('runs advances one after another when they are called together', async () => {
    const start = clockControl.nowMs();
    const order: number[] = [];
    void sleepUntil(start + 15 * MINUTE).then(() => order.push(15));
    void sleepUntil(start + 25 * MINUTE).then(() => order.push(25));
    await Promise.all([advanceClock(20 * MINUTE, flush), advanceClock(10 * MINUTE, flush)]);
    expect(order).toEqual([15, 25]);
    expect(clockControl.nowMs() - start).toBeGreaterThanOrEqual(30 * MINUTE);
  });

  it('recomputes pending timers when the time scale changes', async () => {
    const realStart = Date.now();
    const wake = sleepUntil(clockControl.nowMs() + 60 * MINUTE); // an hour of real time at scale 1
    clockControl.setTimeScale(3600 * 1000); // an hour of clock time per real millisecond
    await wake;
    expect(Date.now() - realStart).toBeLessThan(2000);
  });

  it('drops a timer whose signal aborts, rejecting with the reason', async () => {
    const controller = new AbortController();
    const before = pendingTimerCount();
    const wake = sleepUntil(clockControl.nowMs() + MINUTE, controller.signal);
    expect(pendingTimerCount()).toBe(before + 1);
    controller.abort(new Error('stopped'));
    await expect(wake).rejects.toThrow('stopped');
    expect(pendingTimerCount()).toBe(before);
  });

  it('never hands setTimeout more than 2^31-1 ms and sleeps the rest in further steps', async () => {
    const spy = jest.spyOn(global, 'setTimeout');
    const controller = new AbortController();
    try {
      const wake = track(sleepUntil(clockControl.nowMs() + 30 * 24 * 60 * MINUTE, controller.signal).catch(() => undefined));
      const first = spy.mock.calls.at(-1);
      expect(first?.[1]).toBe(MAX_TIMEOUT_MS);
      (first?.[0] as () => void)(); // as if the capped timeout had ended: not due, so it sleeps again
      await flush();
      expect(wake.done).toBe(false);
      expect(spy.mock.calls.at(-1)?.[1]).toBe(MAX_TIMEOUT_MS);
      clockControl.advance(25 * 24 * 60 * MINUTE); // 5 days left: one ordinary timeout
      await flush();
      expect(wake.done).toBe(false);
      const rest = spy.mock.calls.at(-1)?.[1] ?? 0;
      expect(rest).toBeGreaterThan(5 * 24 * 60 * MINUTE - MINUTE);
      expect(rest).toBeLessThanOrEqual(5 * 24 * 60 * MINUTE);
    } finally {
      controller.abort();
      spy.mockRestore();
    }
  });

  describe('a clock jump holds the clock still', () => {
    it('lets the work a deadline triggers read exactly that deadline as now, however long it takes', async () => {
      const start = clockControl.nowMs();
      void sleepUntil(start + 5 * MINUTE);
      void sleepUntil(start + 10 * MINUTE);
      const seen: { before: number; after: number; held: boolean }[] = [];
      await advanceClock(20 * MINUTE, async () => {
        const before = clockControl.nowMs();
        await realDelay(50);
        seen.push({ before, after: clockControl.nowMs(), held: clockControl.isHeld() });
      });
      expect(seen).toEqual([
        { before: start + 5 * MINUTE, after: start + 5 * MINUTE, held: true },
        { before: start + 10 * MINUTE, after: start + 10 * MINUTE, held: true },
      ]);
    });

    it('lets the clock run again, from the end of the jump, once the jump is over', async () => {
      const heldAt: number[] = [];
      const before = clockControl.nowMs();
      await advanceClock(MINUTE, async () => {
        heldAt.push(clockControl.nowMs());
      });
      expect(clockControl.isHeld()).toBe(false);
      const end = clockControl.nowMs();
      expect(end - before).toBeGreaterThanOrEqual(MINUTE);
      expect(end - before).toBeLessThan(MINUTE + 1000);
      for (const deadline = Date.now() + 2000; clockControl.nowMs() === end && Date.now() < deadline; ) await flush();
      expect(clockControl.nowMs()).toBeGreaterThan(end);
    });

    it('releases the clock when the settling work fails, and later jumps still fire timers', async () => {
      const start = clockControl.nowMs();
      const later = track(sleepUntil(start + 10 * MINUTE));
      void sleepUntil(start + MINUTE);
      await expect(
        advanceClock(5 * MINUTE, async () => {
          throw new Error('settle failed');
        }),
      ).rejects.toThrow('settle failed');
      expect(clockControl.isHeld()).toBe(false);
      expect(later.done).toBe(false);
      await advanceClock(10 * MINUTE, flush);
      expect(later.done).toBe(true);
    });

    it('leaves a hold made by the caller in place, at the end of the jump', async () => {
      clockControl.hold();
      const held = clockControl.nowMs();
      await advanceClock(MINUTE, flush);
      await realDelay(20);
      expect(clockControl.isHeld()).toBe(true);
      expect(clockControl.nowMs()).toBe(held + MINUTE);
    });

    it('fires no timer on real time while the clock is held, but does on release or when the clock is advanced', async () => {
      const spy = jest.spyOn(global, 'setTimeout');
      clockControl.hold();
      const soon = track(sleepUntil(clockControl.nowMs() + 5)); // 5 ms of clock time
      const inAMinute = track(sleepUntil(clockControl.nowMs() + MINUTE));
      expect(spy).not.toHaveBeenCalled(); // nothing sleeps on real time
      spy.mockRestore();
      await realDelay(50);
      await flush();
      expect(soon.done).toBe(false);

      clockControl.advance(MINUTE); // still held, at the new time: both are due
      await flush();
      expect(clockControl.isHeld()).toBe(true);
      expect([soon.done, inAMinute.done]).toEqual([true, true]);

      const afterRelease = sleepUntil(clockControl.nowMs() + 5);
      clockControl.release();
      await afterRelease; // armed on real time again
    });
  });
});
