import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';

/**
 * Between the local SMTP listener and the ingestion handler, as Lambda's asynchronous invocation
 * queue sits between the S3 notification and the function in AWS: SES answers the sender once the
 * message is stored, and ingestion runs afterwards. Each stored message's event is kept as a file
 * until the handler has taken it, so messages accepted before a restart are ingested after it; a
 * failed ingestion is tried again with growing pauses (the handler itself quarantines a message
 * that keeps failing). Files carry object keys only, no addresses or content.
 */
export interface InboundQueueOptions {
  /** Where pending events are kept across restarts. */
  dir: string;
  /** Ingestions running at once. */
  concurrency?: number;
  /** Attempts before the queue gives up on an event (the handler quarantines before that). */
  maxAttempts?: number;
  /** Pause after the first failure; doubled after each, at most a minute (Lambda waits 1 and 2 minutes). */
  retryBaseMs?: number;
  log?: (line: string) => void;
}

export type IngestHandler = (event: S3Event) => Promise<void>;

interface Entry {
  file: string;
  event: S3Event;
  attempts: number;
}

export interface InboundQueue {
  /** Queues a stored message's event; returns once it is on disk. */
  push(event: S3Event): void;
  /** Starts ingesting, the events left from before a restart first. */
  start(handler: IngestHandler): void;
  /** Events not yet ingested, in flight included. */
  pending(): number;
  /** Resolves when nothing is pending (tests, benchmarks). */
  drained(): Promise<void>;
  /** Stops taking new work and waits for the ingestions in flight; pending events stay on disk. */
  stop(): Promise<void>;
}

const keyOf = (event: S3Event) => event.Records[0]?.s3.object.key ?? '';
const MAX_PAUSE_MS = 60_000;

export function createInboundQueue(opts: InboundQueueOptions): InboundQueue {
  mkdirSync(opts.dir, { recursive: true });
  const concurrency = opts.concurrency ?? 4;
  const maxAttempts = opts.maxAttempts ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 2_000;
  const log = opts.log ?? ((line: string) => console.error(line));
  const waiting: Entry[] = [];
  const timers = new Set<NodeJS.Timeout>();
  /** Each ingestion in flight; its slot is free as soon as it settles, whatever the others do. */
  const running = new Set<Promise<void>>();
  let handler: IngestHandler | undefined;
  let stopped = false;
  const idle: (() => void)[] = [];
  let scheduled = 0;
  let sequence = 0;

  const pending = () => waiting.length + running.size + scheduled;
  const settle = () => {
    if (pending() === 0) for (const resolve of idle.splice(0)) resolve();
  };
  /** The queue's own file work must never take the stack down: a failure is logged, the message stays in the bucket. */
  const safely = (what: string, key: string, work: () => void) => {
    try {
      work();
    } catch (error) {
      log(`inbound queue: could not ${what} for ${key} (${error instanceof Error ? error.name : 'error'})`);
    }
  };

  function pump(): void {
    while (handler && !stopped && running.size < concurrency && waiting.length > 0) {
      const entry = waiting.shift() as Entry;
      const run: Promise<void> = handler(entry.event)
        .then(
          () => safely('forget the ingested message', keyOf(entry.event), () => rmSync(entry.file, { force: true })),
          (error: unknown) => retry(entry, error),
        )
        .catch(() => undefined)
        .finally(() => {
          running.delete(run);
          pump();
          settle();
        });
      running.add(run);
    }
  }

  function retry(entry: Entry, error: unknown): void {
    entry.attempts += 1;
    const key = keyOf(entry.event);
    if (entry.attempts >= maxAttempts) {
      log(`inbound queue: ${key} failed ${entry.attempts} times (${error instanceof Error ? error.name : 'error'}); left for \`npm run caseflow -- reconcile-inbound\``);
      safely('forget the message', key, () => rmSync(entry.file, { force: true }));
      return;
    }
    safely('record the attempt', key, () => writeFileSync(entry.file, JSON.stringify({ event: entry.event, attempts: entry.attempts })));
    if (stopped) return;
    scheduled += 1;
    const timer = setTimeout(() => {
      timers.delete(timer);
      scheduled -= 1;
      waiting.push(entry);
      pump();
    }, Math.min(MAX_PAUSE_MS, retryBaseMs * 2 ** (entry.attempts - 1)));
    timers.add(timer);
  }

  return {
    push(event) {
      // Named by arrival, so that a restart takes them in order.
      sequence += 1;
      const name = `${Date.now().toString(36).padStart(9, '0')}-${sequence.toString(36).padStart(6, '0')}-${createHash('sha256').update(keyOf(event)).digest('hex').slice(0, 16)}.json`;
      const file = join(opts.dir, name);
      // Kept on disk first (the message is in the bucket already); a failure here only loses the
      // restart-safety of this one message, which `reconcile-inbound` still finds.
      safely('keep the message for after a restart', keyOf(event), () => writeFileSync(file, JSON.stringify({ event, attempts: 0 })));
      waiting.push({ file, event, attempts: 0 });
      pump();
    },
    start(h) {
      handler = h;
      // Left from before a restart: oldest first (file names start with the time they were queued).
      const queued = new Set(waiting.map((e) => e.file));
      const left: Entry[] = [];
      for (const name of readdirSync(opts.dir).filter((n) => n.endsWith('.json')).sort()) {
        const file = join(opts.dir, name);
        if (queued.has(file)) continue;
        try {
          const saved = JSON.parse(readFileSync(file, 'utf8')) as { event: S3Event; attempts: number };
          left.push({ file, event: saved.event, attempts: saved.attempts });
        } catch {
          log(`inbound queue: ${name} could not be read; removed (the message stays in the bucket for reconcile-inbound)`);
          safely('remove an unreadable entry', name, () => rmSync(file, { force: true }));
        }
      }
      waiting.unshift(...left);
      pump();
    },
    pending,
    drained: () => (pending() === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve))),
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      scheduled = 0;
      await Promise.all([...running]);
    },
  };
}
