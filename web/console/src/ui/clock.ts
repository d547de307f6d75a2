import { useEffect, useState } from 'preact/hooks';
import { SERVER_CLOCK } from '../logic/server-clock';

/**
 * One clock for every countdown on screen: a single interval ticking each second while anything
 * shows a countdown, and none otherwise. Each countdown re-renders itself alone, not its list.
 */
const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: (now: number) => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      const now = SERVER_CLOCK.now();
      for (const l of listeners) l(now);
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The server's time now (see server-clock.ts), updated every second. */
export function useNow(): number {
  const [now, setNow] = useState(() => SERVER_CLOCK.now());
  useEffect(() => subscribe(setNow), []);
  return now;
}
