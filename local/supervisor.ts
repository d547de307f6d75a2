import type { ChildProcess } from 'node:child_process';

/**
 * Watches a stand-in that runs as a child process (DynamoDB Local, s3rver). A child that dies is
 * started again on the same port with the same data; one that keeps dying (more than
 * `maxRestarts` within `windowMs`) is given up on, and the stack is told so it can stop with a
 * clear message instead of answering every request with errors.
 */
export interface RunningChild {
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface StandInHealth {
  status: 'up' | 'restarting' | 'down';
  pid?: number;
  /** Restarts since the stack started. */
  restarts: number;
  /** How the last run ended: `code 1`, `signal SIGKILL`. */
  lastExit?: string;
}

export interface Supervised {
  readonly name: string;
  health(): StandInHealth;
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  maxRestarts?: number;
  windowMs?: number;
  /** Called once when the stand-in is given up on. */
  onGiveUp: (name: string, detail: string) => void;
  log?: (line: string) => void;
}

export function supervise(name: string, first: RunningChild, restart: () => Promise<RunningChild>, opts: SuperviseOptions): Supervised {
  const maxRestarts = opts.maxRestarts ?? 3;
  const windowMs = opts.windowMs ?? 60_000;
  const log = opts.log ?? ((line: string) => console.error(line));
  let current = first;
  let status: StandInHealth['status'] = 'up';
  let stopping = false;
  let restarts = 0;
  let lastExit: string | undefined;
  let restarting: Promise<unknown> = Promise.resolve();
  const recent: number[] = [];

  const giveUp = (detail: string) => {
    status = 'down';
    log(`caseflow: ${name} ${detail}; giving up on it`);
    opts.onGiveUp(name, detail);
  };

  const watch = (child: RunningChild) => {
    child.process.once('exit', (code, signal) => {
      if (stopping || child !== current) return;
      lastExit = signal ? `signal ${signal}` : `code ${code}`;
      const now = Date.now();
      while (recent.length > 0 && (recent[0] ?? 0) < now - windowMs) recent.shift();
      if (recent.length >= maxRestarts) return giveUp(`exited (${lastExit}) ${recent.length + 1} times within ${Math.round(windowMs / 1000)} s`);
      recent.push(now);
      status = 'restarting';
      log(`caseflow: ${name} exited (${lastExit}); restarting it`);
      restarting = restart().then(
        (next) => {
          if (stopping) return next.stop();
          restarts += 1;
          current = next;
          status = 'up';
          watch(next);
          log(`caseflow: ${name} is up again`);
        },
        (error: unknown) => giveUp(`could not be restarted (${error instanceof Error ? error.message.split('\n')[0] : 'error'})`),
      );
    });
  };
  watch(first);

  return {
    name,
    health: () => ({ status, ...(status === 'up' && current.process.pid ? { pid: current.process.pid } : {}), restarts, ...(lastExit ? { lastExit } : {}) }),
    async stop() {
      stopping = true;
      // A restart under way finishes first, and its child is stopped with the rest: no orphan.
      await restarting.catch(() => undefined);
      await current.stop();
    },
  };
}
