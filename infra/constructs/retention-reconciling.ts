import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INDEX } from '../../functions/adapters/dynamo/keys';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { grantArchiveWrites } from './case-archiving';
import { subjectKeyEnvironment, type SubjectKeyStore } from './subject-key-grants';

export interface RetentionReconcilingProps {
  /** Names the bucket export in the acknowledged cdk-nag findings. */
  stage: string;
  /** Makes the retention-reconciler function. */
  functions: CaseflowFunctions;
  tableName: string;
  /** Encrypts the archives. */
  dataKey: kms.IKey;
  /** The Object-Lock bucket of the archives, and its ARN through the stage-named export. */
  bucket: s3.IBucket;
  bucketArnImport: string;
  /** When it runs: daily, after the audit anchoring. */
  schedule: events.Schedule;
  /** How many UTC days back it looks (RETENTION_RECONCILE_DAYS). */
  days: number;
  /** Where each customer's data key is made and kept: archives are sealed with it, as the archiver's. */
  subjectKeys: SubjectKeyStore;
}

/**
 * The retention reconciliation (M7.2 / C4.3; docs/retention.md): the guarantee behind the
 * case-archiver and retention-stamper stream consumers. A daily schedule runs retention-reconciler,
 * which finds the closed cases of the last days through the by-day index, archives those without
 * an archive (as case-archiver does: locked objects under `records/` and `index/`) and stamps every
 * item lacking its case's expiry. It may query the by-day index and no other, and write to the
 * bucket what the archiver writes; it never reads, deletes or scans. An alarm fires when every
 * attempt of a day's run failed (a case it could not reconcile, or a run cut short).
 */
export class RetentionReconciling extends Construct {
  public readonly function: CaseflowFunction;
  public readonly rule: events.Rule;
  public readonly failedAlarm: cloudwatch.Alarm;
  /** The cdk-nag findings of the object-level S3 grants (acknowledged on the role). */
  public readonly objectFindings: readonly string[];

  constructor(scope: Construct, id: string, props: RetentionReconcilingProps) {
    super(scope, id);

    this.function = props.functions.create('scheduled', 'retention-reconciler', {
      description: 'caseflow retention-reconciler: archives and stamps the closed cases the stream consumers missed',
      environment: { TABLE_NAME: props.tableName, CASE_ARCHIVE_BUCKET: props.bucket.bucketName, RETENTION_RECONCILE_DAYS: String(props.days), ...subjectKeyEnvironment(props.subjectKeys) },
      // A page of each day's cases at a time, four cases at once; it stops itself a minute before the end.
      timeout: Duration.minutes(15),
      indexes: [INDEX.byDay],
    });

    // What the archiver writes, and only that, as case-archiver: the archive of a case the archiver missed.
    this.objectFindings = grantArchiveWrites(this.function.role, props, 'the archive of a case the archiver missed, named after its case id, and its index entries');

    this.rule = new events.Rule(this, 'RetentionReconcileSchedule', {
      description: 'caseflow: archive and stamp the closed cases the stream consumers missed',
      schedule: props.schedule,
      targets: [new targets.LambdaFunction(this.function.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    this.failedAlarm = new cloudwatch.Alarm(this, 'RetentionReconcileFailedAlarm', {
      alarmDescription:
        'The daily retention reconciliation failed three times (its retries included): a closed case could not be archived or stamped, or the run could not finish in time. The function log names the cases (ids only); the next run tries again while they are within its days (docs/retention.md).',
      metric: this.function.fn.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
