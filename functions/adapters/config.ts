import * as z from 'zod';
import { isKnownLocale, isKnownTimeZone } from '../core/text/human-date';
import { TrainingCatalogueSchema, TrainingGuardModeSchema, trainingSettings } from '../core/training';
import { qualityReviewPolicy } from '../core/quality-review';
import { ThemeTableSchema } from '../core/feedback-trends';

/**
 * Reads configuration from the environment once, at module load, and fails fast with every
 * missing or malformed variable named: a misconfigured function must not start.
 */
export function readConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`).join('; ');
    throw new Error(`caseflow configuration error: ${problems}`);
  }
  return result.data;
}

const optionalUrl = z.url().optional();

/**
 * Where the AWS services are: unset in AWS, set to the local stand-ins by `npm start` and the
 * tests. The stand-ins take the install's own credentials (local/stand-in-credentials.ts) from the
 * standard variables; in AWS the SDK uses the function role's and these are not read.
 */
export const AwsEndpointsSchema = z.object({
  AWS_REGION: z.string().default('us-east-1'),
  DYNAMODB_ENDPOINT: optionalUrl,
  SES_ENDPOINT: optionalUrl,
  S3_ENDPOINT: optionalUrl,
  AWS_ACCESS_KEY_ID: z.string().optional(),
  AWS_SECRET_ACCESS_KEY: z.string().optional(),
});

export const TableConfigSchema = AwsEndpointsSchema.extend({
  TABLE_NAME: z.string().min(3),
});

/**
 * How mail and pages show dates to customers and staff: an IANA time zone (the company's, default
 * UTC) and a BCP 47 locale (default en-GB). A zone Intl does not know fails at start, not per mail.
 */
export const PresentationConfigSchema = z.object({
  DISPLAY_TIME_ZONE: z.string().default('UTC').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  DISPLAY_LOCALE: z.string().default('en-GB').refine(isKnownLocale, 'must be a locale such as en-GB'),
});

/** The presentation as the core takes it. */
export const presentationOf = (c: z.infer<typeof PresentationConfigSchema>) => ({ timeZone: c.DISPLAY_TIME_ZONE, locale: c.DISPLAY_LOCALE });

/** Acknowledgements to one address per hour, over every channel (the relay limit; default 3). */
const ackRateLimit = z.coerce.number().int().min(0).max(1000).default(3);

/**
 * The web intake. AUTO_ACKNOWLEDGEMENT `false` turns the automatic acknowledgement off: agents then
 * acknowledge within the window themselves. SUBMISSION_RATE_LIMIT_PER_HOUR counts anonymous
 * submissions per client network (0: no limit).
 */
export const IntakeConfigSchema = TableConfigSchema.extend(PresentationConfigSchema.shape).extend({
  AUTO_ACKNOWLEDGEMENT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  ACK_RATE_LIMIT_PER_HOUR: ackRateLimit,
  SUBMISSION_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(0).max(100_000).default(20),
});

export const MailConfigSchema = AwsEndpointsSchema.extend({
  SENDER_EMAIL: z.email(),
  SES_CONFIGURATION_SET: z.string().optional(),
  /** The support address customers answer to (a receiving address): mail to customers says Reply-To its plus-address with the case reference. */
  REPLY_TO_EMAIL: z.email().optional(),
}).extend(PresentationConfigSchema.shape);

export const AuthConfigSchema = z.object({
  JWT_ISSUER: z.url(),
  JWT_JWKS_URL: z.url(),
  /** Cognito app client id: access tokens must name it in `client_id` (ID tokens are refused). */
  JWT_AUDIENCE: z.string().min(1),
});

/**
 * Where the staff directory is (who may be assigned cases, their names and addresses): the Cognito
 * user pool in AWS, the local issuer's roster file on a laptop. One of the two is set.
 */
export const StaffDirectoryConfigSchema = z.object({
  STAFF_USER_POOL_ID: z.string().regex(/^[\w-]+_[0-9a-zA-Z]+$/, 'must be a Cognito user pool id such as eu-west-1_AbC123').optional(),
  STAFF_DIRECTORY_FILE: z.string().min(1).optional(),
});

/** Who the SLA workflow notifies: the team inbox (warnings when unassigned), the supervisor on duty, the manager. */
export const SlaContactsSchema = z.object({
  TEAM_INBOX_EMAIL: z.email(),
  SUPERVISOR_EMAIL: z.email(),
  MANAGER_EMAIL: z.email(),
});

export const WorkflowConfigSchema = AwsEndpointsSchema.extend({
  SLA_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  SFN_ENDPOINT: z.url().optional(),
});

/** The corrective-action workflow of non-compliance records (C8.1): what starts it. */
export const CorrectiveActionWorkflowConfigSchema = AwsEndpointsSchema.extend({
  CORRECTIVE_ACTION_STATE_MACHINE_ARN: z.string().startsWith('arn:'),
  SFN_ENDPOINT: z.url().optional(),
});

const addressList = z
  .string()
  .default('')
  .transform((s) => s.split(',').map((a) => a.trim().toLowerCase()).filter(Boolean))
  .pipe(z.array(z.email()));

/**
 * The email ingestion (docs/email.md). ATTACHMENTS_BUCKET is, for now, the archive bucket
 * (attachments live under `cases/<caseId>/attachments/`, archived with their case).
 */
export const EmailIngestConfigSchema = TableConfigSchema.extend({
  INBOUND_BUCKET: z.string().min(3),
  ATTACHMENTS_BUCKET: z.string().min(3),
  SUPPORT_ADDRESSES: addressList.pipe(z.array(z.email()).min(1)),
  COMPLAINTS_ADDRESSES: addressList,
  /** Optional keyword rules, as JSON (InboundRulesSchema's `complaintRules`, `textScanLimit`). */
  INBOUND_RULES: z.string().optional(),
  /** caseflow's sender address: its mail coming back is never a case. */
  SENDER_EMAIL: z.email().optional(),
  REOPEN_WINDOW_DAYS: z.coerce.number().int().min(0).max(365).default(14),
  ACK_RATE_LIMIT_PER_HOUR: ackRateLimit,
  AUTO_ACKNOWLEDGEMENT: z.enum(['true', 'false']).default('true').transform((v) => v === 'true'),
  /** A message whose ingestion failed this many times is quarantined with its error instead of being retried forever. */
  INGEST_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
});

/**
 * The closed cases' archives (case-archive.ts): the Object-Lock bucket they are written to
 * (`CaseArchiveBucket` in AWS, `caseflow-local-records` locally).
 */
export const CaseArchiveConfigSchema = z.object({
  CASE_ARCHIVE_BUCKET: z.string().min(3),
  /** Subjects' data keys (subject-keys.ts): the key table and the KMS key wrapping them in AWS… */
  SUBJECT_KEY_TABLE: z.string().min(3).optional(),
  SUBJECT_KEY_ID: z.string().min(3).optional(),
  /** …or the local key service's directory. */
  SUBJECT_KEY_DIR: z.string().min(1).optional(),
});

/**
 * The expiry verifier (item-expiry.ts): the archive bucket it checks and writes receipts to, and
 * where records it cannot process wait for a redrive: an SQS queue in AWS (EXPIRY_DLQ_URL), a
 * directory locally (EXPIRY_DEAD_LETTER_DIR).
 */
export const ExpiryVerifierConfigSchema = CaseArchiveConfigSchema.extend({
  EXPIRY_DLQ_URL: z.url().optional(),
  EXPIRY_DEAD_LETTER_DIR: z.string().min(1).optional(),
});

/**
 * The retention reconciler (reconcile-retention.ts): how many UTC days back, today included, it
 * looks for closed cases to archive and stamp. Two at least, so that a case still settling at one
 * daily run is found by the next.
 */
export const RetentionReconcileConfigSchema = z.object({
  RETENTION_RECONCILE_DAYS: z.coerce.number().int().min(2).max(366).optional(),
});

/** An optional setting holding JSON (empty: unset), parsed; text that is not JSON is refused, saying what it must be. */
const jsonSetting = (must: string) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be ${must}` });
        return z.NEVER;
      }
    });

/**
 * Staff training (core/training.ts, docs/training.md): the catalogue as JSON (default: the
 * protocol's four courses, C5.1, C5.2), the days before a refresher's due date that it counts as
 * due soon and its reminder goes out (default 30), and what the assignment guard does when the
 * assignee's required training lapsed (default `refuse`: 409; `warn`: on the timeline; `off`).
 */
export const TrainingConfigSchema = z.object({
  TRAINING_CATALOGUE: jsonSetting('a JSON array of courses')
    .pipe(TrainingCatalogueSchema.optional()),
  TRAINING_REMINDER_DAYS: z.coerce.number().int().min(0).max(180).default(30),
  TRAINING_GUARD: TrainingGuardModeSchema.default('refuse'),
});

/**
 * Feedback analysis (core/feedback-trends.ts, docs/feedback-analysis.md): the keyword -> theme table
 * the comments are tagged by, as JSON (`[{"theme":"billing","keywords":["refund","charge"]}]`);
 * default: DEFAULT_THEMES.
 */
export const FeedbackThemesConfigSchema = z.object({
  FEEDBACK_THEMES: jsonSetting('a JSON array of themes and their keywords')
    .pipe(ThemeTableSchema.optional()),
});

/** The training settings as the core takes them. */
export const trainingSettingsOf = (c: z.infer<typeof TrainingConfigSchema>) => trainingSettings({ catalogue: c.TRAINING_CATALOGUE, reminderDays: c.TRAINING_REMINDER_DAYS, guard: c.TRAINING_GUARD });

/**
 * Response-quality reviews (core/quality-review.ts, docs/quality-reviews.md): the share of replies
 * sampled (0–1, default 0.05), the overall score below which a review fails (default 2.5), and
 * whether any criterion at 1 fails it (default true).
 */
export const QualityReviewConfigSchema = z.object({
  QUALITY_REVIEW_SHARE: z.coerce.number().min(0).max(1).optional(),
  QUALITY_REVIEW_FAIL_BELOW: z.coerce.number().min(1).max(4).optional(),
  QUALITY_REVIEW_FAIL_ON_ANY_ONE: z.enum(['true', 'false']).optional(),
});

/** The quality-review policy as the core takes it. */
export const qualityReviewPolicyOf = (c: z.infer<typeof QualityReviewConfigSchema>) =>
  qualityReviewPolicy({
    share: c.QUALITY_REVIEW_SHARE,
    failBelow: c.QUALITY_REVIEW_FAIL_BELOW,
    ...(c.QUALITY_REVIEW_FAIL_ON_ANY_ONE ? { failOnAnyOne: c.QUALITY_REVIEW_FAIL_ON_ANY_ONE === 'true' } : {}),
  });
