import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Event } from 'aws-lambda';
import { createInboundQueue } from '../../../local/inbound-queue';
import { objectCreatedEvent } from '../../../local/s3-event';

const event = (key: string): S3Event => objectCreatedEvent({ bucket: 'inbound', key, size: 10 });
const keyOf = (e: S3Event) => e.Records[0]?.s3.object.key ?? '';

describe('the local inbound queue (stored mail waiting for ingestion)', () => {
  it('ingests a stored message after the sender was answered, and forgets it once ingested', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const queue = createInboundQueue({ dir });
    const ingested: string[] = [];
    queue.push(event('inbound/a'));
    // Pushed before the handler exists (the stack answers SMTP while it is still loading): kept, not lost.
    expect(readdirSync(dir)).toHaveLength(1);
    queue.start(async (e) => void ingested.push(keyOf(e)));
    await queue.drained();
    expect(ingested).toEqual(['inbound/a']);
    expect(readdirSync(dir)).toEqual([]);
    await queue.stop();
  });

  it('ingests after a restart the messages accepted before it, oldest first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const before = createInboundQueue({ dir });
    before.push(event('inbound/first'));
    before.push(event('inbound/second'));
    await before.stop();
    const after = createInboundQueue({ dir });
    const ingested: string[] = [];
    after.start(async (e) => void ingested.push(keyOf(e)));
    await after.drained();
    expect(ingested).toEqual(['inbound/first', 'inbound/second']);
    await after.stop();
  });

  it('tries a failed ingestion again after a pause, and logs the key and error name only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const lines: string[] = [];
    const queue = createInboundQueue({ dir, retryBaseMs: 5, maxAttempts: 3, log: (l) => lines.push(l) });
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      if (calls < 3) throw new TypeError('could not read mail from zoe@example.com');
    });
    queue.push(event('inbound/flaky'));
    await queue.drained();
    expect(calls).toBe(3);
    expect(lines).toEqual([]);
    const failing = createInboundQueue({ dir, retryBaseMs: 5, maxAttempts: 2, log: (l) => lines.push(l) });
    failing.start(async () => {
      throw new TypeError('could not read mail from zoe@example.com');
    });
    failing.push(event('inbound/broken'));
    await failing.drained();
    expect(lines).toEqual(['inbound queue: inbound/broken failed 2 times (TypeError); left for `npm run caseflow -- reconcile-inbound`']);
    expect(readdirSync(dir)).toEqual([]);
    await queue.stop();
    await failing.stop();
  });

  it('keeps a pending message on disk with its attempts across a restart during the pause', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const queue = createInboundQueue({ dir, retryBaseMs: 60_000 });
    queue.start(async () => {
      throw new Error('s3rver is restarting');
    });
    queue.push(event('inbound/later'));
    const [file] = await (async () => {
      for (;;) {
        const files = readdirSync(dir);
        if (files.length === 1 && JSON.parse(readFileSync(join(dir, files[0] ?? ''), 'utf8')).attempts === 1) return files;
        await new Promise((r) => setImmediate(r));
      }
    })();
    await queue.stop();
    expect(JSON.parse(readFileSync(join(dir, file ?? ''), 'utf8'))).toMatchObject({ attempts: 1 });
  });
});

describe('the local inbound queue under load and failure', () => {
  it('frees a slot as soon as its ingestion ends, so a slow message never holds up the others', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const queue = createInboundQueue({ dir, concurrency: 2 });
    const finished: string[] = [];
    let releaseSlow: () => void = () => undefined;
    const slow = new Promise<void>((r) => (releaseSlow = r));
    queue.start(async (e) => {
      if (keyOf(e) === 'inbound/slow') await slow;
      finished.push(keyOf(e));
    });
    for (const key of ['inbound/slow', 'inbound/fast-1', 'inbound/fast-2', 'inbound/fast-3']) queue.push(event(key));
    // With the slow one still running, the three fast ones pass through the other slot.
    await (async () => {
      while (finished.length < 3) await new Promise((r) => setImmediate(r));
    })();
    expect(finished).toEqual(['inbound/fast-1', 'inbound/fast-2', 'inbound/fast-3']);
    releaseSlow();
    await queue.drained();
    expect(finished).toHaveLength(4);
    await queue.stop();
  });

  it('keeps working, and says so, when its directory disappears under it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inbound-queue-'));
    const lines: string[] = [];
    const queue = createInboundQueue({ dir, retryBaseMs: 5, maxAttempts: 2, log: (l) => lines.push(l) });
    let calls = 0;
    queue.start(async () => {
      calls += 1;
      throw new Error('s3rver is down');
    });
    rmSync(dir, { recursive: true });
    queue.push(event('inbound/homeless'));
    await queue.drained();
    expect(calls).toBe(2);
    expect(lines.some((l) => l.includes('could not keep the message for after a restart for inbound/homeless'))).toBe(true);
    await queue.stop();
  });
});
