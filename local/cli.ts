import './polyfills';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createTransport } from 'nodemailer';
import type { Context, S3Event } from 'aws-lambda';
import { invokeLocally } from './lambda-context';
import { reconcileInbound, type ReconcileInboundReport } from './reconcile-inbound';
import { LOCAL_REGION } from './dynamodb-local';
import { LOCAL_NAMES } from './resources';
import { CREDENTIALS_FILE, readStandInCredentials, type StandInCredentials } from './stand-in-credentials';
import type { LocalEndpoints } from './stack';
import { EXPORT_USAGE, exportCommand, verifyExportsCommand } from './export-commands';
import { REPORT_COMMAND, REPORT_OPTIONS, reportCommand } from './report-commands';

/**
 * `npm run caseflow -- <command>`: operator commands against a running local stack (or any
 * endpoints given as options). Exit codes: 0 done, 1 work left (e.g. messages still missing), 2 usage.
 */

const USAGE = `Usage: npm run caseflow -- <command> [options]

Commands:
  send-mail           Send a message to the running stack's SMTP listener (the stand-in for SES
                      inbound), as a customer would: it becomes a case, or a reply on one.
  reconcile-inbound   List raw messages in the inbound bucket with no inbound record (case, reply,
                      classified non-case) and no quarantine record; --redrive ingests them again.${REPORT_COMMAND}${EXPORT_USAGE}${REPORT_OPTIONS}

Options of send-mail:
  --from <address>            the customer (required)
  --to <address>              default: the stack's support address
  --subject <text>            the subject (required)
  --text <text>               the body (default: read from standard input when it is not a terminal)
  --in-reply-to <message-id>  answer an earlier message
  --data-dir <dir>            data directory of a running \`npm start\` (default .caseflow)

Options of reconcile-inbound:
  --data-dir <dir>            data directory of a running \`npm start\` (default .caseflow): reads endpoints.json
  --s3-endpoint <url>         S3 endpoint (instead of endpoints.json)
  --dynamodb-endpoint <url>   DynamoDB endpoint (instead of endpoints.json)
  --table <name>              table name (default: endpoints.json, else ${LOCAL_NAMES.table})
  --bucket <name>             inbound bucket (default: endpoints.json, else ${LOCAL_NAMES.inboundBucket})
  --prefix <prefix>           only objects under this key prefix
  --min-age <seconds>         leave alone objects younger than this (in flight); default 0
  --redrive                   invoke the email-ingest handler for each missing message
  --json                      print the report as JSON
  -h, --help                  this text

Exit codes: 0 done (nothing missing, all re-driven, every export verifies), 1 work left (messages still missing, a broken export), 2 usage error.`;

export class UsageError extends Error {}

/** The stand-ins' credentials: the data directory's (a running `npm start`), else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
export function stackCredentials(dataDir: string): StandInCredentials {
  const file = join(resolve(dataDir), CREDENTIALS_FILE);
  if (existsSync(file)) return readStandInCredentials(resolve(dataDir));
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (accessKeyId && secretAccessKey) return { accessKeyId, secretAccessKey };
  throw new UsageError(`no ${file}: give --data-dir of a running \`npm start\`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to the stand-ins' credentials`);
}

export function readEndpoints(dataDir: string, required: boolean): LocalEndpoints | undefined {
  const file = join(resolve(dataDir), 'endpoints.json');
  if (!existsSync(file)) {
    if (required) throw new UsageError(`no ${file}: start the stack with \`npm start\`, or give --s3-endpoint, --dynamodb-endpoint`);
    return undefined;
  }
  return JSON.parse(readFileSync(file, 'utf8')) as LocalEndpoints;
}

/** The environment the email-ingest handler reads at load, as local/stack.ts sets it. */
function handlerEnvironment(s: { dynamodb: string; s3: string; ses?: string; table: string; bucket: string; attachmentsBucket: string; senderEmail: string; credentials: StandInCredentials }) {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: s.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s.credentials.secretAccessKey,
    TABLE_NAME: s.table,
    DYNAMODB_ENDPOINT: s.dynamodb,
    S3_ENDPOINT: s.s3,
    ...(s.ses ? { SES_ENDPOINT: s.ses } : {}),
    SENDER_EMAIL: s.senderEmail,
    INBOUND_BUCKET: s.bucket,
    ATTACHMENTS_BUCKET: s.attachmentsBucket,
    SUPPORT_ADDRESSES: s.senderEmail,
    COMPLAINTS_ADDRESSES: LOCAL_NAMES.complaintsEmail,
    POWERTOOLS_SERVICE_NAME: 'caseflow',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_TRACE_ENABLED: 'false',
    // The handler's per-message log lines would drown the report; LOG_LEVEL=INFO brings them back.
    POWERTOOLS_LOG_LEVEL: process.env.LOG_LEVEL ?? 'WARN',
  };
}

function print(report: ReconcileInboundReport, redrive: boolean): void {
  console.log(
    `inbound bucket: ${report.scanned} raw messages; ${report.recorded} recorded, ${report.quarantined} quarantined, ` +
      `${report.missing.length} missing${report.skippedYoung ? `, ${report.skippedYoung} too young to judge` : ''}`,
  );
  for (const m of report.missing) console.log(`  missing  ${m.key}  ${m.size} bytes  ${m.lastModified}  (${m.reason})`);
  if (redrive) {
    for (const r of report.redriven) console.log(`  ${r.ok ? 'redriven' : 'FAILED  '} ${r.key}  ${r.outcome}`);
    console.log(report.stillMissing === 0 ? 'every missing message was re-driven' : `${report.stillMissing} messages still missing`);
  } else if (report.missing.length > 0) {
    console.log('run again with --redrive to ingest them');
  }
}

async function reconcileCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      'data-dir': { type: 'string', default: '.caseflow' },
      's3-endpoint': { type: 'string' },
      'dynamodb-endpoint': { type: 'string' },
      table: { type: 'string' },
      bucket: { type: 'string' },
      prefix: { type: 'string' },
      'min-age': { type: 'string' },
      redrive: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const explicit = Boolean(values['s3-endpoint'] && values['dynamodb-endpoint']);
  const endpoints = readEndpoints(values['data-dir'], !explicit);
  const minAge = values['min-age'] === undefined ? 0 : Number(values['min-age']);
  if (!Number.isFinite(minAge) || minAge < 0) throw new UsageError('--min-age must be a number of seconds');
  const s = {
    s3: values['s3-endpoint'] ?? endpoints?.s3 ?? '',
    dynamodb: values['dynamodb-endpoint'] ?? endpoints?.dynamodb ?? '',
    ...(endpoints?.ses ? { ses: endpoints.ses } : {}),
    table: values.table ?? endpoints?.resources.table ?? LOCAL_NAMES.table,
    bucket: values.bucket ?? endpoints?.resources.inboundBucket ?? LOCAL_NAMES.inboundBucket,
    attachmentsBucket: endpoints?.resources.archiveBucket ?? LOCAL_NAMES.archiveBucket,
    senderEmail: endpoints?.resources.senderEmail ?? LOCAL_NAMES.senderEmail,
    credentials: stackCredentials(values['data-dir']),
  };
  let redrive: ((event: S3Event) => Promise<unknown>) | undefined;
  if (values.redrive) {
    Object.assign(process.env, handlerEnvironment(s));
    // The handler reads its configuration at load, so it is imported only now.
    const { handler } = (await import('../functions/handlers/email-ingest')) as { handler: (e: S3Event, c: Context) => Promise<unknown> };
    redrive = (event) => invokeLocally('email-ingest', handler, event);
  }
  const report = await reconcileInbound({ s3Endpoint: s.s3, dynamodbEndpoint: s.dynamodb, credentials: s.credentials, table: s.table, bucket: s.bucket, minAgeSeconds: minAge, ...(values.prefix ? { prefix: values.prefix } : {}), ...(redrive ? { redrive } : {}) });
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else print(report, values.redrive);
  return report.stillMissing === 0 ? 0 : 1;
}

async function sendMailCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      subject: { type: 'string' },
      text: { type: 'string' },
      'in-reply-to': { type: 'string' },
      'data-dir': { type: 'string', default: '.caseflow' },
    },
  });
  if (!values.from || !values.subject) throw new UsageError('send-mail needs --from and --subject');
  const endpoints = readEndpoints(values['data-dir'], true);
  const smtp = new URL(endpoints?.smtp ?? '');
  const text = values.text ?? (process.stdin.isTTY ? '' : readFileSync(0, 'utf8'));
  const transport = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true });
  try {
    const info = await transport.sendMail({
      from: values.from,
      to: values.to ?? endpoints?.resources.senderEmail ?? LOCAL_NAMES.senderEmail,
      subject: values.subject,
      text,
      ...(values['in-reply-to'] ? { inReplyTo: values['in-reply-to'], references: [values['in-reply-to']] } : {}),
    });
    console.log(`${info.response} (Message-ID ${info.messageId}); the case and its acknowledgement follow at ${endpoints?.outbox ?? '/local/outbox'}`);
    return 0;
  } finally {
    transport.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      console.log(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'reconcile-inbound') return await reconcileCommand(rest);
    if (command === 'send-mail') return await sendMailCommand(rest);
    const stackAccess = (dataDir: string) => ({ endpoints: readEndpoints(dataDir, true) as LocalEndpoints, credentials: stackCredentials(dataDir), dataDir });
    if (command === 'export') return await exportCommand(rest, stackAccess);
    if (command === 'verify-exports') return await verifyExportsCommand(rest, stackAccess);
    if (command === 'report') return await reportCommand(rest, stackAccess);
    throw new UsageError(`unknown command: ${command}`);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      console.error(`${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`caseflow: ${error instanceof Error ? `${error.name}: ${error.message}` : 'failed'}`);
      process.exit(1);
    },
  );
}
