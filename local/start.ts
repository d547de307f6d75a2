import './polyfills';
import { parseArgs } from 'node:util';
import { SmtpPortInUseError } from './smtp-inbound';
import { startLocalStack } from './stack';
import { fillWithDemo } from './demo/demo-cli';
import { localRetentionControl } from '../functions/adapters/retention-setting';

const HELP = `Usage: npm start -- [options]

  --port <n>           gateway port (env PORT, default 3000; 0 picks a free port)
  --data-dir <dir>     where local data lives (env CASEFLOW_DATA_DIR, default .caseflow)
  --fresh              start with empty data
  --dynamodb-port <n>  DynamoDB Local port (env DYNAMODB_PORT, default: a free port)
  --s3-port <n>        s3rver port (env S3_PORT, default: a free port)
  --ses-port <n>       SES capture port (env SES_PORT, default: a free port)
  --smtp-port <n>      SMTP listener standing in for SES inbound (env SMTP_PORT, default 2525,
                       or a free port when --port is 0; 0 picks a free port)
  --log-level <level>  handler log level (env LOG_LEVEL, default INFO)
  --time-scale <n>     run the clock n times faster (env TIME_SCALE, default 1); POST /local/clock/advance jumps it
  --retention-seconds <n>  closed cases expire n seconds after closure instead of five years (local only;
                       env RETENTION_SECONDS), so you can watch DynamoDB Local's TTL remove them
  --demo               fill a fresh system with ~200 demo cases once started (moves the clock about a day on)
  --demo-cases <n>     how many demo cases (default 200)
  -h, --help           this text`;

function portOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`caseflow: ${name} must be a port number (0-65535), not '${value}'`);
    process.exit(2);
  }
  return port;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      fresh: { type: 'boolean', default: false },
      'dynamodb-port': { type: 'string' },
      's3-port': { type: 'string' },
      'ses-port': { type: 'string' },
      'smtp-port': { type: 'string' },
      'log-level': { type: 'string' },
      'time-scale': { type: 'string' },
      'retention-seconds': { type: 'string' },
      demo: { type: 'boolean', default: false },
      'demo-cases': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log(HELP);
    return;
  }
  const env = process.env;
  const started = Date.now();
  let stopping = false;
  // Before anything starts: Ctrl-C while the demo fills the stack stops every child too.
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  console.log('caseflow: starting the local stack…');
  const port = portOption(values.port ?? env.PORT, '--port') ?? 3000;
  const retentionSeconds = retentionOption(values['retention-seconds'] ?? env.RETENTION_SECONDS);
  // Process-wide, like the clock: every handler here closes cases under the short local policy.
  if (retentionSeconds !== undefined) localRetentionControl.use(retentionSeconds);
  let fatal: string | undefined;
  // Declared before the start: a stand-in can fail while the stack is still starting.
  let stack: Awaited<ReturnType<typeof startLocalStack>> | undefined = undefined;
  stack = await startLocalStack({
    onFatal: (message) => {
      fatal ??= message;
      shutdown('a stand-in failed');
    },
    port,
    // A stack asked for free ports (tests, benchmarks) takes a free SMTP port too, so it never collides with `npm start`.
    smtpPort: portOption(values['smtp-port'] ?? env.SMTP_PORT, '--smtp-port') ?? (port === 0 ? 0 : 2525),
    dataDir: values['data-dir'] ?? env.CASEFLOW_DATA_DIR ?? '.caseflow',
    fresh: values.fresh,
    ...optional('dynamodbPort', portOption(values['dynamodb-port'] ?? env.DYNAMODB_PORT, '--dynamodb-port')),
    ...optional('s3Port', portOption(values['s3-port'] ?? env.S3_PORT, '--s3-port')),
    ...optional('sesPort', portOption(values['ses-port'] ?? env.SES_PORT, '--ses-port')),
    ...optional('logLevel', values['log-level'] ?? env.LOG_LEVEL),
    ...optional('timeScale', scaleOption(values['time-scale'] ?? env.TIME_SCALE)),
  });
  const e = stack.endpoints;
  console.log(`
caseflow is running (${((Date.now() - started) / 1000).toFixed(1)} s, data in ${e.dataDir})

  Contact form     ${e.web}
  Staff console    ${e.console}
  Case API         ${e.api}/cases
  Captured mail    ${e.outbox}   (JSON)
  Mail viewer      ${e.mailViewer}
  Clock            ${e.clock}   (curl -s -X POST ${e.clock}/advance -H 'content-type: application/json' -d '{"minutes":1080}' jumps SLA time)
  Staff token      curl -s -X POST ${e.token} -H 'content-type: application/json' -d '{"sub":"ada-agent","groups":["agents"]}'
  Seeded staff     ${e.staff}   (someone of every role to sign in as)

  DynamoDB Local   ${e.dynamodb}   (${e.dynamodbLoopbackOnly ? '127.0.0.1 only' : 'every interface: install a JDK to bind it to 127.0.0.1'}; its tables are this install's credentials' alone)
  S3 (s3rver)      ${e.s3}   (buckets ${e.resources.inboundBucket}, ${e.resources.archiveBucket}, ${e.resources.recordsBucket}: closed cases' archives, ${e.resources.exportsBucket}: compliance exports)
  SES capture      ${e.ses}
  SMTP inbound     ${e.smtp}   (stands in for SES inbound: mail to @caseflow.local lands in ${e.resources.inboundBucket};
                   try: npm run caseflow -- send-mail --from ann@example.com --subject 'My parcel is broken')
  Step Functions   ${e.stepFunctions}   (the SLA, export and corrective-action workflows, state-machines/*.asl.json)${retentionSeconds !== undefined ? `
  Retention        closed cases expire ${retentionSeconds} s after closure (local override; DynamoDB Local's TTL removes them)` : ''}

Endpoints are in ${e.dataDir}/endpoints.json. Press Ctrl-C to stop.`);

  if (values.demo) {
    const cases = values['demo-cases'] === undefined ? undefined : Number(values['demo-cases']);
    if (cases !== undefined && (!Number.isInteger(cases) || cases < 1)) console.error('caseflow: --demo-cases must be a positive whole number');
    else await fillWithDemo(e, cases !== undefined ? { cases } : {}, console.log).catch((error: unknown) => stopping || console.error(`caseflow: the demo failed: ${error instanceof Error ? error.message : String(error)}`));
  }

  function shutdown(why: string) {
    if (stopping) return;
    stopping = true;
    if (fatal) console.error(`\ncaseflow: ${fatal}`);
    console.log(`\ncaseflow: ${why}, stopping…`);
    // onFatal comes only once the stack has started (a failure while starting rejects the start).
    if (!stack) return process.exit(fatal ? 1 : 0);
    stack.stop().then(
      () => process.exit(fatal ? 1 : 0),
      () => process.exit(1),
    );
  }
}

function scaleOption(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0) {
    console.error(`caseflow: --time-scale must be a positive number, not '${value}'`);
    process.exit(2);
  }
  return scale;
}

function retentionOption(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds <= 0) {
    console.error(`caseflow: --retention-seconds must be a whole number of seconds above zero, not '${value}'`);
    process.exit(2);
  }
  return seconds;
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

main().catch((error: unknown) => {
  const err = error as NodeJS.ErrnoException;
  if (err instanceof SmtpPortInUseError) console.error(`caseflow: ${err.message}. Choose another with --smtp-port or SMTP_PORT (0 picks a free one).`);
  else if (err.code === 'EADDRINUSE') console.error(`caseflow: the port is already in use. Choose another with --port or PORT (0 picks a free one).`);
  else console.error(`caseflow: could not start: ${err.message}`);
  process.exit(1);
});
