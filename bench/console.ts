/**
 * The staff console in Chromium against `npm start` with N open cases: the time from navigation to
 * the first queue page on screen (rows drawn), and to a case with a 200-event timeline drawn, over
 * fresh loads with the browser cache disabled (every asset fetched again, as on a first visit);
 * and the console's JavaScript + CSS size, gzipped. docs/benchmarks.md has the results.
 */
import '../local/polyfills';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from 'playwright-core';
import { createDocumentClient } from '../functions/adapters/aws-clients';
import { LOCAL_REGION } from '../local/dynamodb-local';
import { readStandInCredentials } from '../local/stand-in-credentials';
import { buildConsoleSync, CONSOLE_DIST } from '../web/console/build';
import { batchWrite, benchCase, caseItems, longCase, seeded } from './lib/bench-cases';
import { cpuMeter } from './lib/cpu-usage';
import { spawnLocalStack } from './lib/local-stack-process';
import { describeMachine, machineFacts } from './lib/machine';
import { kib, printTargets, writeResults, type TargetResult } from './lib/report';
import { round, summarize } from './lib/stats';
import { positiveInt } from './lib/args';

const TARGETS = { firstScreenP99Ms: 1000, gzippedBytes: 200 * 1024 };
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const HELP = `Usage: npm run bench -- console [options]

  --cases <n>            open cases to load (default 10000; CONSOLE_BENCH_CASES overrides the default)
  --loads <n>            measured loads of each screen (default 20)
  --timeline-events <n>  events on the case whose view is loaded (default 200)
  -h, --help             this text

Exits 0 when every target passes, 1 when one fails. Results: .bench/console.json`;

/** JavaScript and CSS of the built console, each gzipped at the level CloudFront and most servers use. */
function gzippedAssets(dir: string): { files: number; raw: number; gzipped: number } {
  let files = 0;
  let raw = 0;
  let gzipped = 0;
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|css)$/.test(name)) {
        const bytes = readFileSync(path);
        files += 1;
        raw += bytes.length;
        gzipped += gzipSync(bytes, { level: 6 }).length;
      }
    }
  };
  walk(dir);
  return { files, raw, gzipped };
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: process.env.CONSOLE_BENCH_CASES ?? '10000' },
      loads: { type: 'string', default: '20' },
      'timeline-events': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const total = positiveInt(values.cases, 'cases', 10);
  const loads = positiveInt(values.loads, 'loads');
  const timelineEvents = positiveInt(values['timeline-events'], 'timeline-events', 2);
  const machine = machineFacts();
  console.log(`console bench: ${total} open cases, ${loads} loads a screen, on ${describeMachine(machine)}`);

  buildConsoleSync(CONSOLE_DIST, { minify: true });
  const size = gzippedAssets(CONSOLE_DIST);
  const stack = await spawnLocalStack();
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const { endpoints } = stack;
    const origin = new URL(endpoints.web).origin;
    const credentials = readStandInCredentials(stack.dataDir);
    const doc = createDocumentClient({ AWS_REGION: LOCAL_REGION, DYNAMODB_ENDPOINT: endpoints.dynamodb, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey });
    const nowMs = Date.parse(((await (await fetch(`${origin}/local/clock`)).json()) as { now: string }).now);
    const rand = seeded(42);
    // Received over the last two hours and acknowledged: every case gets its SLA workflow (the table
    // stream starts one per case, as in AWS), and no deadline falls while the bench runs, so the
    // stack goes quiet once the workflows wait.
    const loaded = Array.from({ length: total }, (_, i) => benchCase(i + 1, rand, nowMs, { receivedWithinMs: 2 * 3600_000, includeNew: false }));
    const long = longCase(timelineEvents, nowMs);
    const loadStarted = performance.now();
    await batchWrite(doc, endpoints.resources.table, caseItems([...loaded, long]));
    doc.destroy();
    const loadSeconds = round((performance.now() - loadStarted) / 1000);
    console.log(`loaded ${total + 1} cases in ${loadSeconds} s; waiting for the stack to go quiet (their SLA workflows started)…`);
    const quietStarted = performance.now();
    // The table stream carries every item written: measure once its consumers have caught up.
    const meter = cpuMeter(() => ({ stack: [stack.stackPid, ...stack.dynamoPids] }));
    for (const deadline = Date.now() + 20 * 60_000; Date.now() < deadline; ) {
      meter.start();
      await new Promise((r) => setTimeout(r, 2000));
      if ((meter.stop().cores.stack ?? 1) < 0.15) break;
    }
    const settleSeconds = round((performance.now() - quietStarted) / 1000);
    console.log(`quiet after ${settleSeconds} s`);

    const staff = (await (await fetch(`${origin}/local/staff`)).json()) as { name: string; roles: string[] }[];
    const agent = staff.find((s) => s.roles.includes('agents'));
    if (!agent) throw new Error('no seeded agent to sign in as');
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await page.goto(`${origin}/console/`);
    await page.getByRole('button', { name: `Sign in as ${agent.name}`, exact: true }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();

    /** A fresh load of `hash` (the tab keeps its session): milliseconds until `ready` holds. */
    const timeLoad = async (hash: string, ready: (p: Page) => Promise<void>) => {
      await page.goto('about:blank');
      const started = performance.now();
      await page.goto(`${origin}/console/${hash}`, { waitUntil: 'commit' });
      await ready(page);
      return performance.now() - started;
    };
    const queueReady = async (p: Page) => {
      await p.locator('table tbody tr [role="timer"]').first().waitFor({ timeout: 30_000 });
    };
    const caseReady = async (p: Page) => {
      await p.waitForFunction((n) => document.querySelectorAll('[aria-label="Timeline"] > li').length >= n, timelineEvents, { timeout: 30_000 });
    };
    const measure = async (name: string, hash: string, ready: (p: Page) => Promise<void>) => {
      for (let i = 0; i < 3; i += 1) await timeLoad(hash, ready); // warm the server, not the browser cache
      const samples: number[] = [];
      for (let i = 0; i < loads; i += 1) samples.push(await timeLoad(hash, ready));
      const s = summarize(samples);
      console.log(`  ${name}: p50 ${round(s.p50)} ms, p99 ${round(s.p99)} ms`);
      return s;
    };
    const queue = await measure('first queue page (all open)', '#/queues/all', queueReady);
    const caseView = await measure(`case view with ${timelineEvents} events`, `#/cases/${long.case.caseId}`, caseReady);
    await context.close();

    const rows: TargetResult[] = [
      { measure: `first queue page, ${total} open cases: p50 / p99`, result: `${queue.p50} / ${queue.p99} ms`, target: `p99 < ${TARGETS.firstScreenP99Ms} ms`, pass: queue.p99 < TARGETS.firstScreenP99Ms },
      { measure: `case view, ${timelineEvents}-event timeline: p50 / p99`, result: `${caseView.p50} / ${caseView.p99} ms`, target: `p99 < ${TARGETS.firstScreenP99Ms} ms`, pass: caseView.p99 < TARGETS.firstScreenP99Ms },
      { measure: 'seeding (BatchWriteItem) / until the stack is quiet', result: `${loadSeconds} s / ${settleSeconds} s`, target: '-', pass: null },
      { measure: `console JS + CSS (${size.files} files), gzipped (raw)`, result: `${kib(size.gzipped)} (${kib(size.raw)})`, target: `< ${kib(TARGETS.gzippedBytes)}`, pass: size.gzipped < TARGETS.gzippedBytes },
    ];
    printTargets(`Staff console in Chromium, cache disabled, ${loads} loads each, ${total} open cases`, rows);
    const file = writeResults('console', { date: new Date().toISOString(), machine, cases: total, loads, timelineEvents, queue, caseView, size, rows });
    console.log(`\nresults: ${file}`);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    await browser.close();
    await stack.stop();
  }
}
