import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock } from '../core/clock';
import type { InboundMailStore } from '../core/email/ports';
import type { BlobStore, CaseArchives, CaseStore, DeadLetters, DownloadLinks, Mailer, RateLimiter } from '../core/ports';
import type { CaseItemImages } from '../core/item-images';
import type { KMSClient } from '@aws-sdk/client-kms';
import type { ManifestSigner } from '../core/export-ports';
import type { SubjectKeys } from '../core/subject-keys';
import type { RandomBytes } from '../core/reference';
import type { RestartableSlaWorkflows } from '../core/sla-workflows';
import type { SlaPolicyVersions } from '../core/sla-policy-versions';
import type { MigrationRecords, MigrationWorkflows } from '../core/sla-migration';
import type { StaffDirectory } from '../core/staff';
import { createDocumentClient, type Endpoints } from './aws-clients';
import type { AuditAnchors } from '../core/audit-verification';
import type { AnchorArchive, CaseHeads } from '../core/anchor-audit-heads';
import type { CaseQueues } from '../core/queues';
import type { ClosedCasesByDay } from '../core/reconcile-retention';
import type { DynamoCaseRepository } from './dynamo/case-repository';
import type { EscalationAuditCases } from '../core/escalation-audit';
import type { ReceivedCases } from '../core/metrics';
import type { S3CaseArchives } from './s3-case-archives';
import type { DynamoInboundMailStore } from './dynamo/inbound-mail-store';
import { cryptoRandom, newCaseId } from './ids';
import type { TokenVerifier } from './jwt-verifier';
import type { S3BlobStore } from './s3-blob-store';
import type { CorrectiveActionWorkflows, NonComplianceStore } from '../core/non-compliance-records';
import { systemClock } from './system-clock';
import type { RetentionPolicyVersions, RetentionSource } from '../core/retention-policy-versions';
import type { DynamoRetentionStamper } from './dynamo/retention-stamper-store';
import type { ExportWorkflows } from './sfn-export-workflows';
import type { ExportSource, ExportStore } from '../core/compliance-export';
import type { ExportFileCodec } from '../core/export-ports';
import type { CaseRecordEraser, ErasableFiles } from '../core/privacy-erasure';
import type { PrivacyExportWriter, PrivacyRequestStore, StoredFiles } from '../core/privacy-access';
import { retentionSetting } from './retention-setting';
import type { ReportRenderer } from '../core/monthly-report-delivery';
import type { TrainingRecords } from '../core/training';
import type { QualityReviewStore } from '../core/quality-review-records';
import type { SurveyLinks } from '../core/survey';
import type { FeedbackLog } from '../core/feedback-log';
import type { ActionItemStore } from '../core/action-items';
import type { FollowUpStore } from '../core/follow-up';
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

/*
 * The adapters' modules, each required when a dependency is first built rather than when this
 * module loads: a function's bundle holds every adapter, but its cold start and its memory pay only
 * for those it uses (an export step never loads the report's charts, the mail composer, the JWT
 * library or the Cognito, SES, SFN and SQS clients). esbuild initialises a required module when the
 * require runs; `import type` keeps the types static.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- the lazy loading above */
const adapters = {
  actionItemStore: () => require('./dynamo/action-item-store') as typeof import('./dynamo/action-item-store'),
  caseHeads: () => require('./dynamo/case-heads') as typeof import('./dynamo/case-heads'),
  caseItemImages: () => require('./dynamo/case-item-images') as typeof import('./dynamo/case-item-images'),
  caseQueues: () => require('./dynamo/case-queues') as typeof import('./dynamo/case-queues'),
  caseRecordEraser: () => require('./dynamo/case-record-eraser') as typeof import('./dynamo/case-record-eraser'),
  caseRepository: () => require('./dynamo/case-repository') as typeof import('./dynamo/case-repository'),
  casesReceived: () => require('./dynamo/cases-received') as typeof import('./dynamo/cases-received'),
  clientCognitoIdentityProvider: () => require('@aws-sdk/client-cognito-identity-provider') as typeof import('@aws-sdk/client-cognito-identity-provider'),
  clientKms: () => require('@aws-sdk/client-kms') as typeof import('@aws-sdk/client-kms'),
  closedCasesByDay: () => require('./dynamo/closed-cases-by-day') as typeof import('./dynamo/closed-cases-by-day'),
  cognitoStaffDirectory: () => require('./cognito-staff-directory') as typeof import('./cognito-staff-directory'),
  deploymentSetting: () => require('./dynamo/deployment-setting') as typeof import('./dynamo/deployment-setting'),
  exportCodec: () => require('./export-codec') as typeof import('./export-codec'),
  exportSource: () => require('./dynamo/export-source') as typeof import('./dynamo/export-source'),
  feedbackLog: () => require('./dynamo/feedback-log') as typeof import('./dynamo/feedback-log'),
  fileDeadLetters: () => require('./file-dead-letters') as typeof import('./file-dead-letters'),
  fileManifestSigner: () => require('./file-manifest-signer') as typeof import('./file-manifest-signer'),
  fileStaffDirectory: () => require('./file-staff-directory') as typeof import('./file-staff-directory'),
  fileSubjectKeys: () => require('./file-subject-keys') as typeof import('./file-subject-keys'),
  followUpStore: () => require('./dynamo/follow-up-store') as typeof import('./dynamo/follow-up-store'),
  inboundMailStore: () => require('./dynamo/inbound-mail-store') as typeof import('./dynamo/inbound-mail-store'),
  jwtVerifier: () => require('./jwt-verifier') as typeof import('./jwt-verifier'),
  kmsManifestSigner: () => require('./kms-manifest-signer') as typeof import('./kms-manifest-signer'),
  kmsSubjectKeys: () => require('./kms-subject-keys') as typeof import('./kms-subject-keys'),
  kmsSurveyLinkSigner: () => require('./kms-survey-link-signer') as typeof import('./kms-survey-link-signer'),
  nonComplianceStore: () => require('./dynamo/non-compliance-store') as typeof import('./dynamo/non-compliance-store'),
  privacyRequestStore: () => require('./dynamo/privacy-request-store') as typeof import('./dynamo/privacy-request-store'),
  qualityReviewStore: () => require('./dynamo/quality-review-store') as typeof import('./dynamo/quality-review-store'),
  rateLimiter: () => require('./dynamo/rate-limiter') as typeof import('./dynamo/rate-limiter'),
  reportHtml: () => require('./report-html') as typeof import('./report-html'),
  reportPdf: () => require('./report-pdf') as typeof import('./report-pdf'),
  retentionPolicyStore: () => require('./dynamo/retention-policy-store') as typeof import('./dynamo/retention-policy-store'),
  retentionStamperStore: () => require('./dynamo/retention-stamper-store') as typeof import('./dynamo/retention-stamper-store'),
  s3AuditAnchors: () => require('./s3-audit-anchors') as typeof import('./s3-audit-anchors'),
  s3BlobStore: () => require('./s3-blob-store') as typeof import('./s3-blob-store'),
  s3CaseArchives: () => require('./s3-case-archives') as typeof import('./s3-case-archives'),
  s3DownloadLinks: () => require('./s3-download-links') as typeof import('./s3-download-links'),
  s3ErasableFiles: () => require('./s3-erasable-files') as typeof import('./s3-erasable-files'),
  s3ExportStore: () => require('./s3-export-store') as typeof import('./s3-export-store'),
  s3StoredFiles: () => require('./s3-stored-files') as typeof import('./s3-stored-files'),
  sesMailer: () => require('./ses-mailer') as typeof import('./ses-mailer'),
  sfnCorrectiveActionWorkflows: () => require('./sfn-corrective-action-workflows') as typeof import('./sfn-corrective-action-workflows'),
  sfnExportWorkflows: () => require('./sfn-export-workflows') as typeof import('./sfn-export-workflows'),
  sfnSlaMigrationWorkflows: () => require('./sfn-sla-migration-workflows') as typeof import('./sfn-sla-migration-workflows'),
  sfnSlaWorkflows: () => require('./sfn-sla-workflows') as typeof import('./sfn-sla-workflows'),
  slaMigrationStore: () => require('./dynamo/sla-migration-store') as typeof import('./dynamo/sla-migration-store'),
  slaPolicyStore: () => require('./dynamo/sla-policy-store') as typeof import('./dynamo/sla-policy-store'),
  sqsDeadLetters: () => require('./sqs-dead-letters') as typeof import('./sqs-dead-letters'),
  surveyLinkSigner: () => require('./survey-link-signer') as typeof import('./survey-link-signer'),
  trainingStore: () => require('./dynamo/training-store') as typeof import('./dynamo/training-store'),
  zipExportWriter: () => require('./zip-export-writer') as typeof import('./zip-export-writer'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

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
  const s3 = () => once<S3Client>('s3', () => adapters.s3BlobStore().createS3Client(endpoints));
  const kms = () => once<KMSClient>('kms', () => new (adapters.clientKms().KMSClient)({ region: endpoints.AWS_REGION }));

  return {
    get cases() {
      return once('cases', () => {
        const { DynamoCaseRepository } = adapters.caseRepository();
        return new DynamoCaseRepository(doc(), table('the case store'), this.slaPolicies);
      });
    },
    get slaPolicies() {
      return once('slaPolicies', () => {
        const { DynamoSlaPolicyStore } = adapters.slaPolicyStore();
        return new DynamoSlaPolicyStore(doc(), table('the SLA policy versions'));
      });
    },
    get slaMigrations() {
      return once('slaMigrations', () => {
        const { DynamoSlaMigrationStore } = adapters.slaMigrationStore();
        return new DynamoSlaMigrationStore(doc(), table('the SLA policy migrations'));
      });
    },
    get queues() {
      return once('queues', () => {
        const { DynamoCaseQueues } = adapters.caseQueues();
        return new DynamoCaseQueues(doc(), table('the queues'));
      });
    },
    get auditAnchors() {
      return once('auditAnchors', () => {
        const { S3AuditAnchors } = adapters.s3AuditAnchors();
        return new S3AuditAnchors(s3(), required(config.AUDIT_ANCHOR_BUCKET, 'AUDIT_ANCHOR_BUCKET', 'the audit anchors'));
      });
    },
    get caseHeads() {
      return once('caseHeads', () => {
        const { DynamoCaseHeads } = adapters.caseHeads();
        return new DynamoCaseHeads(doc(), table('the case heads by day'));
      });
    },
    get inbound() {
      return once('inbound', () => {
        const { DynamoInboundMailStore } = adapters.inboundMailStore();
        return new DynamoInboundMailStore(doc(), table('the inbound-mail store'));
      });
    },
    get rateLimiter() {
      return once('rateLimiter', () => {
        const { DynamoRateLimiter } = adapters.rateLimiter();
        return new DynamoRateLimiter(doc(), table('the rate limiter'));
      });
    },
    get inboundBlobs() {
      return once('inboundBlobs', () => {
        const { S3BlobStore } = adapters.s3BlobStore();
        return new S3BlobStore(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'the inbound mail'));
      });
    },
    get attachments() {
      return once('attachments', () => {
        const { S3BlobStore } = adapters.s3BlobStore();
        return new S3BlobStore(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the attachment store'));
      });
    },
    get caseArchives() {
      return once('caseArchives', () => {
        const { S3CaseArchives } = adapters.s3CaseArchives();
        return new S3CaseArchives(s3(), required(config.CASE_ARCHIVE_BUCKET, 'CASE_ARCHIVE_BUCKET', 'the case archives'));
      });
    },
    get caseItemImages() {
      return once('caseItemImages', () => {
        const { DynamoCaseItemImages } = adapters.caseItemImages();
        return new DynamoCaseItemImages(doc(), table('the case item images'));
      });
    },
    get expiryDeadLetters() {
      return once<DeadLetters>('expiryDeadLetters', () => {
        if (config.EXPIRY_DLQ_URL) {
          const { SqsDeadLetters, createSqsClient } = adapters.sqsDeadLetters();
          return new SqsDeadLetters(createSqsClient(endpoints), config.EXPIRY_DLQ_URL);
        }
        const { FileDeadLetters } = adapters.fileDeadLetters();
        return new FileDeadLetters(required(config.EXPIRY_DEAD_LETTER_DIR, 'EXPIRY_DLQ_URL or EXPIRY_DEAD_LETTER_DIR', 'the expiry dead letters'));
      });
    },
    get subjectKeys() {
      return once<SubjectKeys>('subjectKeys', () => {
        if (config.SUBJECT_KEY_TABLE) {
          const { KmsSubjectKeys } = adapters.kmsSubjectKeys();
          return new KmsSubjectKeys(kms(), doc(), config.SUBJECT_KEY_TABLE, required(config.SUBJECT_KEY_ID, 'SUBJECT_KEY_ID', 'the subject keys'));
        }
        const { FileSubjectKeys } = adapters.fileSubjectKeys();
        return new FileSubjectKeys(required(config.SUBJECT_KEY_DIR, 'SUBJECT_KEY_TABLE or SUBJECT_KEY_DIR', 'the subject keys'));
      });
    },
    get manifestSigner() {
      return once<ManifestSigner>('manifestSigner', () => {
        if (config.EXPORT_SIGNING_KEY_ID) {
          const { KmsManifestSigner } = adapters.kmsManifestSigner();
          return new KmsManifestSigner(kms(), config.EXPORT_SIGNING_KEY_ID);
        }
        const { FileManifestSigner } = adapters.fileManifestSigner();
        return new FileManifestSigner(required(config.EXPORT_SIGNING_KEY_DIR, 'EXPORT_SIGNING_KEY_ID or EXPORT_SIGNING_KEY_DIR', 'the manifest signer'));
      });
    },
    get attachmentLinks() {
      return once('attachmentLinks', () => {
        const { S3DownloadLinks } = adapters.s3DownloadLinks();
        return new S3DownloadLinks(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the attachment downloads'));
      });
    },
    get attachmentFiles() {
      return once('attachmentFiles', () => {
        const { S3StoredFiles } = adapters.s3StoredFiles();
        return new S3StoredFiles(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'the privacy exports'));
      });
    },
    get inboundFiles() {
      return once('inboundFiles', () => {
        const { S3StoredFiles } = adapters.s3StoredFiles();
        return new S3StoredFiles(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'the privacy exports'));
      });
    },
    get privacyExports() {
      return once('privacyExports', () => {
        const { ZipExportWriter } = adapters.zipExportWriter();
        return new ZipExportWriter(this.attachments);
      });
    },
    get attachmentEraser() {
      return once('attachmentEraser', () => {
        const { S3ErasableFiles } = adapters.s3ErasableFiles();
        return new S3ErasableFiles(s3(), required(config.ATTACHMENTS_BUCKET, 'ATTACHMENTS_BUCKET', 'erasure'));
      });
    },
    get inboundEraser() {
      return once('inboundEraser', () => {
        const { S3ErasableFiles } = adapters.s3ErasableFiles();
        return new S3ErasableFiles(s3(), required(config.INBOUND_BUCKET, 'INBOUND_BUCKET', 'erasure'));
      });
    },
    get caseRecordEraser() {
      return once('caseRecordEraser', () => {
        const { DynamoCaseRecordEraser } = adapters.caseRecordEraser();
        return new DynamoCaseRecordEraser(doc(), table('erasure'));
      });
    },
    get exportStore() {
      return once('exportStore', () => {
        const { S3ExportStore } = adapters.s3ExportStore();
        return new S3ExportStore(s3(), required(config.EXPORTS_BUCKET, 'EXPORTS_BUCKET', 'compliance exports'));
      });
    },
    get exportSource() {
      return once('exportSource', () => {
        const { DynamoExportSource } = adapters.exportSource();
        return new DynamoExportSource(doc(), table('compliance exports'));
      });
    },
    get exportWorkflows() {
      return once('exportWorkflows', () => {
        const { SfnExportWorkflows } = adapters.sfnExportWorkflows();
        const { createSfnClient } = adapters.sfnSlaWorkflows();
        return new SfnExportWorkflows(createSfnClient(endpoints), required(config.EXPORT_STATE_MACHINE_ARN, 'EXPORT_STATE_MACHINE_ARN', 'compliance exports'));
      });
    },
    get exportCodec() {
      return adapters.exportCodec().exportCodec;
    },
    get exportLinks() {
      return once('exportLinks', () => {
        const { S3DownloadLinks } = adapters.s3DownloadLinks();
        return new S3DownloadLinks(s3(), required(config.EXPORTS_BUCKET, 'EXPORTS_BUCKET', 'export downloads'));
      });
    },
    get privacyRequests() {
      return once('privacyRequests', () => {
        const { DynamoPrivacyRequestStore } = adapters.privacyRequestStore();
        return new DynamoPrivacyRequestStore(doc(), table('the privacy requests'));
      });
    },
    get mailer() {
      return once('mailer', () => {
        const { SesMailer, createSesClient } = adapters.sesMailer();
        return new SesMailer(createSesClient(endpoints), required(config.SENDER_EMAIL, 'SENDER_EMAIL', 'the mailer'), config.SES_CONFIGURATION_SET);
      });
    },
    get nonCompliance() {
      return once('nonCompliance', () => {
        const { DynamoNonComplianceStore } = adapters.nonComplianceStore();
        return new DynamoNonComplianceStore(doc(), table('the non-compliance records'));
      });
    },
    get correctiveActionWorkflows() {
      return once('correctiveActionWorkflows', () => {
        const { SfnCorrectiveActionWorkflows } = adapters.sfnCorrectiveActionWorkflows();
        const { createSfnClient } = adapters.sfnSlaWorkflows();
        return new SfnCorrectiveActionWorkflows(createSfnClient(endpoints), required(config.CORRECTIVE_ACTION_STATE_MACHINE_ARN, 'CORRECTIVE_ACTION_STATE_MACHINE_ARN', 'the corrective-action workflows'));
      });
    },
    get slaMigrationWorkflows() {
      return once('slaMigrationWorkflows', () => {
        const { SfnSlaMigrationWorkflows } = adapters.sfnSlaMigrationWorkflows();
        const { createSfnClient } = adapters.sfnSlaWorkflows();
        return new SfnSlaMigrationWorkflows(createSfnClient(endpoints), required(config.SLA_MIGRATION_STATE_MACHINE_ARN, 'SLA_MIGRATION_STATE_MACHINE_ARN', 'the SLA policy migrations'));
      });
    },
    get slaWorkflows() {
      return once('slaWorkflows', () => {
        const { SfnSlaWorkflows, createSfnClient } = adapters.sfnSlaWorkflows();
        return new SfnSlaWorkflows(createSfnClient(endpoints), required(config.SLA_STATE_MACHINE_ARN, 'SLA_STATE_MACHINE_ARN', 'the SLA workflows'));
      });
    },
    get tokenVerifier() {
      return once('tokenVerifier', () =>
        adapters.jwtVerifier().createJwtVerifier({
          issuer: required(config.JWT_ISSUER, 'JWT_ISSUER', 'staff sign-in'),
          clientId: required(config.JWT_AUDIENCE, 'JWT_AUDIENCE', 'staff sign-in'),
          keys: { jwksUrl: required(config.JWT_JWKS_URL, 'JWT_JWKS_URL', 'staff sign-in') },
        }),
      );
    },
    get staff() {
      return once<StaffDirectory>('staff', () => {
        if (config.STAFF_USER_POOL_ID) {
          const { CognitoIdentityProviderClient } = adapters.clientCognitoIdentityProvider();
          const { CognitoStaffDirectory } = adapters.cognitoStaffDirectory();
          return new CognitoStaffDirectory(new CognitoIdentityProviderClient({ region: endpoints.AWS_REGION }), config.STAFF_USER_POOL_ID);
        }
        const { FileStaffDirectory } = adapters.fileStaffDirectory();
        return new FileStaffDirectory(required(config.STAFF_DIRECTORY_FILE, 'STAFF_USER_POOL_ID or STAFF_DIRECTORY_FILE', 'the staff directory'));
      });
    },
    clock: systemClock,
    get retention() {
      // The table is read only when a closure asks: a function without one may still run with the local override.
      return once('retention', () => retentionSetting({ current: () => this.retentionPolicies.current() }));
    },
    get retentionPolicies() {
      return once('retentionPolicies', () => {
        const { DynamoRetentionPolicyStore } = adapters.retentionPolicyStore();
        return new DynamoRetentionPolicyStore(doc(), table('the retention policy versions'));
      });
    },
    get retentionStamper() {
      return once('retentionStamper', () => {
        const { DynamoRetentionStamper } = adapters.retentionStamperStore();
        return new DynamoRetentionStamper(doc(), table('the retention stamper'));
      });
    },
    get closedCases() {
      return once('closedCases', () => {
        const { DynamoClosedCasesByDay } = adapters.closedCasesByDay();
        return new DynamoClosedCasesByDay(doc(), table('the closed cases by day'));
      });
    },
    get receivedCases() {
      return once('receivedCases', () => {
        const { DynamoCasesReceived } = adapters.casesReceived();
        return new DynamoCasesReceived(doc(), table('the metrics'), this.cases);
      });
    },
    reportRenderer: { html: (...args) => adapters.reportHtml().renderMonthlyReportHtml(...args), pdf: (html) => adapters.reportPdf().renderReportPdf(html) },
    get training() {
      return once('training', () => {
        const { DynamoTrainingStore } = adapters.trainingStore();
        return new DynamoTrainingStore(doc(), table('the training records'));
      });
    },
    get feedbackLog() {
      return once('feedbackLog', () => {
        const { DynamoFeedbackLog } = adapters.feedbackLog();
        return new DynamoFeedbackLog(doc(), table('the feedback log'));
      });
    },
    get qualityReviews() {
      return once('qualityReviews', () => {
        const { DynamoQualityReviewStore } = adapters.qualityReviewStore();
        return new DynamoQualityReviewStore(doc(), table('the quality reviews'));
      });
    },
    get actionItems() {
      return once('actionItems', () => {
        const { DynamoActionItemStore } = adapters.actionItemStore();
        return new DynamoActionItemStore(doc(), table('the action items'));
      });
    },
    get followUps() {
      return once('followUps', () => {
        const { DynamoFollowUpStore } = adapters.followUpStore();
        return new DynamoFollowUpStore(doc(), table('the complaint follow-ups'));
      });
    },
    get surveyLinks() {
      return once<SurveyLinks>('surveyLinks', () => {
        const { DeploymentSetting } = adapters.deploymentSetting();
        // In AWS the page's address is the deployment setting the quality stack writes (function-config.ts SurveyLinkConfigSchema).
        const setting = config.TABLE_NAME ? new DeploymentSetting(doc(), config.TABLE_NAME, SURVEY_BASE_URL_SETTING) : undefined;
        const base = config.SURVEY_BASE_URL ?? (setting ? () => setting.value() : undefined);
        if (config.SURVEY_LINK_KMS_KEYS) {
          const { KmsSurveyLinks } = adapters.kmsSurveyLinkSigner();
          return new KmsSurveyLinks(kms(), config.SURVEY_LINK_KMS_KEYS, base);
        }
        const { HmacSurveyLinks, fileSurveyKeyring } = adapters.surveyLinkSigner();
        return new HmacSurveyLinks(fileSurveyKeyring(required(config.SURVEY_LINK_KEY_DIR, 'SURVEY_LINK_KMS_KEYS or SURVEY_LINK_KEY_DIR', 'the survey links')), base);
      });
    },
    newCaseId,
    random: cryptoRandom,
  };
}
