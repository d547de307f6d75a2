/**
 * Quality loop: satisfaction-survey answers through the local gateway (started as `npm start`
 * does). N cases are made and resolved through the API as staff do it (web form, claim, reply,
 * resolve), the clock is moved 24 h so their SLA workflows send the surveys (M8.1), the links are
 * taken from the captured outbox and answered, form-encoded as the page posts them, by a closed
 * loop of C clients; every answer must then be in the feedback log (C4.2). docs/benchmarks.md has
 * the results.
 */
import '../local/polyfills';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable } from '../local/resources';
import { newStandInCredentials } from '../local/stand-in-credentials';
import { positiveInt } from './lib/args';
import { closedLoop, type LoadResult } from './lib/closed-loop';
import { cpuMeter, sampleMachineBusy, type CpuReport } from './lib/cpu-usage';
import { withLocalStack, type StackProcess } from './lib/local-stack-process';
import { describeMachine, machineFacts } from './lib/machine';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { RequestCounter } from './lib/request-counter';
import { round, summarize } from './lib/stats';

const HELP = `Usage: npm run bench -- quality [options]

  --cases <n>     resolved cases, each answering its survey once (default 300)
  --clients <n>   survey answers in flight, a closed loop (default 8)
  --replies <n>   replies for the sampling path's cost, one a case, in process against DynamoDB Local (default 1000; 0 skips)
  -h, --help      this text

Results: .bench/quality/results.json`;

/** Every bench request comes from 127.0.0.1: the per-network survey limit (default 30 an hour) would stop the load. */
const SURVEY_RATE_LIMIT_PER_HOUR = '100000';
/** Staff actions while the cases are made: a few in flight, not the measured part. */
const SETUP_CONCURRENCY = 4;

/** Published price, us-east-1, as of 2026-11-30, the one the archive bench uses: DynamoDB on-demand write request units. */
const PRICES = { dynamoWriteUnitsPerMillion: 0.625 } as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Email {
  subject: string;
  destination: { to: string[] };
  body: { text?: string; html?: string };
}

const fmtLoad = (r: LoadResult) =>
  `${r.operations} ops at concurrency ${r.concurrency} in ${(r.wallMs / 1000).toFixed(1)} s: ${r.perSecond}/s; ` +
  `p50 ${r.latencyMs.p50} ms, p95 ${r.latencyMs.p95} ms, p99 ${r.latencyMs.p99} ms, max ${r.latencyMs.max} ms; errors ${r.errors}`;

const fmtCpu = (c: CpuReport) =>
  `${Object.entries(c.cores).map(([k, v]) => `${k} ${v}`).join(', ')} cores; machine ${c.machineBusyPercent}% busy`;

const SURVEY_LINK = /https?:\/\/[^\s"<>]+\/survey\/[^\s"<>]+/;

async function makeAndAnswer(stack: StackProcess, cases: number, clients: number, signal: AbortSignal) {
  const { endpoints } = stack;
  const clock = endpoints.clock;
  if (!clock) throw new Error('the local stack wrote no clock endpoint: the bench needs POST <clock>/advance');
  const mint = async (sub: string, group: string) => {
    const res = await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub, groups: [group], name: sub }) });
    return ((await res.json()) as { token: string }).token;
  };
  const agent = await mint('bench-agent', 'agents');
  const feedbackTeam = await mint('bench-feedback', 'feedback');
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await fetch(`${endpoints.api}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path.replace(/[0-9a-f-]{36}/, '<case>')}: HTTP ${res.status} ${text.slice(0, 200)}`);
    return JSON.parse(text) as Record<string, unknown>;
  };

  // 1. The cases, through the real path: the web form, then an agent claims, answers and resolves each.
  const references = new Map<string, string>();
  const setup = await closedLoop(cases, SETUP_CONCURRENCY, async (i) => {
    const res = await fetch(`${endpoints.api}/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'inquiry', name: `Bench Customer ${i}`, email: `bench.survey.${i}@example.com`, subject: `Delivery date of order ${100000 + i}`, message: 'Could you tell me when my order ships?', privacyConsent: true }),
    });
    if (res.status !== 201) throw new Error(`POST /cases: HTTP ${res.status}`);
    const { caseId, reference } = (await res.json()) as { caseId: string; reference: string };
    await call(agent, 'POST', `/cases/${caseId}/claim`);
    await call(agent, 'POST', `/cases/${caseId}/replies`, { message: 'Your order ships on Thursday.' });
    await call(agent, 'POST', `/cases/${caseId}/resolve`, { summary: 'Told the customer the shipping date' });
    references.set(`bench.survey.${i}@example.com`, reference);
  }, signal);
  console.log(`cases made and resolved through the API: ${fmtLoad(setup)}`);
  if (setup.errors > 0) throw new Error(`making the cases failed: ${setup.errorSamples.join(' | ')}`);

  // 2. A day later the SLA workflows send the surveys: their links from the outbox.
  const advanced = await fetch(`${clock}/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hours: 24, minutes: 5 }) });
  if (advanced.status !== 200) throw new Error(`moving the clock: HTTP ${advanced.status}`);
  const surveyStarted = performance.now();
  const links = new Map<string, string>();
  const deadline = Date.now() + 300_000;
  while (links.size < cases) {
    if (Date.now() > deadline) throw new Error(`only ${links.size} of ${cases} survey emails within 300 s of moving the clock`);
    const emails = ((await (await fetch(endpoints.outbox)).json()) as { emails: Email[] }).emails;
    for (const m of emails) {
      const to = m.destination.to.find((a) => references.has(a));
      const link = SURVEY_LINK.exec(m.body.text ?? m.body.html ?? '')?.[0];
      if (to && link && !links.has(to)) links.set(to, link);
    }
    if (links.size < cases) await sleep(1000);
  }
  const surveysSentS = round((performance.now() - surveyStarted) / 1000);
  console.log(`${links.size} survey emails in the outbox ${surveysSentS} s after the clock moved 24 h`);

  // 3. The measured part: every survey answered once, form-encoded as the page posts it.
  const answers = [...links.values()];
  const meter = cpuMeter(() => ({ 'stack process (gateway, handlers, poller, SES)': [stack.stackPid], 'DynamoDB Local (java)': stack.dynamoPids }));
  meter.start();
  const load = await closedLoop(answers.length, clients, async (i) => {
    const link = answers[i];
    if (!link) throw new Error('no link');
    const res = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ rating: String((i % 5) + 1), solved: i % 3 === 0 ? 'no' : 'yes', comment: 'Thank you, the parcel arrived.' }).toString(),
    });
    await res.text();
    if (res.status !== 200) throw new Error(`POST /survey/<token>: HTTP ${res.status}`);
  }, signal);
  const cpu = meter.stop();
  console.log(`survey answers: ${fmtLoad(load)}`);
  if (load.errorSamples.length > 0) console.log(`  first errors: ${load.errorSamples.join(' | ')}`);
  console.log(`  CPU during the answers: ${fmtCpu(cpu)}`);

  // 4. Every answer in the feedback log, read as the feedback team reads it.
  const wanted = new Set(references.values());
  const from = new Date(Date.now() - 2 * 86_400_000).toISOString().slice(0, 10);
  let found = 0;
  let cursor: string | undefined;
  do {
    const page = await call(feedbackTeam, 'GET', `/feedback?from=${from}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    for (const item of (page.items ?? []) as { reference?: string }[]) if (item.reference && wanted.has(item.reference)) found += 1;
    cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
  } while (cursor);
  console.log(`feedback log: ${found} of ${answers.length} answers`);
  return { setup, surveysSentS, load, cpu, inFeedbackLog: found };
}

/** What one TransactWriteItems wrote: its items, and whether one was a quality review (keys.ts QUALITY_REVIEW_PREFIX). */
interface WrittenTransaction {
  items: number;
  review: boolean;
}

/**
 * The sampling path's cost, measured: `replies` cases opened through the core, each answered once
 * by replyToCustomer (the same action POST /cases/{id}/replies runs) against DynamoDB Local; the
 * requests and write units of the replies counted on the wiring's client (RequestCounter), and the
 * items of each reply's transaction, with whether the sampler added a review.
 */
async function samplingPath(replies: number) {
  const credentials = newStandInCredentials();
  const dynamo = await startDynamoDbLocal({ credentials });
  const tableName = 'bench-quality';
  try {
    await ensureTable(dynamo.endpoint, tableName, credentials);
    const { wiring } = await import('../functions/adapters/wiring');
    const { systemClock } = await import('../functions/adapters/system-clock');
    const { cryptoRandom, newCaseId } = await import('../functions/adapters/ids');
    const { openCaseFromSubmission } = await import('../functions/core/open-case');
    const { replyToCustomer } = await import('../functions/core/actions/reply');
    const { slaPolicy } = await import('../functions/core/sla-policy');
    const app = wiring({
      AWS_REGION: 'us-east-1',
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      TABLE_NAME: tableName,
      // Never written here: the counter wants the wiring's S3 client to exist.
      CASE_ARCHIVE_BUCKET: 'bench-unused',
    });
    const counter = new RequestCounter();
    counter.attachTo(app);
    const written: WrittenTransaction[] = [];
    const inReplies = { on: false };
    const doc = Reflect.get(app.cases, 'doc') as { middlewareStack: { add(m: unknown, o: { step: 'initialize'; name: string }): void } };
    doc.middlewareStack.add(
      (next: (args: { input: Record<string, unknown> }) => Promise<unknown>, context: { commandName?: string }) => async (args: { input: Record<string, unknown> }) => {
        if (inReplies.on && context.commandName === 'TransactWriteItemsCommand') {
          const items = (args.input.TransactItems ?? []) as Record<string, { Item?: { SK?: unknown } }>[];
          const review = items.some((t) => Object.values(t).some((op) => typeof op.Item?.SK === 'string' && op.Item.SK.startsWith('REVIEW#')));
          written.push({ items: items.length, review });
        }
        return next(args);
      },
      { step: 'initialize', name: 'benchTransactionItems' },
    );
    const store = app.cases;
    const actions = { store, clock: systemClock };
    const ids: string[] = [];
    for (let i = 0; i < replies; i += 1) {
      const { case: c } = await openCaseFromSubmission(
        { submission: { type: 'inquiry', name: 'Bench Customer', email: `bench.reply.${i}@example.com`, subject: `Bench case ${i}`, message: 'Benchmark', privacyConsent: true }, channel: 'web' },
        { store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: false, limitPerHour: 1000 } },
      );
      ids.push(c.caseId);
    }
    inReplies.on = true;
    // 20 agents in turn, as a team; the weekly top-up (an agent with no reply sampled) is not measured here.
    await counter.run('reply', async () => {
      for (const [i, id] of ids.entries()) await replyToCustomer(id, { message: 'Here is your answer.' }, { actor: { kind: 'agent', id: `bench-agent-${i % 20}` } }, actions);
    });
    inReplies.on = false;
    const counts = counter.of('reply');
    const writes = Object.entries(counts).filter(([k]) => /Transact|Put|Update|Delete|BatchWrite/.test(k));
    const writeRequests = writes.reduce((n, [, c]) => n + c.requests, 0);
    const writeUnits = writes.reduce((n, [, c]) => n + c.capacityUnits, 0);
    const sampled = written.filter((t) => t.review).length;
    return {
      replies,
      requestsByCommand: counts,
      writeRequestsPerReply: round(writeRequests / replies, 2),
      writeUnitsPerReply: round(writeUnits / replies, 2),
      itemsPerReply: summarize(written.map((t) => t.items)),
      itemsPerSampledReply: sampled > 0 ? summarize(written.filter((t) => t.review).map((t) => t.items)) : undefined,
      itemsPerUnsampledReply: summarize(written.filter((t) => !t.review).map((t) => t.items)),
      sampled,
      sampledShare: round(sampled / replies, 3),
      writeUnitsCostPer1000Cases: round((1000 * (writeUnits / replies) * PRICES.dynamoWriteUnitsPerMillion) / 1e6, 5),
    };
  } finally {
    await dynamo.stop();
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { cases: { type: 'string' }, clients: { type: 'string' }, replies: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const cases = values.cases === undefined ? 300 : positiveInt(values.cases, 'cases');
  const clients = values.clients === undefined ? 8 : positiveInt(values.clients, 'clients');
  const replies = values.replies === undefined ? 1000 : positiveInt(values.replies, 'replies', 0);
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const machine = machineFacts();
  const date = new Date().toISOString();
  console.log(`quality bench, ${date}: ${cases} cases, ${clients} clients\nmachine: ${describeMachine(machine)}`);
  const busyBefore = await sampleMachineBusy();
  console.log(`machine ${busyBefore}% busy before the bench started (other processes)`);
  if (busyBefore > 20) console.log('warning: the machine is busy with other work; throughput and latency will be lower than on an idle machine.');

  console.log(`starting the local stack (npx tsx local/start.ts --port 0 --fresh), SURVEY_RATE_LIMIT_PER_HOUR=${SURVEY_RATE_LIMIT_PER_HOUR}…`);
  const measured = await withLocalStack((stack, signal) => makeAndAnswer(stack, cases, clients, signal), { env: { SURVEY_RATE_LIMIT_PER_HOUR } });
  console.log('local stack stopped.');
  console.log(replies > 0 ? `\nsampling path: ${replies} replies against DynamoDB Local, in process…` : '');
  const sampling = replies > 0 ? await samplingPath(replies) : undefined;
  if (sampling) console.log(`sampling path: ${JSON.stringify(sampling.requestsByCommand)}`);

  const rows: TargetResult[] = [
    { measure: 'survey answers through the gateway', result: `${measured.load.perSecond} answers/s (${clients} clients)`, target: '-', pass: null },
    { measure: 'answer latency p50 / p99', result: `${measured.load.latencyMs.p50} / ${measured.load.latencyMs.p99} ms`, target: '-', pass: null },
    { measure: 'answer errors (every response 200)', result: `${measured.load.errors} of ${measured.load.operations}`, target: '0', pass: measured.load.errors === 0 },
    { measure: 'answers in the feedback log afterwards', result: `${measured.inFeedbackLog} of ${measured.load.operations}`, target: String(measured.load.operations), pass: measured.inFeedbackLog === measured.load.operations },
    { measure: 'surveys in the outbox after the clock moved 24 h', result: `${measured.surveysSentS} s`, target: '-', pass: null },
    ...(sampling
      ? [
          { measure: 'a reply: DynamoDB write requests / write units', result: `${sampling.writeRequestsPerReply} / ${sampling.writeUnitsPerReply}`, target: '-', pass: null },
          { measure: 'a reply: items written, unsampled / sampled', result: `${sampling.itemsPerUnsampledReply.mean} / ${sampling.itemsPerSampledReply?.mean ?? '-'}`, target: '-', pass: null },
          { measure: 'replies sampled into the review queue', result: `${sampling.sampled} of ${sampling.replies} (${round(sampling.sampledShare * 100)}%)`, target: '-', pass: null },
          { measure: 'reply write units per 1,000 cases (one reply each)', result: `$${sampling.writeUnitsCostPer1000Cases}`, target: '-', pass: null },
        ]
      : []),
  ];
  printTargets(`Quality loop: ${cases} resolved cases, their surveys answered by ${clients} clients`, rows);
  const pass = rows.every((r) => r.pass !== false);
  const file = writeResults('quality/results', {
    bench: 'quality',
    date,
    command: `npm run bench -- quality${argv.length ? ` ${argv.join(' ')}` : ''}`,
    machine: { ...machine, busyPercentBeforeStart: busyBefore },
    config: { cases, clients, replies, setupConcurrency: SETUP_CONCURRENCY, surveyRateLimitPerHour: Number(SURVEY_RATE_LIMIT_PER_HOUR) },
    pass,
    rows,
    setup: measured.setup,
    surveysSentSeconds: measured.surveysSentS,
    answers: { load: measured.load, cpu: measured.cpu, inFeedbackLog: measured.inFeedbackLog },
    samplingPath: sampling,
    prices: PRICES,
  });
  console.log(`\n${pass ? 'all checks pass' : 'some checks FAIL'}; results in ${file}`);
  return pass ? 0 : 1;
}
