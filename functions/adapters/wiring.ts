import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../core/clock';
import type { InboundMailStore } from '../core/email/ports';
import type { BlobStore, CaseArchives, CaseStore, DeadLetters, DownloadLinks, Mailer, RateLimiter } from '../core/ports';
import type { CaseItemImages } from '../core/item-images';
import { DynamoCaseItemImages } from './dynamo/case-item-images';
import { FileDeadLetters } from './file-dead-letters';
import { FileSubjectKeys } from './file-subject-keys';
import { KmsSubjectKeys } from './kms-subject-keys';
import { KMSClient } from '@aws-sdk/client-kms';
import type { ManifestSigner } from '../core/export-ports';
import { FileManifestSigner } from './file-manifest-signer';
import { KmsManifestSigner } from './kms-manifest-signer';
import type { SubjectKeys } from '../core/subject-keys';
import { createSqsClient, SqsDeadLetters } from './sqs-dead-letters';
import type { RandomBytes } from '../core/reference';
import type { RestartableSlaWorkflows } from '../core/sla-workflows';
import type { SlaPolicyVersions } from '../core/sla-policy-versions';
import { DynamoSlaPolicyStore } from './dynamo/sla-policy-store';
import { DynamoSlaMigrationStore } from './dynamo/sla-migration-store';
import type { MigrationRecords, MigrationWorkflows } from '../core/sla-migration';
import { SfnSlaMigrationWorkflows } from './sfn-sla-migration-workflows';
import type { StaffDirectory } from '../core/staff';
import { CognitoStaffDirectory } from './cognito-staff-directory';
import { FileStaffDirectory } from './file-staff-directory';
import { createDocumentClient, type Endpoints } from './aws-clients';
import type { AuditAnchors } from '../core/audit-verification';
import type { AnchorArchive, CaseHeads } from '../core/anchor-audit-heads';
import type { CaseQueues } from '../core/queues';
import { DynamoCaseHeads } from './dynamo/case-heads';
import { DynamoClosedCasesByDay } from './dynamo/closed-cases-by-day';
import type { ClosedCasesByDay } from '../core/reconcile-retention';
import { DynamoCaseQueues } from './dynamo/case-queues';
import { DynamoCaseRepository } from './dynamo/case-repository';
import { DynamoCasesReceived } from './dynamo/cases-received';
import type { EscalationAuditCases } from '../core/escalation-audit';
import type { ReceivedCases } from '../core/metrics';
import { S3AuditAnchors } from './s3-audit-anchors';
import { S3CaseArchives } from './s3-case-archives';
import { DynamoInboundMailStore } from './dynamo/inbound-mail-store';
import { DynamoRateLimiter } from './dynamo/rate-limiter';
import { cryptoRandom, newCaseId } from './ids';
import { createJwtVerifier, type TokenVerifier } from './jwt-verifier';
import { createS3Client, S3BlobStore } from './s3-blob-store';
import { S3DownloadLinks } from './s3-download-links';
import { createSesClient, SesMailer } from './ses-mailer';
import { DynamoNonComplianceStore } from './dynamo/non-compliance-store';
import { SfnCorrectiveActionWorkflows } from './sfn-corrective-action-workflows';
import type { CorrectiveActionWorkflows, NonComplianceStore } from '../core/non-compliance-records';
import { createSfnClient, SfnSlaWorkflows } from './sfn-sla-workflows';
import { systemClock } from './system-clock';
import type { RetentionPolicyVersions, RetentionSource } from '../core/retention-policy-versions';
import { DynamoRetentionPolicyStore } from './dynamo/retention-policy-store';
import { DynamoRetentionStamper } from './dynamo/retention-stamper-store';
import { DynamoPrivacyRequestStore } from './dynamo/privacy-request-store';
import { DynamoCaseRecordEraser } from './dynamo/case-record-eraser';
import { S3ErasableFiles } from './s3-erasable-files';
import { S3ExportStore } from './s3-export-store';
import { DynamoExportSource } from './dynamo/export-source';
import { SfnExportWorkflows, type ExportWorkflows } from './sfn-export-workflows';
import type { ExportSource, ExportStore } from '../core/compliance-export';
import type { ExportFileCodec } from '../core/export-ports';
import { exportCodec } from './export-codec';
import type { CaseRecordEraser, ErasableFiles } from '../core/privacy-erasure';
import type { PrivacyExportWriter, PrivacyRequestStore, StoredFiles } from '../core/privacy-access';
import { S3StoredFiles } from './s3-stored-files';
import { ZipExportWriter } from './zip-export-writer';
import { retentionSetting } from './retention-setting';
import type { ReportRenderer } from '../core/monthly-report-delivery';
import { renderMonthlyReportHtml } from './report-html';
import { renderReportPdf } from './report-pdf';
import type { TrainingRecords } from '../core/training';
import { DynamoTrainingStore } from './dynamo/training-store';
import type { QualityReviewStore } from '../core/quality-review-records';
import { DynamoQualityReviewStore } from './dynamo/quality-review-store';
import type { SurveyLinks } from '../core/survey';
import type { FeedbackLog } from '../core/feedback-log';
import { DynamoFeedbackLog } from './dynamo/feedback-log';
import type { ActionItemStore } from '../core/action-items';
import { DynamoActionItemStore } from './dynamo/action-item-store';
import { DynamoFollowUpStore } from './dynamo/follow-up-store';
import type { FollowUpStore } from '../core/follow-up';
import { fileSurveyKeyring, HmacSurveyLinks } from './survey-link-signer';
import { KmsSurveyLinks } from './kms-survey-link-signer';
import { DeploymentSetting } from './dynamo/deployment-setting';
import { SURVEY_BASE_URL_SETTING } from './dynamo/keys';

/** Whatever part of the configuration a function has (function-config.ts): each dependency needs its own fields. */
export type WiringConfig = Partial<Endpoints> & {
  TABLE_NAME?: string;
  INBOUND_BUCKET?: string;
  ATTACHMENTS_BUCKET?: string;
  SENDER_EMAIL?: string;
  SES_CONFIGURATION_SET?: string;
  SLA_STATE_MACHINE_ARN?: string;
  CORRECTIVE_ACTION_STATE_MACHINE_ARN?: string;
  JWT_ISSUER?: string;
  JWT_JWKS_URL?: string;
  JWT_AUDIENCE?: string;
  STAFF_USER_POOL_ID?: string | undefined;
  STAFF_DIRECTORY_FILE?: string | undefined;
  AUDIT_ANCHOR_BUCKET?: string;
  CASE_ARCHIVE_BUCKET?: string;
  EXPIRY_DLQ_URL?: string | undefined;
  SUBJECT_KEY_TABLE?: string | undefined;
  SUBJECT_KEY_ID?: string | undefined;
  SUBJECT_KEY_DIR?: string | undefined;
  EXPORT_SIGNING_KEY_ID?: string | undefined;
  EXPORT_SIGNING_KEY_DIR?: string | undefined;
  EXPIRY_DEAD_LETTER_DIR?: string | undefined;
  EXPORTS_BUCKET?: string | undefined;
  EXPORT_STATE_MACHINE_ARN?: string | undefined;
  SLA_MIGRATION_STATE_MACHINE_ARN?: string | undefined;
  SURVEY_BASE_URL?: string | undefined;
  SURVEY_LINK_KMS_KEYS?: string | undefined;
  SURVEY_LINK_KEY_DIR?: string | undefined;
};

export interface Wiring {
  cases: CaseStore & DynamoCaseRepository;
  /** The staff queues and searches, index by index. */
  queues: CaseQueues;
  /** The audit chain heads anchored outside the table each day: read for verification, written by the daily anchoring. */
  auditAnchors: AuditAnchors & AnchorArchive;
  /** The chain heads of the cases changed on a day (the by-day index), for the daily anchoring. */
  caseHeads: CaseHeads;
  inbound: InboundMailStore & DynamoInboundMailStore;
  rateLimiter: RateLimiter;
  /** The raw messages SES stores (S3BlobStore: read as streams too). */
  inboundBlobs: S3BlobStore;
  attachments: BlobStore;
  /** Closed cases' archives, in the Object-Lock bucket. */
  caseArchives: CaseArchives & S3CaseArchives;
  /** The images of every item of a case, for its archive's item list. */
  caseItemImages: CaseItemImages;
  /** Where the expiry verifier's failed records wait for a redrive. */
  expiryDeadLetters: DeadLetters;
  /** Customers' data keys: archives seal personal data with them; an erasure destroys them. */
  subjectKeys: SubjectKeys;
  /** Signs compliance exports' manifests (the export-signing KMS key in AWS, a local key file on a laptop). */
  manifestSigner: ManifestSigner;
  /** Short-lived download links to the stored attachments (and the privacy exports, in the same bucket). */
  attachmentLinks: DownloadLinks;
  /** The cases' stored files and the raw inbound mail, read as streams for an access request's export. */
  attachmentFiles: StoredFiles;
  inboundFiles: StoredFiles;
  /** What an erasure deletes: the cases' files and exports (attachments bucket), raw mail (inbound bucket), every version. */
  attachmentEraser: ErasableFiles;
  inboundEraser: ErasableFiles;
  /** Rewrites a case's records in erased form. */
  caseRecordEraser: CaseRecordEraser;
  /** Writes privacy exports (zips) to the attachments bucket. */
  privacyExports: PrivacyExportWriter;
  /** Compliance exports: the exports bucket, what they read from the table, the workflow, download links. */
  exportStore: ExportStore;
  exportSource: ExportSource;
  exportWorkflows: ExportWorkflows;
  exportLinks: DownloadLinks;
  /** JSON Lines and Parquet. */
  exportCodec: ExportFileCodec;
  /** The privacy requests' records (the accountability record of each access or erasure). */
  privacyRequests: PrivacyRequestStore;
  mailer: Mailer;
  slaWorkflows: RestartableSlaWorkflows;
  /** The SLA policy versions: built in and published (M8.3); every case is handled under its own. */
  slaPolicies: SlaPolicyVersions;
  /** The records of migrations of open cases to another policy version, with their progress. */
  slaMigrations: MigrationRecords;
  /** The workflow that moves a migration's cases a page at a time. */
  slaMigrationWorkflows: MigrationWorkflows;
  /** Non-compliance records (C8.1–C8.3) and their corrective-action workflow. */
  nonCompliance: NonComplianceStore;
  correctiveActionWorkflows: CorrectiveActionWorkflows;
  tokenVerifier: TokenVerifier;
  /** Who the staff are (Cognito in AWS, the local roster file on a laptop). */
  staff: StaffDirectory;
  clock: Clock;
  /** The retention policy closures start (M7.2): the current version; a shorter one only locally. */
  readonly retention: RetentionSource;
  /** The retention policy's versions: built in and published (M7.2, C4.3, M8.3). */
  retentionPolicies: RetentionPolicyVersions;
  /** Gives every item of a closed, archived case the case's expiry. */
  retentionStamper: DynamoRetentionStamper;
  /** The closed cases changed on a day (the by-day index), for the retention reconciler. */
  closedCases: ClosedCasesByDay;
  /** The cases received in a period with their timelines (the status indexes), for the metrics and the escalation audit. */
  receivedCases: ReceivedCases & EscalationAuditCases;
  /** The monthly report's page (charts rendered to inline SVG) and its PDF (where a Chromium runs). */
  reportRenderer: ReportRenderer;
  /** The staff's training records and the reminders sent (C5.1-C5.3). */
  training: TrainingRecords;
  /** The survey answers, for the feedback team and supervisors (C4.2). */
  feedbackLog: FeedbackLog;
  /** Response-quality reviews and the weeks' reply ledgers (M6.1, C6.3). */
  qualityReviews: QualityReviewStore;
  /** The action items that feedback prompted (M8.2, C7.2). */
  actionItems: ActionItemStore;
  /** The complaints' pending follow-ups, by due day, with their reminders' marks (M3.2). */
  followUps: FollowUpStore;
  /** Makes and checks the satisfaction surveys' signed links (M8.1, C7.1). */
  surveyLinks: SurveyLinks;
  newCaseId: () => string;
  random: RandomBytes;
}

function required<T>(value: T | undefined, name: string, what: string): T {
  if (value === undefined || value === '') throw new Error(`caseflow configuration error: ${what} needs ${name}`);
  return value;
}

/**
 * The composition root: every store, client and service a handler uses, built once per process
 * from its configuration, and only when first used (a function loads just the SDK clients it
 * needs, for its cold start). Handlers take what they need from here and never construct an
 * adapter themselves; the local stack and the tests build theirs the same way.
 */
export function wiring(config: WiringConfig): Wiring {
  const endpoints: Endpoints = {
    AWS_REGION: config.AWS_REGION ?? process.env.AWS_REGION ?? 'us-east-1',
    DYNAMODB_ENDPOINT: config.DYNAMODB_ENDPOINT,
    SES_ENDPOINT: config.SES_ENDPOINT,
    S3_ENDPOINT: config.S3_ENDPOINT,
    SFN_ENDPOINT: config.SFN_ENDPOINT,
    AWS_ACCESS_KEY_ID: config.AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY: config.AWS_SECRET_ACCESS_KEY,
  };
  const built = new Map<string, unknown>();
  const once = <T>(name: string, make: () => T): T => {
    if (!built.has(name)) built.set(name, make());
    return built.get(name) as T;
  };
  const doc = () => once<DynamoDBDocumentClient>('doc', () => createDocumentClient(endpoints));
  const table = (what: string) => required(config.TABLE_NAME, 'TABLE_NAME', what);
  const s3 = () => once<S3Client>('s3', () => createS3Client(endpoints));
  const kms = () => once<KMSClient>('kms', () => new KMSClient({ region: endpoints.AWS_REGION }));

  return {
    get cases() {
      return once('cases', () => new DynamoCaseRepository(doc(), table('the case store'), this.slaPolicies));
    },
    get slaPolicies() {
      return once('slaPolicies', () => new DynamoSlaPolicyStore(doc(), table('the SLA policy versions')));
    },
    get slaMigrations() {
      return once('slaMigrations', () => new DynamoSlaMigrationStore(doc(), table('the SLA policy migrations')));
    },
    get queues() {
      return once('queues', () => new DynamoCaseQueues(doc(), table('the queues')));
    },
    get auditAnchors() {
      return once('auditAnchors', () => new S3AuditAnchors(s3(), required(config.AUDIT_ANCHOR_BUCKET, 'AUDIT_ANCHOR_BUCKET', 'the audit anchors')));
    },
    get caseHeads() {
      return once('caseHeads', () => new DynamoCaseHeads(doc(), table('the case heads by day')));
    },
    get inbound() {
      return once('inbound', () => new DynamoInboundMailStore(doc(), table('the inbound-mail store')));
    },
    get rateLimiter() {
      return once('rateLimiter', () => new DynamoRateLimiter(doc(), table('the rate limiter')));
    },
    get inboundBlobs() {
      return once('inboundBlobs', () => new S3BlobStore(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'the inbound mail')));
    },
    get attachments() {
      return once('attachments', () => new S3BlobStore(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the attachment store')));
    },
    get caseArchives() {
      return once('caseArchives', () => new S3CaseArchives(s3(), required(config.CASE_ARCHIVE_BUCKET, 'CASE_ARCHIVE_BUCKET', 'the case archives')));
    },
    get caseItemImages() {
      return once('caseItemImages', () => new DynamoCaseItemImages(doc(), table('the case item images')));
    },
    get expiryDeadLetters() {
      return once<DeadLetters>('expiryDeadLetters', () => {
        if (config.EXPIRY_DLQ_URL) return new SqsDeadLetters(createSqsClient(endpoints), config.EXPIRY_DLQ_URL);
        return new FileDeadLetters(required(config.EXPIRY_DEAD_LETTER_DIR, 'EXPIRY_DLQ_URL or EXPIRY_DEAD_LETTER_DIR', 'the expiry dead letters'));
      });
    },
    get subjectKeys() {
      return once<SubjectKeys>('subjectKeys', () => {
        if (config.SUBJECT_KEY_TABLE) {
          return new KmsSubjectKeys(kms(), doc(), config.SUBJECT_KEY_TABLE, required(config.SUBJECT_KEY_ID, 'SUBJECT_KEY_ID', 'the subject keys'));
        }
        return new FileSubjectKeys(required(config.SUBJECT_KEY_DIR, 'SUBJECT_KEY_TABLE or SUBJECT_KEY_DIR', 'the subject keys'));
      });
    },
    get manifestSigner() {
      return once<ManifestSigner>('manifestSigner', () => {
        if (config.EXPORT_SIGNING_KEY_ID) return new KmsManifestSigner(kms(), config.EXPORT_SIGNING_KEY_ID);
        return new FileManifestSigner(required(config.EXPORT_SIGNING_KEY_DIR, 'EXPORT_SIGNING_KEY_ID or EXPORT_SIGNING_KEY_DIR', 'the manifest signer'));
      });
    },
    get attachmentLinks() {
      return once('attachmentLinks', () => new S3DownloadLinks(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the attachment downloads')));
    },
    get attachmentFiles() {
      return once('attachmentFiles', () => new S3StoredFiles(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the privacy exports')));
    },
    get inboundFiles() {
      return once('inboundFiles', () => new S3StoredFiles(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'the privacy exports')));
    },
    get privacyExports() {
      return once('privacyExports', () => new ZipExportWriter(this.attachments));
    },
    get attachmentEraser() {
      return once('attachmentEraser', () => new S3ErasableFiles(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'erasure')));
    },
    get inboundEraser() {
      return once('inboundEraser', () => new S3ErasableFiles(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'erasure')));
    },
    get caseRecordEraser() {
      return once('caseRecordEraser', () => new DynamoCaseRecordEraser(doc(), table('erasure')));
    },
    get exportStore() {
      return once('exportStore', () => new S3ExportStore(s3(), required(config.EXPORTS_BUCKET, 'EXPORTS_BUCKET', 'compliance exports')));
    },
    get exportSource() {
      return once('exportSource', () => new DynamoExportSource(doc(), table('compliance exports')));
    },
    get exportWorkflows() {
      return once('exportWorkflows', () => new SfnExportWorkflows(createSfnClient(endpoints), required(config.EXPORT_STATE_MACHINE_ARN, 'EXPORT_STATE_MACHINE_ARN', 'compliance exports')));
    },
    get exportCodec() {
      return exportCodec;
    },
    get exportLinks() {
      return once('exportLinks', () => new S3DownloadLinks(s3(), required(config.EXPORTS_BUCKET, 'EXPORTS_BUCKET', 'export downloads')));
    },
    get privacyRequests() {
      return once('privacyRequests', () => new DynamoPrivacyRequestStore(doc(), table('the privacy requests')));
    },
    get mailer() {
      return once('mailer', () => new SesMailer(createSesClient(endpoints), required(config.SENDER_EMAIL, 'SENDER_EMAIL', 'the mailer'), config.SES_CONFIGURATION_SET));
    },
    get nonCompliance() {
      return once('nonCompliance', () => new DynamoNonComplianceStore(doc(), table('the non-compliance records')));
    },
    get correctiveActionWorkflows() {
      return once('correctiveActionWorkflows', () => new SfnCorrectiveActionWorkflows(createSfnClient(endpoints), required(config.CORRECTIVE_ACTION_STATE_MACHINE_ARN, 'CORRECTIVE_ACTION_STATE_MACHINE_ARN', 'the corrective-action workflows')));
    },
    get slaMigrationWorkflows() {
      return once('slaMigrationWorkflows', () => new SfnSlaMigrationWorkflows(createSfnClient(endpoints), required(config.SLA_MIGRATION_STATE_MACHINE_ARN, 'SLA_MIGRATION_STATE_MACHINE_ARN', 'the SLA policy migrations')));
    },
    get slaWorkflows() {
      return once('slaWorkflows', () => new SfnSlaWorkflows(createSfnClient(endpoints), required(config.SLA_STATE_MACHINE_ARN, 'SLA_STATE_MACHINE_ARN', 'the SLA workflows')));
    },
    get tokenVerifier() {
      return once('tokenVerifier', () =>
        createJwtVerifier({
          issuer: required(config.JWT_ISSUER, 'JWT_ISSUER', 'staff sign-in'),
          clientId: required(config.JWT_AUDIENCE, 'JWT_AUDIENCE', 'staff sign-in'),
          keys: { jwksUrl: required(config.JWT_JWKS_URL, 'JWT_JWKS_URL', 'staff sign-in') },
        }),
      );
    },
    get staff() {
      return once<StaffDirectory>('staff', () => {
        if (config.STAFF_USER_POOL_ID) return new CognitoStaffDirectory(new CognitoIdentityProviderClient({ region: endpoints.AWS_REGION }), config.STAFF_USER_POOL_ID);
        return new FileStaffDirectory(required(config.STAFF_DIRECTORY_FILE, 'STAFF_USER_POOL_ID or STAFF_DIRECTORY_FILE', 'the staff directory'));
      });
    },
    clock: systemClock,
    get retention() {
      // The table is read only when a closure asks: a function without one may still run with the local override.
      return once('retention', () => retentionSetting({ current: () => this.retentionPolicies.current() }));
    },
    get retentionPolicies() {
      return once('retentionPolicies', () => new DynamoRetentionPolicyStore(doc(), table('the retention policy versions')));
    },
    get retentionStamper() {
      return once('retentionStamper', () => new DynamoRetentionStamper(doc(), table('the retention stamper')));
    },
    get closedCases() {
      return once('closedCases', () => new DynamoClosedCasesByDay(doc(), table('the closed cases by day')));
    },
    get receivedCases() {
      return once('receivedCases', () => new DynamoCasesReceived(doc(), table('the metrics'), this.cases));
    },
    reportRenderer: { html: renderMonthlyReportHtml, pdf: (html) => renderReportPdf(html) },
    get training() {
      return once('training', () => new DynamoTrainingStore(doc(), table('the training records')));
    },
    get feedbackLog() {
      return once('feedbackLog', () => new DynamoFeedbackLog(doc(), table('the feedback log')));
    },
    get qualityReviews() {
      return once('qualityReviews', () => new DynamoQualityReviewStore(doc(), table('the quality reviews')));
    },
    get actionItems() {
      return once('actionItems', () => new DynamoActionItemStore(doc(), table('the action items')));
    },
    get followUps() {
      return once('followUps', () => new DynamoFollowUpStore(doc(), table('the complaint follow-ups')));
    },
    get surveyLinks() {
      return once<SurveyLinks>('surveyLinks', () => {
        // In AWS the page's address is the deployment setting the quality stack writes (function-config.ts SurveyLinkConfigSchema).
        const setting = config.TABLE_NAME ? new DeploymentSetting(doc(), config.TABLE_NAME, SURVEY_BASE_URL_SETTING) : undefined;
        const base = config.SURVEY_BASE_URL ?? (setting ? () => setting.value() : undefined);
        if (config.SURVEY_LINK_KMS_KEYS) return new KmsSurveyLinks(kms(), config.SURVEY_LINK_KMS_KEYS, base);
        return new HmacSurveyLinks(fileSurveyKeyring(required(config.SURVEY_LINK_KEY_DIR, 'SURVEY_LINK_KMS_KEYS or SURVEY_LINK_KEY_DIR', 'the survey links')), base);
      });
    },
    newCaseId,
    random: cryptoRandom,
  };
}
