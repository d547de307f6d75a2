import { FileStaffDirectory } from '../functions/adapters/file-staff-directory';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Context, S3Event } from 'aws-lambda';
import * as z from 'zod';
import { clockControl } from '../functions/adapters/system-clock';
import type { EveryEnvironment } from '../functions/adapters/function-config';
import { API_ROUTES, FALLBACK_ROUTES } from '../functions/handlers/routes';
import { prepareBackground } from './background';
import { startDynamoDbLocal } from './dynamodb-local';
import { buildConsoleSync, CONSOLE_DIST } from '../web/console/build';
import { startGateway, type HttpApiHandler, type LocalRoute } from './http-gateway';
import { invokeLocally } from './lambda-context';
import { createLocalIssuer, LOCAL_AUDIENCE, TokenRequestSchema } from './local-auth';
import { ensureTable, LOCAL_NAMES } from './resources';
import { installCredentials } from './stand-in-credentials';
import { startS3Local } from './s3-local';
import { SEEDED_STAFF, seedStaff } from './seeded-staff';
import { capturedMail, startSesLocal } from './ses-local';
import { startSmtpInbound } from './smtp-inbound';
import { supervise } from './supervisor';
import { createInboundQueue } from './inbound-queue';

export interface LocalStackOptions {
  host?: string;
  /** Gateway port; 0 picks a free one. */
  port: number;
  dataDir: string;
  fresh?: boolean;
  dynamodbPort?: number;
  s3Port?: number;
  sesPort?: number;
  /** SMTP listener standing in for SES inbound; 0 picks a free port. Default 2525. */
  smtpPort?: number;
  logLevel?: string;
  /** Run the clock this many times faster than real time (SLA windows in minutes instead of hours). */
  timeScale?: number;
  /**
   * Called when a stand-in keeps dying and cannot be restarted: the stack can no longer work, and
   * `npm start` stops with this message rather than answering every request with errors.
   */
  onFatal?: (message: string) => void;
}

export interface LocalEndpoints {
  web: string;
  /** The staff console (`/console/`). */
  console: string;
  api: string;
  outbox: string;
  token: string;
  /** GET: the seeded staff of every role, `[{id, name, email, roles}]`, to sign in as. */
  staff: string;
  mailViewer: string;
  dynamodb: string;
  /** True when DynamoDB Local listens on 127.0.0.1 alone (a JDK is installed); its data is the install's credentials' only, either way. */
  dynamodbLoopbackOnly: boolean;
  s3: string;
  ses: string;
  /** `smtp://127.0.0.1:<port>`: mail sent here is stored in the inbound bucket and ingested, as SES inbound would. */
  smtp: string;
  jwks: string;
  issuer: string;
  stepFunctions: string;
  clock: string;
  resources: {
    table: string;
    inboundBucket: string;
    archiveBucket: string;
    /** Closed cases' archives (Object Lock in AWS; s3rver keeps no lock locally). */
    recordsBucket: string;
    /** Compliance exports and their manifest chain. */
    exportsBucket: string;
    senderEmail: string;
    slaStateMachineArn: string;
    exportStateMachineArn: string;
    teamInbox: string;
    supervisor: string;
    manager: string;
  };
  dataDir: string;
  pid: number;
}

const ROOT = resolve(__dirname, '..');
type S3EventHandler = (event: S3Event, context: Context) => Promise<unknown>;

const ClockAdvanceSchema = z
  .object({
    days: z.number().nonnegative().optional(),
    hours: z.number().nonnegative().optional(),
    minutes: z.number().nonnegative().optional(),
    seconds: z.number().nonnegative().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'Give days, hours, minutes or seconds');

const send = (res: Parameters<LocalRoute>[1], status: number, body: unknown) => {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify(body));
};

/** Parses a local endpoint's JSON body with its schema, or answers 400 naming the fields and returns undefined. */
function readJsonBody<S extends z.ZodType>(res: Parameters<LocalRoute>[1], body: Buffer, schema: S, error: string): z.infer<S> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || '{}');
  } catch {
    send(res, 400, { error: 'The request body is not valid JSON', issues: [{ path: 'body', message: 'Malformed JSON' }] });
    return undefined;
  }
  const result = schema.safeParse(parsed);
  if (result.success) return result.data;
  send(res, 400, { error, issues: result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message })) });
  return undefined;
}

/**
 * The whole system on 127.0.0.1: DynamoDB Local, s3rver and the SES capture, the table and
 * buckets the CDK app would create, the HTTP gateway in front of the deployed handlers, and the
 * stream poller that drives the outbox as the event source mapping does in AWS.
 */
export async function startLocalStack(opts: LocalStackOptions) {
  const host = opts.host ?? '127.0.0.1';
  const dataDir = resolve(opts.dataDir);
  if (opts.fresh) rmSync(dataDir, { recursive: true, force: true });
  // The data directory holds customers' data and the stand-ins' credentials: its owner's alone
  // (the DynamoDB Local file is even named after the access key id).
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);

  const stops: (() => Promise<void>)[] = [];
  let started = false;
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };

  try {
    let ready = false;
    const handlers = new Map<string, HttpApiHandler>();
    const localRoutes: Record<string, LocalRoute> = {};
    // The staff console is built at every start (esbuild, a few hundred ms), so it is never stale.
    buildConsoleSync(CONSOLE_DIST);
    const gateway = await startGateway({
      host,
      port: opts.port,
      routes: [...API_ROUTES, ...FALLBACK_ROUTES],
      staticDir: join(ROOT, 'web'),
      localRoutes,
      console: { dir: CONSOLE_DIST, config: { apiBase: '/v1', auth: { kind: 'local', tokenEndpoint: '/local/token', staffEndpoint: '/local/staff' } } },
      isReady: () => ready,
      nowMs: () => clockControl.nowMs(),
      loadHandler: async (name) => {
        const fn = handlers.get(name);
        if (!fn) throw new Error(`no local binding for handler ${name}`);
        return fn;
      },
    });
    stops.push(gateway.stop);
    const base = gateway.url;

    // The install's own credentials: the stand-ins show their data to this stack alone.
    const credentials = installCredentials(dataDir);
    const dynamoOptions = { dataDir: join(dataDir, 'dynamodb'), ...(opts.dynamodbPort ? { port: opts.dynamodbPort } : {}), corsOrigin: base, credentials };
    const s3Options = { dataDir: join(dataDir, 's3'), buckets: [LOCAL_NAMES.inboundBucket, LOCAL_NAMES.archiveBucket, LOCAL_NAMES.recordsBucket, LOCAL_NAMES.exportsBucket], ...(opts.s3Port ? { port: opts.s3Port } : {}), credentials };
    const [dynamo, s3, ses] = await Promise.all([startDynamoDbLocal(dynamoOptions), startS3Local(s3Options), startSesLocal(opts.sesPort ? { port: opts.sesPort } : {})]);
    // A stand-in that dies is started again on the same port with the same data; one that keeps dying stops the stack.
    let fatalDuringStart: string | undefined;
    const supervision = {
      onGiveUp: (name: string, detail: string) => {
        const message = `${name} ${detail}. Its output is above; the data in ${dataDir} is kept. Start again with \`npm start\`.`;
        if (started) opts.onFatal?.(message);
        else fatalDuringStart ??= message;
      },
    };
    const dynamoWatch = supervise('DynamoDB Local', dynamo, () => startDynamoDbLocal({ ...dynamoOptions, port: dynamo.port }), supervision);
    const s3Watch = supervise('s3rver', s3, () => startS3Local({ ...s3Options, port: s3.port }), supervision);
    stops.push(dynamoWatch.stop, s3Watch.stop, ses.stop);
    // Mail is stored and answered at once; ingestion follows from a queue kept on disk, as SES and Lambda do it.
    const inbound = createInboundQueue({ dir: join(dataDir, 'inbound-queue') });
    stops.push(inbound.stop);
    // The SMTP port is bound early so that a busy one fails the start at once.
    const smtp = await startSmtpInbound({
      host,
      port: opts.smtpPort ?? 2525,
      s3Endpoint: s3.endpoint,
      credentials,
      bucket: LOCAL_NAMES.inboundBucket,
      recipients: LOCAL_NAMES.inboundRecipients,
      onStored: (event) => inbound.push(event),
    });
    stops.push(smtp.stop);
    await ensureTable(dynamo.endpoint, LOCAL_NAMES.table, credentials);

    const issuer = await createLocalIssuer(`${base}/local`, join(dataDir, 'local-signing-key.json'));
    // The staff directory: everyone a token is minted for, with their roles (Cognito's user pool in AWS).
    const staffRosterFile = join(dataDir, 'staff.json');
    const roster = new FileStaffDirectory(staffRosterFile);
    // Someone of every role to sign in as (GET /local/staff lists them for the console's sign-in page).
    seedStaff(roster);
    // The clock never runs behind what the data already records: a clock moved forward (or run fast)
    // before a restart resumes where it stood, so cases and their deadlines are not in the future.
    const clockFile = join(dataDir, 'clock.json');
    const resumeAt = readSavedClock(clockFile);
    if (resumeAt !== undefined && resumeAt > clockControl.nowMs()) clockControl.advance(resumeAt - clockControl.nowMs());
    const saveClock = () => writeFileSync(clockFile, `${JSON.stringify({ nowMs: clockControl.nowMs() })}\n`, { mode: 0o600 });
    const unwatchClock = clockControl.onChange(saveClock);
    stops.push(async () => {
      unwatchClock();
      saveClock();
    });
    if (opts.timeScale && opts.timeScale !== 1) clockControl.setTimeScale(opts.timeScale);
    const background = await prepareBackground({ dynamodbEndpoint: dynamo.endpoint, tableName: LOCAL_NAMES.table, dataDir, credentials });
    stops.push(background.stop);
    const { slaStateMachineArn, exportStateMachineArn, correctiveActionStateMachineArn, slaMigrationStateMachineArn } = background;
    // Every function's configuration (the deployment contract, function-config.ts), for the one
    // process they all run in, with the stand-ins' endpoints and credentials.
    const functionsEnvironment: EveryEnvironment = {
      TABLE_NAME: LOCAL_NAMES.table,
      SENDER_EMAIL: LOCAL_NAMES.senderEmail,
      INBOUND_BUCKET: LOCAL_NAMES.inboundBucket,
      ATTACHMENTS_BUCKET: LOCAL_NAMES.archiveBucket,
      SUPPORT_ADDRESSES: LOCAL_NAMES.senderEmail,
      COMPLAINTS_ADDRESSES: LOCAL_NAMES.complaintsEmail,
      JWT_ISSUER: issuer.issuer,
      JWT_JWKS_URL: `${issuer.issuer}/.well-known/jwks.json`,
      JWT_AUDIENCE: LOCAL_AUDIENCE,
      TEAM_INBOX_EMAIL: LOCAL_NAMES.teamInbox,
      SUPERVISOR_EMAIL: LOCAL_NAMES.supervisor,
      MANAGER_EMAIL: LOCAL_NAMES.manager,
      SLA_STATE_MACHINE_ARN: slaStateMachineArn,
      CORRECTIVE_ACTION_STATE_MACHINE_ARN: correctiveActionStateMachineArn,
      SLA_MIGRATION_STATE_MACHINE_ARN: slaMigrationStateMachineArn,
      AUDIT_ANCHOR_BUCKET: LOCAL_NAMES.archiveBucket,
      CASE_ARCHIVE_BUCKET: LOCAL_NAMES.recordsBucket,
      // The expiry verifier's dead letters (an SQS queue in AWS): files, redriven by POST /local/jobs/expiry-redrive.
      EXPIRY_DEAD_LETTER_DIR: join(dataDir, 'expiry-dead-letters'),
      // The local key service: customers' data keys (KMS and a key table in AWS), wrapped with a master key of this data directory.
      SUBJECT_KEY_DIR: join(dataDir, 'subject-keys'),
      STAFF_DIRECTORY_FILE: staffRosterFile,
      EXPORTS_BUCKET: LOCAL_NAMES.exportsBucket,
      EXPORT_STATE_MACHINE_ARN: exportStateMachineArn,
      // The local manifest signer's key pair (the export-signing KMS key in AWS).
      EXPORT_SIGNING_KEY_DIR: join(dataDir, 'export-signing'),
      // A laptop's roster has no training records: the assignment guard warns on the timeline instead of
      // refusing (C5.3), unless TRAINING_GUARD says otherwise (docs/training.md).
      TRAINING_GUARD: process.env.TRAINING_GUARD ?? 'warn',
      // Satisfaction survey links (M8.1): served by this gateway, signed with a keyring made in the data directory on first use.
      SURVEY_BASE_URL: base,
      SURVEY_LINK_KEY_DIR: join(dataDir, 'survey-link-keys'),
      // Staff reminders link to the case in this gateway's console (M3.2's follow-up reminders).
      CONSOLE_URL: `${base}/console/`,
    };
    Object.assign(process.env, functionsEnvironment, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      SES_ENDPOINT: ses.endpoint,
      POWERTOOLS_SERVICE_NAME: 'caseflow',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_TRACE_ENABLED: 'false',
      POWERTOOLS_LOG_LEVEL: opts.logLevel ?? process.env.LOG_LEVEL ?? 'INFO',
    });

    // Handlers read their configuration at load, so they are imported only now.
    for (const name of new Set([...API_ROUTES, ...FALLBACK_ROUTES].map((r) => r.handler))) {
      const mod = (await import(`../functions/handlers/${name}`)) as { handler: HttpApiHandler };
      handlers.set(name, mod.handler);
    }
    const running = await background.start();

    // The same handler the SES receipt rule's S3 action triggers in AWS.
    const emailIngest = (await import('../functions/handlers/email-ingest')) as { handler: S3EventHandler };
    inbound.start(async (event) => {
      await invokeLocally('email-ingest', emailIngest.handler, event);
    });

    localRoutes['GET /local/.well-known/jwks.json'] = (_req, res) => send(res, 200, issuer.jwks);
    localRoutes['POST /local/token'] = async (_req, res, body) => {
      const request = readJsonBody(res, body, TokenRequestSchema, 'Invalid token request');
      if (!request) return;
      // A token says nothing of teams: the member keeps the team the roster has for them (the seeded ones' teams).
      const team = (await roster.find(request.sub))?.team;
      roster.register({ id: request.sub, roles: request.groups, ...(request.name ? { name: request.name } : {}), ...(request.email ? { email: request.email } : {}), ...(team ? { team } : {}) });
      send(res, 201, { token: await issuer.mint(request), tokenType: 'Bearer', expiresIn: request.expiresInSeconds });
    };
    // The seeded staff, for a local sign-in page: pick one, then POST /local/token with their sub, groups, name and email.
    localRoutes['GET /local/staff'] = (_req, res) => send(res, 200, SEEDED_STAFF.map(({ id, name, email, roles }) => ({ id, name, email, roles })));
    localRoutes['GET /local/outbox'] = async (req, res) => {
      const to = new URL(req.url ?? '/', 'http://local').searchParams.get('to')?.toLowerCase();
      const emails = await capturedMail(ses.endpoint);
      send(res, 200, { emails: to ? emails.filter((e) => e.destination.to.some((t) => t.toLowerCase().includes(to))) : emails });
    };
    // Each stand-in's state; 503 while one is restarting or down, so tools can wait for it.
    localRoutes['GET /local/health'] = (_req, res) => {
      const standIns = {
        dynamodb: { ...dynamoWatch.health(), loopbackOnly: dynamo.loopbackOnly },
        s3: s3Watch.health(),
        ses: { status: 'up' as const },
        smtp: { status: 'up' as const, pendingIngestions: inbound.pending() },
      };
      const ok = Object.values(standIns).every((s) => s.status === 'up');
      send(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', standIns });
    };
    const clockState = () => ({ now: new Date(clockControl.nowMs()).toISOString(), timeScale: clockControl.timeScale() });
    localRoutes['GET /local/clock'] = (_req, res) => send(res, 200, clockState());
    localRoutes['POST /local/clock/advance'] = async (_req, res, body) => {
      const request = readJsonBody(res, body, ClockAdvanceSchema, 'Say how far to move the clock: days, hours, minutes or seconds');
      if (!request) return;
      const { days = 0, hours = 0, minutes = 0, seconds = 0 } = request;
      const ms = (((days * 24 + hours) * 60 + minutes) * 60 + seconds) * 1000;
      // Every deadline passed fires in order; each one's work settles before the next fires.
      await running.advance(ms);
      send(res, 200, { ...clockState(), advancedBy: ms / 1000 });
    };

    // Anchors the audit-chain heads of every finished day not anchored yet, as the daily schedule does in AWS.
    localRoutes['POST /local/jobs/audit-anchor'] = async (_req, res) => {
      try {
        send(res, 200, await running.anchorAudit());
      } catch (error) {
        send(res, 500, { error: 'The audit anchoring failed', name: error instanceof Error ? error.name : 'Error' });
      }
    };

    // Archives and stamps the closed cases the stream consumers missed, as the daily retention-reconciler does in AWS.
    localRoutes['POST /local/jobs/retention-reconcile'] = async (_req, res) => {
      try {
        send(res, 200, await running.reconcileRetention());
      } catch (error) {
        const run = error instanceof Error && 'run' in error ? { run: error.run } : {};
        send(res, 500, { error: 'The retention reconciliation failed', name: error instanceof Error ? error.name : 'Error', ...run });
      }
    };

    // Mails the refresher reminders owed now (C5.3), as the daily training-reminders run does.
    localRoutes['POST /local/jobs/training-reminders'] = async (_req, res) => {
      try {
        send(res, 200, await running.remindTraining());
      } catch (error) {
        send(res, 500, { error: 'The training reminders failed', name: error instanceof Error ? error.name : 'Error' });
      }
    };

    // Mails the complaint follow-up reminders owed today (M3.2), as the daily follow-up-reminders run does.
    localRoutes['POST /local/jobs/follow-up-reminders'] = async (_req, res) => {
      try {
        send(res, 200, await running.remindFollowUps());
      } catch (error) {
        send(res, 500, { error: 'The follow-up reminders failed', name: error instanceof Error ? error.name : 'Error' });
      }
    };

    // Samples one reply of each agent with none sampled last ISO week (M6.1), as the weekly quality-review-top-up run does.
    localRoutes['POST /local/jobs/quality-review-top-up'] = async (_req, res) => {
      try {
        send(res, 200, await running.topUpQualityReviews());
      } catch (error) {
        send(res, 500, { error: 'The quality-review top-up failed', name: error instanceof Error ? error.name : 'Error' });
      }
    };

    // Processes the expiry verifier's dead letters again, as the expiry-redrive function does in AWS.
    localRoutes['POST /local/jobs/expiry-redrive'] = async (_req, res) => {
      try {
        send(res, 200, await running.redriveExpiries());
      } catch (error) {
        send(res, 500, { error: 'The expiry redrive failed', name: error instanceof Error ? error.name : 'Error' });
      }
    };

    ready = true;

    const endpoints: LocalEndpoints = {
      web: `${base}/`,
      console: `${base}/console/`,
      api: `${base}/v1`,
      outbox: `${base}/local/outbox`,
      token: `${base}/local/token`,
      staff: `${base}/local/staff`,
      mailViewer: `${ses.endpoint}/`,
      dynamodb: dynamo.endpoint,
      dynamodbLoopbackOnly: dynamo.loopbackOnly,
      s3: s3.endpoint,
      ses: ses.endpoint,
      smtp: smtp.url,
      jwks: `${issuer.issuer}/.well-known/jwks.json`,
      issuer: issuer.issuer,
      stepFunctions: background.sfnEndpoint,
      clock: `${base}/local/clock`,
      resources: { ...LOCAL_NAMES, slaStateMachineArn, exportStateMachineArn },
      dataDir,
      pid: process.pid,
    };
    // A stand-in given up on while the rest started fails the start (every child is stopped below).
    if (fatalDuringStart) throw new Error(fatalDuringStart);
    // Written whole then renamed: whoever waits for the file (a script, a test) never reads half of it.
    const endpointsFile = join(dataDir, 'endpoints.json');
    writeFileSync(`${endpointsFile}.${process.pid}.tmp`, `${JSON.stringify(endpoints, null, 2)}\n`);
    renameSync(`${endpointsFile}.${process.pid}.tmp`, endpointsFile);
    started = true;
    return { endpoints, stop: stopAll };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

export const EndpointsFileSchema = z.object({ web: z.string(), api: z.string(), outbox: z.string(), token: z.string(), dynamodb: z.string(), ses: z.string() }).passthrough();

/** The stack clock's time when the stack last stopped or its clock last moved, if a run saved one. */
function readSavedClock(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as { nowMs?: unknown };
    return typeof saved.nowMs === 'number' && Number.isFinite(saved.nowMs) ? saved.nowMs : undefined;
  } catch {
    return undefined; // a half-written file: start from the machine's time
  }
}
