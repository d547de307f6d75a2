import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { AUDIT_ANCHOR_PREFIX } from '../../functions/adapters/s3-audit-anchors';
import { bucketArnExportName } from '../stateful-stack';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';

export interface AuditAnchoringProps {
  /** Names the bucket export in the acknowledged cdk-nag findings. */
  stage: string;
  /** Makes the audit-anchor function. */
  functions: CaseflowFunctions;
  tableName: string;
  /** Where the digests are written (Object Lock). */
  anchorBucket: s3.IBucket;
  /** Its ARN through the stage-named export (CaseflowStatefulStack.auditAnchorBucketArnImport). */
  anchorBucketArnImport: string;
  /** When the anchoring runs. */
  schedule: events.Schedule;
}

/** The cdk-nag finding of the object-level grants on the anchors (acknowledged on the writer's and the readers' roles). */
const anchorsFinding = (stage: string) => `AwsSolutions-IAM5[Resource::${bucketArnExportName(stage, 'audit-anchor')}/${AUDIT_ANCHOR_PREFIX}*]`;

const listAnchors = (bucketArn: string, prefix: string) =>
  new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn], conditions: { StringLike: { 's3:prefix': [`${prefix}*`] } } });

/**
 * What verifying a trail reads of the anchors (verify-audit-trail, in the API's stack): a case's
 * markers and the digests they name, never a write. Returns the cdk-nag finding, acknowledged on the role.
 */
export function grantAuditAnchorReads(reader: CaseflowFunction, props: { stage: string; anchorBucketArnImport: string }): string {
  const bucketArn = props.anchorBucketArnImport;
  reader.role.addToPrincipalPolicy(listAnchors(bucketArn, `${AUDIT_ANCHOR_PREFIX}cases/`));
  iam.Grant.addToPrincipal({ grantee: reader.role, actions: ['s3:GetObject'], resourceArns: [`${bucketArn}/${AUDIT_ANCHOR_PREFIX}*`] });
  const finding = anchorsFinding(props.stage);
  Validations.of(reader.role).acknowledge({
    id: finding,
    reason: `s3:GetObject on ${AUDIT_ANCHOR_PREFIX} of the anchor bucket only (read, never written): a case's markers and the day digests they name, unknown at deploy time.`,
  });
  return finding;
}

/**
 * The daily anchoring of the audit chain heads outside the table (M5.3, M7.3; docs/audit-trail.md):
 * the audit-anchor function, run by a schedule shortly after midnight UTC, which reads the case
 * heads of each finished day from the by-day index and writes the day's digest and per-case markers
 * under `audit-anchors/` in the anchor bucket; an alarm when every attempt of a run failed (the
 * next run catches the day up, but the gap is unanchored). The verifying function's read grant is
 * grantAuditAnchorReads, given where that function is made.
 */
export class AuditAnchoring extends Construct {
  public readonly function: CaseflowFunction;
  public readonly rule: events.Rule;
  /** The cdk-nag findings of the object-level S3 grants (acknowledged on each role). */
  public readonly objectFindings: readonly string[];

  constructor(scope: Construct, id: string, props: AuditAnchoringProps) {
    super(scope, id);

    this.function = props.functions.create('scheduled', 'audit-anchor', {
      description: 'caseflow audit-anchor: writes the daily digest of audit-chain heads to the anchor bucket',
      environment: { TABLE_NAME: props.tableName, AUDIT_ANCHOR_BUCKET: props.anchorBucket.bucketName },
      // A day's cases a page at a time and a marker each; a long outage is caught up 31 days a run.
      timeout: Duration.minutes(5),
    });

    const bucketArn = props.anchorBucketArnImport;
    const finding = anchorsFinding(props.stage);
    this.objectFindings = [finding];

    // The writer: lists what was anchored, reads the last digest, writes new objects. No delete.
    const writer = this.function.role;
    writer.addToPrincipalPolicy(listAnchors(bucketArn, AUDIT_ANCHOR_PREFIX));
    iam.Grant.addToPrincipal({ grantee: writer, actions: ['s3:GetObject', 's3:PutObject'], resourceArns: [`${bucketArn}/${AUDIT_ANCHOR_PREFIX}*`] });
    Validations.of(writer).acknowledge({
      id: finding,
      reason: `s3:GetObject and s3:PutObject on ${AUDIT_ANCHOR_PREFIX} of the anchor bucket only: the objects are named after days and case ids, unknown at deploy time.`,
    });

    this.rule = new events.Rule(this, 'AuditAnchorSchedule', {
      description: 'caseflow: anchor the audit-chain heads of the day that just ended',
      schedule: props.schedule,
      // The event's time is the run's: a retried event anchors the same days.
      targets: [new targets.LambdaFunction(this.function.fn, { retryAttempts: 2, maxEventAge: Duration.hours(6) })],
    });

    new cloudwatch.Alarm(this, 'AuditAnchorFailedAlarm', {
      alarmDescription:
        'The daily audit anchoring failed three times in a row (its retries included): the day is not anchored yet. The next run catches it up; check the function log. An AuditAnchorIntegrityError means a stored digest does not verify: treat it as tampering (docs/audit-trail.md).',
      metric: this.function.fn.metricErrors({ period: Duration.days(1), statistic: cloudwatch.Stats.SUM }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
