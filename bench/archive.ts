/**
 * Archiving closed cases (M7.2): N closed cases in DynamoDB Local, each archived by the real
 * `archiveClosedCase` through the adapters a `wiring()` builds (DynamoDB Local and s3rver started
 * here), at a given concurrency, in a child process whose peak RSS is the kernel's; then, on a
 * sample, the retention stamper (`stampCase`) and the expiry verification (`verifyRemovedItem` on
 * the REMOVE record TTL would send for every item), each in its own child. Every DynamoDB and S3
 * request is counted per phase and command (a middleware on the wiring's clients), DynamoDB with
 * the capacity units it reports. The intake rate on the same DynamoDB Local (openCaseFromSubmission
 * at the same concurrency, before and after the archiving) is the yardstick: archiving must keep up with 5x it. Reports stored
 * bytes per case in DynamoDB (DynamoDB's item-size rules, with per-item and index overheads) and
 * in S3, and the five-year cost per 1,000 cases at published prices. docs/benchmarks.md has the results.
 *
 * The closed cases are made fast but as the product makes them (bench/lib/closed-cases.ts): the real
 * use cases on the in-memory store, the real repository's items loaded with BatchWriteItem.
 */
import '../local/polyfills';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { createDocumentClient } from '../functions/adapters/aws-clients';
import { removedItemOf } from '../functions/adapters/dynamo/removed-item';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE } from '../functions/adapters/table-design';
import { wiring } from '../functions/adapters/wiring';
import { archiveClosedCase } from '../functions/core/case-archive';
import { TTL_PRINCIPAL, verifyRemovedItem, type ArchiveCache } from '../functions/core/item-expiry';
import { DEFAULT_ACKNOWLEDGEMENTS, openCaseFromSubmission } from '../functions/core/open-case';
import { slaPolicy } from '../functions/core/sla-policy';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable, LOCAL_NAMES } from '../local/resources';
import { startS3Local } from '../local/s3-local';
import { newStandInCredentials } from '../local/stand-in-credentials';
import { positiveInt } from './lib/args';
import { batchWrite } from './lib/bench-cases';
import { benchCaseId, benchSubmission, closedCase } from './lib/closed-cases';
import { sampleMachineBusy } from './lib/cpu-usage';
import { itemSize } from './lib/dynamo-item-size';
import { latencyReservoir } from './lib/latency-reservoir';
import { describeMachine, machineFacts } from './lib/machine';
import { MEASURE_END, MEASURE_START, runChildPhase } from './lib/child-phase';
import { ROOT } from './lib/paths';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { RequestCounter, type CommandCount } from './lib/request-counter';
import { rssSampler } from './lib/rss-sampler';
import { round, type LatencySummary } from './lib/stats';

const TARGETS = { archiveOverIntake: 5, peakRssMiB: 256 };
const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
const TABLE = 'caseflow-bench-archive';
const BUCKET = LOCAL_NAMES.recordsBucket;
/** Five years of storage, in months. */
const MONTHS = 60;
/** How long an expiry receipt is kept after the expiry it proves (item-expiry.ts EXPIRY_RECEIPT_LOCK_DAYS), in months. */
const RECEIPT_MONTHS = 12;
/** What the expiry verifier runs at once within a stream batch (functions/handlers/expiry-verifier.ts). */
const VERIFIER_CONCURRENCY = 16;

/**
 * Published prices, us-east-1, as of 2026-11-30 (aws.amazon.com/dynamodb/pricing/on-demand and
 * aws.amazon.com/s3/pricing; DynamoDB on-demand since its November 2024 reduction). Storage in GB-months of 2^30 bytes.
 */
export const PRICES = {
  dynamoStorageGbMonth: 0.25,
  dynamoWriteUnitsPerMillion: 0.625,
  dynamoReadUnitsPerMillion: 0.125,
  /** Bytes DynamoDB adds to every item, and to every index entry, for storage billing. */
  dynamoItemOverheadBytes: 100,
  s3StandardGbMonth: 0.023,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  glacierIrGbMonth: 0.004,
  glacierIrTransitionPerThousand: 0.02,
  /** Glacier Instant Retrieval bills an object smaller than this as this size. */
  glacierIrMinBillableBytes: 128 * 1024,
  /** S3 lifecycle rules do not transition objects smaller than this unless a size filter says so (TransitionDefaultMinimumObjectSize all_storage_classes_128K). */
  lifecycleMinTransitionBytes: 128 * 1024,
} as const;

const HELP = `Usage: npm run bench -- archive [options]

  --cases <n>          closed cases archived and measured (default 10000; ARCHIVE_BENCH_CASES overrides the default)
  --concurrency <n>    archives (and intake submissions) in flight (default 16)
  --warmup <n>         closed cases archived first and not measured, and as many unmeasured intake
                       submissions (default 200): module load, connections, DynamoDB Local's JIT
  --intake <n>         measured intake submissions, the yardstick, before the archiving and again after
                       it (default 500 each): the mean of the two is compared, so that a change of
                       load on the machine during the run weighs on both sides
  --sample <n>         archived cases then stamped and expiry-verified (default 500)
  --on-disk            DynamoDB Local on disk (-dbPath, as npm start runs it) instead of in memory
  --work-dir <dir>     where s3rver (and DynamoDB Local on disk) keep their files (default /dev/shm
                       when present, else the temp dir)
  -h, --help           this text

Exits 0 when every target passes, 1 when one fails. Results: .bench/archive/results.json

Internal: --child <intake|archive|stamp|verify> --seed <s> --from <i> --count <n> runs one phase in
this process against the stand-ins named in the environment and prints its figures as JSON.`;

// ---------------------------------------------------------------------------------------------
// One phase, in a child process.

interface RssReport {
  startBytes: number;
  /** After the warm-up (modules loaded, connections open), or at the start of the measured run. */
  loadedBytes: number;
  sampledPeakBytes: number;
  /** The kernel's peak RSS of the child (process.resourceUsage().maxRSS). */
  maxRssBytes: number;
  /** RSS, and the V8 heap left after a full collection, at each tenth of the measured run: flat when nothing accumulates per case. */
  atProgress: { done: number; rssBytes: number; heapAfterGcBytes: number }[];
}

interface PhaseReport {
  phase: string;
  operations: number;
  concurrency: number;
  wallMs: number;
  perSecond: number;
  latencyMs: LatencySummary;
  errors: number;
  errorSamples: string[];
  outcomes: Record<string, number>;
  /** The measured phase's requests, by service and command. */
  requests: Record<string, CommandCount>;
  rss: RssReport;
  /** The verification phase: what the sample of cases stores in DynamoDB. */
  stored?: StoredBytes;
}

/** Stored bytes in DynamoDB, summed over the cases of the sample. */
interface StoredBytes {
  cases: number;
  items: number;
  /** Attribute names and values by DynamoDB's item-size rules (bench/lib/dynamo-item-size.ts), no overhead. */
  itemBytes: number;
  /** 100 bytes an item. */
  itemOverheadBytes: number;
  /** Index entries: projected attributes (the whole item for ALL, keys and the summary for the queue indexes) plus 100 bytes each. */
  indexEntries: number;
  indexBytes: number;
}

/** The indexes an item is in, and the bytes each entry stores (DynamoDB's storage rules for a global secondary index). */
function indexBytes(item: Record<string, AttributeValue>): { entries: number; bytes: number } {
  let entries = 0;
  let bytes = 0;
  for (const g of GLOBAL_INDEXES) {
    if (item[g.partitionKey] === undefined || item[g.sortKey] === undefined) continue;
    const projected =
      g.projection === 'ALL'
        ? item
        : Object.fromEntries(Object.entries(item).filter(([k]) => ['PK', 'SK', g.partitionKey, g.sortKey, SUMMARY_ATTRIBUTE].includes(k)));
    entries += 1;
    bytes += itemSize(projected) + PRICES.dynamoItemOverheadBytes;
  }
  return { entries, bytes };
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Runs op(i) for i in [from, from + count) with `concurrency` in flight; keeps counters and a
 * bounded latency sample only, so the loop holds nothing per case.
 */
async function forEachCase(from: number, count: number, concurrency: number, op: (i: number) => Promise<string>, onTenth?: (done: number, wallMs: number) => void) {
  const latency = latencyReservoir();
  const outcomes: Record<string, number> = {};
  const errorSamples: string[] = [];
  let errors = 0;
  let next = from;
  let done = 0;
  const end = from + count;
  const tenth = Math.max(1, Math.ceil(count / 10));
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < end; i = next++) {
      const t = performance.now();
      try {
        const outcome = await op(i);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      } catch (error) {
        errors += 1;
        if (errorSamples.length < 5) errorSamples.push(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
      }
      latency.add(performance.now() - t);
      done += 1;
      if (done % tenth === 0 || done === count) onTenth?.(done, performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  const wallMs = performance.now() - started;
  return { operations: count, concurrency, wallMs: round(wallMs), perSecond: round((count / wallMs) * 1000, 2), latencyMs: latency.summary(), errors, errorSamples, outcomes };
}

interface ChildOptions {
  phase: string;
  seed: string;
  from: number;
  count: number;
  warmup: number;
  concurrency: number;
}

/** A client address of its own network for submission `i` (the submission limit counts per /64), from the documentation range. */
const clientAddress = (i: number) => `2001:db8:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}::1`;

/** What the child prints when its measured run starts, so the parent meters CPU over it alone. */

async function child(opts: ChildOptions): Promise<number> {
  const sampler = rssSampler(20);
  const startBytes = process.memoryUsage.rss();
  const env = process.env;
  const app = wiring({
    AWS_REGION: env.AWS_REGION,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
    DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT,
    S3_ENDPOINT: env.S3_ENDPOINT,
    TABLE_NAME: env.TABLE_NAME,
    CASE_ARCHIVE_BUCKET: env.CASE_ARCHIVE_BUCKET,
    // The local key service: each customer's archive record is sealed with their own key (crypto-shredding).
    SUBJECT_KEY_DIR: env.SUBJECT_KEY_DIR,
  });
  const counter = new RequestCounter();
  counter.attachTo(app);
  const policy = slaPolicy();
  const archiveDeps = { store: app.cases, archives: app.caseArchives, itemImages: app.caseItemImages, keys: app.subjectKeys, clock: app.clock };
  const stored: StoredBytes = { cases: 0, items: 0, itemBytes: 0, itemOverheadBytes: 0, indexEntries: 0, indexBytes: 0 };
  const id = (i: number) => benchCaseId(opts.seed, i);

  const ops: Record<string, (i: number) => Promise<string>> = {
    // The web intake's use case as create-case runs it: idempotency key, the per-client submission limit, the acknowledgement owed.
    intake: async (i) => {
      const { replayed } = await counter.run(i < opts.from ? 'warmup' : 'intake', () =>
        openCaseFromSubmission(
          { submission: benchSubmission(1_000_000 + i, i % 10 === 9), channel: 'web', idempotencyKey: randomUUID(), clientAddress: clientAddress(i) },
          { store: app.cases, clock: app.clock, newCaseId: app.newCaseId, random: app.random, policy, acknowledgements: DEFAULT_ACKNOWLEDGEMENTS, submissionLimit: { limiter: app.rateLimiter, perHour: 20 } },
        ),
      );
      return replayed ? 'replayed' : 'opened';
    },
    archive: (i) => counter.run(i < opts.from ? 'warmup' : 'archive', () => archiveClosedCase(id(i), archiveDeps)),
    // The stamper gets the case from the stream record's new image: reading it here is not counted.
    stamp: async (i) => {
      const c = await counter.run('setup', () => app.cases.getCase(id(i)));
      if (!c?.archive) throw new Error(`case ${i} is not archived`);
      const out = await counter.run('stamp', () => app.retentionStamper.stampCase(c));
      return out.skipped > 0 ? 'stamped, some skipped' : out.already > 0 ? 'stamped, some already' : 'stamped';
    },
    // TTL's REMOVE record for every item of the case, as the stream sends it (old image, TTL's identity), one stream batch a case.
    verify: async (i) => {
      const caseId = id(i);
      const { c, items } = await counter.run('setup', async () => {
        const found = await app.cases.getCase(caseId);
        if (!found?.expiresAt) throw new Error(`case ${i} has no expiry`);
        const [timeline, outbox] = await Promise.all([app.cases.getTimeline(caseId), app.cases.getOutboxHistory(caseId)]);
        return { c: found, items: (await app.caseItemImages.imagesOf(found, timeline, outbox)).items };
      });
      const expiresAt = c.expiresAt ?? 0;
      const records: DynamoDBRecord[] = items.map((item, n) => {
        const image = marshall(item.image, { removeUndefinedValues: true });
        const index = indexBytes(image);
        stored.items += 1;
        stored.itemBytes += itemSize(image);
        stored.itemOverheadBytes += PRICES.dynamoItemOverheadBytes;
        stored.indexEntries += index.entries;
        stored.indexBytes += index.bytes;
        return {
          eventID: `${caseId}-${n}`,
          eventName: 'REMOVE',
          userIdentity: { type: 'Service', principalId: TTL_PRINCIPAL },
          dynamodb: {
            Keys: marshall({ PK: item.pk, SK: item.sk }),
            OldImage: image,
            ApproximateCreationDateTime: expiresAt + 3600,
            SequenceNumber: String(n),
          },
        } as DynamoDBRecord;
      });
      stored.cases += 1;
      const cache: ArchiveCache = new Map();
      const verdicts: Record<string, number> = {};
      await counter.run('verify', () =>
        eachLimited(records, VERIFIER_CONCURRENCY, async (record) => {
          const removed = removedItemOf(record);
          if (!removed) throw new Error('not a REMOVE record');
          const { outcome } = await verifyRemovedItem(removed, { archives: app.caseArchives, keys: app.subjectKeys }, cache);
          verdicts[outcome] = (verdicts[outcome] ?? 0) + 1;
        }),
      );
      return Object.entries(verdicts)
        .sort()
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
    },
  };
  const op = ops[opts.phase];
  if (!op) throw new Error(`unknown phase ${opts.phase}`);

  if (opts.warmup > 0) {
    const warm = await forEachCase(0, opts.warmup, opts.concurrency, op);
    if (warm.errors > 0) throw new Error(`${opts.phase} warm-up: ${warm.errors} errors: ${warm.errorSamples.join(' | ')}`);
  }
  const loadedBytes = process.memoryUsage.rss();
  console.log(MEASURE_START);
  const atProgress: RssReport['atProgress'] = [];
  // A full collection at each tenth (ten in a run, among the hundreds V8 makes itself): the heap it
  // leaves is what the run holds on to, flat when nothing accumulates per case.
  const gc = (globalThis as { gc?: () => void }).gc;
  const result = await forEachCase(opts.from, opts.count, opts.concurrency, op, (done, wallMs) => {
    const rssBytes = process.memoryUsage.rss();
    gc?.();
    const heapAfterGcBytes = process.memoryUsage().heapUsed;
    atProgress.push({ done, rssBytes, heapAfterGcBytes });
    process.stderr.write(`  ${opts.phase}: ${done}/${opts.count} in ${round(wallMs / 1000)} s (${round((done / wallMs) * 1000, 1)}/s), RSS ${round(rssBytes / MiB)} MiB, heap after a full GC ${round(heapAfterGcBytes / MiB)} MiB\n`);
  });
  console.log(MEASURE_END);
  sampler.stop();
  const report: PhaseReport = {
    phase: opts.phase,
    ...result,
    requests: counter.of(opts.phase),
    rss: { startBytes, loadedBytes, sampledPeakBytes: sampler.peak(), maxRssBytes: sampler.maxRss(), atProgress },
    ...(opts.phase === 'verify' ? { stored } : {}),
  };
  console.log(JSON.stringify(report));
  return result.errors > 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// The parent: stand-ins, closed cases, the phases, the report.

/**
 * Runs one phase in a child process and returns its figures, with the CPU the stand-ins used over
 * its measured run (between the child's start and end marks) and the child's own.
 */
function runChild(opts: ChildOptions, env: Record<string, string>, standIns: Record<string, number[]>): Promise<PhaseReport & { cpuCores: Record<string, number> }> {
  const args = ['--expose-gc', '--import', 'tsx', join(ROOT, 'bench/run.ts'), 'archive', '--child', opts.phase, '--seed', opts.seed, '--from', String(opts.from), '--count', String(opts.count), '--warmup', String(opts.warmup), '--concurrency', String(opts.concurrency)];
  return runChildPhase(opts.phase, args, env, standIns);
}

/** Every case-owned item: what the repository wrote, less the records that belong to no case and expire within the day (idempotency, acknowledgement log). */
const caseOwned = (item: Record<string, unknown>) => !String(item.PK).startsWith('IDEMP#') && !String(item.PK).startsWith('ACKLOG#');

/** Requests of one phase per case, by command. */
function perCase(requests: Record<string, CommandCount>, cases: number) {
  const rows = Object.entries(requests)
    .map(([command, c]) => ({ command, requests: round(c.requests / cases, 2), capacityUnits: round(c.capacityUnits / cases, 2), bytes: round(c.bytes / cases) }))
    .sort((a, b) => a.command.localeCompare(b.command));
  const sum = (service: string, f: (c: CommandCount) => number) => round(Object.entries(requests).filter(([k]) => k.startsWith(service)).reduce((n, [, c]) => n + f(c), 0) / cases, 2);
  return {
    rows,
    dynamoRequests: sum('DynamoDB', (c) => c.requests),
    dynamoUnits: sum('DynamoDB', (c) => c.capacityUnits),
    s3Requests: sum('S3', (c) => c.requests),
    s3Puts: sum('S3 PutObject', (c) => c.requests),
    s3Gets: sum('S3 GetObject', (c) => c.requests),
    s3Lists: sum('S3 ListObjects', (c) => c.requests),
  };
}

const unitsOf = (requests: Record<string, CommandCount>, cases: number, kind: 'write' | 'read') => {
  const write = /Put|Update|Delete|TransactWrite|BatchWrite/;
  return round(Object.entries(requests).filter(([k]) => k.startsWith('DynamoDB') && (kind === 'write') === write.test(k)).reduce((n, [, c]) => n + c.capacityUnits, 0) / cases, 2);
};

const usd = (n: number) => (n >= 0.01 ? `$${n.toFixed(2)}` : `$${n.toFixed(4)}`);
const mib = (bytes: number) => `${round(bytes / MiB)} MiB`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: process.env.ARCHIVE_BENCH_CASES ?? '10000' },
      concurrency: { type: 'string', default: '16' },
      warmup: { type: 'string', default: '200' },
      intake: { type: 'string', default: '500' },
      sample: { type: 'string', default: '500' },
      'on-disk': { type: 'boolean', default: false },
      'work-dir': { type: 'string' },
      child: { type: 'string' },
      seed: { type: 'string', default: '' },
      from: { type: 'string', default: '0' },
      count: { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const concurrency = positiveInt(values.concurrency, 'concurrency');
  const warmup = positiveInt(values.warmup, 'warmup', 0);
  if (values.child) {
    return child({ phase: values.child, seed: values.seed, from: positiveInt(values.from, 'from', 0), count: positiveInt(values.count, 'count'), warmup, concurrency });
  }
  const cases = positiveInt(values.cases, 'cases', 10);
  const intake = positiveInt(values.intake, 'intake', 10);
  const sample = Math.min(cases, positiveInt(values.sample, 'sample', 1));
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const machine = machineFacts();
  const date = new Date().toISOString();
  const benchStarted = performance.now();
  console.log(`archive bench, ${date}\nmachine: ${describeMachine(machine)}`);
  const busyBefore = await sampleMachineBusy(2000);
  console.log(`machine ${busyBefore}% busy before the bench started (other processes)`);
  if (busyBefore > 20) console.log('warning: the machine is busy with other work; throughput will be lower than on an idle machine.');

  const work = mkdtempSync(join(values['work-dir'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'caseflow-bench-archive-'));
  const credentials = newStandInCredentials();
  const [dynamo, s3local] = await Promise.all([
    startDynamoDbLocal({ credentials, ...(values['on-disk'] ? { dataDir: join(work, 'dynamodb') } : {}) }),
    startS3Local({ dataDir: join(work, 's3'), buckets: [BUCKET], credentials }),
  ]);
  const env = {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    S3_ENDPOINT: s3local.endpoint,
    TABLE_NAME: TABLE,
    CASE_ARCHIVE_BUCKET: BUCKET,
    SUBJECT_KEY_DIR: join(work, 'subject-keys'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const doc = createDocumentClient(env);
  try {
    await ensureTable(dynamo.endpoint, TABLE, credentials);
    const seed = randomBytes(6).toString('hex');
    const total = warmup + cases;

    // 1. The closed cases: the real use cases in memory, the repository's items loaded in batches
    //    while the next batch is made.
    console.log(`\n[1/6] making ${total} closed cases (${warmup} for the warm-up) and loading their items (DynamoDB Local ${values['on-disk'] ? 'on disk' : 'in memory'}, s3rver in ${work})…`);
    const startMs = Date.now() - (total + 2 * 24 * 60) * 60_000;
    const loadStarted = performance.now();
    let itemsLoaded = 0;
    let complaints = 0;
    let makeMs = 0;
    let writing: Promise<void> = Promise.resolve();
    const references = new Set<string>();
    const CHUNK = 250;
    for (let from = 0; from < total; from += CHUNK) {
      const made = performance.now();
      const items: Record<string, unknown>[] = [];
      for (let i = from; i < Math.min(total, from + CHUNK); i += 1) {
        const g = await closedCase(seed, i, startMs, references);
        if (g.complaint) complaints += 1;
        items.push(...g.items.filter(caseOwned));
      }
      makeMs += performance.now() - made;
      await writing;
      itemsLoaded += items.length;
      writing = batchWrite(doc, TABLE, items);
      if ((from / CHUNK) % 8 === 7) process.stdout.write(`  ${Math.min(total, from + CHUNK)}/${total} cases, ${itemsLoaded} items, ${round((performance.now() - loadStarted) / 1000)} s\n`);
    }
    await writing;
    const loadS = (performance.now() - loadStarted) / 1000;
    console.log(`loaded ${itemsLoaded} items of ${total} closed cases (${complaints} escalated complaints) in ${round(loadS)} s (making them: ${round(makeMs / 1000)} s)`);

    const standIns = { 'DynamoDB Local': dynamo.process.pid === undefined ? [] : [dynamo.process.pid], s3rver: s3local.process.pid === undefined ? [] : [s3local.process.pid] };
    const phase = async (n: string, label: string, opts: Omit<ChildOptions, 'phase' | 'seed' | 'concurrency'>) => {
      console.log(`\n${label}`);
      const started = performance.now();
      const r = await runChild({ phase: n, seed, concurrency, ...opts }, env, standIns);
      console.log(
        `${n}: ${r.operations} in ${round(r.wallMs / 1000)} s = ${r.perSecond}/s at concurrency ${r.concurrency}; p50 ${r.latencyMs.p50} ms, p99 ${r.latencyMs.p99} ms; errors ${r.errors}; ` +
          `child peak RSS ${mib(r.rss.maxRssBytes)} (${round((performance.now() - started) / 1000)} s with start-up)`,
      );
      const cpuMs = Object.entries(r.cpuCores).filter(([k]) => !k.includes('%'));
      console.log(`  CPU over the measured run, in cores: ${Object.entries(r.cpuCores).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`  CPU per case: ${cpuMs.map(([k, v]) => `${k} ${round((v * r.wallMs) / r.operations, 1)} ms`).join(', ')}`);
      if (r.errorSamples.length > 0) console.log(`  first errors: ${r.errorSamples.join(' | ')}`);
      console.log(`  outcomes: ${Object.entries(r.outcomes).map(([k, v]) => `${k} × ${v}`).join('; ')}`);
      return r;
    };

    // 2–5. Each phase in its own child process: its peak RSS is its own.
    const intakeLabel = (when: string) => `intake, ${when}: openCaseFromSubmission ×${intake} after ${warmup} unmeasured, concurrency ${concurrency} (child process)…`;
    const intakeBefore = await phase('intake', `[2/6] ${intakeLabel('before the archiving')}`, { from: warmup, count: intake, warmup });
    const archiveRun = await phase('archive', `[3/6] archiving: archiveClosedCase ×${cases} after ${warmup} unmeasured, concurrency ${concurrency} (child process)…`, { from: warmup, count: cases, warmup });
    const intakeAfter = await phase('intake', `[4/6] ${intakeLabel('after the archiving')}`, { from: warmup + intake, count: intake, warmup });
    const stampRun = await phase('stamp', `[5/6] retention stamping: stampCase on ${sample} archived cases (child process)…`, { from: warmup, count: sample, warmup: 0 });
    const verifyRun = await phase('verify', `[6/6] expiry verification: verifyRemovedItem on TTL's REMOVE record of every item of ${sample} cases (child process)…`, { from: warmup, count: sample, warmup: 0 });
    const intakePerSecond = (intakeBefore.perSecond + intakeAfter.perSecond) / 2;

    // Figures per archived case.
    const archiveReq = perCase(archiveRun.requests, cases);
    const stampReq = perCase(stampRun.requests, sample);
    const verifyReq = perCase(verifyRun.requests, sample);
    const intakeReq = perCase(intakeBefore.requests, intake);
    const stored = verifyRun.stored ?? { cases: 1, items: 0, itemBytes: 0, itemOverheadBytes: 0, indexEntries: 0, indexBytes: 0 };
    const per = (n: number) => n / stored.cases;
    const dynamoBytes = per(stored.itemBytes + stored.itemOverheadBytes + stored.indexBytes);
    const putBytes = (r: PhaseReport, kind: string, n: number) => (r.requests[`S3 PutObjectCommand (${kind})`]?.bytes ?? 0) / n;
    const archiveBytes = putBytes(archiveRun, 'archive', cases);
    const indexObjectBytes = putBytes(archiveRun, 'index', cases);
    const receiptBytes = putBytes(verifyRun, 'receipt', sample);
    const receiptCount = (verifyRun.requests['S3 PutObjectCommand (receipt)']?.requests ?? 0) / sample;
    const ratio = archiveRun.perSecond / intakePerSecond;
    const peakRss = archiveRun.rss.maxRssBytes;

    // Five years per 1,000 cases.
    const K = 1000;
    const units = {
      archiveWrite: unitsOf(archiveRun.requests, cases, 'write'),
      archiveRead: unitsOf(archiveRun.requests, cases, 'read'),
      stampWrite: unitsOf(stampRun.requests, sample, 'write'),
      stampRead: unitsOf(stampRun.requests, sample, 'read'),
    };
    const s3Objects = archiveReq.s3Puts; // the archive and its index entry, each under its own key
    const cost = {
      dynamoStorage: ((K * dynamoBytes) / GiB) * PRICES.dynamoStorageGbMonth * MONTHS,
      dynamoRequests:
        (K * (units.archiveWrite + units.stampWrite) * PRICES.dynamoWriteUnitsPerMillion) / 1e6 + (K * (units.archiveRead + units.stampRead) * PRICES.dynamoReadUnitsPerMillion) / 1e6,
      s3Storage: ((K * (archiveBytes + indexObjectBytes)) / GiB) * PRICES.s3StandardGbMonth * MONTHS,
      s3Requests: (K * (archiveReq.s3Puts + verifyReq.s3Puts + verifyReq.s3Lists) * PRICES.s3PutPerThousand) / 1000 + (K * (archiveReq.s3Gets + verifyReq.s3Gets) * PRICES.s3GetPerThousand) / 1000,
      receiptStorage: ((K * receiptBytes) / GiB) * PRICES.s3StandardGbMonth * RECEIPT_MONTHS,
    };
    const total5y = cost.dynamoStorage + cost.dynamoRequests + cost.s3Storage + cost.s3Requests + cost.receiptStorage;
    // What the archive bucket's 90-day Glacier IR rule would cost if it applied to objects this small (it does not: see PRICES).
    const glacierIf =
      ((K * (archiveBytes + indexObjectBytes)) / GiB) * PRICES.s3StandardGbMonth * 3 +
      ((K * s3Objects * Math.max(PRICES.glacierIrMinBillableBytes, archiveBytes)) / GiB) * PRICES.glacierIrGbMonth * (MONTHS - 3) +
      (K * s3Objects * PRICES.glacierIrTransitionPerThousand) / 1000;

    const rows: TargetResult[] = [
      { measure: 'archive throughput (archiveClosedCase)', result: `${archiveRun.perSecond} cases/s (${cases} in ${round(archiveRun.wallMs / 1000)} s, concurrency ${concurrency}; p50 ${archiveRun.latencyMs.p50} ms, p99 ${archiveRun.latencyMs.p99} ms)`, target: '-', pass: null },
      { measure: 'intake throughput (openCaseFromSubmission), same DynamoDB Local', result: `${round(intakePerSecond, 2)} cases/s (mean of ${intakeBefore.perSecond} before and ${intakeAfter.perSecond} after the archiving; ${intake} each, concurrency ${concurrency})`, target: '-', pass: null },
      { measure: 'archiving / intake', result: `${round(ratio, 2)}x`, target: `>= ${TARGETS.archiveOverIntake}x`, pass: ratio >= TARGETS.archiveOverIntake },
      { measure: 'errors: archiving / intake / stamping / verification', result: `${archiveRun.errors} / ${intakeBefore.errors + intakeAfter.errors} / ${stampRun.errors} / ${verifyRun.errors}`, target: '0, every case archived', pass: archiveRun.errors + intakeBefore.errors + intakeAfter.errors + stampRun.errors + verifyRun.errors === 0 && (archiveRun.outcomes.archived ?? 0) === cases },
      { measure: `peak RSS of the archiving process (${cases} cases)`, result: `${mib(peakRss)} (RSS after warm-up ${mib(archiveRun.rss.loadedBytes)}, at the end ${mib(archiveRun.rss.atProgress.at(-1)?.rssBytes ?? 0)})`, target: `< ${TARGETS.peakRssMiB} MiB`, pass: peakRss < TARGETS.peakRssMiB * MiB },
      { measure: 'archiving: DynamoDB / S3 requests a case', result: `${archiveReq.dynamoRequests} / ${archiveReq.s3Requests}`, target: '-', pass: null },
      { measure: 'stamping: DynamoDB requests a case', result: `${stampReq.dynamoRequests} (${stampRun.perSecond} cases/s)`, target: '-', pass: null },
      { measure: 'expiry verification: S3 requests a case', result: `${verifyReq.s3Requests} for ${round(receiptCount, 2)} items (${verifyRun.perSecond} cases/s)`, target: '-', pass: null },
      { measure: 'DynamoDB bytes a case (items + 100 B each + index entries)', result: `${Math.round(dynamoBytes)} B (${round(per(stored.items), 2)} items ${Math.round(per(stored.itemBytes))} B, index entries ${Math.round(per(stored.indexBytes))} B)`, target: '-', pass: null },
      { measure: 'S3 bytes a case: archive (gzip) / index / receipts', result: `${Math.round(archiveBytes)} / ${Math.round(indexObjectBytes)} / ${Math.round(receiptBytes)} B`, target: '-', pass: null },
      { measure: 'five-year cost per 1,000 cases', result: `${usd(total5y)} (DynamoDB storage ${usd(cost.dynamoStorage)})`, target: '-', pass: null },
    ];
    printTargets(`Archiving ${cases} closed cases, concurrency ${concurrency}`, rows);

    const show = (title: string, p: ReturnType<typeof perCase>) => {
      console.log(`\n${title}`);
      for (const r of p.rows) console.log(`  ${r.command.padEnd(46)} ${String(r.requests).padStart(6)} a case${r.capacityUnits ? `, ${r.capacityUnits} units` : ''}${r.bytes ? `, ${r.bytes} B` : ''}`);
    };
    show('Requests per archived case, archiving (DynamoDB Local capacity units):', archiveReq);
    show('Requests per case, retention stamping:', stampReq);
    show('Requests per case, expiry verification (one stream batch a case):', verifyReq);
    show('Requests per case, intake (for comparison):', intakeReq);
    console.log(`\nFive-year cost per 1,000 cases, us-east-1 prices of 2026-11-30:`);
    console.log(`  DynamoDB storage   ${usd(cost.dynamoStorage)}   1000 × ${Math.round(dynamoBytes)} B / 2^30 × $${PRICES.dynamoStorageGbMonth} × ${MONTHS} months`);
    console.log(`  DynamoDB requests  ${usd(cost.dynamoRequests)}   1000 × (${round(units.archiveWrite + units.stampWrite, 2)} WRU × $${PRICES.dynamoWriteUnitsPerMillion} + ${round(units.archiveRead + units.stampRead, 2)} RRU × $${PRICES.dynamoReadUnitsPerMillion}) / 10^6`);
    console.log(`  S3 Standard        ${usd(cost.s3Storage)}   1000 × ${Math.round(archiveBytes + indexObjectBytes)} B / 2^30 × $${PRICES.s3StandardGbMonth} × ${MONTHS} months (under 128 KB: the Glacier IR rule does not move them)`);
    console.log(`  S3 requests        ${usd(cost.s3Requests)}   1000 × (${round(archiveReq.s3Puts + verifyReq.s3Puts + verifyReq.s3Lists, 2)} PUT/LIST × $${PRICES.s3PutPerThousand} + ${round(archiveReq.s3Gets + verifyReq.s3Gets, 2)} GET × $${PRICES.s3GetPerThousand}) / 1000`);
    console.log(`  receipts, 1 year   ${usd(cost.receiptStorage)}   1000 × ${Math.round(receiptBytes)} B / 2^30 × $${PRICES.s3StandardGbMonth} × ${RECEIPT_MONTHS} months`);
    console.log(`  total              ${usd(total5y)}   (if the objects did go to Glacier IR after 90 days: ${usd(glacierIf)} for the S3 storage instead of ${usd(cost.s3Storage)})`);

    const file = writeResults('archive/results', {
      date,
      machine,
      busyBefore,
      options: { cases, concurrency, warmup, intake, sample, dynamoDbLocal: values['on-disk'] ? 'on disk' : 'in memory' },
      seconds: { load: round(loadS), make: round(makeMs / 1000), total: round((performance.now() - benchStarted) / 1000) },
      load: { cases: total, items: itemsLoaded, complaints },
      phases: { intakeBefore, archive: archiveRun, intakeAfter, stamp: stampRun, verify: verifyRun },
      perCase: { archive: archiveReq, stamp: stampReq, verify: verifyReq, intake: intakeReq, units, dynamoBytes, archiveBytes, indexObjectBytes, receiptBytes, receiptCount, stored },
      ratio,
      intakePerSecond,
      prices: PRICES,
      costPer1000Cases5y: { ...cost, total: total5y, glacierIrIfItApplied: glacierIf },
      rows,
    });
    console.log(`\nresults: ${file} (whole run ${round((performance.now() - benchStarted) / 1000)} s)`);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    doc.destroy();
    await Promise.all([dynamo.stop(), s3local.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}
