/**
 * Compliance exports (M5.3, M7.3, C4.3, C6.3): N cases with full timelines in DynamoDB Local,
 * spread over D days whose by-day index (GSI4) partitions hold them as the case store files them;
 * then, each in a child process whose peak RSS is the kernel's, the real `runExport` (the adapters
 * a `wiring()` builds: DynamoExportSource, the export codec, S3ExportStore on s3rver, the local
 * manifest signer) over the first days and over all of them, between two yardsticks on the same
 * table: a bare paginated Query of the same index partitions (every shard of every day: the
 * ceiling the target compares with), and the bare reads an export makes (that Query, then one
 * partition Query a case, READS_IN_FLIGHT at once). docs/benchmarks.md has the results.
 *
 * The cases are made fast but as the product makes them (bench/lib/export-cases.ts): a few
 * templates live through the real use cases, each case of the run is a copy under its own id,
 * reference and times with its events chained again, and its items are built by the real item
 * builders (caseItem gives the index keys), loaded with BatchWriteItem.
 */
import '../local/polyfills';
import { build } from 'esbuild';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { parseArgs } from 'node:util';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../functions/adapters/aws-clients';
import { queryCasePartition, RECORDS_WITHOUT_OUTBOX } from '../functions/adapters/dynamo/case-partition';
import { DAY_SHARDS, dayPartition, INDEX } from '../functions/adapters/dynamo/keys';
import { wiring, type Wiring } from '../functions/adapters/wiring';
import { mapLimited } from '../functions/core/map-limited';
import { daysOf, READS_IN_FLIGHT, runExport, type DayMarker, type ExportPeriod } from '../functions/core/compliance-export';
import { EXPORT_STEP_MEMORY_MB } from '../infra/constructs/export-step-size';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable, LOCAL_NAMES } from '../local/resources';
import { startS3Local } from '../local/s3-local';
import { newStandInCredentials } from '../local/stand-in-credentials';
import { positiveInt } from './lib/args';
import { batchWrite, reference } from './lib/bench-cases';
import { benchCaseId } from './lib/closed-cases';
import { sampleMachineBusy } from './lib/cpu-usage';
import { copyCase, makeTemplates, TEMPLATE_KINDS, templateOf } from './lib/export-cases';
import { lambdaNodeArgs } from './lib/lambda-node-args';
import { describeMachine, machineFacts } from './lib/machine';
import { MEASURE_END, MEASURE_START, runChildPhase } from './lib/child-phase';
import { ROOT } from './lib/paths';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { RequestCounter, type CommandCount } from './lib/request-counter';
import { rssSampler } from './lib/rss-sampler';
import { median, round } from './lib/stats';

const TARGETS = { ofCeiling: 0.7, peakRssMiB: 256, linearTolerance: 1.2 };
const MiB = 1024 * 1024;
const DAY_MS = 86_400_000;
const TABLE = 'caseflow-bench-export';
const BUCKET = LOCAL_NAMES.exportsBucket;
/** Templates of each kind: copies of one template differ in ids, times and salts only. */
const TEMPLATES_PER_KIND = 8;
/** Passes of the bare index Query in each of its two phases (before and after the export): the ceiling is the median of all. */
const INDEX_PASSES = 3;
/** BatchWriteItem requests in flight while loading: DynamoDB Local took items fastest at about this many. */
const LOAD_IN_FLIGHT = 16;

const HELP = `Usage: npm run bench -- export [options]

  --cases <n>          cases loaded, spread evenly over the days (default 100000; EXPORT_BENCH_CASES overrides the default)
  --days <n>           days they were last changed on (default 10: 10,000 cases a day)
  --first-days <n>     the smaller export covers the first n days (default 1: 10,000 cases); the larger one covers every day
  --on-disk            DynamoDB Local on disk (-dbPath, as npm start runs it) instead of in memory
  --work-dir <dir>     where s3rver (and DynamoDB Local on disk) keep their files (default /dev/shm
                       when present, else the temp dir)
  --profile <dir>      write a V8 CPU profile of each export child (node --cpu-prof) into <dir>; the bundle keeps its function names
  --memory <MB>        the Lambda memory size whose V8 flags every child runs with (Lambda's Node.js
                       runtime sizes the heap from it; default ${EXPORT_STEP_MEMORY_MB}, the export step's)
  --tag <name>         write the results to .bench/export/results-<name>.json (a side run beside the main one)
  -h, --help           this text

For each size, each phase a child process running a bundle of bench/export-child.ts (esbuild, as CDK
bundles a function: no TypeScript compiler in the measured process) with the V8 flags Lambda's
runtime gives the export step: the bare index Query (${INDEX_PASSES} passes), the bare reads (index
Query + a partition Query a case, ${READS_IN_FLIGHT} in flight), the export (runExport), the bare index Query again
(${INDEX_PASSES} passes). The ceiling is the median of the ${2 * INDEX_PASSES} passes.
Exits 0 when every target passes, 1 when one fails. Results: .bench/export/results.json

Internal: --child <index|reads|export> --from <day> --to <day> runs one phase in this process against
the stand-ins named in the environment and prints its figures as JSON.`;

// ---------------------------------------------------------------------------------------------
// One phase, in a child process.

interface DayFigures {
  day: string;
  ms: number;
  cases: number;
  records: number;
  rssBytes: number;
  heapAfterGcBytes: number;
}

interface PhaseReport {
  phase: string;
  period: ExportPeriod;
  wallMs: number;
  cases: number;
  /** Export: rows written (cases + events + escalations + heads). Index: items read. Reads: the rows those items make. */
  records: number;
  /** Items DynamoDB returned to the bare reads (which read the outbox items an export skips too); 0 for the export. */
  itemsRead: number;
  recordsPerSecond: number;
  casesPerSecond: number;
  counts?: { cases: number; events: number; escalations: number; heads: number };
  bytes?: { jsonl: number; parquet: number; markersAndManifest: number; files: number };
  headsChainInvalid?: number;
  /** The index phase: the rate of each pass (records/s). */
  passRates?: number[];
  days: DayFigures[];
  requests: Record<string, CommandCount>;
  rss: { startBytes: number; loadedBytes: number; sampledPeakBytes: number; maxRssBytes: number; heapPeakBytes: number; heapLimitBytes: number; externalPeakBytes: number };
}

/** Peaks of the V8 heap's resident size and of the memory outside it (buffers), sampled: what of the RSS is the heap's. */
function heapSampler(intervalMs = 20) {
  let heap = 0;
  let external = 0;
  const sample = () => {
    const h = getHeapStatistics();
    heap = Math.max(heap, h.total_physical_size);
    external = Math.max(external, h.external_memory);
  };
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peaks: () => (sample(), { heapPeakBytes: heap, heapLimitBytes: getHeapStatistics().heap_size_limit, externalPeakBytes: external }),
    stop: () => clearInterval(timer),
  };
}


/** Items of one by-day partition, a page at a time, with the projection the export's reader asks for. */
async function* indexPartition(doc: DynamoDBDocumentClient, day: string, shard: number): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: TABLE,
        IndexName: INDEX.byDay,
        KeyConditionExpression: '#pk = :day',
        ExpressionAttributeNames: { '#pk': 'GSI4PK', '#sk': 'GSI4SK', '#caseId': 'caseId' },
        ExpressionAttributeValues: { ':day': dayPartition(day, shard) },
        ProjectionExpression: '#sk, #caseId',
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    yield page.Items ?? [];
    startKey = page.LastEvaluatedKey;
  } while (startKey);
}

/** A day's case ids: every shard read at once, page by page (no merge: the bare read). */
async function dayCaseIds(doc: DynamoDBDocumentClient, day: string): Promise<string[]> {
  const shards = await Promise.all(
    Array.from({ length: DAY_SHARDS }, async (_, shard) => {
      const ids: string[] = [];
      for await (const page of indexPartition(doc, day, shard)) for (const item of page) ids.push(String(item.caseId));
      return ids;
    }),
  );
  return shards.flat();
}

/** A case's records (its partition up to the outbox), page by page, consistent: the Query the export source sends, without the parsing. */
const partitionItems = (doc: DynamoDBDocumentClient, caseId: string) => queryCasePartition(doc, TABLE, caseId, RECORDS_WITHOUT_OUTBOX);

/** Records an export writes for the items of one partition: the case, its events and escalations, and its head. */
const recordItems = (items: Record<string, unknown>[]) => items.filter((i) => i.entity === 'case' || i.entity === 'event' || i.entity === 'escalation').length + 1;

async function child(phase: string, period: ExportPeriod): Promise<number> {
  const sampler = rssSampler(20);
  const heap = heapSampler(20);
  const startBytes = process.memoryUsage.rss();
  const env = process.env;
  const app: Wiring = wiring({
    AWS_REGION: env.AWS_REGION,
    AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
    DYNAMODB_ENDPOINT: env.DYNAMODB_ENDPOINT,
    S3_ENDPOINT: env.S3_ENDPOINT,
    TABLE_NAME: env.TABLE_NAME,
    EXPORTS_BUCKET: env.EXPORTS_BUCKET,
    EXPORT_SIGNING_KEY_DIR: env.EXPORT_SIGNING_KEY_DIR,
  });
  // The export source and store keep the wiring's two SDK clients as `doc` and `s3`, as the case
  // store and the archives do: the counter reads them there. The bare reads use the same client.
  const counter = new RequestCounter();
  counter.attachTo({ cases: app.exportSource, caseArchives: app.exportStore } as unknown as Pick<Wiring, 'cases' | 'caseArchives'>);
  const doc: unknown = Reflect.get(app.exportSource, 'doc');
  if (!(doc as { send?: unknown }).send) throw new Error('bench: the export source no longer keeps its client as `doc`');
  const client = doc as DynamoDBDocumentClient;
  const gc = (globalThis as { gc?: () => void }).gc;
  const days: DayFigures[] = [];
  const dayDone = (day: string, ms: number, cases: number, records: number) => {
    const rssBytes = process.memoryUsage.rss();
    gc?.();
    const heapAfterGcBytes = process.memoryUsage().heapUsed;
    days.push({ day, ms: round(ms), cases, records, rssBytes, heapAfterGcBytes });
    process.stderr.write(`  ${phase}: ${day} ${cases} cases, ${records} records in ${round(ms / 1000, 2)} s; RSS ${round(rssBytes / MiB)} MiB, heap after a full GC ${round(heapAfterGcBytes / MiB)} MiB\n`);
  };

  // Modules and connections first (not measured): one index page and one partition.
  const [firstDay = period.from] = daysOf(period);
  const warm = (await dayCaseIds(client, firstDay)).slice(0, 1);
  for (const id of warm) await partitionItems(client, id);
  if (phase === 'export') await app.manifestSigner.keyId();
  const loadedBytes = process.memoryUsage.rss();

  let cases = 0;
  let records = 0;
  let itemsRead = 0;
  const passRates: number[] = [];
  const extra: Partial<PhaseReport> = {};
  console.log(MEASURE_START);
  const started = performance.now();
  let dayStarted = started;
  if (phase === 'index') {
    // Several whole passes, each timed: a pass of a day takes seconds, so one pass would say more
    // about what else the machine did in those seconds than about the index.
    await counter.run(phase, async () => {
      for (let pass = 1; pass <= INDEX_PASSES; pass += 1) {
        const passStarted = performance.now();
        let passCases = 0;
        dayStarted = passStarted;
        for (const day of daysOf(period)) {
          const n = (await dayCaseIds(client, day)).length;
          passCases += n;
          const now = performance.now();
          if (pass === 1) dayDone(day, now - dayStarted, n, n);
          dayStarted = now;
        }
        const passMs = performance.now() - passStarted;
        passRates.push(round((passCases / passMs) * 1000));
        process.stderr.write(`  index pass ${pass}: ${passCases} items in ${round(passMs / 1000, 2)} s = ${round((passCases / passMs) * 1000)}/s\n`);
        cases = passCases;
        records = passCases;
        itemsRead += passCases;
      }
    });
  } else if (phase === 'reads') {
    await counter.run(phase, async () => {
      for (const day of daysOf(period)) {
        const ids = await dayCaseIds(client, day);
        let dayRecords = 0;
        await mapLimited(ids, READS_IN_FLIGHT, async (id) => {
          const items = await partitionItems(client, id);
          itemsRead += items.length;
          dayRecords += recordItems(items);
        });
        itemsRead += ids.length;
        cases += ids.length;
        records += dayRecords;
        const now = performance.now();
        dayDone(day, now - dayStarted, ids.length, dayRecords);
        dayStarted = now;
      }
    });
  } else if (phase === 'export') {
    const deps = { store: app.exportStore, source: app.exportSource, codec: app.exportCodec, signer: app.manifestSigner };
    const manifest = await counter.run(phase, () =>
      runExport(period, 'on-demand', deps, app.clock, (day: string, marker: DayMarker) => {
        const now = performance.now();
        const c = marker.counts;
        dayDone(day, now - dayStarted, c.cases, c.cases + c.events + c.escalations + c.heads);
        dayStarted = now;
      }),
    );
    const c = manifest.counts;
    cases = c.cases;
    records = c.cases + c.events + c.escalations + c.heads;
    const sum = (format: string) => manifest.files.filter((f) => f.format === format).reduce((n, f) => n + f.bytes, 0);
    const puts = counter.of(phase)['S3 PutObjectCommand (other)'];
    const jsonl = sum('jsonl');
    const parquet = sum('parquet');
    extra.counts = c;
    extra.bytes = { jsonl, parquet, markersAndManifest: (puts?.bytes ?? 0) - jsonl - parquet, files: manifest.files.length };
  }
  const wallMs = performance.now() - started;
  console.log(MEASURE_END);
  sampler.stop();
  heap.stop();

  if (phase === 'export') {
    // After the measurement: every head row says whether the chain of the exported events verified.
    let invalid = 0;
    for (const key of await app.exportStore.list(`exports/${period.from}_${period.to}/`)) {
      if (!/\/heads-\d+\.jsonl$/.test(key)) continue;
      const bytes = await app.exportStore.get(key);
      for (const line of new TextDecoder().decode(bytes).split('\n')) if (line && (JSON.parse(line) as { chainValid?: boolean }).chainValid !== true) invalid += 1;
    }
    extra.headsChainInvalid = invalid;
  }
  const report: PhaseReport = {
    phase,
    period,
    wallMs: round(wallMs),
    cases,
    records,
    itemsRead,
    // The index phase: the median of its passes (each reads every case once).
    recordsPerSecond: passRates.length > 0 ? median(passRates) : round((records / wallMs) * 1000),
    casesPerSecond: passRates.length > 0 ? median(passRates) : round((cases / wallMs) * 1000),
    ...(passRates.length > 0 ? { passRates } : {}),
    ...extra,
    days,
    requests: counter.of(phase),
    rss: { startBytes, loadedBytes, sampledPeakBytes: sampler.peak(), maxRssBytes: sampler.maxRss(), ...heap.peaks() },
  };
  console.log(JSON.stringify(report));
  return 0;
}

// ---------------------------------------------------------------------------------------------
// The parent: stand-ins, cases, the phases, the report.

type ChildReport = PhaseReport & { cpuCores: Record<string, number> };

/** Where the children's bundle is written (inside the repository, so that the AWS SDK resolves from node_modules, as Lambda's runtime provides it). */
const CHILD_BUNDLE = join(ROOT, '.bench', 'export', 'export-child.cjs');

/**
 * Bundles bench/export-child.ts as infra/constructs/caseflow-function.ts bundles a function (esbuild,
 * CommonJS, minified, the AWS SDK and playwright-core left out, vega-canvas's browser build).
 */
async function childBundle(keepNames = false): Promise<void> {
  await build({
    entryPoints: [join(ROOT, 'bench', 'export-child.ts')],
    outfile: CHILD_BUNDLE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // Minified as CDK bundles; a profile keeps the functions' names (whitespace and syntax still minified).
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: !keepNames,
    logLevel: 'error',
    external: ['@aws-sdk/*', 'playwright-core'],
    alias: { 'vega-canvas': join(ROOT, 'node_modules', 'vega-canvas', 'build', 'vega-canvas.browser.js') },
  });
}

interface ExportChildOptions {
  profileDir?: string | undefined;
  memoryMb: number;
}

function runChild(phase: string, period: ExportPeriod, env: Record<string, string>, standIns: Record<string, number[]>, exportOptions: ExportChildOptions): Promise<ChildReport> {
  const profileDir = phase === 'export' ? exportOptions.profileDir : undefined;
  // Node's own file names (CPU.<date>.<time>.<pid>.<thread>.<n>): tsx's loader runs in a thread of its own, with a profile of its own.
  const profile = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
  // The bundle of bench/export-child.ts (childBundle) under the heap Lambda gives the function: the code as Lambda runs it.
  const args = [...lambdaNodeArgs(exportOptions.memoryMb), ...profile, CHILD_BUNDLE, '--child', phase, '--from', period.from, '--to', period.to];
  return runChildPhase(phase, args, env, standIns);
}

const mib = (bytes: number) => `${round(bytes / MiB)} MiB`;
const cpuOf = (r: ChildReport, name: string) => r.cpuCores[name] ?? Number.NaN;
const cores = (r: ChildReport) => Object.entries(r.cpuCores).map(([k, v]) => (k.includes('%') ? `${k} ${v}` : `${k} ${v} cores`)).join(', ');
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const n0 = (n: number) => Math.round(n).toLocaleString('en-GB');

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: process.env.EXPORT_BENCH_CASES ?? '100000' },
      days: { type: 'string', default: '10' },
      'first-days': { type: 'string', default: '1' },
      'on-disk': { type: 'boolean', default: false },
      'work-dir': { type: 'string' },
      profile: { type: 'string' },
      memory: { type: 'string', default: String(EXPORT_STEP_MEMORY_MB) },
      tag: { type: 'string' },
      child: { type: 'string' },
      from: { type: 'string', default: '' },
      to: { type: 'string', default: '' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values.child) return child(values.child, { from: values.from, to: values.to });
  const days = positiveInt(values.days, 'days');
  const cases = positiveInt(values.cases, 'cases', days);
  const firstDays = Math.min(days, positiveInt(values['first-days'], 'first-days'));
  const memoryMb = positiveInt(values.memory, 'memory', 128);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const machine = machineFacts();
  const date = new Date().toISOString();
  const benchStarted = performance.now();
  console.log(`export bench, ${date}\nmachine: ${describeMachine(machine)}`);
  console.log(`children run as Lambda's Node.js runtime runs a ${memoryMb} MB function: node ${lambdaNodeArgs(memoryMb).join(' ')}`);
  const busyBefore = await sampleMachineBusy(2000);
  console.log(`machine ${busyBefore}% busy before the bench started (other processes)`);
  if (busyBefore > 20) console.log('warning: the machine is busy with other work; throughput will be lower than on an idle machine.');

  // The days: ended, the last one two days before today (an export covers days that have ended).
  const todayMs = Date.parse(`${isoDay(Date.now())}T00:00:00.000Z`);
  const firstDayMs = todayMs - (days + 1) * DAY_MS;
  const allDays = Array.from({ length: days }, (_, d) => isoDay(firstDayMs + d * DAY_MS));
  const periods = [
    { label: 'first', period: { from: allDays[0] ?? '', to: allDays[firstDays - 1] ?? '' } },
    ...(firstDays < days ? [{ label: 'all', period: { from: allDays[0] ?? '', to: allDays[days - 1] ?? '' } }] : []),
  ];

  const work = mkdtempSync(join(values['work-dir'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'caseflow-bench-export-'));
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
    EXPORTS_BUCKET: BUCKET,
    EXPORT_SIGNING_KEY_DIR: join(work, 'export-signing'),
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const doc = createDocumentClient(env);
  try {
    await ensureTable(dynamo.endpoint, TABLE, credentials);
    const seed = randomBytes(6).toString('hex');

    // 1. The cases: templates through the use cases, then copies made a chunk at a time while the
    //    chunk before is written.
    console.log(`\n[1/3] making ${n0(cases)} cases over ${days} days (${n0(cases / days)} a day) and loading their items (DynamoDB Local ${values['on-disk'] ? 'on disk' : 'in memory'}, s3rver in ${work})…`);
    const templates = await makeTemplates(TEMPLATES_PER_KIND, firstDayMs - 3 * DAY_MS);
    for (const { kind } of TEMPLATE_KINDS) {
      const t = templates.find((x) => x.kind === kind);
      console.log(`  template ${kind}: ${t?.events} events, ${t?.escalations} escalation records, ${t?.outbox} outbox messages`);
    }
    const expected = new Map(allDays.map((d) => [d, { cases: 0, events: 0, escalations: 0 }]));
    const loadStarted = performance.now();
    let itemsLoaded = 0;
    let makeMs = 0;
    let writing: Promise<void> = Promise.resolve();
    const CHUNK = 500;
    const perDay = cases / days;
    for (let from = 0; from < cases; from += CHUNK) {
      const made = performance.now();
      const items: Record<string, unknown>[] = [];
      for (let n = from; n < Math.min(cases, from + CHUNK); n += 1) {
        const day = Math.floor(n / perDay);
        const inDay = n - Math.ceil(day * perDay);
        // Spread over the day, each case at its own millisecond.
        const updatedMs = firstDayMs + day * DAY_MS + Math.floor(((inDay + 0.5) * DAY_MS) / Math.ceil(perDay));
        const copy = copyCase(templateOf(templates, TEMPLATES_PER_KIND, n), benchCaseId(seed, n), reference(n), updatedMs);
        const e = expected.get(isoDay(updatedMs));
        if (!e) throw new Error(`case ${n} fell outside the days`);
        e.cases += 1;
        e.events += copy.events.length;
        e.escalations += copy.escalations.length;
        items.push(...copy.items);
      }
      makeMs += performance.now() - made;
      await writing;
      itemsLoaded += items.length;
      writing = batchWrite(doc, TABLE, items, LOAD_IN_FLIGHT);
      if ((from / CHUNK) % 20 === 19) {
        const s = (performance.now() - loadStarted) / 1000;
        process.stdout.write(`  ${Math.min(cases, from + CHUNK)}/${cases} cases, ${itemsLoaded} items, ${round(s)} s (${n0(itemsLoaded / s)} items/s)\n`);
      }
    }
    await writing;
    const loadS = (performance.now() - loadStarted) / 1000;
    const totals = [...expected.values()].reduce((a, e) => ({ cases: a.cases + e.cases, events: a.events + e.events, escalations: a.escalations + e.escalations }), { cases: 0, events: 0, escalations: 0 });
    console.log(
      `loaded ${n0(itemsLoaded)} items of ${n0(cases)} cases in ${round(loadS)} s (making them: ${round(makeMs / 1000)} s): ${round(totals.events / cases, 2)} events and ${round(totals.escalations / cases, 2)} escalation records a case, ` +
        `${round((totals.events + totals.escalations) / cases + 2, 2)} export records a case`,
    );

    // 2. For each size: the index Query, the bare reads, the export, the index Query again.
    const standIns = { 'DynamoDB Local': dynamo.process.pid === undefined ? [] : [dynamo.process.pid], s3rver: s3local.process.pid === undefined ? [] : [s3local.process.pid] };
    const phase = async (name: string, period: ExportPeriod) => {
      const started = performance.now();
      const r = await runChild(name, period, env, standIns, { profileDir: values.profile, memoryMb });
      console.log(
        `${name} ${period.from}..${period.to}: ${n0(r.cases)} cases, ${n0(r.records)} records in ${round(r.wallMs / 1000, 2)} s = ${n0(r.recordsPerSecond)} records/s, ${n0(r.casesPerSecond)} cases/s; ` +
          `child peak RSS ${mib(r.rss.maxRssBytes)} (${round((performance.now() - started) / 1000)} s with start-up)`,
      );
      console.log(`  CPU over the measured run, in cores: ${Object.entries(r.cpuCores).map(([k, v]) => `${k} ${v}`).join(', ')}`);
      console.log(`  requests: ${Object.entries(r.requests).map(([k, v]) => `${k} × ${n0(v.requests)}`).join('; ')}`);
      return r;
    };
    const sizes: { label: string; period: ExportPeriod; expectedCases: number; indexBefore: ChildReport; reads: ChildReport; exported: ChildReport; indexAfter: ChildReport }[] = [];
    await childBundle(values.profile !== undefined);
    for (const [i, { label, period }] of periods.entries()) {
      const expectedCases = daysOf(period).reduce((n, d) => n + (expected.get(d)?.cases ?? 0), 0);
      console.log(`\n[2/3] size ${i + 1} of ${periods.length}: ${daysOf(period).length} days, ${n0(expectedCases)} cases (each phase a child process)`);
      const indexBefore = await phase('index', period);
      const reads = await phase('reads', period);
      const exported = await phase('export', period);
      const indexAfter = await phase('index', period);
      sizes.push({ label, period, expectedCases, indexBefore, reads, exported, indexAfter });
    }

    // 3. The report.
    const rows: TargetResult[] = [];
    const summary = sizes.map((s) => {
      const passes = [...(s.indexBefore.passRates ?? []), ...(s.indexAfter.passRates ?? [])];
      const ceiling = median(passes);
      const ofCeiling = s.exported.recordsPerSecond / ceiling;
      const ofReads = s.exported.recordsPerSecond / s.reads.recordsPerSecond;
      const e = daysOf(s.period).reduce((a, d) => {
        const x = expected.get(d);
        return { cases: a.cases + (x?.cases ?? 0), events: a.events + (x?.events ?? 0), escalations: a.escalations + (x?.escalations ?? 0) };
      }, { cases: 0, events: 0, escalations: 0 });
      const c = s.exported.counts;
      const complete = c !== undefined && c.cases === e.cases && c.events === e.events && c.escalations === e.escalations && c.heads === e.cases && s.exported.headsChainInvalid === 0;
      const dayMs = s.exported.days.map((d) => d.ms);
      const title = `${n0(s.exported.cases)} cases (${daysOf(s.period).length} day${daysOf(s.period).length > 1 ? 's' : ''})`;
      rows.push(
        { measure: `export, ${title}: runExport`, result: `${n0(s.exported.recordsPerSecond)} records/s, ${n0(s.exported.casesPerSecond)} cases/s (${n0(s.exported.records)} records in ${round(s.exported.wallMs / 1000, 1)} s)`, target: '-', pass: null },
        { measure: `ceiling, ${title}: bare index Query, every shard of every day`, result: `${n0(ceiling)} records/s, median of ${passes.length} passes (before the export ${s.indexBefore.passRates?.map(n0).join(', ')}; after ${s.indexAfter.passRates?.map(n0).join(', ')})`, target: '-', pass: null },
        { measure: `export / ceiling, ${title}`, result: `${round(ofCeiling * 100)}%`, target: `>= ${TARGETS.ofCeiling * 100}%`, pass: ofCeiling >= TARGETS.ofCeiling },
        { measure: `bare reads, ${title}: index Query + a partition Query a case, ${READS_IN_FLIGHT} in flight`, result: `${n0(s.reads.recordsPerSecond)} records/s, ${n0(s.reads.casesPerSecond)} cases/s; export at ${round(ofReads * 100)}% of it`, target: '-', pass: null },
        { measure: `peak RSS of the export process (V8 flags of a ${memoryMb} MB function), ${title}`, result: `${mib(s.exported.rss.maxRssBytes)} (before the first request ${mib(s.exported.rss.loadedBytes)}; V8 heap peak ${mib(s.exported.rss.heapPeakBytes)} of a ${mib(s.exported.rss.heapLimitBytes)} limit, buffers ${mib(s.exported.rss.externalPeakBytes)})`, target: `< ${TARGETS.peakRssMiB} MiB`, pass: s.exported.rss.maxRssBytes < TARGETS.peakRssMiB * MiB },
        { measure: `every case, event, escalation and head exported, chains valid, ${title}`, result: c ? `${n0(c.cases)} / ${n0(c.events)} / ${n0(c.escalations)} / ${n0(c.heads)}; ${s.exported.headsChainInvalid ?? '?'} invalid` : 'no counts', target: `${n0(e.cases)} / ${n0(e.events)} / ${n0(e.escalations)} / ${n0(e.cases)}; 0`, pass: complete },
        { measure: `time a day, ${title}`, result: `${round(Math.min(...dayMs) / 1000, 1)}–${round(Math.max(...dayMs) / 1000, 1)} s`, target: '-', pass: null },
        { measure: `bytes written, ${title}`, result: `JSON Lines ${mib(s.exported.bytes?.jsonl ?? 0)}, Parquet ${mib(s.exported.bytes?.parquet ?? 0)} (${n0(s.exported.bytes?.files ?? 0)} files; ${round((s.exported.bytes?.jsonl ?? 0) / s.exported.cases / 1024, 1)} + ${round((s.exported.bytes?.parquet ?? 0) / s.exported.cases / 1024, 1)} KiB a case)`, target: '-', pass: null },
        { measure: `CPU during the export, ${title}`, result: `${cores(s.exported)}; the export process ${round((cpuOf(s.exported, 'export process') * s.exported.wallMs) / s.exported.cases, 2)} ms a case (bare reads: ${round((cpuOf(s.reads, 'reads process') * s.reads.wallMs) / s.reads.cases, 2)} ms)`, target: '-', pass: null },
      );
      return { label: s.label, period: s.period, cases: s.exported.cases, ceiling, ofCeiling, ofReads, complete, msPerCase: s.exported.wallMs / s.exported.cases };
    });
    const [small, large] = summary;
    if (small && large) {
      const growth = large.msPerCase / small.msPerCase;
      rows.push({
        measure: `time per case, ${n0(large.cases)} vs ${n0(small.cases)} cases`,
        result: `${round(large.msPerCase, 3)} vs ${round(small.msPerCase, 3)} ms (x${round(growth, 2)}; time x${round((large.msPerCase * large.cases) / (small.msPerCase * small.cases), 2)} for x${round(large.cases / small.cases, 2)} the cases)`,
        target: `linear: <= x${TARGETS.linearTolerance}`,
        pass: growth <= TARGETS.linearTolerance,
      });
    }
    printTargets(`Compliance export of ${n0(cases)} cases over ${days} days`, rows);

    const file = writeResults(values.tag ? `export/results-${values.tag}` : 'export/results', {
      date,
      machine,
      busyBefore,
      options: { cases, days, firstDays, lambdaMemoryMb: memoryMb, childNodeArgs: lambdaNodeArgs(memoryMb), profiled: values.profile !== undefined, readsInFlight: READS_IN_FLIGHT, dynamoDbLocal: values['on-disk'] ? 'on disk' : 'in memory', templatesPerKind: TEMPLATES_PER_KIND },
      seconds: { load: round(loadS), make: round(makeMs / 1000), total: round((performance.now() - benchStarted) / 1000) },
      loadItemsPerSecond: round(itemsLoaded / loadS),
      load: { items: itemsLoaded, ...totals, templates: templates.map(({ kind, events, escalations, outbox }) => ({ kind, events, escalations, outbox })) },
      sizes,
      summary,
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
