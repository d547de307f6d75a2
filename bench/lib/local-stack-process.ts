import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { processTree } from './cpu-usage';
import { ROOT } from './paths';

const EndpointsSchema = z.object({
  web: z.string(),
  api: z.string(),
  outbox: z.string(),
  /** The local clock (POST <clock>/advance moves it); optional so older endpoints files still parse. */
  clock: z.string().optional(),
  token: z.string(),
  smtp: z.string(),
  dynamodb: z.string(),
  ses: z.string(),
  resources: z.object({ table: z.string(), senderEmail: z.string() }),
  pid: z.number().int(),
});
export type StackEndpoints = z.infer<typeof EndpointsSchema>;

export interface StackProcess {
  endpoints: StackEndpoints;
  dataDir: string;
  /** The node process that runs the stack (gateway, handlers, stream poller, SES capture). */
  stackPid: number;
  /** DynamoDB Local's java process. */
  dynamoPids: number[];
  /** Suspends the stack process (SIGSTOP): its gateway and stream poller stop competing for CPU. */
  freeze(): void;
  thaw(): void;
  /** SIGTERM, then waits for every process it started to exit; idempotent. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * Starts the local stack exactly as a user does (`npm start`: `node --import tsx local/start.ts`) in its own process
 * group on free ports and a fresh temporary data directory, and waits for endpoints.json.
 */
export interface SpawnOptions {
  startTimeoutMs?: number;
  logLevel?: string;
  /** Receives the stop function as soon as the process exists, before it is ready. */
  onSpawn?: (stop: () => Promise<void>) => void;
  /** Extra environment for the stack process (e.g. a bench's rate limits). */
  env?: Record<string, string>;
}

export async function spawnLocalStack(opts: SpawnOptions = {}): Promise<StackProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-bench-'));
  // As `npm start` runs it: one node process with the tsx loader.
  const args = ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir, '--fresh', '--log-level', opts.logLevel ?? 'WARN'];
  // Every request of a load comes from 127.0.0.1: the per-client submission limit would stop it after 20.
  const env = { ...process.env, SUBMISSION_RATE_LIMIT_PER_HOUR: '0', ...opts.env };
  const child = spawn(process.execPath, args, { cwd: ROOT, detached: true, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => (output = (output + d.toString()).slice(-8000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const groupAlive = () => child.exitCode === null && child.signalCode === null;

  let stackPid: number | undefined;
  let frozen = false;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      const tree = child.pid ? processTree(child.pid).map((p) => p.pid) : [];
      if (stackPid !== undefined && alive(stackPid)) {
        // A stopped process keeps SIGTERM pending until it runs again.
        process.kill(stackPid, 'SIGCONT');
        process.kill(stackPid, 'SIGTERM');
      } else if (child.pid && groupAlive()) {
        process.kill(-child.pid, 'SIGTERM');
      }
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (groupAlive() || tree.some(alive))) await sleep(100);
      if (child.pid && (groupAlive() || tree.some(alive))) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // the group is already gone
        }
        for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
        await Promise.race([exited, sleep(2000)]);
      }
      rmSync(dataDir, { recursive: true, force: true });
    })());

  opts.onSpawn?.(stop);

  try {
    const file = join(dataDir, 'endpoints.json');
    const deadline = Date.now() + (opts.startTimeoutMs ?? 120_000);
    let endpoints: StackEndpoints | undefined;
    while (!endpoints) {
      if (!groupAlive()) throw new Error(`the local stack exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output}`);
      if (Date.now() > deadline) throw new Error(`the local stack did not write ${file} within ${opts.startTimeoutMs ?? 120_000} ms:\n${output}`);
      try {
        endpoints = EndpointsSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        await sleep(200); // not written yet, or half written
      }
    }
    stackPid = endpoints.pid;
    const health = await fetch(`${endpoints.web}local/health`);
    if (health.status !== 200) throw new Error(`the local stack's health check answered ${health.status}`);
    const dynamoPids = processTree(stackPid)
      .filter((p) => p.comm === 'java')
      .map((p) => p.pid);
    const pid = stackPid;
    return {
      endpoints,
      dataDir,
      stackPid: pid,
      dynamoPids,
      freeze() {
        process.kill(pid, 'SIGSTOP');
        frozen = true;
      },
      thaw() {
        if (frozen) process.kill(pid, 'SIGCONT');
        frozen = false;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs `body` with a started stack and always stops it, also on Ctrl-C or SIGTERM: then `signal`
 * aborts (load generators should stop) and the stack is stopped before the process exits.
 */
export async function withLocalStack<T>(
  body: (stack: StackProcess, signal: AbortSignal) => Promise<T>,
  opts: Omit<SpawnOptions, 'onSpawn'> = {},
): Promise<T> {
  const aborter = new AbortController();
  let stopStack: (() => Promise<void>) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    console.error(`\nbench: ${signal}, stopping the local stack…`);
    aborter.abort(new Error(`interrupted by ${signal}`));
    void (stopStack ? stopStack() : Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const stack = await spawnLocalStack({ ...opts, onSpawn: (stop) => (stopStack = stop) });
    return await body(stack, aborter.signal);
  } finally {
    await stopStack?.();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
