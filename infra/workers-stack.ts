import { CfnOutput, Duration, Stack, type CfnElement, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';
import { DEFAULT_RECONCILE_DAYS } from '../functions/core/reconcile-retention';
import { AuditAnchoring } from './constructs/audit-anchoring';
import { CaseArchiving } from './constructs/case-archiving';
import type { CaseflowFunction } from './constructs/caseflow-function';
import { CaseflowFunctions } from './constructs/caseflow-functions';
import { EmailIntake } from './constructs/email-intake';
import { ExpiryVerification } from './constructs/expiry-verification';
import { OutboxDelivery } from './constructs/outbox-delivery';
import { DEFAULT_SURVEY_LINK_KEYS } from './constructs/survey-link-keys';
import { ProtocolMonitoring } from './constructs/protocol-monitoring';
import { RetentionReconciling } from './constructs/retention-reconciling';
import { RetentionStamping } from './constructs/retention-stamping';
import { SlaEnforcement, type SlaContacts } from './constructs/sla-enforcement';
import { CorrectiveActionEnforcement } from './constructs/corrective-action-enforcement';
import type { SlaWorkflow } from './constructs/sla-workflow';
import type { SubjectKeyStore } from './constructs/subject-key-grants';
import { TransparentScopes } from './constructs/transparent-scopes';
import { HANDLER_DATA_ACCESS, RELAY_LIMITS } from './stateless-stack';

export { ATTACHMENTS_PREFIX, EMAIL_INGEST_MEMORY_MB } from './constructs/email-intake';

/** email-ingest's REOPEN_WINDOW_DAYS and ACK_RATE_LIMIT_PER_HOUR (14 days; the relay limit, shared with create-case). */
export const EMAIL_DEFAULTS = { reopenWindowDays: 14, ackRateLimitPerHour: RELAY_LIMITS.acknowledgementsPerRecipientPerHour, ingestMaxAttempts: 5 } as const;

/** How often the reconciler restarts lost SLA workflows. */
export const SLA_RECONCILE_RATE = Duration.minutes(15);

/** When the audit-chain heads of the day that ended are anchored: 00:15 UTC, once the day's last writes have reached the index. */
export const AUDIT_ANCHOR_SCHEDULE = events.Schedule.cron({ minute: '15', hour: '0' });

/**
 * When the closed cases the stream consumers missed are archived and stamped: 00:45 UTC, after the
 * audit anchoring, so that the changes it makes fall on the new day, not the day just anchored.
 */
export const RETENTION_RECONCILE_SCHEDULE = events.Schedule.cron({ minute: '45', hour: '0' });

export interface CaseflowWorkersStackProps extends StackProps {
  stage: string;
  /** The survey links' KMS HMAC keys by id, newest first (caseflow:surveyLinkKeys; default one, k1): outbox-stream signs with the first. */
  surveyLinkKeys?: readonly string[];
  /** The From address of caseflow's mail (the SES identity); email-ingest never opens a case from it. */
  senderEmail: string;
  supportAddresses: readonly string[];
  /** Mail to these opens complaints (email-ingest's COMPLAINTS_ADDRESSES); received with the support addresses. */
  complaintsAddresses: readonly string[];
  /** Who the SLA workflow notifies (sla-step's TEAM_INBOX_EMAIL, SUPERVISOR_EMAIL, MANAGER_EMAIL). */
  slaContacts: SlaContacts;
  /** email-ingest's AUTO_ACKNOWLEDGEMENT (M3.1). */
  autoAcknowledgement: boolean;
  /** How the outbox's mail shows dates. */
  display?: { timeZone: string; locale: string };
  /** From the stateful stack. */
  dataKey: kms.IKey;
  table: dynamodb.ITable;
  inboundBucket: s3.IBucket;
  archiveBucket: s3.IBucket;
  /** The buckets' ARNs through the stage-named exports (CaseflowStatefulStack.inboundBucketArnImport). */
  inboundBucketArnImport: string;
  archiveBucketArnImport: string;
  auditAnchorBucket: s3.IBucket;
  auditAnchorBucketArnImport: string;
  caseArchiveBucket: s3.IBucket;
  caseArchiveBucketArnImport: string;
  subjectKeys: SubjectKeyStore;
  /** The breach-rate alarm's threshold, a fraction of the cases opened (caseflow:slaBreachRateThreshold). */
  slaBreachRateThreshold: number;
}

/**
 * The work that does not answer HTTP requests: the table-stream consumers (outbox delivery, SLA
 * starts, retention stamping, case archiving, expiry verification), the SLA workflow and its
 * reconciler, the daily audit anchoring and retention reconciliation, the expiry redrive,
 * email-to-case (the SES receipt rules and email-ingest), and the protocol's figures in CloudWatch
 * (protocol-metrics, the dashboard and the breach-rate alarm). A stack of its own so that the API's
 * stack keeps room under CloudFormation's 500 resources a stack. Like the stateless stack it
 * holds nothing that cannot be redeployed (the SLA workflow's state is the case record), except
 * the expiry dead letters, which wait in a RETAINed queue.
 *
 * It needs nothing of the stateless stack, and the API needs nothing of it: were it ever to, a
 * value would flow from here to the stateless stack through a stage-named export (as the exports
 * stack's state machine ARN does), never back, so that the deploy order stays
 * stateful -> exports -> workers -> stateless.
 */
export class CaseflowWorkersStack extends Stack {
  public readonly outboxDelivery: OutboxDelivery;
  /** The mail configuration set's name, through a stage-named export: the quality stack's training reminders send with it. */
  public readonly mailConfigurationSetImport: string;
  public readonly slaEnforcement: SlaEnforcement;
  /** Non-compliance records' 7-day corrective-action workflow and its starter (C8.1). */
  public readonly correctiveActions: CorrectiveActionEnforcement;
  public readonly emailIntake: EmailIntake;
  public readonly auditAnchoring: AuditAnchoring;
  public readonly retentionStamping: RetentionStamping;
  public readonly caseArchiving: CaseArchiving;
  public readonly expiryVerification: ExpiryVerification;
  public readonly retentionReconciling: RetentionReconciling;
  public readonly protocolMonitoring: ProtocolMonitoring;

  /** One function per handler name, keyed by it. */
  public readonly functions: Map<string, CaseflowFunction>;
  public readonly deliveryDlq: sqs.Queue;
  /** On-failure destination of the sla-starter stream mapping. */
  public readonly slaStartDlq: sqs.Queue;
  /** Inbound mail events whose ingestion failed three times (the function's asynchronous on-failure destination). */
  public readonly ingestDlq: sqs.Queue;
  public readonly slaWorkflow: SlaWorkflow;
  public readonly slaReconcileRule: events.Rule;
  /** SES receipt rule set of the stage; CDK cannot activate it (docs/deploy.md). */
  public readonly inboundRuleSet: ses.ReceiptRuleSet;
  /** Its one rule: the support and complaints addresses -> the inbound bucket. */
  public readonly inboundRule: ses.ReceiptRule;
  /** Object Created under inbound/ -> email-ingest. */
  public readonly inboundMailRule: events.Rule;
  /** The cdk-nag findings of email-ingest's object-level S3 grants (acknowledged on its role). */
  public readonly emailIngestObjectFindings: readonly string[];
  /** The cdk-nag findings of audit-anchor's object-level S3 grants (acknowledged on its role). */
  public readonly auditAnchorObjectFindings: readonly string[];
  /** The cdk-nag findings of the case archiver's object-level S3 grant (acknowledged on its role). */
  public readonly caseArchiveObjectFindings: readonly string[];
  /** The cdk-nag findings of the expiry verifier's and redrive's object-level S3 grants (acknowledged on their roles). */
  public readonly expiryVerificationObjectFindings: readonly string[];
  /** The cdk-nag findings of the retention reconciler's object-level S3 grant (acknowledged on its role). */
  public readonly retentionReconcileObjectFindings: readonly string[];

  /**
   * These constructs and their resources were the stateless stack's until it reached
   * CloudFormation's limit: they keep the logical IDs they had there (as its direct children), so
   * that moving them (CloudFormation stack refactoring, docs/deploy.md) maps each to itself.
   */
  private readonly concerns = new TransparentScopes();

  constructor(scope: Construct, id: string, props: CaseflowWorkersStackProps) {
    super(scope, id, props);
    const functions = new CaseflowFunctions(this, {
      caseData: { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) },
      metricsNamespace: `caseflow/${props.stage}`,
      dataAccess: HANDLER_DATA_ACCESS,
    });
    this.functions = functions.all;
    const display = { timeZone: props.display?.timeZone ?? 'UTC', locale: props.display?.locale ?? 'en-GB' };

    this.outboxDelivery = this.concerns.add(
      new OutboxDelivery(this, 'OutboxDelivery', { functions, table: props.table, dataKey: props.dataKey, senderEmail: props.senderEmail, display, surveyLinks: { stage: props.stage, keys: props.surveyLinkKeys ?? DEFAULT_SURVEY_LINK_KEYS } }),
    );
    this.deliveryDlq = this.outboxDelivery.deliveryDlq;
    this.mailConfigurationSetImport = this.exportValue(this.outboxDelivery.configurationSet.configurationSetName, { name: `caseflow-${props.stage}-mail-configuration-set` });

    this.slaEnforcement = this.concerns.add(
      new SlaEnforcement(this, 'SlaEnforcement', {
        stage: props.stage,
        functions,
        table: props.table,
        dataKey: props.dataKey,
        slaContacts: props.slaContacts,
        reconcileRate: SLA_RECONCILE_RATE,
      }),
    );
    this.slaWorkflow = this.slaEnforcement.workflow;

    this.correctiveActions = this.concerns.add(
      new CorrectiveActionEnforcement(this, 'CorrectiveActionEnforcement', {
        stage: props.stage,
        functions,
        table: props.table,
        dataKey: props.dataKey,
        slaContacts: props.slaContacts,
        mail: { senderEmail: props.senderEmail, identity: this.outboxDelivery.senderIdentity, configurationSet: this.outboxDelivery.configurationSet },
        display,
      }),
    );
    this.slaStartDlq = this.slaEnforcement.startDlq;
    this.slaReconcileRule = this.slaEnforcement.reconcileRule;

    this.emailIntake = this.concerns.add(
      new EmailIntake(this, 'EmailIntake', {
        stage: props.stage,
        functions,
        tableName: props.table.tableName,
        dataKey: props.dataKey,
        inboundBucket: props.inboundBucket,
        archiveBucket: props.archiveBucket,
        inboundBucketArnImport: props.inboundBucketArnImport,
        archiveBucketArnImport: props.archiveBucketArnImport,
        supportAddresses: props.supportAddresses,
        complaintsAddresses: props.complaintsAddresses,
        senderEmail: props.senderEmail,
        autoAcknowledgement: props.autoAcknowledgement,
        settings: EMAIL_DEFAULTS,
      }),
    );
    this.ingestDlq = this.emailIntake.ingestDlq;
    this.inboundRuleSet = this.emailIntake.ruleSet;
    this.inboundRule = this.emailIntake.rule;
    this.inboundMailRule = this.emailIntake.mailRule;
    this.emailIngestObjectFindings = this.emailIntake.objectFindings;

    this.auditAnchoring = this.concerns.add(
      new AuditAnchoring(this, 'AuditAnchoring', {
        stage: props.stage,
        functions,
        tableName: props.table.tableName,
        anchorBucket: props.auditAnchorBucket,
        anchorBucketArnImport: props.auditAnchorBucketArnImport,
        schedule: AUDIT_ANCHOR_SCHEDULE,
      }),
    );
    this.auditAnchorObjectFindings = this.auditAnchoring.objectFindings;

    this.retentionStamping = this.concerns.add(new RetentionStamping(this, 'RetentionStamping', { functions, table: props.table, dataKey: props.dataKey }));
    this.caseArchiving = this.concerns.add(
      new CaseArchiving(this, 'CaseArchiving', {
        stage: props.stage,
        functions,
        table: props.table,
        dataKey: props.dataKey,
        bucket: props.caseArchiveBucket,
        bucketArnImport: props.caseArchiveBucketArnImport,
        subjectKeys: props.subjectKeys,
      }),
    );
    this.caseArchiveObjectFindings = this.caseArchiving.objectFindings;
    this.expiryVerification = this.concerns.add(
      new ExpiryVerification(this, 'ExpiryVerification', {
        stage: props.stage,
        functions,
        table: props.table,
        dataKey: props.dataKey,
        bucket: props.caseArchiveBucket,
        bucketArnImport: props.caseArchiveBucketArnImport,
        subjectKeys: props.subjectKeys,
      }),
    );
    this.expiryVerificationObjectFindings = this.expiryVerification.objectFindings;
    this.retentionReconciling = this.concerns.add(
      new RetentionReconciling(this, 'RetentionReconciling', {
        stage: props.stage,
        functions,
        tableName: props.table.tableName,
        dataKey: props.dataKey,
        bucket: props.caseArchiveBucket,
        bucketArnImport: props.caseArchiveBucketArnImport,
        schedule: RETENTION_RECONCILE_SCHEDULE,
        days: DEFAULT_RECONCILE_DAYS,
        subjectKeys: props.subjectKeys,
      }),
    );
    this.retentionReconcileObjectFindings = this.retentionReconciling.objectFindings;

    this.protocolMonitoring = this.concerns.add(
      new ProtocolMonitoring(this, 'ProtocolMonitoring', {
        stage: props.stage,
        functions,
        table: props.table,
        dataKey: props.dataKey,
        breachRateThreshold: props.slaBreachRateThreshold,
      }),
    );

    new CfnOutput(this, 'InboundRuleSetName', { value: this.inboundRuleSet.receiptRuleSetName, description: 'SES receipt rule set: activate it by hand (docs/deploy.md)' });
    new CfnOutput(this, 'SlaStateMachineArn', {
      value: this.slaWorkflow.stateMachine.stateMachineArn,
      description: 'The SLA workflow (one execution per case, named case-<caseId>)',
    });
    new CfnOutput(this, 'ExpiryRedriveFunctionName', {
      value: this.expiryVerification.redrive.fn.functionName,
      description: 'Invoke by hand to verify the expiry dead letters again (docs/retention.md)',
    });
    new CfnOutput(this, 'RetentionReconcilerFunctionName', {
      value: this.retentionReconciling.function.fn.functionName,
      description: 'Runs daily; invoke by hand to archive and stamp the closed cases the stream consumers missed now (docs/retention.md)',
    });
    new CfnOutput(this, 'ProtocolDashboardName', {
      value: this.protocolMonitoring.dashboard.dashboardName,
      description: 'CloudWatch dashboard of the protocol figures: cases opened, response times, SLA breaches, escalations (docs/deploy.md)',
    });
    new CfnOutput(this, 'SlaBreachRateAlarmName', {
      value: this.protocolMonitoring.breachRateAlarm.alarmName,
      description: 'SLA breaches per case opened over the last 24 hours above caseflow:slaBreachRateThreshold: attach your on-call action to it',
    });
    new CfnOutput(this, 'ExpiryDeadLetterQueueUrl', {
      value: this.expiryVerification.deadLetters.queueUrl,
      description: 'Deleted items\' stream records the expiry verifier could not verify, waiting for the redrive',
    });
  }

  protected override allocateLogicalId(element: CfnElement): string {
    // Logical IDs are allocated lazily, at synth, when every concern is registered.
    return this.concerns.logicalIdOf(this, element) ?? super.allocateLogicalId(element);
  }
}
