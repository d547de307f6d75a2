/**
 * Intake: web-form submissions through the local gateway (started as `npm start`
 * does), compared with the bare PutItem and TransactWriteItems rates of the same DynamoDB Local;
 * the intake Lambda's bundle size and module-load time. docs/benchmarks.md has the results.
 */
import { randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, PutItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { captureCaseTransaction, describeSizes, replayCaseTransaction } from './lib/case-transaction';
import { closedLoop, type LoadResult } from './lib/closed-loop';
import { cpuMeter, sampleMachineBusy, type CpuReport } from './lib/cpu-usage';
import { itemSize } from './lib/dynamo-item-size';
import { bundleLikeNodejsFunction, measureModuleLoad } from './lib/lambda-bundle';
import { withLocalStack, type StackProcess } from './lib/local-stack-process';
import { describeMachine, machineFacts } from './lib/machine';
import { ROOT } from './lib/paths';
import { kib, printTargets, writeResults, type TargetResult } from './lib/report';
import { round } from './lib/stats';
import { readStandInCredentials } from '../local/stand-in-credentials';
import { positiveInt } from './lib/args';

const TARGETS = {
  /** Intake throughput as a share of bare PutItem throughput on the same DynamoDB Local. */
  ceilingShare: 0.5,
  p99Ms: 150,
  bundleBytes: 300 * 1024,
  moduleLoadMs: 150,
};

const HELP = `Usage: npm run bench -- intake [options]

  --requests <n>       measured submissions, and measured PutItem calls (default 5000)
  --warmup <n>         unmeasured submissions and PutItem calls first (default 200)
  --concurrency <n>    requests in flight (default 32)
  --tx-requests <n>    measured TransactWriteItems replays of a submission's items (default 1000)
  --probe <n>          submissions one at a time before the measured run, for the latency
                       of an unloaded system (default 200; 0 skips)
  --drain-timeout <s>  how long to wait for the acknowledgements to go out after the load,
                       before the PutItem ceiling is measured (default 300; 0 does not wait)
  -h, --help           this text

Exits 0 when every target passes, 1 when one fails. Results: .bench/intake.json`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The flag's value, or the default when it is not given. */
const intFlag = (value: string | undefined, name: string, fallback: number, min = 1): number => (value === undefined ? fallback : positiveInt(value, name, min));

/** A realistic web-form submission; the customer details are made up and unique per request. */
function submission(i: number): string {
  return JSON.stringify({
    type: i % 5 === 0 ? 'complaint' : 'inquiry',
    name: `Bench Customer ${i}`,
    email: `bench.customer.${i}@example.com`,
    subject: `Question about order ${100000 + i}`,
    message:
      'Hello, I ordered a pair of walking boots two weeks ago and the tracking page has not changed since it was dispatched. ' +
      'Could you tell me where the parcel is and when I can expect it? I need them for a trip at the end of the month. Thank you.',
    privacyConsent: true,
  });
}

interface Created {
  caseId: string;
  reference: string;
  idempotencyKey: string;
}

async function submit(url: string, i: number, onCreated?: (created: Created) => void): Promise<void> {
  const idempotencyKey = randomUUID();
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
    body: submission(i),
  });
  const text = await res.text();
  if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${text.slice(0, 200)}`);
  onCreated?.({ ...(JSON.parse(text) as { caseId: string; reference: string }), idempotencyKey });
}

/** A PutItem item with distinct keys, padded to `bytes` stored bytes. */
function benchItem(n: number, bytes: number): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = {
    PK: { S: `BENCH#${n}` },
    SK: { S: 'BENCH' },
    entity: { S: 'bench' },
    createdAt: { S: new Date().toISOString() },
    n: { N: String(n) },
    payload: { S: '' },
  };
  item.payload = { S: 'x'.repeat(Math.max(0, bytes - itemSize(item))) };
  return item;
}

/** Messages the SES capture holds. */
async function sentCount(sesEndpoint: string): Promise<number> {
  const res = await fetch(`${sesEndpoint}/store`);
  if (!res.ok) throw new Error(`SES capture answered ${res.status}`);
  return ((await res.json()) as { emails: unknown[] }).emails.length;
}

/** Waits until the SES capture holds `expected` messages; resolves to the count and the seconds waited. */
async function waitForAcknowledgements(sesEndpoint: string, expected: number, timeoutS: number) {
  const started = performance.now();
  const deadline = Date.now() + timeoutS * 1000;
  for (;;) {
    const count = await sentCount(sesEndpoint);
    if (count >= expected || Date.now() > deadline) {
      return { expected, sent: count, drained: count >= expected, waitedSeconds: round((performance.now() - started) / 1000) };
    }
    await sleep(2000);
  }
}

const fmtLoad = (r: LoadResult) =>
  `${r.operations} ops at concurrency ${r.concurrency} in ${(r.wallMs / 1000).toFixed(1)} s: ${r.perSecond}/s; ` +
  `p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; errors ${r.errors}`;

const fmtCpu = (c: CpuReport) =>
  `${Object.entries(c.cores).map(([k, v]) => `${k} ${v}`).join(', ')} cores; machine ${c.machineBusyPercent}% busy`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      requests: { type: 'string' },
      warmup: { type: 'string' },
      concurrency: { type: 'string' },
      probe: { type: 'string' },
      'tx-requests': { type: 'string' },
      'drain-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const requests = intFlag(values.requests, 'requests', 5000);
  const warmup = intFlag(values.warmup, 'warmup', 200, 0);
  const concurrency = intFlag(values.concurrency, 'concurrency', 32);
  const probe = intFlag(values.probe, 'probe', 200, 0);
  const txRequests = intFlag(values['tx-requests'], 'tx-requests', 1000);
  const drainTimeoutS = intFlag(values['drain-timeout'], 'drain-timeout', 300, 0);
  const submitted = warmup + probe + requests;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const machine = machineFacts();
  const date = new Date().toISOString();
  console.log(`intake bench, ${date}\nmachine: ${describeMachine(machine)}`);
  const busyBefore = await sampleMachineBusy();
  console.log(`machine ${busyBefore}% busy before the bench started (other processes)`);
  if (busyBefore > 20) console.log('warning: the machine is busy with other work; throughput and latency will be lower than on an idle machine.');

  // 1. Bundle and module load first, while nothing else of ours is running.
  console.log('\n[1/4] bundling functions/handlers/create-case.ts like NodejsFunction…');
  const bundle = await bundleLikeNodejsFunction(join(ROOT, 'functions/handlers/create-case.ts'), join(ROOT, '.bench/intake'));
  console.log(`bundle ${bundle.bytes} B (${kib(bundle.bytes)}), gzip ${bundle.gzipBytes} B (${kib(bundle.gzipBytes)}); metafile ${bundle.metafile}`);
  console.log('largest inputs (bytes in the minified output):');
  for (const i of bundle.topInputs) console.log(`  ${String(i.bytes).padStart(8)}  ${i.path}`);
  console.log('by directory:');
  for (const d of bundle.topDirectories) console.log(`  ${String(d.bytes).padStart(8)}  ${String(d.share).padStart(5)}%  ${d.name}`);
  console.log('by package:');
  for (const p of bundle.topPackages) console.log(`  ${String(p.bytes).padStart(8)}  ${String(p.share).padStart(5)}%  ${p.name}`);

  // TABLE_NAME must be at least 3 characters (TableConfigSchema), so not "x". The SDK warns about
  // Node 20 at load; Lambda runs Node 22, where it does not, so the warning is turned off here.
  const lambdaEnv = { TABLE_NAME: 'caseflow-bench', AWS_REGION: 'us-east-1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };
  console.log('\n[2/4] module load of the bundle in 5 fresh node processes…');
  const moduleLoad = measureModuleLoad([bundle.outfile], lambdaEnv);
  console.log(`require(bundle): median ${moduleLoad.medianMs} ms (${moduleLoad.samplesMs.join(', ')}); CPU time median ${moduleLoad.medianCpuMs} ms`);
  // The externals (the SDK the runtime provides) are loaded at init too: how much of it are they?
  const outDir = join(ROOT, '.bench/intake');
  const sdkLoad = bundle.externals.length > 0 ? measureModuleLoad(bundle.externals, lambdaEnv, 5, outDir) : undefined;
  const externalLoads = bundle.externals.map((m) => {
    const { medianMs, medianCpuMs } = measureModuleLoad([m], lambdaEnv, 5, outDir);
    return { module: m, medianMs, medianCpuMs };
  });
  if (sdkLoad) console.log(`the external modules alone, all together: median ${sdkLoad.medianMs} ms (CPU ${sdkLoad.medianCpuMs} ms); each alone:`);
  for (const e of externalLoads) console.log(`  ${String(e.medianMs).padStart(7)} ms (CPU ${String(e.medianCpuMs).padStart(6)} ms)  ${e.module}`);

  // 2. Intake through the real gateway, then the PutItem ceiling of the same DynamoDB Local.
  console.log('\n[3/4] starting the local stack (npx tsx local/start.ts --port 0 --fresh)…');
  const measured = await withLocalStack(async (stack: StackProcess, signal: AbortSignal) => {
    const url = `${stack.endpoints.web}v1/cases`;
    const table = stack.endpoints.resources.table;
    const watch = () => ({ 'stack process (gateway, handlers, poller, SES)': [stack.stackPid], 'DynamoDB Local (java)': stack.dynamoPids });
    console.log(`stack up: gateway ${stack.endpoints.web}, DynamoDB Local ${stack.endpoints.dynamodb} (pid ${stack.dynamoPids.join(',')})`);

    const warm = await closedLoop(warmup, concurrency, (i) => submit(url, 1_000_000 + i), signal);
    console.log(`intake warm-up: ${fmtLoad(warm)}`);
    // Let the warm-up's acknowledgements go out, so each phase starts with no backlog.
    const settle = async (expected: number) => {
      if (drainTimeoutS > 0) await waitForAcknowledgements(stack.endpoints.ses, expected, Math.min(drainTimeoutS, 120));
    };
    await settle(warmup);
    const single = probe > 0 ? await closedLoop(probe, 1, (i) => submit(url, 2_000_000 + i), signal) : undefined;
    if (single) console.log(`intake one at a time: ${fmtLoad(single)}`);
    await settle(warmup + probe);
    let sample: Created | undefined;
    const meter = cpuMeter(watch);
    meter.start();
    const intake = await closedLoop(requests, concurrency, (i) => submit(url, i, (c) => (sample ??= c)), signal);
    const intakeCpu = meter.stop();
    const acknowledgedDuringLoad = await sentCount(stack.endpoints.ses);
    console.log(`intake: ${fmtLoad(intake)}`);
    if (intake.errorSamples.length > 0) console.log(`  first errors: ${intake.errorSamples.join(' | ')}`);
    console.log(`  CPU during intake: ${fmtCpu(intakeCpu)}`);
    console.log(`  acknowledgements sent by the end of the load: ${acknowledgedDuringLoad} of ${submitted}`);

    const client = new DynamoDBClient({
      endpoint: stack.endpoints.dynamodb,
      region: 'us-east-1',
      // The stack's own: its DynamoDB Local shows its tables to these credentials alone.
      credentials: readStandInCredentials(stack.dataDir),
      requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: concurrency }) },
    });
    try {
      if (!sample) throw new Error('no case was created');
      const template = await captureCaseTransaction(client, table, sample);
      const caseItemBytes = template.sizes.find((i) => i.sk === 'CASE')?.bytes ?? 1024;
      console.log(`what one submission writes: ${describeSizes(template)}`);

      let acknowledgements: Awaited<ReturnType<typeof waitForAcknowledgements>> | undefined;
      if (drainTimeoutS > 0) {
        console.log(`waiting up to ${drainTimeoutS} s for the ${submitted} acknowledgements (stream poller → SES capture)…`);
        acknowledgements = await waitForAcknowledgements(stack.endpoints.ses, submitted, drainTimeoutS);
        console.log(`acknowledgements: ${acknowledgements.sent}/${acknowledgements.expected} sent, ${acknowledgements.waitedSeconds} s after the load ended`);
      }

      console.log(`PutItem ceiling: items of ${caseItemBytes} B (the size of a case item), stack process suspended so only DynamoDB Local works…`);
      stack.freeze();
      try {
        const putWarm = await closedLoop(warmup, concurrency, async (i) => {
          await client.send(new PutItemCommand({ TableName: table, Item: benchItem(1_000_000 + i, caseItemBytes) }));
        }, signal);
        console.log(`PutItem warm-up: ${fmtLoad(putWarm)}`);
        const putMeter = cpuMeter(watch);
        putMeter.start();
        const ceiling = await closedLoop(requests, concurrency, async (i) => {
          await client.send(new PutItemCommand({ TableName: table, Item: benchItem(i, caseItemBytes) }));
        }, signal);
        const ceilingCpu = putMeter.stop();
        console.log(`PutItem: ${fmtLoad(ceiling)}`);
        console.log(`  CPU during PutItem: ${fmtCpu(ceilingCpu)}`);

        console.log(`TransactWriteItems ceiling: a submission's ${template.items.length} items replayed under new keys, same conditions…`);
        const txWarm = await closedLoop(warmup, concurrency, async (i) => {
          await client.send(replayCaseTransaction(template, table, 1_000_000 + i));
        }, signal);
        console.log(`TransactWriteItems warm-up: ${fmtLoad(txWarm)}`);
        const txMeter = cpuMeter(watch);
        txMeter.start();
        const transactions = await closedLoop(txRequests, concurrency, async (i) => {
          await client.send(replayCaseTransaction(template, table, i));
        }, signal);
        const transactionsCpu = txMeter.stop();
        console.log(`TransactWriteItems: ${fmtLoad(transactions)}`);
        console.log(`  CPU during TransactWriteItems: ${fmtCpu(transactionsCpu)}`);
        return {
          warm, single, intake, intakeCpu, acknowledgedDuringLoad, template, acknowledgements,
          putItemBytes: caseItemBytes, putWarm, ceiling, ceilingCpu, txWarm, transactions, transactionsCpu,
        };
      } finally {
        stack.thaw();
      }
    } finally {
      client.destroy();
    }
  });
  console.log(`\n[4/4] local stack stopped.`);

  const share = measured.intake.perSecond / measured.ceiling.perSecond;
  const errors = measured.warm.errors + (measured.single?.errors ?? 0) + measured.intake.errors;
  const targets: TargetResult[] = [
    { measure: 'intake errors (every response 201)', result: `${errors} of ${submitted}`, target: '0', pass: errors === 0 },
    { measure: 'intake throughput', result: `${measured.intake.perSecond} cases/s`, target: '-', pass: null },
    { measure: 'bare PutItem ceiling', result: `${measured.ceiling.perSecond} puts/s`, target: '-', pass: measured.ceiling.errors === 0 ? null : false },
    { measure: 'bare TransactWriteItems of a submission', result: `${measured.transactions.perSecond} tx/s`, target: '-', pass: measured.transactions.errors === 0 ? null : false },
    { measure: 'intake / PutItem ceiling', result: `${round(share * 100)}%`, target: `>= ${TARGETS.ceilingShare * 100}%`, pass: share >= TARGETS.ceilingShare },
    { measure: 'intake latency p50 / p95', result: `${measured.intake.latencyMs.p50} / ${measured.intake.latencyMs.p95} ms`, target: '-', pass: null },
    { measure: 'intake latency p99', result: `${measured.intake.latencyMs.p99} ms`, target: `< ${TARGETS.p99Ms} ms`, pass: measured.intake.latencyMs.p99 < TARGETS.p99Ms },
    { measure: 'intake latency max', result: `${measured.intake.latencyMs.max} ms`, target: '-', pass: null },
    ...(measured.single
      ? [{ measure: 'intake latency p50 / p99, one at a time', result: `${measured.single.latencyMs.p50} / ${measured.single.latencyMs.p99} ms`, target: '-', pass: null }]
      : []),
    { measure: 'create-case bundle (minified)', result: `${bundle.bytes} B (${kib(bundle.bytes)})`, target: `< ${kib(TARGETS.bundleBytes)}`, pass: bundle.bytes < TARGETS.bundleBytes },
    { measure: 'create-case bundle gzip', result: `${bundle.gzipBytes} B (${kib(bundle.gzipBytes)})`, target: '-', pass: null },
    { measure: 'module load (median of 5)', result: `${moduleLoad.medianMs} ms`, target: `< ${TARGETS.moduleLoadMs} ms`, pass: moduleLoad.medianMs < TARGETS.moduleLoadMs },
    { measure: 'module load CPU time (median)', result: `${moduleLoad.medianCpuMs} ms`, target: '-', pass: null },
  ];
  printTargets('Intake', targets);
  const pass = targets.every((t) => t.pass !== false);

  const file = writeResults('intake', {
    bench: 'intake',
    date,
    command: `npm run bench -- intake${argv.length ? ` ${argv.join(' ')}` : ''}`,
    machine: { ...machine, busyPercentBeforeStart: busyBefore },
    config: { requests, warmup, concurrency, probe, txRequests, drainTimeoutS, lambdaEnv },
    targets: TARGETS,
    pass,
    verdicts: targets,
    intake: { warmup: measured.warm, oneAtATime: measured.single, measured: measured.intake, cpu: measured.intakeCpu, shareOfCeiling: round(share, 3) },
    submissionWrites: { items: measured.template.sizes, bytes: measured.template.bytes },
    acknowledgements: { sentByEndOfLoad: measured.acknowledgedDuringLoad, ...measured.acknowledgements },
    putItemCeiling: { itemBytes: measured.putItemBytes, warmup: measured.putWarm, measured: measured.ceiling, cpu: measured.ceilingCpu },
    transactionCeiling: { warmup: measured.txWarm, measured: measured.transactions, cpu: measured.transactionsCpu, shareOfIntake: round(measured.intake.perSecond / measured.transactions.perSecond, 3) },
    bundle: { ...bundle, entry: relative(ROOT, bundle.entry), outfile: relative(ROOT, bundle.outfile), metafile: relative(ROOT, bundle.metafile) },
    moduleLoad: { ...moduleLoad, externalsTogether: sdkLoad, externalsEachAlone: externalLoads },
  });
  console.log(`\n${pass ? 'all targets pass' : 'some targets FAIL'}; results in ${file}`);
  return pass ? 0 : 1;
}
