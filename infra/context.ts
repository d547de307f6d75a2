import type { Node } from 'constructs';
import { z } from 'zod';
import { isKnownLocale, isKnownTimeZone } from '../functions/core/text/human-date';

/**
 * The deployment settings, read from CDK context (cdk.json or `-c key=value`) and validated once,
 * so that a typo fails `cdk synth` with the key named instead of deploying a broken stack.
 * docs/deploy.md describes each key.
 */
export const CONTEXT_KEYS = {
  stage: 'caseflow:stage',
  senderEmail: 'caseflow:senderEmail',
  supportAddresses: 'caseflow:supportAddresses',
  complaintsAddresses: 'caseflow:complaintsAddresses',
  webOrigin: 'caseflow:webOrigin',
  teamInboxEmail: 'caseflow:teamInboxEmail',
  supervisorEmail: 'caseflow:supervisorEmail',
  managerEmail: 'caseflow:managerEmail',
  autoAcknowledgement: 'caseflow:autoAcknowledgement',
  displayTimeZone: 'caseflow:displayTimeZone',
  displayLocale: 'caseflow:displayLocale',
  authDomainPrefix: 'caseflow:authDomainPrefix',
  consoleDomainName: 'caseflow:consoleDomainName',
  consoleCertificateArn: 'caseflow:consoleCertificateArn',
  consoleWebAclArn: 'caseflow:consoleWebAclArn',
  exportsTimeZone: 'caseflow:exportsTimeZone',
  exportsDaily: 'caseflow:exportsDaily',
  exportsWeekly: 'caseflow:exportsWeekly',
  exportsMonthly: 'caseflow:exportsMonthly',
  slaBreachRateThreshold: 'caseflow:slaBreachRateThreshold',
  surveyLinkKeys: 'caseflow:surveyLinkKeys',
} as const;

/** caseflow:slaBreachRateThreshold's default: the breach-rate alarm fires above one SLA breach in ten cases opened. */
export const DEFAULT_SLA_BREACH_RATE_THRESHOLD = 0.1;

/** `-c key='["a@x","b@x"]'` arrives as a string; cdk.json gives an array. Accept both, and a comma list. */
const addressList = (schema: z.ZodType<string[]>) => z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return value;
    }
  }
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}, schema);
const emails = z.array(z.email('must be an email address'));

/** `-c key=0.05` arrives as the string "0.05"; cdk.json gives a number. Accept both. */
const numeric = (schema: z.ZodNumber) => z.preprocess((value) => (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)) ? Number(value) : value), schema);

/** `-c key=false` arrives as the string "false"; cdk.json gives a boolean. Accept both. */
const flag = z.preprocess(
  (value) => (value === 'true' ? true : value === 'false' ? false : value),
  z.boolean({ error: 'must be true or false' }),
);

export const CaseflowContextSchema = z.object({
  stage: z
    .string({ error: 'is required' })
    .regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be 1-16 lower-case letters, digits or hyphens, starting with a letter (e.g. dev, prod)'),
  senderEmail: z.email({ error: 'must be an email address (the SES identity caseflow sends from)' }),
  supportAddresses: addressList(emails.min(1, 'name at least one support address')),
  /** Mail to these addresses opens complaints, not inquiries (C4.1); received by the same SES rule. */
  complaintsAddresses: addressList(emails).default([]),
  webOrigin: z
    .url({ error: 'must be an origin such as https://support.example.com' })
    .refine((u) => new URL(u).origin === u, 'must be an origin only: scheme and host, no path and no trailing slash')
    .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?$/.test(u), 'must use https (http only for localhost)'),
  // Who the SLA workflow notifies (M3.2 / C3.3, M3.3): SLA warnings for unassigned cases, breaches
  // and level-1 escalations, level-2 escalations.
  teamInboxEmail: z.email({ error: 'must be an email address (the team inbox that gets SLA warnings for unassigned cases)' }),
  supervisorEmail: z.email({ error: 'must be an email address (the supervisor notified of breaches and escalations)' }),
  managerEmail: z.email({ error: 'must be an email address (the manager notified of second-level escalations)' }),
  /** false: no automatic acknowledgement; agents acknowledge within the 15-minute window themselves (M3.1). */
  autoAcknowledgement: flag.default(true),
  /** The time zone and locale of dates in mail and pages (the company's; default UTC, en-GB). */
  displayTimeZone: z.string().default('UTC').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  displayLocale: z.string().default('en-GB').refine(isKnownLocale, 'must be a locale such as en-GB'),
  /** The staff sign-in pages' domain prefix (default caseflow-<stage>-<account id>, unique in the region). */
  authDomainPrefix: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1-63 lower-case letters, digits or hyphens, not starting or ending with a hyphen')
    .refine((p) => !/aws|amazon|cognito/.test(p), 'must not contain aws, amazon or cognito (Cognito refuses them)')
    .optional(),
  /** The staff console's own host name, with a certificate for it in us-east-1 (CloudFront's region); both or neither. */
  consoleDomainName: z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'must be a host name such as console.example.com')
    .optional(),
  consoleCertificateArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]+$/, 'must be the ARN of an ACM certificate in us-east-1 (CloudFront takes certificates from there only)')
    .optional(),
  /** A CLOUDFRONT-scope AWS WAF web ACL (made in us-east-1) for the staff console's distribution. */
  consoleWebAclArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/[^/]+\/[0-9a-f-]+$/, 'must be the ARN of a CLOUDFRONT-scope web ACL (arn:aws:wafv2:us-east-1:<account>:global/webacl/<name>/<id>)')
    .optional(),
  /**
   * The compliance exports' schedules (docs/deploy.md): the calendar their days, weeks and months
   * are counted in (default UTC), and which of them run — yesterday each night (on by default), the
   * seven days before each Monday, the month before on each 1st (off by default).
   */
  exportsTimeZone: z.string().default('UTC').refine(isKnownTimeZone, 'must be an IANA time zone such as Europe/London'),
  exportsDaily: flag.default(true),
  exportsWeekly: flag.default(false),
  exportsMonthly: flag.default(false),
  /**
   * The breach-rate alarm's threshold (docs/deploy.md): SLA breaches recorded over cases opened in
   * the last 24 hours, as a fraction (0.1: more than one breach in ten cases).
   */
  slaBreachRateThreshold: numeric(
    z.number({ error: 'must be a fraction such as 0.1 (one breach in ten cases opened)' }).gt(0, 'must be above 0').max(1, 'must be a fraction, 1 or less (0.1 is 10%)'),
  ).default(DEFAULT_SLA_BREACH_RATE_THRESHOLD),
  /**
   * The survey links' KMS HMAC keys by id, newest first (docs/surveys.md): the first signs, every
   * one verifies. Rotate by putting a new id first; drop the old one once its links expired (28 days).
   */
  surveyLinkKeys: addressList(
    z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,15}$/, 'must be key ids of 1-16 lower-case letters, digits or hyphens (e.g. k1)'))
      .min(1, 'name at least one survey link key (the first signs)')
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a key twice'),
  ).default(['k1']),
}).superRefine((ctx, issues) => {
  if ((ctx.consoleDomainName === undefined) !== (ctx.consoleCertificateArn === undefined)) {
    const [missing, given] = ctx.consoleDomainName === undefined ? (['consoleDomainName', 'consoleCertificateArn'] as const) : (['consoleCertificateArn', 'consoleDomainName'] as const);
    issues.addIssue({ code: 'custom', path: [missing], message: `is required with ${CONTEXT_KEYS[given]} (give both or neither)` });
  }
});

export type CaseflowContext = z.infer<typeof CaseflowContextSchema>;

/** Reads and validates the caseflow context keys; throws one error naming every bad key. */
export function readCaseflowContext(node: Node): CaseflowContext {
  const raw = Object.fromEntries(Object.entries(CONTEXT_KEYS).map(([field, key]) => [field, node.tryGetContext(key) as unknown]));
  const result = CaseflowContextSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => {
      const field = issue.path[0] as keyof typeof CONTEXT_KEYS | undefined;
      const key = field ? CONTEXT_KEYS[field] : '(context)';
      return `  ${key}${issue.path.length > 1 ? `[${issue.path.slice(1).join('.')}]` : ''}: ${issue.message}`;
    });
    throw new Error(
      `caseflow: invalid CDK context.\n${problems.join('\n')}\nSet the keys in cdk.json or pass them with -c, e.g. -c ${CONTEXT_KEYS.senderEmail}=support@example.com (see docs/deploy.md).`,
    );
  }
  return result.data;
}
