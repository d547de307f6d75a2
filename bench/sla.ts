/**
 * SLA workflow: cases through the local Step Functions runner (the same ASL file CDK
 * deploys) against DynamoDB Local, with the clock moved over their windows. Reports state
 * transitions per case for the typical path and the breach path, the Step Functions cost per
 * 1,000 cases, and how late breaches are detected after their deadlines (clock time).
 */
import '../local/polyfills';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startDynamoDbLocal } from '../local/dynamodb-local';
import { ensureTable, LOCAL_NAMES } from '../local/resources';
import { startSesLocal } from '../local/ses-local';
import { describeMachine, machineFacts } from './lib/machine';
import { printTargets, writeResults, type TargetResult } from './lib/report';
import { round, summarize } from './lib/stats';
import { newStandInCredentials } from '../local/stand-in-credentials';

const TARGETS = { typicalTransitions: 12, breachDetectionMs: 1000 };
const PRICE_PER_1000_TRANSITIONS = 0.025;
const MIN = 60_000;
const HOUR = 60 * MIN;

const HELP = `Usage: npm run bench -- sla [options]

  --cases <n>   cases in all, half on the typical path and half on the breach path (default 1000)
  -h, --help    this text`;

async function pollUntil(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function run(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { cases: { type: 'string', default: '1000' }, help: { type: 'boolean', short: 'h', default: false } } });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const total = Number(values.cases);
  if (!Number.isInteger(total) || total < 2) throw new Error('--cases must be a whole number of at least 2');
  const machine = machineFacts();
  console.log(`sla bench: ${total} cases on ${describeMachine(machine)}`);

  const work = mkdtempSync(join(tmpdir(), 'caseflow-bench-sla-'));
  const credentials = newStandInCredentials();
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal({ credentials }), startSesLocal()]);
  const tableName = 'bench-sla';
  await ensureTable(dynamo.endpoint, tableName, credentials);
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    TABLE_NAME: tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    SES_ENDPOINT: ses.endpoint,
    SENDER_EMAIL: LOCAL_NAMES.senderEmail,
    TEAM_INBOX_EMAIL: LOCAL_NAMES.teamInbox,
    SUPERVISOR_EMAIL: LOCAL_NAMES.supervisor,
    MANAGER_EMAIL: LOCAL_NAMES.manager,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
  });
  // Modules that read the environment at load come after it is set.
  const { prepareBackground } = await import('../local/background');
  // No S3 here: the closed cases' archiver stays off.
  const background = await prepareBackground({ dynamodbEndpoint: dynamo.endpoint, tableName, dataDir: work, archiveClosedCases: false });
  try {
    const running = await background.start();
    const { systemClock } = await import('../functions/adapters/system-clock');
    const { wiring } = await import('../functions/adapters/wiring');
    const { cryptoRandom, newCaseId } = await import('../functions/adapters/ids');
    const { openCaseFromSubmission } = await import('../functions/core/open-case');
    const { replyToCustomer } = await import('../functions/core/actions/reply');
    const { resolveCase } = await import('../functions/core/actions/resolve');
    const { slaPolicy } = await import('../functions/core/sla-policy');
    const store = wiring({ AWS_REGION: 'us-east-1', DYNAMODB_ENDPOINT: dynamo.endpoint, AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey, TABLE_NAME: tableName }).cases;
    const actions = { store, clock: systemClock };
    const agent = { kind: 'agent' as const, id: 'bench-agent' };

    const started = Date.now();
    const typical: string[] = [];
    const breach: string[] = [];
    for (let i = 0; i < total; i += 1) {
      const path = i % 2 === 0 ? typical : breach;
      const { case: c } = await openCaseFromSubmission(
        {
          submission: { type: 'inquiry', name: 'Bench Customer', email: `bench${i}@example.com`, subject: `Bench case ${i}`, message: 'Benchmark', privacyConsent: true },
          channel: 'web',
        },
        { store, clock: systemClock, newCaseId, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: path === typical, limitPerHour: 1000 } },
      );
      path.push(c.caseId);
    }
    const all = [...typical, ...breach];
    await pollUntil('every workflow started', () => background.sfn.listExecutions({ status: 'RUNNING' }).length >= total);
    await pollUntil('every automatic acknowledgement sent', async () => {
      for (const id of typical) if (!(await store.getCase(id))?.acknowledgedAt) return false;
      return true;
    });
    await background.sfn.idle();

    // Typical path: acknowledged automatically, answered after an hour, resolved after two.
    await running.advance(HOUR);
    for (const id of typical) await replyToCustomer(id, { message: 'Here is your answer.' }, { actor: agent }, actions);
    await running.advance(HOUR);
    for (const id of typical) await resolveCase(id, { summary: 'answered' }, { actor: agent }, actions);
    // Past every window: the typical workflows end at their next wake; the breach path warns and breaches.
    await running.advance(25 * HOUR);
    await pollUntil('every workflow finished', () => background.sfn.listExecutions({ status: 'RUNNING' }).length === 0);
    const elapsedS = (Date.now() - started) / 1000;

    const transitions = (ids: string[]) => ids.map((id) => background.sfn.describeExecution(`case-${id}`).transitions);
    const typicalT = summarize(transitions(typical));
    const breachT = summarize(transitions(breach));
    const detection: number[] = [];
    let breaches = 0;
    for (const id of all) {
      for (const e of await store.getTimeline(id)) {
        if (e.type !== 'sla_breached') continue;
        breaches += 1;
        detection.push(Date.parse(e.data.detectedAt) - Date.parse(e.data.dueAt));
      }
    }
    const late = summarize(detection);
    const wakeLate = summarize(background.sfn.waitRecords().map((w) => w.latencyMs));
    const costPer1000 = (t: number) => round(t * PRICE_PER_1000_TRANSITIONS, 3);

    const rows: TargetResult[] = [
      { measure: 'transitions per typical case (mean / max)', result: `${typicalT.mean} / ${typicalT.max}`, target: `<= ${TARGETS.typicalTransitions}`, pass: typicalT.max <= TARGETS.typicalTransitions },
      { measure: 'transitions per breach-path case (mean / max)', result: `${breachT.mean} / ${breachT.max}`, target: '-', pass: null },
      { measure: 'Step Functions cost per 1,000 typical cases', result: `$${costPer1000(typicalT.mean)}`, target: '-', pass: null },
      { measure: 'Step Functions cost per 1,000 breach-path cases', result: `$${costPer1000(breachT.mean)}`, target: '-', pass: null },
      { measure: `breaches detected (expected ${breach.length * 2})`, result: String(breaches), target: String(breach.length * 2), pass: breaches === breach.length * 2 },
      { measure: 'breach detected after deadline, p99 / max (clock ms)', result: `${late.p99} / ${late.max}`, target: `< ${TARGETS.breachDetectionMs}`, pass: late.max < TARGETS.breachDetectionMs },
      { measure: 'Wait woke after requested time, p99 / max (clock ms)', result: `${wakeLate.p99} / ${wakeLate.max}`, target: '-', pass: null },
      { measure: 'wall time for the whole run', result: `${round(elapsedS)} s`, target: '-', pass: null },
    ];
    printTargets(`SLA workflow: ${total} cases (${typical.length} typical, ${breach.length} breach path)`, rows);
    const file = writeResults('sla', { date: new Date().toISOString(), machine, cases: total, typicalTransitions: typicalT, breachTransitions: breachT, breaches, detectionMs: late, wakeLatenessMs: wakeLate, elapsedS, rows });
    console.log(`\nresults: ${file}`);
    return rows.every((r) => r.pass !== false) ? 0 : 1;
  } finally {
    await background.stop();
    await Promise.all([dynamo.stop(), ses.stop()]);
  }
}
