import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { createSurveyLinkKeys, DEFAULT_SURVEY_LINK_KEYS } from './constructs/survey-link-keys';
import type { SubjectKeyStore } from './constructs/subject-key-grants';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE, TABLE_KEYS, TTL_ATTRIBUTE } from '../functions/adapters/table-design';
import { PRIVACY_EXPORT_DAYS, PRIVACY_EXPORT_PREFIX } from '../functions/core/privacy-access';
import { EXPORTS_PREFIX } from '../functions/core/compliance-export';

export interface CaseflowStatefulStackProps extends StackProps {
  stage: string;
  /** The survey links' KMS HMAC keys by id, newest first (caseflow:surveyLinkKeys; default one, k1). */
  surveyLinkKeys?: readonly string[];
}

/** Where SES stores raw inbound mail in the inbound bucket (the receipt rule's S3 action; email-ingest reads only here). */
export const INBOUND_MAIL_PREFIX = 'inbound/';

/** The export name of a data bucket's ARN (see CaseflowStatefulStack.inboundBucketArnImport). */
export const bucketArnExportName = (stage: string, bucket: 'inbound' | 'archive' | 'audit-anchor' | 'case-archive' | 'exports') => `caseflow-${stage}-${bucket}-bucket-arn`;

/**
 * Where DynamoDB's native full-table exports go in the exports bucket (`aws dynamodb
 * export-table-to-point-in-time`, docs/deploy.md): whole-table dumps with personal data in clear,
 * for analytics or a migration, never for auditors (no function is granted this prefix).
 */
export const TABLE_EXPORTS_PREFIX = 'table-exports/';
/** How long a full-table dump is kept at most: a safety net for one forgotten after use (its old version a day longer). */
export const TABLE_EXPORT_DAYS = 7;

/** The export names of the subject-key table's name and ARN and of its wrapping key's ARN (see CaseflowStatefulStack.subjectKeys). */
export const subjectKeyExportName = (stage: string, value: 'table-name' | 'table-arn' | 'wrapping-key-arn') => `caseflow-${stage}-subject-key-${value}`;

/** The export name of the export-signing key's ARN (see CaseflowStatefulStack.exportSigningKeyArnImport). */
export const exportSigningKeyExportName = (stage: string) => `caseflow-${stage}-export-signing-key-arn`;

/**
 * How long each audit anchor object is locked (Object Lock, compliance mode): five years, as long
 * as records are kept after closure (M7.2 / C4.3). A case's last anchor is written the night after
 * its last change (its closure), and it covers every event before it, so its lock lasts as long as
 * the trail it anchors.
 */
export const AUDIT_ANCHOR_RETENTION = Duration.days(5 * 366);

/** The SES receipt rule set of a stage (created by the stateless stack; activated by hand, docs/deploy.md). */
export const receiptRuleSetName = (stage: string) => `caseflow-${stage}-inbound`;

/** A bucket holding no personal data (access logs, audit anchors): S3-managed keys, private, TLS 1.2 only, versioned. */
export const S3_MANAGED_PRIVATE_BUCKET = {
  encryption: s3.BucketEncryption.S3_MANAGED,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
} as const satisfies s3.BucketProps;

/**
 * Everything that holds data and must outlive a redeploy: the customer-managed key, the single
 * table, the mail/archive buckets, the exports bucket and the audit anchors. Every resource here is RETAINed: deleting the stack never
 * deletes records (M7.2 / C4.3: keep records at least five years).
 */
export class CaseflowStatefulStack extends Stack {
  /** Encrypts the table, its stream, the buckets and the delivery DLQ (M5.1 / C6.1). */
  public readonly dataKey: kms.Key;
  /**
   * A regional table (AWS::DynamoDB::Table), not TableV2: a CMK-encrypted TableV2 needs a concrete
   * region at synth time, and caseflow synthesizes without an account or region.
   */
  public readonly table: dynamodb.Table;
  /** Raw inbound mail as SES stores it (email-to-case). */
  public readonly inboundBucket: s3.Bucket;
  /** Records archived before their TTL expires (M7.2 / C4.3). */
  public readonly archiveBucket: s3.Bucket;
  /**
   * The daily audit-chain head digests (M5.3, M7.3; docs/audit-trail.md): write once, read many.
   * A bucket of their own because Object Lock can only be turned on when a bucket is created, and a
   * default retention on the archive would stop attachments from ever being erased (M5.1 / C6.1).
   */
  public readonly auditAnchorBucket: s3.Bucket;
  /**
   * Closed cases' archives (M7.2 / C4.3; functions/core/case-archive.ts), under `records/`: Object
   * Lock with no default retention — each archive is locked in compliance mode until its own case's
   * retention ends. A bucket of its own for the same reason as the anchors' (Object Lock is set at
   * creation; a default retention on the archive bucket would lock attachments against erasure).
   */
  public readonly caseArchiveBucket: s3.Bucket;
  /**
   * Compliance exports (functions/core/compliance-export.ts; docs/exports.md) under `exports/`: the
   * days' files, their markers and the signed manifests on their hash chain. Evidence, kept at least
   * as long as the records they describe (five years after closure, M7.2 / C4.3) and longer: nothing
   * here expires, and old versions are kept. No Object Lock: the signed chain detects a file or a
   * manifest altered, removed or reordered (verifyExportChain), and versions let the original be
   * restored. Also the destination of DynamoDB's native full-table exports, under `table-exports/`.
   */
  public readonly exportsBucket: s3.Bucket;
  /** Server access logs of the two data buckets. */
  public readonly accessLogsBucket: s3.Bucket;
  /**
   * The two data buckets' ARNs through exports named after the stage (`caseflow-<stage>-inbound-bucket-arn`,
   * `caseflow-<stage>-archive-bucket-arn`), for object-level grants in the stateless stack: the names are
   * known before synthesis, so the cdk-nag findings of those grants can be acknowledged exactly.
   */
  public readonly inboundBucketArnImport: string;
  public readonly archiveBucketArnImport: string;
  public readonly auditAnchorBucketArnImport: string;
  public readonly caseArchiveBucketArnImport: string;
  /** The exports bucket's ARN through the stage-named export `caseflow-<stage>-exports-bucket-arn`. */
  public readonly exportsBucketArnImport: string;
  /**
   * The subjects' data keys (crypto-shredding, M5.1 / C6.1; functions/adapters/kms-subject-keys.ts):
   * one item a customer, `subjectId` -> their data key wrapped by the wrapping key. Deleting an
   * item destroys the key, so the table has no point-in-time recovery, no backups and no stream:
   * nothing may bring a destroyed key back.
   */
  public readonly subjectKeyTable: dynamodb.Table;
  /**
   * Wraps every subject's data key (encryption context `{subject: <subjectId>}`). Never deleted or
   * disabled: it wraps every customer's key; a customer's key is destroyed by deleting its item.
   */
  public readonly subjectKeyWrappingKey: kms.Key;
  /** The table's name and ARN and the wrapping key's ARN through stage-named exports, for the stateless stack's grants and variables. */
  public readonly subjectKeys: SubjectKeyStore;
  /**
   * Signs compliance exports' manifests (functions/adapters/kms-manifest-signer.ts): an asymmetric
   * ECC P-256 key for signing only, whose private half never leaves KMS. Auditors verify with its
   * public key, years later, so it is retained and never deleted; signatures made with it stay
   * verifiable whatever becomes of the stacks.
   */
  public readonly exportSigningKey: kms.Key;
  /** The survey links' HMAC keys, newest first (the first signs). */
  public readonly surveyLinkKeys: kms.Key[];
  /** The export-signing key's ARN through the stage-named export `caseflow-<stage>-export-signing-key-arn`, for the stateless stack's grants (constructs/export-signing-grants.ts) and EXPORT_SIGNING_KEY_ID. */
  public readonly exportSigningKeyArnImport: string;

  constructor(scope: Construct, id: string, props: CaseflowStatefulStackProps) {
    super(scope, id, props);

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/caseflow-${props.stage}-data`,
      description: `caseflow ${props.stage}: encrypts case records, mail and archives`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const attribute = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: attribute(TABLE_KEYS.partitionKey),
      sortKey: attribute(TABLE_KEYS.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // The outbox consumer needs the new image; the old one lets future consumers see what changed.
      stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      // Retention (M7.2 / C4.3): items carry their expiry; closed cases expire five years after closure.
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true, recoveryPeriodInDays: 35 },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    for (const index of GLOBAL_INDEXES) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        // The queue indexes project one map, the case summary: a page reads only what a queue shows.
        ...(index.projection === 'ALL'
          ? { projectionType: dynamodb.ProjectionType.ALL }
          : { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [SUMMARY_ATTRIBUTE] }),
      });
    }

    this.subjectKeyWrappingKey = new kms.Key(this, 'SubjectKeyWrappingKey', {
      alias: `alias/caseflow-${props.stage}-subject-keys`,
      description: `caseflow ${props.stage}: wraps each customer's data key (crypto-shredding); never to be deleted`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.subjectKeyTable = new dynamodb.Table(this, 'SubjectKeyTable', {
      partitionKey: { name: 'subjectId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      // No recovery point may hold a destroyed key (crypto-shredding): off, explicitly. No stream either.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: false },
      // The items are already KMS ciphertext under the wrapping key, keyed by a digest: the data key
      // would add a second key to every read and nothing to their protection.
      encryption: dynamodb.TableEncryption.DEFAULT,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.subjectKeyTable).acknowledge({
      id: 'AwsSolutions-DDB3',
      reason:
        'Point-in-time recovery is off on purpose: deleting a subject\'s item destroys their data key (crypto-shredding, M5.1 / C6.1), and a restore must never bring a destroyed key back.',
    });

    // The satisfaction survey links' HMAC keys (M8.1, C7.1): named by alias where they are used (survey-link-keys.ts).
    this.surveyLinkKeys = createSurveyLinkKeys(this, props.stage, props.surveyLinkKeys ?? DEFAULT_SURVEY_LINK_KEYS);
    this.exportSigningKey = new kms.Key(this, 'ExportSigningKey', {
      alias: `alias/caseflow-${props.stage}-export-signing`,
      description: `caseflow ${props.stage}: signs compliance exports' manifests (ECDSA P-256, SHA-256); its public key verifies them, so never delete it`,
      keySpec: kms.KeySpec.ECC_NIST_P256,
      keyUsage: kms.KeyUsage.SIGN_VERIFY,
      // KMS does not rotate asymmetric keys (cdk-nag's KMS5 asks rotation of symmetric keys only).
      // A new key would be a new key id in the manifests, made by hand.
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      // S3 server access logging can only deliver to SSE-S3 buckets, not SSE-KMS ones.
      ...S3_MANAGED_PRIVATE_BUCKET,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        // A year of access history covers the annual audit cycle (M6.3 / C6.3) and incident reviews.
        { id: 'expire-access-logs', expiration: Duration.days(365), noncurrentVersionExpiration: Duration.days(30) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
    this.inboundBucket = this.dataBucket('InboundBucket', 'inbound/', [
      // Raw mail is the original evidence of what the customer sent (C4.1). It is not expired by a
      // timer: the retention clock starts when the case closes, which S3 cannot know, so deletion is
      // done by the retention and erasure jobs (M7.2 / C4.3, M5.1 / C6.1).
      { id: 'infrequent-access-after-90-days', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] },
    ]);
    // Object-created events go to EventBridge, where the stateless stack's rule sends inbound/ ones
    // to email-ingest. A direct S3 -> Lambda notification would make this stack depend on the
    // stateless one (a cycle), or need CDK's notifications custom resource; this is a plain
    // CloudFormation property.
    (this.inboundBucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
    // SES's S3 action writes the raw message (the bucket policy for that is added by the action in
    // the stateless stack). The bucket's default encryption is SSE-KMS with this key, so SES must be
    // able to make data keys with it (and decrypt them to finish a multipart upload): through S3
    // only, for this account's caseflow receipt rules only. The rule set is named after the stage,
    // so no reference to the stateless stack is needed (that would be a cycle).
    this.dataKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowSesToStoreInboundMail',
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'kms:ViaService': `s3.${Aws.REGION}.amazonaws.com` },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:receipt-rule-set/${receiptRuleSetName(props.stage)}:receipt-rule/*` },
        },
      }),
    );

    this.archiveBucket = this.dataBucket('ArchiveBucket', 'archive/', [
      // Archived records are read rarely (audits, access requests) but must come back at once.
      { id: 'infrequent-access-after-90-days', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] },
      // Access requests' exports (M5.1 / C6.1) are copies made for one download: gone after a week,
      // and their old version a day later (versioning turns the expiry into a delete marker).
      {
        id: 'expire-privacy-exports',
        prefix: PRIVACY_EXPORT_PREFIX,
        expiration: Duration.days(PRIVACY_EXPORT_DAYS),
        noncurrentVersionExpiration: Duration.days(1),
      },
    ]);

    this.caseArchiveBucket = this.dataBucket(
      'CaseArchiveBucket',
      'case-archives/',
      // Read for audits and access requests, rarely, but at once when they are.
      [{ id: 'infrequent-access-after-90-days', transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] }],
      // No default retention: each object carries its own (ObjectLockRetainUntilDate, the case's expiry).
      { objectLockEnabled: true },
    );
    // Every archive is written locked: a write without a retention mode is refused.
    this.caseArchiveBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CaseArchivesAreWrittenLocked',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.caseArchiveBucket.arnForObjects('*')],
        conditions: { Null: { 's3:object-lock-mode': 'true' } },
      }),
    );

    this.exportsBucket = this.dataBucket(
      'ExportsBucket',
      'exports/',
      [
        // Read when an auditor asks, rarely after the first weeks, but then at once. Never expired:
        // exports are evidence kept at least as long as the records (five years after closure, M7.2 /
        // C4.3), and a manifest names the one before it, so an export removed would break the chain.
        { id: 'infrequent-access-after-90-days', prefix: EXPORTS_PREFIX, transitions: [{ storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(90) }] },
        // A full-table dump holds personal data in clear: delete it after use; this deletes a forgotten one.
        { id: 'expire-table-exports', prefix: TABLE_EXPORTS_PREFIX, expiration: Duration.days(TABLE_EXPORT_DAYS), noncurrentVersionExpiration: Duration.days(1) },
      ],
      // Exports hold no personal data (export-records.ts: the redacted record), so nothing needs the
      // 30-day end of old versions; kept, they restore an export altered or deleted by mistake.
      { oldVersions: 'keep' },
    );

    this.auditAnchorBucket = new s3.Bucket(this, 'AuditAnchorBucket', {
      // Case ids and hashes only, no personal data: S3-managed keys, so the anchors stay readable
      // to an auditor whatever becomes of the data key.
      ...S3_MANAGED_PRIVATE_BUCKET,
      // Every version of every anchor is kept for the retention, by nobody deletable, root included.
      objectLockEnabled: true,
      objectLockDefaultRetention: s3.ObjectLockRetention.compliance(AUDIT_ANCHOR_RETENTION),
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'audit-anchors/',
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [{ id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    // A delete without a version id would only hide an anchor behind a delete marker (the locked
    // version stays): refused outright, so a verification never finds a case's markers missing.
    this.auditAnchorBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AuditAnchorsAreNeverDeleted',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
        resources: [this.auditAnchorBucket.arnForObjects('*')],
      }),
    );
    // Nor overwritten: a new version over a marker or a digest would be what a verification reads.
    // Only conditional writes (If-None-Match: *, which S3 refuses when the key exists) get through.
    this.auditAnchorBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AuditAnchorsAreWrittenOnce',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [this.auditAnchorBucket.arnForObjects('*')],
        conditions: { Null: { 's3:if-none-match': 'true' } },
      }),
    );

    this.inboundBucketArnImport = this.exportValue(this.inboundBucket.bucketArn, { name: bucketArnExportName(props.stage, 'inbound') });
    this.archiveBucketArnImport = this.exportValue(this.archiveBucket.bucketArn, { name: bucketArnExportName(props.stage, 'archive') });
    this.auditAnchorBucketArnImport = this.exportValue(this.auditAnchorBucket.bucketArn, { name: bucketArnExportName(props.stage, 'audit-anchor') });
    this.caseArchiveBucketArnImport = this.exportValue(this.caseArchiveBucket.bucketArn, { name: bucketArnExportName(props.stage, 'case-archive') });
    this.exportsBucketArnImport = this.exportValue(this.exportsBucket.bucketArn, { name: bucketArnExportName(props.stage, 'exports') });

    this.subjectKeys = {
      tableName: this.exportValue(this.subjectKeyTable.tableName, { name: subjectKeyExportName(props.stage, 'table-name') }),
      tableArn: this.exportValue(this.subjectKeyTable.tableArn, { name: subjectKeyExportName(props.stage, 'table-arn') }),
      wrappingKeyArn: this.exportValue(this.subjectKeyWrappingKey.keyArn, { name: subjectKeyExportName(props.stage, 'wrapping-key-arn') }),
    };

    this.exportSigningKeyArnImport = this.exportValue(this.exportSigningKey.keyArn, { name: exportSigningKeyExportName(props.stage) });

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The single DynamoDB table' });
    new CfnOutput(this, 'TableArn', { value: this.table.tableArn, description: 'The table, for its native full export (aws dynamodb export-table-to-point-in-time; docs/deploy.md)' });
    new CfnOutput(this, 'DataKeyArn', { value: this.dataKey.keyArn, description: 'The data key: the --s3-sse-kms-key-id of a full table export' });
    new CfnOutput(this, 'InboundBucketName', { value: this.inboundBucket.bucketName, description: 'Raw inbound mail' });
    new CfnOutput(this, 'ArchiveBucketName', { value: this.archiveBucket.bucketName, description: 'Record archive' });
    new CfnOutput(this, 'CaseArchiveBucketName', { value: this.caseArchiveBucket.bucketName, description: 'Closed cases\' archives (Object Lock, a retention per object)' });
    new CfnOutput(this, 'ExportsBucketName', { value: this.exportsBucket.bucketName, description: 'Compliance exports (exports/, signed manifests on a hash chain) and full table exports (table-exports/, deleted after use)' });
    new CfnOutput(this, 'AuditAnchorBucketName', { value: this.auditAnchorBucket.bucketName, description: 'Daily audit-chain head digests (Object Lock)' });
    new CfnOutput(this, 'SubjectKeyTableName', { value: this.subjectKeyTable.tableName, description: 'Customers\' wrapped data keys (no backups: deleting an item destroys the key)' });
    new CfnOutput(this, 'SubjectKeyWrappingKeyArn', { value: this.subjectKeyWrappingKey.keyArn, description: 'Wraps every customer\'s data key: never delete or disable it' });
    new CfnOutput(this, 'ExportSigningKeyArn', { value: this.exportSigningKey.keyArn, description: 'Signs compliance exports\' manifests: its public key verifies them, never delete it' });
  }

  /**
   * A bucket for personal data: CMK encryption, no public access, TLS only, versioned, access
   * logged, RETAINed. Failed multipart uploads are cleaned up after a day. Deleted or overwritten
   * versions are kept 30 days (recovery from mistakes, then gone, so an erasure request completes
   * within the GDPR month), unless `oldVersions` is `keep` (a bucket whose `rules` say otherwise).
   */
  private dataBucket(
    id: string,
    logPrefix: string,
    rules: s3.LifecycleRule[],
    { oldVersions = 'expire-after-30-days', ...extra }: Pick<s3.BucketProps, 'objectLockEnabled'> & { oldVersions?: 'expire-after-30-days' | 'keep' } = {},
  ): s3.Bucket {
    return new s3.Bucket(this, id, {
      ...extra,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: logPrefix,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        ...rules,
        ...(oldVersions === 'keep' ? [] : [{ id: 'expire-old-versions-after-30-days', noncurrentVersionExpiration: Duration.days(30), expiredObjectDeleteMarker: true }]),
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
    });
  }
}
