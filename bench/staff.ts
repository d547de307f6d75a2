/**
 * Staff queues: N open cases written straight into a DynamoDB Local table (BatchWriteItem of the
 * items the case store writes, built by the real `caseItem` / `eventItem`), then, one request at a
 * time, the first page (25) of every queue and search, and a case with a 200-event timeline (the
 * case GetItem and the timeline Query). Reports p50/p99 latency and the read capacity units per
 * page (ReturnConsumedCapacity TOTAL), and checks that each page was one Query that read no more
 * items than it served. docs/benchmarks.md has the results.
 */
import '../local/polyfills';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDocumentClient } from '../functions/adapters/aws-clients';
import { DynamoCaseQueues, type QueueReadStats } from '../functions/adapters/dynamo/case-queues';
import { DynamoCaseRepository } from '../functions/adapters/dynamo/case-repository';
import { caseItem } from '../functions/adapters/dynamo/keys';
import { SUMMARY_ATTRIBUTE } from '../functions/adapters/table-design';
import type { Case } from '../functions/core/case';
import type { QueueSelection } from '../functions/core/queues';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable } from '../local/resources';
import { newStandInCredentials } from '../local/stand-in-credentials';
import { batchWrite, benchCase, caseItems, longCase, seeded } from './lib/bench-cases';
import { itemSize } from './lib/dynamo-item-size';
import { describeMachine, machineFacts } from './lib/machine';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { round, summarize, type LatencySummary } from './lib/stats';
import { positiveInt } from './lib/args';

const TARGETS = { pageP99Ms: 100 };
const PAGE = 25;

const HELP = `Usage: npm run bench -- staff [options]

  --cases <n>            open cases to load (default 10000; STAFF_BENCH_CASES overrides the default)
  --samples <n>          measured first-page reads per queue (default 200)
  --warmup <n>           unmeasured reads per queue first (default 20)
  --timeline-events <n>  events on the case whose timeline is read (default 200)
  -h, --help             this text

Exits 0 when every target passes, 1 when one fails. Results: .bench/staff.json`;

interface Measured {
  name: string;
  latency: LatencySummary;
  capacityUnits: { mean: number; max: number } | undefined;
  /** Items served per page, and the most items one page read. */
  itemsPerPage: number;
  maxScanned: number;
  /** Reads each page made: [Query] for a queue page, two GetItems for a reference. */
  readsPerPage: string;
  onePage: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cases: { type: 'string', default: process.env.STAFF_BENCH_CASES ?? '10000' },
      samples: { type: 'string', default: '200' },
      warmup: { type: 'string', default: '20' },
      'timeline-events': { type: 'string', default: '200' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const total = positiveInt(values.cases, 'cases', 10);
  const samples = positiveInt(values.samples, 'samples');
  const warmup = positiveInt(values.warmup, 'warmup', 0);
  const timelineEvents = positiveInt(values['timeline-events'], 'timeline-events', 2);
  const machine = machineFacts();
  console.log(`staff bench: ${total} open cases, ${samples} samples a queue, on ${describeMachine(machine)}`);

  // On disk in a temporary directory (removed at the end), so the table's size is bounded by neither heap nor RAM.
  const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-bench-staff-'));
  const credentials = newStandInCredentials();
  const dynamo = await startDynamoDbLocal({ credentials, dataDir });
  const tableName = 'bench-staff';
  const endpoints = { AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };
  const doc = createDocumentClient(endpoints);
  try {
    await ensureTable(dynamo.endpoint, tableName, credentials);
    const nowMs = Date.now();
    const rand = seeded(42);
    const loaded = Array.from({ length: total }, (_, i) => benchCase(i + 1, rand, nowMs));
    const long = longCase(timelineEvents, nowMs);
    const items = caseItems([...loaded, long]);
    const loadStarted = performance.now();
    await batchWrite(doc, tableName, items);
    const loadS = (performance.now() - loadStarted) / 1000;
    console.log(`loaded ${items.length} items (${total + 1} cases) in ${round(loadS)} s`);

    const cases = loaded.map((l) => l.case);
    const summaryBytes = cases.slice(0, 200).map((c) => itemSize(marshall({ [SUMMARY_ATTRIBUTE]: caseItem(c)[SUMMARY_ATTRIBUTE] }, { removeUndefinedValues: true })));
    const caseBytes = cases.slice(0, 200).map((c) => itemSize(marshall(caseItem(c), { removeUndefinedValues: true })));
    const busiestAgent = [...cases.reduce((m, c) => (c.assignee ? m.set(c.assignee.id, (m.get(c.assignee.id) ?? 0) + 1) : m), new Map<string, number>())].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'agent-00';
    const repeat = cases.find((c) => c.customer.name === 'Bench Customer 0')?.customer.email ?? cases[0]?.customer.email ?? '';
    const phone = cases.find((c) => c.customer.phone !== undefined)?.customer.phone ?? '+44 20 7946 0000';
    const count = (p: (c: Case) => boolean) => cases.filter(p).length;

    const stats: QueueReadStats[] = [];
    const queues = new DynamoCaseQueues(doc, tableName, { observe: (s) => stats.push(s) });
    const repository = new DynamoCaseRepository(doc, tableName);
    const selections: { name: string; selection: QueueSelection; size: number }[] = [
      { name: 'all: open', selection: { queue: 'all', status: 'open' }, size: total },
      { name: 'all: in_progress', selection: { queue: 'all', status: 'in_progress' }, size: count((c) => c.status === 'in_progress') },
      { name: 'all: open complaints', selection: { queue: 'all', status: 'open', type: 'complaint' }, size: count((c) => c.type === 'complaint') },
      { name: 'all: open urgent', selection: { queue: 'all', status: 'open', priority: 'urgent' }, size: count((c) => c.priority === 'urgent') },
      { name: 'all: new inquiries, high', selection: { queue: 'all', status: 'new', type: 'inquiry', priority: 'high' }, size: count((c) => c.status === 'new' && c.type === 'inquiry' && c.priority === 'high') },
      { name: `mine (${busiestAgent})`, selection: { queue: 'mine', staffId: busiestAgent }, size: count((c) => c.assignee?.id === busiestAgent) },
      { name: 'unassigned', selection: { queue: 'unassigned' }, size: count((c) => !c.assignee) },
      { name: 'breaching', selection: { queue: 'breaching' }, size: total },
      { name: 'escalated: supervisors', selection: { queue: 'escalated', role: 'supervisors' }, size: count((c) => c.escalation?.level === 1) },
      { name: 'escalated: managers', selection: { queue: 'escalated', role: 'managers' }, size: count((c) => (c.escalation?.level ?? 0) >= 2) },
      { name: 'search: customer email', selection: { queue: 'customer', email: repeat }, size: count((c) => c.customer.email === repeat) },
      { name: 'search: customer phone', selection: { queue: 'customer', phone }, size: count((c) => c.customer.phone === phone) },
    ];

    const measure = async (name: string, op: () => Promise<number>): Promise<{ latencies: number[]; reads: QueueReadStats[][]; served: number[] }> => {
      for (let i = 0; i < warmup; i += 1) await op();
      const latencies: number[] = [];
      const reads: QueueReadStats[][] = [];
      const served: number[] = [];
      for (let i = 0; i < samples; i += 1) {
        const before = stats.length;
        const started = performance.now();
        served.push(await op());
        latencies.push(performance.now() - started);
        reads.push(stats.slice(before));
      }
      process.stdout.write(`  ${name}: p50 ${round(summarize(latencies).p50)} ms\n`);
      return { latencies, reads, served };
    };
    const describe = (name: string, r: Awaited<ReturnType<typeof measure>>, queuePage: boolean): Measured => {
      const units = r.reads.map((rs) => rs.reduce((n, s) => n + (s.capacityUnits ?? 0), 0));
      const known = r.reads.every((rs) => rs.every((s) => s.capacityUnits !== undefined));
      const maxScanned = Math.max(...r.reads.flat().map((s) => s.scannedCount));
      const shapes = [...new Set(r.reads.map((rs) => rs.map((s) => s.operation).join(' + ')))];
      return {
        name,
        latency: summarize(r.latencies),
        capacityUnits: known ? { mean: round(units.reduce((a, b) => a + b, 0) / units.length, 2), max: Math.max(...units) } : undefined,
        itemsPerPage: Math.max(...r.served),
        maxScanned,
        readsPerPage: shapes.join(' | '),
        onePage: queuePage ? r.reads.every((rs) => rs.length === 1 && rs[0]?.operation === 'Query' && rs[0].scannedCount <= PAGE && rs[0].scannedCount === rs[0].count) : true,
      };
    };

    console.log('measuring first pages, one request at a time…');
    const results: Measured[] = [];
    for (const { name, selection, size } of selections) {
      const r = await measure(name, async () => (await queues.listQueue(selection, { limit: PAGE })).items.length);
      results.push(describe(`${name} [${size} cases]`, r, true));
    }
    const ref = cases[Math.floor(cases.length / 2)]?.reference ?? '';
    results.push(describe('reference', await measure('reference', async () => ((await queues.findByReference(ref)) ? 1 : 0)), false));
    const timeline = await measure(`case + ${timelineEvents}-event timeline`, async () => {
      const [c, events] = await Promise.all([repository.getCase(long.case.caseId), repository.getTimeline(long.case.caseId)]);
      if (!c || events.length !== timelineEvents) throw new Error('the long case did not read back whole');
      return events.length;
    });
    const timelineLatency = summarize(timeline.latencies);

    const rows: TargetResult[] = [
      ...results.map((m) => ({ measure: `${m.name}: p50 / p99`, result: `${m.latency.p50} / ${m.latency.p99} ms`, target: `p99 < ${TARGETS.pageP99Ms} ms`, pass: m.latency.p99 < TARGETS.pageP99Ms })),
      ...results.map((m) => ({
        measure: `${m.name}: reads a page, RCU mean / max`,
        result: `${m.readsPerPage}, ${m.maxScanned} read for ${m.itemsPerPage} served; ${m.capacityUnits ? `${m.capacityUnits.mean} / ${m.capacityUnits.max}` : 'n/a'}`,
        target: m.readsPerPage.startsWith('Query') ? `1 Query, <= ${PAGE} read` : '-',
        pass: m.readsPerPage.startsWith('Query') ? m.onePage : null,
      })),
      { measure: `case + ${timelineEvents}-event timeline (GetItem + Query): p50 / p99`, result: `${timelineLatency.p50} / ${timelineLatency.p99} ms`, target: '-', pass: null },
      { measure: 'queue summary / case item size (mean of 200)', result: `${Math.round(summaryBytes.reduce((a, b) => a + b, 0) / summaryBytes.length)} B / ${Math.round(caseBytes.reduce((a, b) => a + b, 0) / caseBytes.length)} B`, target: '-', pass: null },
      { measure: 'load time (BatchWriteItem)', result: `${round(loadS)} s for ${items.length} items`, target: '-', pass: null },
    ];
    printTargets(`Staff queues: first page of ${PAGE}, ${total} open cases, ${samples} samples each, concurrency 1`, rows);
    const file = writeResults('staff', { date: new Date().toISOString(), machine, cases: total, samples, warmup, pageSize: PAGE, timelineEvents, loadSeconds: loadS, queues: results, timeline: timelineLatency, summaryBytes, caseBytes, rows });
    console.log(`\nresults: ${file}`);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    doc.destroy();
    await dynamo.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
