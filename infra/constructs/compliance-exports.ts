import { Aws, Duration, Stack, TimeZone, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { INDEX } from '../../functions/adapters/dynamo/keys';
import { EXPORTS_PREFIX, type Cadence } from '../../functions/core/compliance-export';
import { REPORTS_PREFIX } from '../../functions/core/monthly-report-delivery';
import { bucketArnExportName } from '../stateful-stack';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { grantSendToEncryptedQueue } from './encrypted-queue-dlq';
import { exportScheduleTime, type LocalTime, type ScheduleDays } from './export-schedule-times';
import { exportSigningEnvironment, grantManifestSigning } from './export-signing-grants';
import { EXPORT_STEP_MEMORY_MB, EXPORT_STEP_TIMEOUT_MINUTES } from './export-step-size';
import { ExportWorkflow } from './export-workflow';

/** Which scheduled exports run, and the calendar they count days, weeks and months in (the `caseflow:exports*` context keys). */
export interface ExportSchedules {
  /** An IANA time zone. */
  timeZone: string;
  /** Yesterday's export, each night. */
  daily: boolean;
  /** The seven days before, each Monday. */
  weekly: boolean;
  /** The month before, on each 1st. */
  monthly: boolean;
}

/** The default schedules: the daily export only, by the UTC calendar. */
export const DEFAULT_EXPORT_SCHEDULES: ExportSchedules = { timeZone: 'UTC', daily: true, weekly: false, monthly: false };

/** When each cadence wants to fire in its time zone (moved later where the UTC day has not ended yet: export-schedule-times.ts). */
export const EXPORT_SCHEDULE_TIMES: Readonly<Record<Cadence, LocalTime & { days: ScheduleDays; weekDay?: 'MON'; day?: '1' }>> = {
  daily: { hour: 0, minute: 30, days: 'every day' },
  weekly: { hour: 1, minute: 0, days: 'Mondays', weekDay: 'MON' },
  monthly: { hour: 2, minute: 0, days: 'the 1st', day: '1' },
};

/** How long the Scheduler keeps trying to start a run (StartExecution throttled or failing) before the DLQ. */
export const EXPORT_SCHEDULE_RETRY = { retryAttempts: 20, maxEventAge: Duration.hours(6) } as const;

export interface ComplianceExportsProps {
  /** Names the state machine, the schedules and the bucket export in the acknowledged cdk-nag finding. */
  stage: string;
  /** Makes export-step. */
  functions: CaseflowFunctions;
  tableName: string;
  /** The exports bucket's key (the data key) and the DLQ's. */
  dataKey: kms.IKey;
  /** The exports bucket, and its ARN through the stage-named export. */
  bucket: s3.IBucket;
  bucketArnImport: string;
  /** The export-signing key's ARN through its stage-named export (CaseflowStatefulStack.exportSigningKeyArnImport). */
  signingKeyArnImport: string;
  schedules: ExportSchedules;
}

/**
 * Compliance exports (M5.3, M7.3, C4.3, C6.3; functions/core/compliance-export.ts, docs/exports.md):
 * the export workflow and its one function, export-step, which reads a day's cases from the by-day
 * index and their partitions, writes the day's files under `exports/` in the exports bucket and
 * seals the export with a manifest signed by the export-signing key; the EventBridge Scheduler
 * schedules that start it (daily by default; weekly and monthly when turned on), with a retry
 * policy and a DLQ for runs that could not be started; an alarm on failed runs. The staff API starts
 * the auditors' exports (CaseApi).
 */
export class ComplianceExports extends Construct {
  public readonly function: CaseflowFunction;
  public readonly workflow: ExportWorkflow;
  /** The three schedules, each enabled or not by ExportSchedules. */
  public readonly schedules: Readonly<Record<Cadence, scheduler.Schedule>>;
  /** When each schedule fires, in ExportSchedules.timeZone. */
  public readonly scheduleTimes: Readonly<Record<Cadence, LocalTime>>;
  /** The Scheduler's role: StartExecution on this state machine, the DLQ. */
  public readonly schedulerRole: iam.Role;
  /** Scheduled starts that failed after their retries. */
  public readonly scheduleDlq: sqs.Queue;
  /** The cdk-nag findings of export-step's and the report job's object-level S3 grants (acknowledged on their roles). */
  public objectFindings: readonly string[];
  /** The monthly compliance report, made on each 1st. */
  public readonly reportJob: CaseflowFunction;
  public readonly reportSchedule: scheduler.Schedule;

  constructor(scope: Construct, id: string, props: ComplianceExportsProps) {
    super(scope, id);

    // export-step gets no state machine ARN: the state machine depends on it, never the other way round.
    this.function = props.functions.create('workflow', 'export-step', {
      description: 'caseflow export-step: plans an export, writes a day of it, seals it with the signed manifest (export workflow task)',
      environment: { TABLE_NAME: props.tableName, EXPORTS_BUCKET: props.bucket.bucketName, ...exportSigningEnvironment(props.signingKeyArnImport) },
      // One call writes one whole day: every case changed that day (a Query of the by-day index's
      // shards, then one of each case's partition), in parts of 1000 cases, each part streamed to
      // JSON Lines and Parquet as its cases are read. Why 512 MB and 15 minutes: export-step-size.ts
      // (the peak RSS under the V8 heap Lambda gives that memory, docs/benchmarks.md). The Task's
      // retries write the day again whole, so a day must fit in one call.
      memorySize: EXPORT_STEP_MEMORY_MB,
      timeout: Duration.minutes(EXPORT_STEP_TIMEOUT_MINUTES),
      indexes: [INDEX.byDay],
    });
    this.objectFindings = grantExportWrites(this.function.role, props);
    grantManifestSigning(this.function.role, props.signingKeyArnImport);

    this.workflow = new ExportWorkflow(this, 'ExportWorkflow', { stage: props.stage, stepFunction: this.function.fn });

    // The Scheduler's own role, for this account's schedules only (the confused-deputy conditions
    // CDK's default role has), with the DLQ's key through SQS, which CDK's would lack.
    this.schedulerRole = new iam.Role(this, 'ExportScheduleRole', {
      description: 'caseflow: EventBridge Scheduler starts the compliance export workflow',
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': Stack.of(this).formatArn({ service: 'scheduler', resource: 'schedule-group', resourceName: 'default' }),
          },
        },
      }),
    });
    this.scheduleDlq = new sqs.Queue(this, 'ExportScheduleDlq', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.scheduleDlq).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself the dead-letter queue of the compliance export schedules: the scheduled starts the Scheduler could not deliver after its retries.',
    });
    grantSendToEncryptedQueue(this.schedulerRole, this.scheduleDlq, props.dataKey);
    new cloudwatch.Alarm(this, 'ExportScheduleFailedAlarm', {
      alarmDescription:
        'A scheduled compliance export could not be started (StartExecution kept failing for 6 hours): its period has no export. The DLQ message has the input; start the export by hand (POST /v1/exports with its period, or start the state machine with that input), see docs/exports.md.',
      metric: this.scheduleDlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const { timeZone } = props.schedules;
    const time = (cadence: Cadence) => exportScheduleTime(timeZone, EXPORT_SCHEDULE_TIMES[cadence], EXPORT_SCHEDULE_TIMES[cadence].days);
    this.scheduleTimes = { daily: time('daily'), weekly: time('weekly'), monthly: time('monthly') };
    const schedule = (cadence: Cadence, scheduleId: string, what: string) => {
      const { hour, minute } = this.scheduleTimes[cadence];
      const { weekDay, day } = EXPORT_SCHEDULE_TIMES[cadence];
      const at = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
      return new scheduler.Schedule(this, scheduleId, {
        scheduleName: `caseflow-${props.stage}-export-${cadence}`,
        description: `caseflow: compliance export of ${what}, at ${at} ${timeZone}${props.schedules[cadence] ? '' : ' (off: caseflow:exports' + cadence[0]?.toUpperCase() + cadence.slice(1) + ')'}`,
        schedule: scheduler.ScheduleExpression.cron({ minute: String(minute), hour: String(hour), ...(weekDay ? { weekDay } : {}), ...(day ? { day } : {}), timeZone: TimeZone.of(timeZone) }),
        enabled: props.schedules[cadence],
        // The run plans its period from the time it was due (not when it started): a start retried
        // an hour late still exports the same days.
        target: new targets.StepFunctionsStartExecution(this.workflow.stateMachine, {
          role: this.schedulerRole,
          input: scheduler.ScheduleTargetInput.fromObject({ trigger: 'scheduled', cadence, timeZone, firedAt: scheduler.ContextAttribute.scheduledTime }),
          deadLetterQueue: this.scheduleDlq,
          ...EXPORT_SCHEDULE_RETRY,
        }),
      });
    };
    this.schedules = {
      daily: schedule('daily', 'DailyExportSchedule', 'the day before'),
      weekly: schedule('weekly', 'WeeklyExportSchedule', 'the seven days before, each Monday'),
      monthly: schedule('monthly', 'MonthlyExportSchedule', 'the month before, on each 1st'),
    };

    // The monthly compliance report (docs/reports.md), made on each 1st for the month before, after
    // the monthly export's hour so that its manifest is among the evidence. No PDF in Lambda: no Chromium.
    this.reportJob = props.functions.create('scheduled', 'monthly-report-job', {
      description: 'caseflow monthly-report-job: the month before, as a self-contained HTML page and its figures, into the exports bucket',
      environment: { TABLE_NAME: props.tableName, EXPORTS_BUCKET: props.bucket.bucketName },
      memorySize: 1024,
      timeout: Duration.minutes(5),
    });
    this.objectFindings = [...this.objectFindings, ...grantReportWrites(this.reportJob.role, props)];
    const invokeFinding = `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.reportJob.fn.node.defaultChild as never)}.Arn>:*]`;
    this.objectFindings = [...this.objectFindings, invokeFinding];
    Validations.of(this.schedulerRole).acknowledge({
      id: invokeFinding,
      reason: 'lambda:InvokeFunction on the monthly-report-job function and its versions (the Scheduler target grant): that one function only.',
    });
    const { hour: reportHour } = exportScheduleTime(timeZone, { hour: 4, minute: 0 }, 'the 1st');
    this.reportSchedule = new scheduler.Schedule(this, 'MonthlyReportSchedule', {
      scheduleName: `caseflow-${props.stage}-monthly-report`,
      description: `caseflow: the monthly compliance report of the month before, on each 1st at ${String(reportHour).padStart(2, '0')}:00 ${timeZone}`,
      schedule: scheduler.ScheduleExpression.cron({ minute: '0', hour: String(reportHour), day: '1', timeZone: TimeZone.of(timeZone) }),
      target: new targets.LambdaInvoke(this.reportJob.fn, {
        role: this.schedulerRole,
        input: scheduler.ScheduleTargetInput.fromObject({ time: scheduler.ContextAttribute.scheduledTime }),
        deadLetterQueue: this.scheduleDlq,
        ...EXPORT_SCHEDULE_RETRY,
      }),
    });
  }
}

/**
 * What the monthly report's job does in the exports bucket (core/monthly-report-delivery.ts): reads
 * the export manifests it cites, writes its files under reports/monthly/, with the data key through S3.
 */
function grantReportWrites(role: iam.IRole, props: ComplianceExportsProps): string[] {
  const manifests = `${EXPORTS_PREFIX}manifests/*`;
  const reports = `${REPORTS_PREFIX}*`;
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [`${props.bucketArnImport}/${manifests}`, `${props.bucketArnImport}/${reports}`] });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [`${props.bucketArnImport}/${reports}`] });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:ListBucket'], resourceArns: [props.bucketArnImport] });
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [props.dataKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
  });
  return [manifests, reports].map((objects) => {
    const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'exports')}/${objects}]`;
    Validations.of(role).acknowledge({
      id: finding,
      reason: `s3:GetObject${objects === reports ? ' and s3:PutObject' : ''} on ${objects} of the exports bucket only (the monthly report cites the export manifests and writes its files under reports/monthly/<month>/): sequence numbers and months are not known at deploy time.`,
    });
    return finding;
  });
}

/**
 * What export-step does in the exports bucket (S3ExportStore): reads, writes and lists under
 * `exports/` only — never a delete, never `table-exports/` — with the data key through S3.
 * s3:ListBucket is on the bucket without a prefix condition: the store reads and HEADs keys that
 * may not exist yet (a day's marker, a manifest), and S3 answers those 404 only to a role that may
 * list the bucket, and a prefix condition never matches a GET or a HEAD (a 403 would fail the run).
 * Listing shows keys only: periods, days, sequence numbers, DynamoDB export ids.
 */
function grantExportWrites(role: iam.IRole, props: ComplianceExportsProps): string[] {
  const objects = `${EXPORTS_PREFIX}*`;
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject', 's3:PutObject'], resourceArns: [`${props.bucketArnImport}/${objects}`] });
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:ListBucket'], resourceArns: [props.bucketArnImport] });
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [props.dataKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
  });
  const finding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'exports')}/${objects}]`;
  Validations.of(role).acknowledge({
    id: finding,
    reason: `s3:GetObject and s3:PutObject on ${EXPORTS_PREFIX} of the exports bucket only (an export's files, day markers and manifests, and the manifest chain): they are named after periods, days and sequence numbers, unknown at deploy time.`,
  });
  return [finding];
}
