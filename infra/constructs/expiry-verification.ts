import { Aws, Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { archiveKeys } from '../../functions/adapters/s3-case-archives';
import { bucketArnExportName } from '../stateful-stack';
import { alarmedDlq } from './alarmed-dlq';
import { POWERTOOLS_SERVICE_NAME, type CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq, grantSendToEncryptedQueue } from './encrypted-queue-dlq';
import { LIST_STREAMS_JUSTIFICATION } from './stream-inserts';
import { grantSubjectKeys, subjectKeyEnvironment, type SubjectKeyStore } from './subject-key-grants';

/** How long the redrive may run (the runbook invokes it by hand, as often as it takes). */
export const EXPIRY_REDRIVE_TIMEOUT = Duration.minutes(5);

/** The metric functions/handlers/expiry-records.ts counts a deletion not made by TTL under. */
export const UNEXPECTED_DELETIONS_METRIC = 'UnexpectedDeletions';

/**
 * A dead letter waiting longer than this is alarmed a second time: SQS keeps a message 14 days at
 * most, and the record in it (its stream record expired long before) would be gone with it.
 */
const DEAD_LETTER_AGE_ALARM = Duration.days(7);

export interface ExpiryVerificationProps {
  /** Names the bucket export in the acknowledged cdk-nag findings. */
  stage: string;
  /** Makes expiry-verifier and expiry-redrive. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the deletions. */
  table: dynamodb.ITable;
  /** Encrypts the bucket's objects and both queues. */
  dataKey: kms.IKey;
  /** The Object-Lock bucket of the archives, and its ARN through the stage-named export. */
  bucket: s3.IBucket;
  bucketArnImport: string;
  /** The customers' data keys: both open sealed archives and seal the images their receipts keep. */
  subjectKeys: SubjectKeyStore;
}

/**
 * TTL deletions verified, not trusted (M7.2 / C4.3; docs/retention.md): expiry-verifier, fed by
 * the table stream's REMOVE records (TTL's and any other), checks each deleted item against its
 * case's archive in the case-archive bucket, keeps it from its old image when the archive lacks
 * it, writes an expiry receipt and marks the reference index, and records a deletion not made by
 * TTL as an incident, which alarms. A record it cannot verify goes, whole, to an encrypted record
 * queue that alarms; expiry-redrive (invoked by hand) processes that queue again. Only when even
 * that send fails does the stream retry the record, and after the retries Lambda's own on-failure
 * destination (where the record was, not the record) takes it, and alarms.
 */
export class ExpiryVerification extends Construct {
  public readonly verifier: CaseflowFunction;
  public readonly redrive: CaseflowFunction;
  /** Where the verifier sends each record it could not verify, record and all (EXPIRY_DLQ_URL); the redrive reads it. */
  public readonly deadLetters: sqs.Queue;
  /** On-failure destination of the expiry-verifier stream mapping (the metadata Lambda sends). */
  public readonly dlq: sqs.Queue;
  /** The alarm on a deletion not made by TTL. */
  public readonly unexpectedDeletionsAlarm: cloudwatch.Alarm;
  /** The cdk-nag findings of the object-level S3 grants (acknowledged on each role). */
  public readonly objectFindings: readonly string[];

  constructor(scope: Construct, id: string, props: ExpiryVerificationProps) {
    super(scope, id);

    this.deadLetters = new sqs.Queue(this, 'ExpiryDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.dataKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
      // A letter holds a whole stream record (an item image is up to 400 KB): SQS's largest message.
      maxMessageSizeBytes: 1_048_576,
      // A letter received by a redrive stays hidden from another while that run can still be processing it.
      visibilityTimeout: EXPIRY_REDRIVE_TIMEOUT,
      // Its letters are the only copy of deleted items' stream records: kept if the stack is ever deleted.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetters).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'This queue is itself a dead-letter queue: expiry-verifier sends it the stream records it could not verify, whole, for expiry-redrive.',
    });
    new cloudwatch.Alarm(this, 'ExpiryDeadLetterAlarm', {
      alarmDescription:
        'A deleted table item could not be verified against its case archive: its stream record is in the expiry dead-letter queue. Fix the cause (function log), then invoke the expiry-redrive function (docs/retention.md).',
      metric: this.deadLetters.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    new cloudwatch.Alarm(this, 'ExpiryDeadLetterAgeAlarm', {
      alarmDescription:
        'An expiry dead letter has waited a week: SQS drops it after 14 days, and with it the only copy of the deleted item\'s stream record. Invoke the expiry-redrive function now (docs/retention.md).',
      metric: this.deadLetters.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: DEAD_LETTER_AGE_ALARM.toSeconds(),
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.dlq = alarmedDlq(this, 'ExpiryVerifyDlq', {
      consumer: 'expiry-verifier',
      key: props.dataKey,
      alarmId: 'ExpiryVerifyFailedAlarm',
      alarmDescription:
        'expiry-verifier could neither verify nor dead-letter some deletions after the stream retries: the queue holds where they were in the stream, not the records (the stream keeps them 24 hours). Check the function log and the expiry dead-letter queue\'s key and policy; the items deleted then are not verified.',
    });

    const environment = { TABLE_NAME: props.table.tableName, CASE_ARCHIVE_BUCKET: props.bucket.bucketName, EXPIRY_DLQ_URL: this.deadLetters.queueUrl, ...subjectKeyEnvironment(props.subjectKeys) };
    this.verifier = props.functions.create('stream', 'expiry-verifier', {
      description: 'caseflow expiry-verifier: checks every item deleted from the table against its case archive',
      environment,
      // A hundred records: an archive read per case, then a receipt check and write each.
      timeout: Duration.minutes(2),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    this.redrive = props.functions.create('manual', 'expiry-redrive', {
      description: 'caseflow expiry-redrive: verifies the expiry dead letters again (invoked by hand)',
      environment,
      timeout: EXPIRY_REDRIVE_TIMEOUT,
    });

    // Both read and write what the verification does in the bucket, and nothing else: archives and
    // receipts under records/, the reference index under index/; incidents under incidents/ are
    // written, never read. Every write is locked (PutObjectRetention); no role deletes.
    const bucketArn = props.bucketArnImport;
    const readWrite = [archiveKeys.records, archiveKeys.indexPrefix];
    const writeOnly = [archiveKeys.incidentsPrefix];
    const findings = [...readWrite, ...writeOnly].map((prefix) => `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'case-archive')}/${prefix}*]`);
    this.objectFindings = findings;
    for (const fn of [this.verifier, this.redrive]) {
      iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention'], resourceArns: readWrite.map((p) => `${bucketArn}/${p}*`) });
      iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:PutObject', 's3:PutObjectRetention'], resourceArns: writeOnly.map((p) => `${bucketArn}/${p}*`) });
      // Without s3:ListBucket, S3 answers a read of a missing key 403, not 404: a receipt not yet
      // written, an archive or index entry never written, would fail the verification. Listing
      // shows keys only (case ids, references, digests, event ids), never personal data.
      iam.Grant.addToPrincipal({ grantee: fn.role, actions: ['s3:ListBucket'], resourceArns: [bucketArn] });
      iam.Grant.addToPrincipal({
        grantee: fn.role,
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resourceArns: [props.dataKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
      });
      grantSubjectKeys(fn.role, props.subjectKeys, 'open');
      for (const finding of findings) {
        Validations.of(fn.role).acknowledge({
          id: finding,
          reason: `Object-level grants on ${[...readWrite, ...writeOnly].join(', ')} of the case-archive bucket only (s3:GetObject on ${readWrite.join(' and ')}, s3:PutObject with s3:PutObjectRetention on all three, never a delete): keys are named after case ids, references and stream event ids, unknown at deploy time.`,
        });
      }
    }

    // The verifier sends the records it cannot verify; the redrive receives them and deletes each
    // once verified. Each uses the key through SQS only.
    grantSendToEncryptedQueue(this.verifier.role, this.deadLetters, props.dataKey);
    iam.Grant.addToPrincipal({ grantee: this.redrive.role, actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage'], resourceArns: [this.deadLetters.queueArn] });
    iam.Grant.addToPrincipal({
      grantee: this.redrive.role,
      actions: ['kms:Decrypt'],
      resourceArns: [props.dataKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
    });

    // Every REMOVE, TTL's and any other (the function tells them apart). In order per shard,
    // partial batch responses, bisect on error, ten retries, then the on-failure queue. The
    // function dead-letters a failed record itself, so a retry means even that failed.
    this.verifier.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        filters: [lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('REMOVE') })],
        onFailure: new EncryptedQueueDlq(this.dlq, props.dataKey),
      }),
    );

    this.unexpectedDeletionsAlarm = new cloudwatch.Alarm(this, 'UnexpectedDeletionAlarm', {
      alarmDescription:
        'An item was deleted from the table, and not by TTL (a defect, or someone with console or API access): it is kept as an incident under incidents/deletions/ in the case-archive bucket. Find who deleted it (CloudTrail) and why (docs/retention.md).',
      metric: new cloudwatch.Metric({
        namespace: props.functions.metricsNamespace,
        metricName: UNEXPECTED_DELETIONS_METRIC,
        dimensionsMap: { service: POWERTOOLS_SERVICE_NAME },
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    new cloudwatch.Alarm(this, 'ExpiryVerifierErrorsAlarm', {
      alarmDescription:
        'expiry-verifier failed repeatedly in 15 minutes: deletions are waiting for verification (the stream retries them for up to 24 hours). Check the function log.',
      metric: this.verifier.fn.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
