import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startSfnApi } from './sfn-api';
import { clockControl } from '../functions/adapters/system-clock';
import { advanceClock, sleepUntil } from './step-functions/clock-timers';
import { createLocalStepFunctions, type LocalStepFunctions } from './step-functions/local-step-functions';
import { invokeLocally } from './lambda-context';
import { startStreamPoller, type StreamHandler } from './stream-poller';
import { startTtlSweeper } from './ttl-sweeper';

const ROOT = resolve(__dirname, '..');
export const SLA_STATE_MACHINE = 'caseflow-local-case-sla';
export const EXPORT_STATE_MACHINE = 'caseflow-local-compliance-export';
export const CORRECTIVE_ACTION_STATE_MACHINE = 'caseflow-local-corrective-action';
export const SLA_MIGRATION_STATE_MACHINE = 'caseflow-local-sla-migration';

type Invocable = (event: unknown, context: unknown) => Promise<unknown>;

export interface BackgroundOptions {
  dynamodbEndpoint: string;
  tableName: string;
  /** Checkpoints and dead letters live here; without it the consumers start from the stream's start. */
  dataDir?: string;
  pollIntervalMs?: number;
  /** The stand-ins' credentials; default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Archive closed cases (needs S3_ENDPOINT and CASE_ARCHIVE_BUCKET); default true. A run without S3 turns it off. */
  archiveClosedCases?: boolean;
  /** How often the TTL sweeper deletes expired items (ttl-sweeper.ts); 0 leaves TTL to DynamoDB Local alone. Default 2 s. */
  ttlSweepMs?: number;
}

/**
 * Everything that runs behind the API, as AWS runs it: the table's stream consumers (outbox
 * delivery, SLA workflow start, closed cases' archives, retention stamping — one event source mapping each), the SLA state machine on the local
 * Step Functions runner (the same ASL file CDK deploys) behind a Step Functions API endpoint,
 * the reconciler, and the audit anchoring and the retention reconciliation each time the local
 * clock passes midnight UTC. Call
 * `prepare()` before importing any handler (it sets their environment), then `start()`.
 */
export async function prepareBackground(opts: BackgroundOptions) {
  const sfn: LocalStepFunctions = createLocalStepFunctions();
  const sfnApi = await startSfnApi(sfn);
  const slaStateMachineArn = sfn.stateMachineArn(SLA_STATE_MACHINE);
  const exportStateMachineArn = sfn.stateMachineArn(EXPORT_STATE_MACHINE);
  const correctiveActionStateMachineArn = sfn.stateMachineArn(CORRECTIVE_ACTION_STATE_MACHINE);
  const slaMigrationStateMachineArn = sfn.stateMachineArn(SLA_MIGRATION_STATE_MACHINE);
  Object.assign(process.env, {
    SFN_ENDPOINT: sfnApi.endpoint,
    SLA_STATE_MACHINE_ARN: slaStateMachineArn,
    EXPORT_STATE_MACHINE_ARN: exportStateMachineArn,
    CORRECTIVE_ACTION_STATE_MACHINE_ARN: correctiveActionStateMachineArn,
    SLA_MIGRATION_STATE_MACHINE_ARN: slaMigrationStateMachineArn,
  });
  const stops: (() => Promise<void>)[] = [sfnApi.stop, () => sfn.stopAll()];

  async function start() {
    const outbox = (await import('../functions/handlers/outbox-stream')) as { handler: StreamHandler };
    const slaStarter = (await import('../functions/handlers/sla-starter')) as { handler: StreamHandler };
    const retentionStamper = (await import('../functions/handlers/retention-stamper')) as { handler: StreamHandler };
    const slaStep = (await import('../functions/handlers/sla-step')) as { handler: Invocable };
    const slaReconciler = (await import('../functions/handlers/sla-reconciler')) as { handler: Invocable };
    const auditAnchor = (await import('../functions/handlers/audit-anchor')) as { handler: Invocable };
    const trainingReminders = (await import('../functions/handlers/training-reminders')) as { handler: Invocable };
    const qualityReviewTopUp = (await import('../functions/handlers/quality-review-top-up')) as { handler: Invocable };
    const followUpReminders = (await import('../functions/handlers/follow-up-reminders')) as { handler: Invocable };

    // Each workflow's one function, bound to its Task states by name; the result has lambda:invoke's
    // shape. The ASL files are the ones CDK deploys.
    const lambdaTask = (functionName: string, handler: Invocable) => async (parameters: unknown) => {
      const { Payload } = parameters as { Payload: unknown };
      return { StatusCode: 200, Payload: await invokeLocally(functionName, handler, Payload) };
    };
    const definition = (file: string) => JSON.parse(readFileSync(join(ROOT, 'state-machines', file), 'utf8')) as Record<string, unknown>;
    const invokeSlaStep = lambdaTask('sla-step', slaStep.handler);
    sfn.register(SLA_STATE_MACHINE, definition('case-sla.asl.json'), { Evaluate: invokeSlaStep, ApplySlaActions: invokeSlaStep });

    // The corrective-action workflow of non-compliance records (C8.1).
    const correctiveActionStep = (await import('../functions/handlers/corrective-action-step')) as { handler: Invocable };
    const invokeCorrectiveActionStep = lambdaTask('corrective-action-step', correctiveActionStep.handler);
    sfn.register(CORRECTIVE_ACTION_STATE_MACHINE, definition('corrective-action.asl.json'), { Evaluate: invokeCorrectiveActionStep, ApplySteps: invokeCorrectiveActionStep });
    const nonComplianceStarter = (await import('../functions/handlers/non-compliance-starter')) as { handler: StreamHandler };

    // The SLA policy migration workflow (M8.3): a page of open cases a step.
    const slaMigrationStep = (await import('../functions/handlers/sla-migration-step')) as { handler: Invocable };
    const invokeSlaMigrationStep = lambdaTask('sla-migration-step', slaMigrationStep.handler);
    sfn.register(SLA_MIGRATION_STATE_MACHINE, definition('sla-migration.asl.json'), { MigratePage: invokeSlaMigrationStep, RecordFailure: invokeSlaMigrationStep });

    // The compliance export workflow.
    const exportStep = (await import('../functions/handlers/export-step')) as { handler: Invocable };
    const invokeExportStep = lambdaTask('export-step', exportStep.handler);
    sfn.register(EXPORT_STATE_MACHINE, definition('compliance-export.asl.json'), { Plan: invokeExportStep, ExportDay: invokeExportStep, Seal: invokeExportStep });
    // The daily schedule (EventBridge Scheduler in AWS): yesterday's export, each midnight UTC of the local clock.
    let dailyRuns = 0;
    const exportYesterday = async () => {
      dailyRuns += 1;
      const firedAt = new Date(clockControl.nowMs()).toISOString();
      await sfn.startExecution(EXPORT_STATE_MACHINE, { name: `scheduled-daily-${firedAt.slice(0, 10)}-${dailyRuns}`, input: { trigger: 'scheduled', cadence: 'daily', timeZone: 'UTC', firedAt } });
    };

    const consumer = (functionName: string, handler: StreamHandler) =>
      startStreamPoller({
        endpoint: opts.dynamodbEndpoint,
        tableName: opts.tableName,
        functionName,
        handler,
        ...(opts.credentials ? { credentials: opts.credentials } : {}),
        ...(opts.dataDir
          ? { checkpointFile: join(opts.dataDir, `${functionName}-checkpoints.json`), deadLetterFile: join(opts.dataDir, 'stream-dead-letters.jsonl') }
          : {}),
        ...(opts.pollIntervalMs ? { pollIntervalMs: opts.pollIntervalMs } : {}),
        recordTime: () => clockControl.nowMs(),
      });
    const protocolMetrics = (await import('../functions/handlers/protocol-metrics')) as { handler: StreamHandler };
    const pollers = [
      consumer('outbox-stream', outbox.handler),
      consumer('sla-starter', slaStarter.handler),
      consumer('non-compliance-starter', nonComplianceStarter.handler),
      consumer('retention-stamper', retentionStamper.handler),
      // CloudWatch metrics are off locally (POWERTOOLS_METRICS_DISABLED): it runs, and emits nothing.
      consumer('protocol-metrics', protocolMetrics.handler),
    ];
    let expiryRedrive: { handler: Invocable } | undefined;
    let retentionReconciler: { handler: Invocable } | undefined;
    if (opts.archiveClosedCases ?? true) {
      const caseArchiver = (await import('../functions/handlers/case-archiver')) as { handler: StreamHandler };
      const expiryVerifier = (await import('../functions/handlers/expiry-verifier')) as { handler: StreamHandler };
      expiryRedrive = (await import('../functions/handlers/expiry-redrive')) as { handler: Invocable };
      retentionReconciler = (await import('../functions/handlers/retention-reconciler')) as { handler: Invocable };
      pollers.push(consumer('case-archiver', caseArchiver.handler), consumer('expiry-verifier', expiryVerifier.handler));
    }
    stops.push(...pollers.map((p) => p.stop));
    // TTL as AWS runs it, on the stack's clock and at a laptop's pace (DynamoDB Local's own is far slower).
    const sweeper =
      opts.ttlSweepMs === 0
        ? undefined
        : startTtlSweeper({
            endpoint: opts.dynamodbEndpoint,
            tableName: opts.tableName,
            now: () => clockControl.nowMs(),
            ...(opts.ttlSweepMs ? { intervalMs: opts.ttlSweepMs } : {}),
            ...(opts.credentials ? { credentials: opts.credentials } : {}),
          });
    if (sweeper) stops.push(sweeper.stop);

    const reconcile = () => invokeLocally('sla-reconciler', slaReconciler.handler, {}) as Promise<{ checked: number; started: number }>;
    // Executions do not survive a restart: start one for every open case that still needs it.
    await reconcile();

    // The audit anchoring, one run at a time (its schedule in AWS): at start for the days missed,
    // then whenever the local clock passes midnight UTC, and on demand.
    let anchoring: Promise<unknown> = Promise.resolve();
    const anchorAudit = () => {
      const run = anchoring.then(() => invokeLocally('audit-anchor', auditAnchor.handler, {}));
      anchoring = run.catch((error: unknown) => console.error(`audit anchoring failed: ${error instanceof Error ? error.name : String(error)}`));
      return run;
    };
    // The retention reconciliation, one run at a time, each after the anchoring (its schedule in AWS
    // follows the anchoring's): at start, at each midnight UTC of the local clock, and on demand.
    let reconciling: Promise<unknown> = Promise.resolve();
    const reconcileRetention = () => {
      const reconciler = retentionReconciler;
      if (!reconciler) return Promise.reject(new Error('closed cases are not archived in this stack'));
      const run = Promise.all([anchoring, reconciling]).then(() => invokeLocally('retention-reconciler', reconciler.handler, {}));
      reconciling = run.catch((error: unknown) => console.error(`retention reconciliation failed: ${error instanceof Error ? error.name : String(error)}`));
      return run;
    };
    // The refresher reminders (C5.3; a daily schedule in AWS), one run at a time: at each midnight UTC of the local clock, and on demand.
    let reminding: Promise<unknown> = Promise.resolve();
    const remindTraining = () => {
      const run = reminding.then(() => invokeLocally('training-reminders', trainingReminders.handler, {}));
      reminding = run.catch((error: unknown) => console.error(`training reminders failed: ${error instanceof Error ? error.name : String(error)}`));
      return run;
    };
    // The complaint follow-up reminders (M3.2; a daily schedule in AWS), one run at a time: at each midnight UTC of the local clock, and on demand.
    let remindingFollowUps: Promise<unknown> = Promise.resolve();
    const remindFollowUps = () => {
      const run = remindingFollowUps.then(() => invokeLocally('follow-up-reminders', followUpReminders.handler, {}));
      remindingFollowUps = run.catch((error: unknown) => console.error(`follow-up reminders failed: ${error instanceof Error ? error.name : String(error)}`));
      return run;
    };
    // The weekly quality-review top-up (M6.1; a weekly schedule in AWS), one run at a time: at each Monday's midnight UTC of the local clock, and on demand.
    let toppingUp: Promise<unknown> = Promise.resolve();
    const topUpQualityReviews = () => {
      const run = toppingUp.then(() => invokeLocally('quality-review-top-up', qualityReviewTopUp.handler, {}));
      toppingUp = run.catch((error: unknown) => console.error(`quality-review top-up failed: ${error instanceof Error ? error.name : String(error)}`));
      return run;
    };
    const midnights = new AbortController();
    stops.push(async () => midnights.abort());
    void (async () => {
      for (;;) {
        const nextMidnight = (Math.floor(clockControl.nowMs() / 86_400_000) + 1) * 86_400_000;
        try {
          await sleepUntil(nextMidnight, midnights.signal);
        } catch {
          return; // stopped
        }
        // Not awaited: the next midnight is waited for at once, so a jump over several days stops at
        // each (the clock's settle waits for this run); runs queue one after another.
        void anchorAudit().catch(() => undefined);
        if (retentionReconciler) void reconcileRetention().catch(() => undefined);
        void exportYesterday().catch((error: unknown) => console.error(`the daily export did not start: ${error instanceof Error ? error.name : String(error)}`));
        void remindTraining().catch(() => undefined);
        void remindFollowUps().catch(() => undefined);
        if (new Date(nextMidnight).getUTCDay() === 1) void topUpQualityReviews().catch(() => undefined);
      }
    })();
    await anchorAudit().catch(() => undefined);
    if (retentionReconciler) await reconcileRetention().catch(() => undefined);

    return {
      reconcile,
      anchorAudit,
      /** Archives and stamps the closed cases the stream consumers missed (the retention-reconciler function). */
      reconcileRetention,
      /** Deletes every item whose expiry has passed on the stack's clock now, as TTL would (the sweeper's pass). */
      sweepExpired: async () => (sweeper ? sweeper.sweep() : 0),
      /** Mails the refresher reminders owed now (the training-reminders function). */
      remindTraining,
      /** Mails the complaint follow-up reminders owed today (the follow-up-reminders function). */
      remindFollowUps,
      /** Samples one reply of each agent with none sampled last ISO week (the quality-review-top-up function). */
      topUpQualityReviews,
      /** Processes the expiry verifier's dead letters again (the expiry-redrive function). */
      redriveExpiries: async () => {
        if (!expiryRedrive) throw new Error('closed cases are not archived in this stack');
        return invokeLocally('expiry-redrive', expiryRedrive.handler, {});
      },
      /** Moves the clock; every deadline passed fires in order, each one's work (an anchoring run too) settling first. */
      advance: (ms: number) =>
        advanceClock(ms, async () => {
          await sfn.idle();
          await anchoring;
          await reconciling;
          await reminding;
          await remindingFollowUps;
          await toppingUp;
        }),
    };
  }

  return {
    sfn,
    sfnEndpoint: sfnApi.endpoint,
    slaStateMachineArn,
    exportStateMachineArn,
    correctiveActionStateMachineArn,
    slaMigrationStateMachineArn,
    start,
    async stop() {
      for (const stop of stops.reverse()) await stop().catch(() => undefined);
    },
  };
}
