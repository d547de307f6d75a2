import { Duration, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { bucketArnExportName, INBOUND_MAIL_PREFIX, receiptRuleSetName } from '../stateful-stack';
import { alarmedDlq } from './alarmed-dlq';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDestination } from './encrypted-queue-destination';

/** Where email-ingest stores attachments in the archive bucket (`cases/<caseId>/attachments/...`, core/email/ingest-email.ts). */
export const ATTACHMENTS_PREFIX = 'cases/';

/**
 * email-ingest's memory. The raw message is streamed from S3 through mailparser and attachments
 * are spooled to /tmp as they decode, so a message with 25 MB of attachments peaks at 150-180 MiB
 * (`npm run bench -- email`: within the 256 MB target). Text bodies are the limit:
 * mailparser holds each text part whole while decoding it, and a 34 MB text-only message peaks at
 * ~330 MiB. 512 MB covers that up to SES's 40 MB maximum and gives the parsing more CPU.
 */
export const EMAIL_INGEST_MEMORY_MB = 512;

export interface EmailIntakeProps {
  /** Names the receipt rule set and the bucket exports. */
  stage: string;
  /** Makes the email-ingest function. */
  functions: CaseflowFunctions;
  tableName: string;
  /** The customer-managed key of the buckets and the DLQ. */
  dataKey: kms.IKey;
  /** Where SES stores raw mail (under INBOUND_MAIL_PREFIX). */
  inboundBucket: s3.IBucket;
  /** Where attachments are stored with their case (under ATTACHMENTS_PREFIX). */
  archiveBucket: s3.IBucket;
  /** The buckets' ARNs through the stage-named exports (CaseflowStatefulStack.inboundBucketArnImport). */
  inboundBucketArnImport: string;
  archiveBucketArnImport: string;
  supportAddresses: readonly string[];
  /** Mail to these opens complaints; received with the support addresses. */
  complaintsAddresses: readonly string[];
  /** caseflow's own sender: its mail coming back is never a case. */
  senderEmail: string;
  /** Send the acknowledgement automatically (M3.1). */
  autoAcknowledgement: boolean;
  /** email-ingest's REOPEN_WINDOW_DAYS, ACK_RATE_LIMIT_PER_HOUR and INGEST_MAX_ATTEMPTS. */
  settings: { reopenWindowDays: number; ackRateLimitPerHour: number; ingestMaxAttempts: number };
}

/**
 * Email-to-case (C4.1 / M7.1): the SES receipt rule set whose one rule stores mail for the support
 * and complaints addresses in the inbound bucket, the EventBridge rule that sends each stored
 * message to email-ingest, and email-ingest itself, with exactly the S3 objects it reads and
 * writes, its retries and a DLQ with an alarm.
 */
export class EmailIntake extends Construct {
  public readonly function: CaseflowFunction;
  /** Inbound mail events whose ingestion failed three times (the function's asynchronous on-failure destination). */
  public readonly ingestDlq: sqs.Queue;
  /** SES receipt rule set of the stage; CDK cannot activate it (docs/deploy.md). */
  public readonly ruleSet: ses.ReceiptRuleSet;
  /** Its one rule: the support and complaints addresses -> the inbound bucket. */
  public readonly rule: ses.ReceiptRule;
  /** Object Created under inbound/ -> email-ingest. */
  public readonly mailRule: events.Rule;
  /** The cdk-nag findings of email-ingest's object-level S3 grants (acknowledged on its role). */
  public readonly objectFindings: readonly string[];

  constructor(scope: Construct, id: string, props: EmailIntakeProps) {
    super(scope, id);
    const recipients = [...new Set([...props.supportAddresses, ...props.complaintsAddresses].map((a) => a.toLowerCase()))];

    this.function = props.functions.create('event', 'email-ingest', {
      description: 'caseflow email-ingest: turns raw inbound mail into cases, replies or quarantine records',
      environment: {
        TABLE_NAME: props.tableName,
        INBOUND_BUCKET: props.inboundBucket.bucketName,
        // Attachments live under cases/<caseId>/attachments/ in the archive, archived with their case.
        ATTACHMENTS_BUCKET: props.archiveBucket.bucketName,
        SUPPORT_ADDRESSES: props.supportAddresses.join(','),
        COMPLAINTS_ADDRESSES: props.complaintsAddresses.join(','),
        SENDER_EMAIL: props.senderEmail,
        REOPEN_WINDOW_DAYS: String(props.settings.reopenWindowDays),
        ACK_RATE_LIMIT_PER_HOUR: String(props.settings.ackRateLimitPerHour),
        AUTO_ACKNOWLEDGEMENT: String(props.autoAcknowledgement),
        INGEST_MAX_ATTEMPTS: String(props.settings.ingestMaxAttempts),
      },
      memorySize: EMAIL_INGEST_MEMORY_MB,
      timeout: Duration.seconds(60),
    });
    const role = this.function.role;
    // Lambda tries a failed ingestion three times (two retries), then the event waits in a DLQ for
    // `reconcile-inbound --redrive`; at its fifth failure the handler quarantines the message.
    this.ingestDlq = alarmedDlq(this, 'EmailIngestDlq', {
      consumer: 'email-ingest',
      key: props.dataKey,
      alarmId: 'EmailIngestFailedAlarm',
      alarmDescription:
        'An inbound message failed ingestion three times: run reconcile-inbound --redrive (docs/runbook.md); it is quarantined at the fifth failure.',
    });
    this.function.fn.configureAsyncInvoke({
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
      onFailure: new EncryptedQueueDestination(this.ingestDlq, props.dataKey),
    });

    // Exactly the objects it reads and writes, and the key only when S3 uses it on its behalf.
    const rawMail = `${props.inboundBucketArnImport}/${INBOUND_MAIL_PREFIX}*`;
    const caseObjects = `${props.archiveBucketArnImport}/${ATTACHMENTS_PREFIX}*`;
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:GetObject'], resourceArns: [rawMail] });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject'], resourceArns: [caseObjects] });
    const rawMailFinding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'inbound')}/${INBOUND_MAIL_PREFIX}*]`;
    const caseObjectsFinding = `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'archive')}/${ATTACHMENTS_PREFIX}*]`;
    this.objectFindings = [rawMailFinding, caseObjectsFinding];
    Validations.of(role).acknowledge({
      id: rawMailFinding,
      reason: `s3:GetObject on the raw messages SES stores under ${INBOUND_MAIL_PREFIX} in the inbound bucket only: object keys are SES message ids, unknown at deploy time.`,
    });
    Validations.of(role).acknowledge({
      id: caseObjectsFinding,
      reason: `s3:PutObject on ${ATTACHMENTS_PREFIX}<caseId>/attachments/ in the archive bucket only (attachments stored with their case): case ids are unknown at deploy time.`,
    });
    iam.Grant.addToPrincipal({
      grantee: role,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
      resourceArns: [props.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });

    this.ruleSet = new ses.ReceiptRuleSet(this, 'InboundRuleSet', { receiptRuleSetName: receiptRuleSetName(props.stage) });
    this.rule = this.ruleSet.addRule('Intake', {
      receiptRuleName: 'intake',
      recipients,
      enabled: true,
      // Spam and virus verdicts in the X-SES-* headers: email-ingest quarantines viruses and flags spam.
      scanEnabled: true,
      tlsPolicy: ses.TlsPolicy.REQUIRE,
      // No kmsKey: SES would then encrypt client-side (S3 encryption client format), which a plain
      // GetObject cannot read. The bucket's default SSE-KMS with the CMK encrypts the message.
      actions: [new sesActions.S3({ bucket: props.inboundBucket, objectKeyPrefix: INBOUND_MAIL_PREFIX })],
    });

    this.mailRule = new events.Rule(this, 'InboundMailCreated', {
      description: 'caseflow: raw mail stored by SES under inbound/ goes to email-ingest',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: { bucket: { name: [props.inboundBucket.bucketName] }, object: { key: [{ prefix: INBOUND_MAIL_PREFIX }] } },
      },
      targets: [
        new targets.LambdaFunction(this.function.fn, {
          // email-ingest takes S3 notification records (as the local SMTP listener sends them).
          event: events.RuleTargetInput.fromObject({
            Records: [
              {
                eventSource: 'aws:s3',
                eventName: `ObjectCreated:${events.EventField.fromPath('$.detail.reason')}`,
                eventTime: events.EventField.time,
                s3: {
                  bucket: { name: events.EventField.fromPath('$.detail.bucket.name') },
                  object: { key: events.EventField.fromPath('$.detail.object.key'), sequencer: events.EventField.fromPath('$.detail.object.sequencer') },
                },
              },
            ],
          }),
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      ],
    });
  }
}
