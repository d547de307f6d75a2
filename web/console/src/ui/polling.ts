import { useEffect, useRef } from 'preact/hooks';

/**
 * Runs `poll` every `intervalMs` while the tab is visible, and at once when it becomes visible
 * again. Polling with conditional requests (If-None-Match → 304) is the console's way to stay
 * current: it works through CloudFront and API Gateway's HTTP API as they are (no WebSocket API
 * or connection table to run), and an unchanged queue costs a 304 without a body.
 */
export const POLL_INTERVAL_MS = 15_000;

export function usePolling(poll: () => Promise<void> | void, intervalMs: number = POLL_INTERVAL_MS, key: unknown = undefined): void {
  const latest = useRef(poll);
  latest.current = poll;
  useEffect(() => {
    let running = false;
    const tick = async () => {
      if (running || document.visibilityState !== 'visible') return;
      running = true;
      try {
        await latest.current();
      } finally {
        running = false;
      }
    };
    const timer = setInterval(() => void tick(), intervalMs);
    const onVisible = () => {
      if (document.visibilityState === 'visible') void tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [intervalMs, key]);
}
