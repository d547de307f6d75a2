import { Aws, Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { archiveKeys } from '../../functions/adapters/s3-case-archives';
import { bucketArnExportName } from '../stateful-stack';
import { alarmedDlq } from './alarmed-dlq';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import { LIST_STREAMS_JUSTIFICATION } from './stream-inserts';
import { grantSubjectKeys, subjectKeyEnvironment, type SubjectKeyStore } from './subject-key-grants';

/** Where the archives are in their bucket (functions/core/case-archive.ts `caseArchiveKey`). */
export const CASE_ARCHIVE_PREFIX = archiveKeys.records;
/** Where the reference index is (`index/references/<reference>.json`): finds an archive once its case has expired from the table. */
export const ARCHIVE_INDEX_PREFIX = archiveKeys.indexPrefix;

/**
 * What archiving a case may write, for the case-archiver and the retention reconciler alike: locked
 * objects under records/ (the archive) and index/ (its reference's and subject's entries) only —
 * PutObject with its retention (PutObjectRetention), never a read or a delete — through S3 with the
 * data key, and the customer's key made on first use (the record is sealed with it). Returns the
 * object-level cdk-nag findings, acknowledged on the role with `what` (the objects, in words).
 */
export function grantArchiveWrites(
  role: iam.IRole,
  props: { stage: string; bucketArnImport: string; dataKey: kms.IKey; subjectKeys: SubjectKeyStore },
  what: string,
): string[] {
  const prefixes = [CASE_ARCHIVE_PREFIX, ARCHIVE_INDEX_PREFIX];
  iam.Grant.addToPrincipal({ grantee: role, actions: ['s3:PutObject', 's3:PutObjectRetention'], resourceArns: prefixes.map((p) => `${props.bucketArnImport}/${p}*`) });
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [props.dataKey.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` } },
  });
  grantSubjectKeys(role, props.subjectKeys, 'create');
  const findings = prefixes.map((p) => `AwsSolutions-IAM5[Resource::${bucketArnExportName(props.stage, 'case-archive')}/${p}*]`);
  for (const finding of findings) {
    Validations.of(role).acknowledge({ id: finding, reason: `s3:PutObject and s3:PutObjectRetention on ${prefixes.join(' and ')} of the case-archive bucket only: ${what}, unknown at deploy time.` });
  }
  return findings;
}

export interface CaseArchivingProps {
  /** Names the bucket export in the acknowledged cdk-nag finding. */
  stage: string;
  /** Makes the case-archiver function. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the closures. */
  table: dynamodb.ITable;
  /** Encrypts the bucket's objects and the DLQ. */
  dataKey: kms.IKey;
  /** The Object-Lock bucket of the archives, and its ARN through the stage-named export. */
  bucket: s3.IBucket;
  bucketArnImport: string;
  /** Where each customer's data key is made and kept: the archive seals their personal data with it. */
  subjectKeys: SubjectKeyStore;
}

/**
 * The archive of every closed case (M7.2 / C4.3): case-archiver, fed by the table stream with the
 * case items' MODIFYs that leave them closed, writes each closed case's archive under `records/`
 * in the case-archive bucket (locked in compliance mode until the case expires), its reference's
 * entry under `index/`, and records the archive on the case. Batches it cannot archive after its
 * retries go to a DLQ, which alarms; repeated errors alarm before that.
 */
export class CaseArchiving extends Construct {
  public readonly function: CaseflowFunction;
  /** On-failure destination of the case-archiver stream mapping. */
  public readonly dlq: sqs.Queue;
  /** The cdk-nag finding of the object-level S3 grant (acknowledged on the role). */
  public readonly objectFindings: readonly string[];

  constructor(scope: Construct, id: string, props: CaseArchivingProps) {
    super(scope, id);

    this.dlq = alarmedDlq(this, 'CaseArchiveDlq', {
      consumer: 'case-archiver',
      key: props.dataKey,
      alarmId: 'CaseArchiveFailedAlarm',
      alarmDescription: 'A closed case could not be archived after the stream retries: its records are not in the archive bucket. Inspect the DLQ and the function log. The daily retention-reconciler archives the case (docs/retention.md); to do it now, fix the cause and invoke that function.',
    });

    this.function = props.functions.create('stream', 'case-archiver', {
      description: 'caseflow case-archiver: archives each closed case to the Object-Lock bucket',
      environment: { TABLE_NAME: props.table.tableName, CASE_ARCHIVE_BUCKET: props.bucket.bucketName, ...subjectKeyEnvironment(props.subjectKeys) },
      timeout: Duration.seconds(60),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });

    this.objectFindings = grantArchiveWrites(this.function.role, props, 'an archive a case named after its case id, an index entry a case named after its reference');

    // Case items that are closed after a change: the closure, and the change that records the
    // archive (passed over by the handler). In order per shard, partial batch responses, bisect on
    // error, ten retries, then the DLQ.
    this.function.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        filters: [
          lambda.FilterCriteria.filter({
            eventName: lambda.FilterRule.isEqual('MODIFY'),
            dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('case') }, status: { S: lambda.FilterRule.isEqual('closed') } } },
          }),
        ],
        onFailure: new EncryptedQueueDlq(this.dlq, props.dataKey),
      }),
    );

    new cloudwatch.Alarm(this, 'CaseArchiverErrorsAlarm', {
      alarmDescription: 'case-archiver failed repeatedly in 15 minutes: closed cases are waiting for their archive (the stream retries them). Check the function log.',
      metric: this.function.fn.metricErrors({ period: Duration.minutes(15), statistic: cloudwatch.Stats.SUM }),
      threshold: 3,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
