/**
 * Email ingestion: raw messages through the email-ingest handler in process,
 * as the SES S3 action and the Lambda trigger would run them, against DynamoDB Local and s3rver
 * started here. Phase 1 puts each raw message into the inbound bucket and then invokes the handler
 * with the S3 ObjectCreated event (delivery + ingestion); phase 2 stores as many new messages
 * first and times the handler alone (S3 event -> case: the target). Reports messages/s,
 * per-message latency, CPU per process, peak RSS, and the bare mailparser parse rate on the same
 * messages as the ceiling. Then a message with 25 MB of attachments and a text-only one of the
 * same size are each ingested in a child process whose peak RSS is measured.
 *
 * The messages are the corpus (../shared/corpora/email, else test/fixtures/email), repeated with
 * a unique Message-ID written into the raw bytes, so every one is a new message, not a duplicate.
 */
import '../local/polyfills';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import type { Context, S3Event } from 'aws-lambda';
import MailComposer from 'nodemailer/lib/mail-composer';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable, LOCAL_NAMES } from '../local/resources';
import { objectCreatedEvent } from '../local/s3-event';
import { startS3Local } from '../local/s3-local';
import { cpuMeter, type CpuReport } from './lib/cpu-usage';
import { describeMachine, machineFacts } from './lib/machine';
import { corpusFiles } from '../scripts/corpus-files';
import { ROOT } from './lib/paths';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { round, summarize } from './lib/stats';
import { newStandInCredentials, type StandInCredentials } from '../local/stand-in-credentials';

const TARGETS = { messagesPerSecond: 100, largeMessageRssMiB: 256 };
const MiB = 1024 * 1024;
const SUPPORT = 'support@caseflow.local';

const HELP = `Usage: npm run bench -- email [options]

  --messages <n>      messages to ingest (default 5000): the corpus repeated with unique Message-IDs
  --concurrency <n>   messages in flight at once (default 8)
  --warmup <n>        messages ingested first and not counted (default 2000): module load, connections,
                      and DynamoDB Local's JVM compiling its hot paths
  --large-mb <n>      attachment payload of the large message, in 5 MB attachments (default 25)
  --corpus <dir>      mail to use (default ../shared/corpora/email, else test/fixtures/email)
  --work-dir <dir>    where s3rver keeps its objects (default /dev/shm when present, else the temp dir)
  -h, --help          this text

Internal: --child-large <key> ingests one stored object in this process (run by the bench itself
with --max-old-space-size=200) and prints its figures as JSON.`;

type Handler = (event: S3Event, context: Context) => Promise<{ outcomes: { outcome: string; reason?: string }[] }>;


function corpus(dir: string | undefined): { dir: string; files: Buffer[] } {
  const shared = join(ROOT, '../shared/corpora/email');
  const chosen = dir ?? (existsSync(shared) ? shared : join(ROOT, 'test/fixtures/email'));
  const paths = corpusFiles(chosen).filter((p) => (dir !== undefined || existsSync(shared) || p.endsWith('.eml')));
  if (paths.length === 0) throw new Error(`no messages in ${chosen}`);
  return { dir: chosen, files: paths.map((p) => readFileSync(p)) };
}

/**
 * The raw message with its Message-ID header (and any folded continuation lines) replaced by a
 * generated one at the top; everything else is byte for byte the original (latin1 keeps bytes).
 */
export function withMessageId(raw: Buffer, messageId: string): Buffer {
  const text = raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const rest = end < 0 ? '' : text.slice(end);
  const newline = head.includes('\r\n') ? '\r\n' : '\n';
  const cleaned = head.replace(/^Message-ID:[^\n]*\n?(?:[ \t][^\n]*\n?)*/gim, '');
  return Buffer.from(`Message-ID: <${messageId}>${newline}${cleaned}${rest}`, 'latin1');
}


function environment(dynamodb: string, s3: string, table: string, credentials: StandInCredentials) {
  return {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    TABLE_NAME: table,
    DYNAMODB_ENDPOINT: dynamodb,
    S3_ENDPOINT: s3,
    SENDER_EMAIL: LOCAL_NAMES.senderEmail,
    INBOUND_BUCKET: LOCAL_NAMES.inboundBucket,
    ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket,
    SUPPORT_ADDRESSES: SUPPORT,
    COMPLAINTS_ADDRESSES: LOCAL_NAMES.complaintsEmail,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  };
}

/** Samples RSS every few milliseconds; `process.resourceUsage().maxRSS` gives the kernel's peak too. */
function rssSampler(intervalMs = 10) {
  // memoryUsage.rss() alone: memoryUsage() also walks the V8 heap, which costs the run measured
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), intervalMs);
  return {
    peak: () => Math.max(peak, process.memoryUsage.rss()),
    reset: () => (peak = process.memoryUsage.rss()),
    stop: () => clearInterval(timer),
  };
}

/** The child: one stored large message through the handler, in a process limited like a 256 MB Lambda. */
async function childLarge(key: string, size: number): Promise<number> {
  const sampler = rssSampler(5);
  const baseline = process.memoryUsage().rss;
  const { handler } = (await import('../functions/handlers/email-ingest')) as { handler: Handler };
  const { lambdaContext } = await import('../local/lambda-context');
  const loaded = process.memoryUsage().rss;
  const started = performance.now();
  let outcome = 'error';
  let error: string | undefined;
  try {
    const out = await handler(objectCreatedEventFor(LOCAL_NAMES.inboundBucket, key, size), lambdaContext('email-ingest', 120_000));
    outcome = out.outcomes[0]?.outcome ?? 'no outcome';
  } catch (e) {
    error = e instanceof Error ? `${e.name}: ${e.message}` : 'error';
  }
  const ms = performance.now() - started;
  sampler.stop();
  console.log(JSON.stringify({ outcome, error, ms, baselineRss: baseline, loadedRss: loaded, sampledPeakRss: sampler.peak(), maxRss: process.resourceUsage().maxRSS * 1024 }));
  return error ? 1 : 0;
}

async function largeMessage(payloadMb: number): Promise<Buffer> {
  const count = Math.max(1, Math.round(payloadMb / 5));
  const each = Math.round((payloadMb * MiB) / count);
  return new MailComposer({
    from: 'Large Sender <large.sender@example.net>',
    to: SUPPORT,
    subject: 'Scans of the damaged delivery',
    text: 'Please find the scans attached.',
    messageId: `<bench-large-${Date.now()}@example.net>`,
    attachments: Array.from({ length: count }, (_, i) => ({ filename: `scan-${i + 1}.bin`, content: randomBytes(each), contentType: 'application/octet-stream' })),
  })
    .compile()
    .build();
}

/** A text-only message of about the same raw size: mailparser holds a text part whole, so this is the handler's worst case. */
async function largeTextMessage(rawBytes: number): Promise<Buffer> {
  const line = 'The parcel arrived with the box crushed on one side and two of the plates broken. ';
  return new MailComposer({
    from: 'Long Writer <long.writer@example.net>',
    to: SUPPORT,
    subject: 'Everything that went wrong with my order',
    text: line.repeat(Math.ceil(rawBytes / 1.05 / line.length)),
    messageId: `<bench-large-text-${Date.now()}@example.net>`,
  })
    .compile()
    .build();
}

function runChild(key: string, size: number, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=200', '--import', 'tsx', join(ROOT, 'bench/run.ts'), 'email', '--child-large', key, '--child-size', String(size)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Cores each process used, and the CPU milliseconds that makes per message. */
const fmtCpu = (c: CpuReport, rate: number) =>
  `${Object.entries(c.cores)
    .map(([k, v]) => `${k.replace('load generator (this process)', 'bench process (handler + S3 puts)')} ${v} cores = ${round((v * 1000) / rate, 1)} ms/message`)
    .join(', ')}; machine ${c.machineBusyPercent}% busy`;

const mib = (bytes: number) => `${round(bytes / MiB)} MiB`;

const objectCreatedEventFor = (bucket: string, key: string, size: number) => objectCreatedEvent({ bucket, key, size, principal: 'BENCH', configurationId: 'bench-email' });

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string', default: '5000' },
      concurrency: { type: 'string', default: '8' },
      warmup: { type: 'string', default: '2000' },
      'large-mb': { type: 'string', default: '25' },
      corpus: { type: 'string' },
      'work-dir': { type: 'string' },
      'child-large': { type: 'string' },
      'child-size': { type: 'string', default: '0' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  if (values['child-large']) return childLarge(values['child-large'], Number(values['child-size']));
  const total = Number(values.messages);
  const concurrency = Number(values.concurrency);
  const largeMb = Number(values['large-mb']);
  const warmup = Number(values.warmup);
  if (!Number.isInteger(warmup) || warmup < 0) throw new Error('--warmup must be a whole number');
  if (!Number.isInteger(total) || total < 1) throw new Error('--messages must be a whole number of at least 1');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error('--concurrency must be a whole number of at least 1');
  if (!(largeMb > 0)) throw new Error('--large-mb must be positive');

  const machine = machineFacts();
  const { dir, files } = corpus(values.corpus);
  console.log(`email bench: ${total} messages (${files.length} distinct from ${relative(ROOT, dir) || dir}), concurrency ${concurrency}, on ${describeMachine(machine)}`);

  // s3rver keeps objects as files: on tmpfs when the machine has one, as DynamoDB Local runs in memory,
  // so that the stand-ins' disk writes do not count against the handler.
  const work = mkdtempSync(join(values['work-dir'] ?? (existsSync('/dev/shm') ? '/dev/shm' : tmpdir()), 'caseflow-bench-email-'));
  const credentials = newStandInCredentials();
  const [dynamo, s3local] = await Promise.all([
    startDynamoDbLocal({ credentials }),
    startS3Local({ dataDir: join(work, 's3'), buckets: [LOCAL_NAMES.inboundBucket, LOCAL_NAMES.archiveBucket], credentials }),
  ]);
  const tableName = 'bench-email';
  await ensureTable(dynamo.endpoint, tableName, credentials);
  const env = environment(dynamo.endpoint, s3local.endpoint, tableName, credentials);
  Object.assign(process.env, env);
  const sampler = rssSampler(50);
  const standIns = () => ({ 'DynamoDB Local': dynamo.process.pid ? [dynamo.process.pid] : [], s3rver: s3local.process.pid ? [s3local.process.pid] : [] });
  const meter = cpuMeter(standIns);
  try {
    // Modules that read the environment at load come after it is set.
    const { handler } = (await import('../functions/handlers/email-ingest')) as { handler: Handler };
    const { parseMime } = await import('../functions/adapters/email/parse-mime');
    const { createS3Client } = await import('../functions/adapters/s3-blob-store');
    const { lambdaContext } = await import('../local/lambda-context');
    const s3 = createS3Client({ AWS_REGION: 'us-east-1', S3_ENDPOINT: s3local.endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    const runId = Date.now().toString(36);
    const message = (i: number) => withMessageId(files[i % files.length] ?? Buffer.alloc(0), `bench-${runId}-${i}@bench.caseflow.example`);

    // Warm-up, not counted: module load, first connections, and the JIT of DynamoDB Local's JVM
    // (its CPU per request falls by about a third over the first few thousand requests).
    let warmNext = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = warmNext++; i < warmup; i = warmNext++) {
          const raw = withMessageId(files[i % files.length] ?? Buffer.alloc(0), `warm-${runId}-${i}@bench.caseflow.example`);
          const key = `warm/${runId}/${i}`;
          await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
          await handler(objectCreatedEventFor(LOCAL_NAMES.inboundBucket, key, raw.length), lambdaContext('email-ingest'));
        }
      }),
    );

    sampler.reset();
    meter.start();
    const endToEnd: number[] = [];
    const handlerOnly: number[] = [];
    const outcomes = new Map<string, number>();
    let failures = 0;
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = next++; i < total; i = next++) {
          const raw = message(i);
          const key = `inbound/${runId}/${i}`;
          const t0 = performance.now();
          try {
            await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
            const t1 = performance.now();
            const out = await handler(objectCreatedEventFor(LOCAL_NAMES.inboundBucket, key, raw.length), lambdaContext('email-ingest'));
            const t2 = performance.now();
            endToEnd.push(t2 - t0);
            handlerOnly.push(t2 - t1);
            for (const o of out.outcomes) {
              const label = o.outcome === 'quarantined' && o.reason ? `quarantined (${o.reason})` : o.outcome;
              outcomes.set(label, (outcomes.get(label) ?? 0) + 1);
            }
          } catch {
            failures += 1;
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = meter.stop();
    const rate = endToEnd.length / seconds;
    const peakRss = sampler.peak();
    const e2e = summarize(endToEnd);
    const inHandler = summarize(handlerOnly);

    // The handler alone: the same number of new messages stored first (SES's S3 action's part in
    // AWS), then only the handler runs on their ObjectCreated events, from S3 read to case written.
    const stagedKey = (i: number) => `inbound/${runId}/staged-${i}`;
    let stageNext = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = stageNext++; i < total; i = stageNext++) {
          const raw = withMessageId(files[i % files.length] ?? Buffer.alloc(0), `bench-${runId}-staged-${i}@bench.caseflow.example`);
          await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: stagedKey(i), Body: raw }));
        }
      }),
    );
    const stagedSizes = Array.from({ length: total }, (_, i) => files[i % files.length]?.length ?? 0);
    const stagedLatency: number[] = [];
    let stagedFailures = 0;
    let stagedNext = 0;
    const stagedMeter = cpuMeter(standIns);
    stagedMeter.start();
    const stagedStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        for (let i = stagedNext++; i < total; i = stagedNext++) {
          const t0 = performance.now();
          try {
            await handler(objectCreatedEventFor(LOCAL_NAMES.inboundBucket, stagedKey(i), stagedSizes[i] ?? 0), lambdaContext('email-ingest'));
            stagedLatency.push(performance.now() - t0);
          } catch {
            stagedFailures += 1;
          }
        }
      }),
    );
    const stagedSeconds = (performance.now() - stagedStarted) / 1000;
    const stagedCpu = stagedMeter.stop();
    const stagedRate = stagedLatency.length / stagedSeconds;
    const staged = summarize(stagedLatency);
    console.log(`handler alone on ${stagedLatency.length} stored messages in ${round(stagedSeconds)} s; ${stagedFailures} failed`);
    console.log(`CPU, handler alone: ${fmtCpu(stagedCpu, stagedRate)}`);

    // The ceiling: mailparser alone (through parseMime) on the same messages, one at a time.
    const parseCount = Math.min(total, 2000);
    const parseStarted = performance.now();
    for (let i = 0; i < parseCount; i++) await parseMime(message(i));
    const parseRate = parseCount / ((performance.now() - parseStarted) / 1000);
    console.log(`ingested ${endToEnd.length} in ${round(seconds)} s; outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; ${failures} failed`);
    console.log(`CPU during ingestion: ${fmtCpu(cpu, endToEnd.length / seconds)}`);

    // The large messages: built here, stored, and each ingested in a child limited like a 256 MB Lambda.
    type LargeResult = { outcome: string; error?: string; ms: number; baselineRss: number; loadedRss: number; sampledPeakRss: number; maxRss: number };
    const ingestLarge = async (label: string, raw: Buffer) => {
      const key = `inbound/${runId}/${label}`;
      await s3.send(new PutObjectCommand({ Bucket: LOCAL_NAMES.inboundBucket, Key: key, Body: raw }));
      const child = await runChild(key, raw.length, env);
      let result: LargeResult | undefined;
      try {
        result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as LargeResult;
      } catch {
        result = undefined;
      }
      const peak = result ? Math.max(result.maxRss, result.sampledPeakRss) : Number.NaN;
      if (result) console.log(`${label} message child: RSS ${mib(result.baselineRss)} at start, ${mib(result.loadedRss)} with the handler loaded, peak ${mib(peak)}`);
      if (!result || result.error) console.error(`${label} message child (exit ${child.code}): ${result?.error ?? child.stderr.slice(-1500)}`);
      return { raw, code: child.code, result, peak, ok: child.code === 0 && result !== undefined && !result.error };
    };
    let large: Buffer | undefined = await largeMessage(largeMb);
    const withAttachments = await ingestLarge('large', large);
    large = undefined;
    const textOnly = await ingestLarge('large-text', await largeTextMessage(withAttachments.raw.length));
    s3.destroy();
    const largeOk = withAttachments.ok && withAttachments.peak <= TARGETS.largeMessageRssMiB * MiB;
    const largeResult = withAttachments.result;
    const largePeak = withAttachments.peak;

    const rows: TargetResult[] = [
      {
        measure: 'Ingestion by the handler: S3 event -> case (messages stored first)',
        result: `${round(stagedRate)} messages/s`,
        target: `>= ${TARGETS.messagesPerSecond} messages/s`,
        pass: stagedRate >= TARGETS.messagesPerSecond && stagedFailures === 0,
      },
      { measure: 'Per message, handler on stored messages p50 / p99', result: `${staged.p50} / ${staged.p99} ms`, target: '-', pass: null },
      { measure: 'Delivery + ingestion (PutObject, then the handler)', result: `${round(rate)} messages/s`, target: '-', pass: failures === 0 ? null : false },
      { measure: 'Per message, put + handler p50 / p99', result: `${e2e.p50} / ${e2e.p99} ms`, target: '-', pass: null },
      { measure: 'Per message, handler part of put + handler p50 / p99', result: `${inHandler.p50} / ${inHandler.p99} ms`, target: '-', pass: null },
      { measure: 'Peak RSS of the bench process (ingestion)', result: mib(peakRss), target: '-', pass: null },
      { measure: 'Ceiling: parseMime (mailparser) alone, 1 at a time', result: `${round(parseRate)} messages/s`, target: '-', pass: null },
      {
        measure: `Large message (${mib(withAttachments.raw.length)} raw, ${largeMb} MB attachments), peak RSS`,
        result: largeResult ? `${mib(largePeak)} (${largeResult.outcome}, ${round(largeResult.ms / 1000, 2)} s)` : 'failed',
        target: `<= ${TARGETS.largeMessageRssMiB} MiB, succeeds`,
        pass: largeOk,
      },
      {
        measure: `Large text-only message (${mib(textOnly.raw.length)} raw), peak RSS`,
        result: textOnly.result ? `${mib(textOnly.peak)} (${textOnly.result.outcome}, ${round(textOnly.result.ms / 1000, 2)} s)` : 'failed',
        target: '-',
        pass: null,
      },
    ];
    printTargets('Email ingestion', rows);
    const file = writeResults('email', {
      date: new Date().toISOString(),
      machine,
      corpus: { dir: relative(ROOT, dir) || dir, distinct: files.length },
      messages: total,
      concurrency,
      seconds: round(seconds, 2),
      messagesPerSecond: round(rate),
      cpu,
      failures,
      handlerAlone: { messagesPerSecond: round(stagedRate), seconds: round(stagedSeconds, 2), failures: stagedFailures, latencyMs: staged, cpu: stagedCpu },
      outcomes: Object.fromEntries(outcomes),
      endToEndMs: e2e,
      handlerMs: inHandler,
      peakRssBytes: peakRss,
      parseCeiling: { messages: parseCount, messagesPerSecond: round(parseRate) },
      large: { rawBytes: withAttachments.raw.length, attachmentMb: largeMb, childExitCode: withAttachments.code, ...largeResult, peakRssBytes: largePeak },
      largeText: { rawBytes: textOnly.raw.length, childExitCode: textOnly.code, ...textOnly.result, peakRssBytes: textOnly.peak },
      targets: TARGETS,
    });
    console.log(`\nresults: ${relative(ROOT, file)}`);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    sampler.stop();
    await Promise.all([dynamo.stop(), s3local.stop()]);
    rmSync(work, { recursive: true, force: true });
  }
}
