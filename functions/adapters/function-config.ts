import * as z from 'zod';
import {
  AuthConfigSchema,
  CaseArchiveConfigSchema,
  ExpiryVerifierConfigSchema,
  EmailIngestConfigSchema,
  IntakeConfigSchema,
  MailConfigSchema,
  PresentationConfigSchema,
  readConfig,
  RetentionReconcileConfigSchema,
  SlaContactsSchema,
  StaffDirectoryConfigSchema,
  TableConfigSchema,
  TrainingConfigSchema,
  QualityReviewConfigSchema,
  WorkflowConfigSchema,
  FeedbackThemesConfigSchema,
  CorrectiveActionWorkflowConfigSchema,
} from './config';

/**
 * The deployment contract: every function's configuration, by handler name. The handler reads
 * its own with `configFor(name)`; the CDK stack (infra/) and the local stack (local/stack.ts) build
 * each function's environment from the same schema (`EnvironmentOf<name>` names every variable, so a
 * misspelt or missing one does not compile, and synth checks the values). A new function starts here.
 */
export const StaffApiConfigSchema = TableConfigSchema.extend(AuthConfigSchema.shape).extend(PresentationConfigSchema.shape).extend(StaffDirectoryConfigSchema.shape);

/**
 * Where a function that signs compliance exports' manifests gets its key (ManifestSigner,
 * export-ports.ts): the export-signing KMS key's ARN in AWS (EXPORT_SIGNING_KEY_ID), or the local
 * signer's directory (EXPORT_SIGNING_KEY_DIR: the local stack's and the tests' only). One of the two
 * is set; wiring.ts names both if neither is. No function signs yet: an export function extends it.
 */
/** The exports bucket (compliance exports: docs/exports.md). */
export const ExportsConfigSchema = z.object({ EXPORTS_BUCKET: z.string().min(3) });

export const ExportSigningConfigSchema = z.object({
  EXPORT_SIGNING_KEY_ID: z.string().min(3).optional(),
  EXPORT_SIGNING_KEY_DIR: z.string().min(1).optional(),
});

/**
 * Survey links (M8.1, C7.1; adapters/survey-link-signer.ts): the public address the survey page is
 * served at (`<SURVEY_BASE_URL>/survey/<token>`) and the keys that sign the tokens. In AWS the keys
 * are KMS HMAC keys (SURVEY_LINK_KMS_KEYS, `k2=alias/caseflow-<stage>-survey-link-k2,k1=…`, the
 * signing key first: kms-survey-link-signer.ts; no secret in the environment), and the address is
 * not a variable: the quality stack writes it into the table when it deploys, after the workers
 * stack whose outbox-stream reads it (dynamo/deployment-setting.ts). Locally, SURVEY_BASE_URL and
 * the generated key file's directory (SURVEY_LINK_KEY_DIR). Never a secret in the repository.
 */
export const SurveyLinkConfigSchema = z.object({
  SURVEY_BASE_URL: z.url().optional(),
  SURVEY_LINK_KMS_KEYS: z.string().regex(/^[A-Za-z0-9_-]{1,32}=[^,=\s]+(,[A-Za-z0-9_-]{1,32}=[^,=\s]+)*$/, 'a comma list of <key id>=<KMS key>, the signing key first').optional(),
  SURVEY_LINK_KEY_DIR: z.string().min(1).optional(),
});

/**
 * The staff routes' functions that change a case (each appends events to it; `escalate-case`, with
 * its own configuration, is one too). The stack gives these read-write access to the case data.
 */
export const CASE_ACTION_FUNCTIONS = [
  'open-case-from-call',
  'acknowledge-case',
  'assign-case',
  'unassign-case',
  'claim-case',
  'reclassify-case',
  'set-case-priority',
  'reply-to-case',
  'add-case-note',
  'log-case-call',
  'set-pending-customer',
  'clear-pending-customer',
  'accept-escalation',
  'record-escalation-action',
  'resolve-escalation',
  'deescalate-case',
  'update-complaint-checklist',
  'resolve-case',
  'close-case',
  'reopen-case',
  'grant-contact-access',
  'revoke-contact-access',
  'update-customer',
  'place-legal-hold',
  'release-legal-hold',
] as const;

/** Every staff route's function: the table, staff sign-in, the staff directory, how dates are shown. */
export const STAFF_ROUTE_FUNCTIONS = [
  'list-cases',
  'search-cases',
  'get-case',
  'list-escalations',
  'get-audit-trail',
  'list-staff-cases',
  'list-quarantine',
  'list-staff',
  'get-settings',
  'get-sla-policies',
  'get-retention-policies',
  'list-privacy-requests',
  'get-metrics',
  'get-escalation-audit',
  'list-non-compliance',
  'get-non-compliance',
  'report-non-compliance',
  'record-corrective-action',
  'sign-off-non-compliance',
  'list-feedback',
  'create-action-item',
  'update-action-item',
  'list-action-items',
  'get-action-item',
  'record-follow-up',
  'list-follow-ups',
  ...CASE_ACTION_FUNCTIONS,
] as const;
export type StaffRouteFunction =
  | (typeof STAFF_ROUTE_FUNCTIONS)[number]
  | 'escalate-case'
  | 'verify-audit-trail'
  | 'get-attachment'
  | 'get-case-archive'
  | 'create-access-request'
  | 'create-erasure-request'
  | 'get-privacy-request'
  | 'create-export'
  | 'get-export'
  | 'create-monthly-report'
  | 'get-monthly-report'
  | 'record-training'
  | 'get-training'
  | 'score-quality-review'
  | 'list-quality-reviews'
  | 'get-quality-review'
  | 'list-my-quality-reviews'
  | 'get-quality-rollup'
  | 'get-feedback-trends'
  | 'publish-sla-policy'
  | 'migrate-sla-policy'
  | 'publish-retention-policy'
  | 'get-sla-migration'
  | 'list-performance-reviews'
  | 'get-performance-review';

const staffRouteConfigs = Object.fromEntries(STAFF_ROUTE_FUNCTIONS.map((n) => [n, StaffApiConfigSchema])) as Record<
  (typeof STAFF_ROUTE_FUNCTIONS)[number],
  typeof StaffApiConfigSchema
>;

export const FUNCTION_CONFIG = {
  'create-case': IntakeConfigSchema,
  // The document is built from the route table: no configuration.
  'get-openapi': TableConfigSchema.pick({ AWS_REGION: true }),
  ...staffRouteConfigs,
  // Manual escalations go to the same parties as automatic ones.
  'escalate-case': StaffApiConfigSchema.extend(SlaContactsSchema.shape),
  // Verification reads the daily anchors too.
  'verify-audit-trail': StaffApiConfigSchema.extend({ AUDIT_ANCHOR_BUCKET: z.string().min(3) }),
  // Signs short-lived downloads of a case's stored attachments (the email ingestion's bucket).
  'get-attachment': StaffApiConfigSchema.extend({ ATTACHMENTS_BUCKET: z.string().min(3) }),
  // Reads a closed case's archive back from the case-archive bucket to verify it (M7.2, M7.3).
  'get-case-archive': StaffApiConfigSchema.extend(CaseArchiveConfigSchema.shape),
  // An access request (M5.1, C6.1): reads the cases' files, raw mail and archives, writes the export beside the files.
  'create-access-request': StaffApiConfigSchema.extend({ ATTACHMENTS_BUCKET: z.string().min(3), INBOUND_BUCKET: z.string().min(3) }).extend(CaseArchiveConfigSchema.shape),
  // An erasure request (M5.1, C6.1): deletes the cases' files, raw mail and earlier exports, rewrites the records, destroys the customer's keys.
  'create-erasure-request': StaffApiConfigSchema.extend({ ATTACHMENTS_BUCKET: z.string().min(3), INBOUND_BUCKET: z.string().min(3) }).extend(CaseArchiveConfigSchema.shape),
  // An auditor's export of a period: starts its workflow, reads where it stands in the exports bucket.
  'create-export': StaffApiConfigSchema.extend(ExportsConfigSchema.shape).extend({ EXPORT_STATE_MACHINE_ARN: z.string().startsWith('arn:'), SFN_ENDPOINT: z.url().optional() }),
  // Where an export stands, with links to its manifest and files.
  'get-export': StaffApiConfigSchema.extend(ExportsConfigSchema.shape),
  // The monthly report: reads two months of cases (the status indexes) and the export manifests, writes the report into the exports bucket, signs links to it.
  'create-monthly-report': StaffApiConfigSchema.extend(ExportsConfigSchema.shape).extend(TrainingConfigSchema.shape),
  // Signs links to a month's report while it exists.
  'get-monthly-report': StaffApiConfigSchema.extend(ExportsConfigSchema.shape),
  // The monthly report on a schedule (the previous month, or the one given): as create-monthly-report, without the API.
  'monthly-report-job': TableConfigSchema.extend(ExportsConfigSchema.shape).extend(StaffDirectoryConfigSchema.shape).extend(TrainingConfigSchema.shape),
  // The export workflow's steps: reads a day of cases (the by-day index), writes the files, signs the manifest.
  'export-step': TableConfigSchema.extend(ExportsConfigSchema.shape).extend(ExportSigningConfigSchema.shape),
  // Assignments and claims check the assignee's required training (C5.3): the catalogue and the guard's mode.
  'assign-case': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  'claim-case': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  // Training records and status (C5.1-C5.3): the catalogue and the reminder window.
  'record-training': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  'get-training': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  // Feedback trends (M4.3, M8.3): the keyword -> theme table the comments are tagged by.
  'get-feedback-trends': StaffApiConfigSchema.extend(FeedbackThemesConfigSchema.shape),
  // SLA policy versions (M8.3): publishing writes the version and the current pointer.
  'publish-sla-policy': StaffApiConfigSchema,
  // Retention policy versions (M7.2, C4.3): publishing writes the version and the current pointer.
  'publish-retention-policy': StaffApiConfigSchema,
  // A migration is recorded and its workflow started (the workflow's step changes the cases); a dry run counts them.
  'migrate-sla-policy': StaffApiConfigSchema.extend({ SLA_MIGRATION_STATE_MACHINE_ARN: z.string().startsWith('arn:'), SFN_ENDPOINT: z.url().optional() }),
  // A migration's record and progress.
  'get-sla-migration': StaffApiConfigSchema,
  // The migration workflow's step: moves a page of open cases and replaces their SLA workflows (stops and starts executions).
  'sla-migration-step': TableConfigSchema.extend(WorkflowConfigSchema.shape),
  // Refresher reminders (C5.3) once a day: reads the staff directory and the training records, marks each reminder, mails the member and the supervisor on duty.
  'training-reminders': TableConfigSchema.extend(MailConfigSchema.shape).extend(StaffDirectoryConfigSchema.shape).extend(TrainingConfigSchema.shape).extend({ SUPERVISOR_EMAIL: z.email().optional() }),
  // Complaint follow-up reminders (M3.2) once a day: the pending follow-ups due (Query), the responsible member's address in the directory, the supervisor's role address; the console's address for the link to the case.
  'follow-up-reminders': TableConfigSchema.extend(MailConfigSchema.shape).extend(StaffDirectoryConfigSchema.shape).extend({ SUPERVISOR_EMAIL: z.email().optional(), CONSOLE_URL: z.url().optional() }),
  // Response-quality reviews (M6.1, C6.3): replies are sampled by the share; scores fail by the threshold.
  'reply-to-case': StaffApiConfigSchema.extend(QualityReviewConfigSchema.shape),
  'log-case-call': StaffApiConfigSchema.extend(QualityReviewConfigSchema.shape),
  'score-quality-review': StaffApiConfigSchema.extend(QualityReviewConfigSchema.shape),
  'list-quality-reviews': StaffApiConfigSchema,
  'get-quality-review': StaffApiConfigSchema,
  'list-my-quality-reviews': StaffApiConfigSchema,
  'get-quality-rollup': StaffApiConfigSchema,
  // Performance reviews (C7.3): the training catalogue and reminder window for each member's training status.
  'list-performance-reviews': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  'get-performance-review': StaffApiConfigSchema.extend(TrainingConfigSchema.shape),
  // The weekly top-up: one reply of each agent who replied last ISO week and had none sampled.
  'quality-review-top-up': TableConfigSchema,
  // Signs a fresh link to a request's export while it exists.
  'get-privacy-request': StaffApiConfigSchema.extend({ ATTACHMENTS_BUCKET: z.string().min(3) }),
  'method-not-allowed': TableConfigSchema.pick({ AWS_REGION: true }),
  // The satisfaction survey's public page and its answers (M8.1, C7.1): check the link, read and change the case, count answers per client.
  'get-survey': TableConfigSchema.extend(SurveyLinkConfigSchema.shape),
  'answer-survey': TableConfigSchema.extend(SurveyLinkConfigSchema.shape).extend({ SURVEY_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(100_000).default(30) }),
  // Signs the links of the satisfaction surveys it mails.
  'outbox-stream': TableConfigSchema.extend(MailConfigSchema.shape).extend(SurveyLinkConfigSchema.shape),
  'sla-step': TableConfigSchema.extend(SlaContactsSchema.shape),
  'sla-starter': WorkflowConfigSchema,
  // The corrective-action workflow's steps (C8.1): read and change a non-compliance record, email the supervisor or management.
  'corrective-action-step': TableConfigSchema.extend(SlaContactsSchema.shape).extend(MailConfigSchema.shape),
  // Starts the corrective-action workflow of every new non-compliance record, from the table stream.
  'non-compliance-starter': CorrectiveActionWorkflowConfigSchema,
  // The protocol's figures as CloudWatch metrics, from the stream record alone: no data access, no configuration.
  'protocol-metrics': TableConfigSchema.pick({ AWS_REGION: true }),
  'sla-reconciler': TableConfigSchema.extend(WorkflowConfigSchema.shape),
  // Reads the case heads by day, writes the daily digests (M7.3).
  'audit-anchor': TableConfigSchema.extend({ AUDIT_ANCHOR_BUCKET: z.string().min(3) }),
  'email-ingest': EmailIngestConfigSchema,
  // Stamps every item of a closed, archived case with its expiry (M7.2).
  'retention-stamper': TableConfigSchema,
  // Archives each closed case to the Object-Lock bucket and records the archive on it (M7.2).
  'case-archiver': TableConfigSchema.extend(CaseArchiveConfigSchema.shape),
  // Archives and stamps the closed cases the stream consumers missed, found by day of last change (M7.2).
  'retention-reconciler': TableConfigSchema.extend(CaseArchiveConfigSchema.shape).extend(RetentionReconcileConfigSchema.shape),
  // Checks every item TTL deletes against its case's archive; keeps what it lacks; alarms on other deletions (M7.2).
  'expiry-verifier': TableConfigSchema.extend(ExpiryVerifierConfigSchema.shape),
  // Processes the expiry verifier's dead letters again (run by hand: docs/retention.md).
  'expiry-redrive': TableConfigSchema.extend(ExpiryVerifierConfigSchema.shape),
} as const satisfies Record<string, z.ZodObject>;

export type FunctionName = keyof typeof FUNCTION_CONFIG;
export type FunctionConfig<N extends FunctionName> = z.infer<(typeof FUNCTION_CONFIG)[N]>;

/**
 * The variables a function is deployed with: every name its schema knows, as the strings an
 * environment holds (CDK tokens included). The local stand-ins' endpoints and credentials are the
 * local stack's business, never infra's, so they are left out.
 */
type LocalOnly = 'AWS_REGION' | 'DYNAMODB_ENDPOINT' | 'SES_ENDPOINT' | 'S3_ENDPOINT' | 'SFN_ENDPOINT' | 'AWS_ACCESS_KEY_ID' | 'AWS_SECRET_ACCESS_KEY';
type Shape<N extends FunctionName> = (typeof FUNCTION_CONFIG)[N]['shape'];
type Required<N extends FunctionName> = { [K in keyof Shape<N>]: undefined extends z.input<Shape<N>[K]> ? never : K }[keyof Shape<N>];
export type EnvironmentOf<N extends FunctionName> = { [K in Exclude<Required<N>, LocalOnly>]: string } & {
  [K in Exclude<keyof Shape<N>, Required<N> | LocalOnly>]?: string;
};

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;

/**
 * The environment of every function at once: what the local stack sets for its one process, where
 * all the handlers run together (a variable missing for any function does not compile).
 */
export type EveryEnvironment = UnionToIntersection<{ [N in FunctionName]: EnvironmentOf<N> }[FunctionName]>;

/** A function's deployed environment, typed by its schema. */
export function environmentFor<N extends FunctionName>(_name: N, values: EnvironmentOf<N>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string'));
}

/** The variable names of a function's configuration (for checks and docs). */
export const variablesOf = (name: FunctionName): string[] => Object.keys(FUNCTION_CONFIG[name].shape);

/** Reads the function's configuration from the environment once, failing fast with every problem named. */
export function configFor<N extends FunctionName>(name: N, env: NodeJS.ProcessEnv = process.env): FunctionConfig<N> {
  return readConfig(FUNCTION_CONFIG[name], env) as FunctionConfig<N>;
}
