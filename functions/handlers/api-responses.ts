import * as z from 'zod';
import { RetentionPolicySchema } from '../core/retention-policy';
import { MigrationRecordSchema, MigrationSelectionSchema } from '../core/sla-migration';
import { NonComplianceRecordSchema } from '../core/non-compliance';
import { CaseSchema, CaseSummarySchema as CoreCaseSummarySchema, CaseTypeSchema, CustomerFieldsSchema, CustomerSchema, PrioritySchema } from '../core/case';
import { CaseArchiveSchema, SealedRecordSchema } from '../core/case-archive';
import { CaseEventSchema } from '../core/case-event';
import { EscalationRecordSchema } from '../core/escalation';
import { EscalationAuditReportSchema as CoreEscalationAuditReportSchema } from '../core/escalation-audit';
import { MetricsReportSchema as CoreMetricsReportSchema } from '../core/metrics';
import { PrivacyRequestSchema } from '../core/privacy-access';
import { ManifestSchema } from '../core/compliance-export';
import { PAGE_LIMIT_DEFAULT } from '../core/queues';
import { SlaPolicySchema } from '../core/sla-policy';
import { StaffMemberSchema } from '../core/staff';

/**
 * The response bodies of the HTTP API, as zod schemas: the handlers' answers are built to them and
 * the OpenAPI document (openapi.ts) shows them. Request bodies live with their use cases in the core.
 */
export const ErrorSchema = z.object({
  error: z.string(),
  /** Every field that was missing or wrong (400). */
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  /** The case's version when a change was refused (409): reload and try again. */
  currentVersion: z.number().int().optional(),
  /** The complaint-checklist items still missing (409 on resolve). */
  missing: z.array(z.string()).optional(),
});

/** The customer as the feedback team sees them without a grant (C4.2). */
export const WithheldCustomerSchema = CustomerFieldsSchema.omit({ email: true, phone: true }).extend({ contactDetails: z.literal('withheld') });

export const CaseViewSchema = CaseSchema.extend({ customer: z.union([CustomerSchema, WithheldCustomerSchema]) });

export const CaseResponseSchema = z.object({ case: CaseViewSchema });

export const CaseOpenedSchema = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  type: CaseSchema.shape.type,
  status: CaseSchema.shape.status,
  acknowledgementDueAt: z.iso.datetime(),
  initialResponseDueAt: z.iso.datetime(),
});

/** A queue item: the case summary with its nearest open deadline and automatic closure (core/case.ts). */
export const CaseSummarySchema = CoreCaseSummarySchema;

export const CasePageSchema = z.object({ items: z.array(CaseSummarySchema), nextCursor: z.string().optional() });

export const ChainVerdictSchema = z.union([
  z.object({ valid: z.literal(true), length: z.number().int() }),
  z.object({ valid: z.literal(false), brokenAtSeq: z.number().int(), reason: z.string() }),
]);

export const CaseDetailSchema = z.object({ case: CaseViewSchema, timeline: z.array(CaseEventSchema), integrity: ChainVerdictSchema });

export const EscalationsSchema = z.object({ items: z.array(EscalationRecordSchema) });

export const ChainHeadSchema = z.object({ version: z.number().int(), lastEventHash: z.string() });

export const AuditTrailSchema = z.object({ caseId: z.uuid(), head: ChainHeadSchema, events: z.array(CaseEventSchema) });

export const AuditVerificationSchema = z.object({
  caseId: z.uuid(),
  valid: z.boolean(),
  /** Events checked, and the head the case carries. */
  length: z.number().int(),
  head: ChainHeadSchema,
  /** Daily anchors (digests outside the table) the chain was checked against. */
  anchorsChecked: z.number().int(),
  /** The first broken link, when the chain does not verify. */
  brokenAtSeq: z.number().int().optional(),
  reason: z.string().optional(),
  /** Escalation records that differ from the trail's escalation events (M3.3, M9.3). */
  escalationLog: z.array(z.object({ escalationId: z.string(), problem: z.string() })).optional(),
  /** Fields of the case item that do not follow from its trail (edited behind the API). */
  caseState: z.array(z.object({ field: z.string(), problem: z.string() })).optional(),
  verifiedAt: z.iso.datetime(),
});

/** GET /v1/archive/{reference}: a closed case's archive, as read back and verified (M7.2, M7.3). */
export const CaseArchiveVerificationSchema = z.object({
  reference: z.string(),
  caseId: z.uuid(),
  /** The checksum recomputed and equal to the one recorded on the case, and the archived trail verified. */
  verified: z.boolean(),
  /** What does not hold, in words (empty when verified). */
  problems: z.array(z.string()),
  /** Where the archive is and what the case recorded of it (absent when the case item is gone). */
  recorded: CaseSchema.shape.archive,
  /** Where the archive was found: the case in the table, or the archive index once the case expired from it. */
  foundThrough: z.enum(['case', 'archive-index']),
  /** When the case expired from the table (retention ended, M7.2), from the archive index. */
  expiredAt: z.iso.datetime().optional(),
  /** The archive document as stored (caseflow.case-archive/3): its non-personal form in clear, the record sealed. */
  archive: CaseArchiveSchema.optional(),
  /** `readable`: the customer's key opened the sealed record (below); `erased`: the key is destroyed, the clear part is all that is left. */
  personalData: z.enum(['readable', 'erased']).optional(),
  /** The whole record, opened with the customer's key and verified. */
  record: SealedRecordSchema.optional(),
  verifiedAt: z.iso.datetime(),
});

export const PageQuerySchema = z
  .object({
    limit: z.coerce.number({ error: 'limit must be a number from 1 to 100' }).int().min(1).max(100).default(PAGE_LIMIT_DEFAULT),
    cursor: z.string().max(4096, 'cursor is too long').optional(),
  })
  .strict();

export const QuarantinePageSchema = z.object({
  items: z.array(z.object({ rawObjectKey: z.string(), reason: z.string(), problems: z.array(z.string()), quarantinedAt: z.iso.datetime() })),
  nextCursor: z.string().optional(),
});

export const StaffListSchema = z.object({ items: z.array(StaffMemberSchema) });

/** A short-lived download of one of a case's files: fetch `url` before `expiresAt`; it saves as `filename`. */
export const AttachmentDownloadSchema = z.object({
  url: z.url(),
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  expiresAt: z.iso.datetime(),
});

/** A short-lived download of a privacy request's export (a zip): fetch `url` before `expiresAt`. */
export const ExportDownloadSchema = z.object({ url: z.url(), filename: z.string(), expiresAt: z.iso.datetime() });

/** A privacy request's record (the accountability record: no address, a digest) and, while its export exists, a fresh link to it. */
export const PrivacyRequestResponseSchema = z.object({ request: PrivacyRequestSchema, download: ExportDownloadSchema.optional() });

/** What a legal-hold route answers: the hold and the case's ids, never its content (admins do not read cases). */
export const HeldCaseSchema = CaseSchema.pick({ caseId: true, reference: true, status: true, version: true, legalHold: true });
export const LegalHoldResponseSchema = z.object({ case: HeldCaseSchema });
export const heldCaseView = (c: z.infer<typeof CaseSchema>): z.infer<typeof HeldCaseSchema> => ({
  caseId: c.caseId,
  reference: c.reference,
  status: c.status,
  version: c.version,
  ...(c.legalHold ? { legalHold: c.legalHold } : {}),
});

/** A compliance export: where it stands, its manifest once sealed, and links to its files. */
export const ExportResponseSchema = z.object({
  export: z.union([
    z.object({ exportId: z.string(), status: z.literal('completed'), manifest: ManifestSchema.optional(), sequence: z.number().int().optional(), counts: z.record(z.string(), z.number()).optional() }),
    z.object({ exportId: z.string(), status: z.literal('running'), daysDone: z.number().int(), days: z.number().int() }),
  ]),
  downloads: z
    .object({
      manifest: z.object({ url: z.url(), expiresAt: z.iso.datetime() }),
      files: z.array(z.object({ path: z.string(), url: z.url(), expiresAt: z.iso.datetime() })),
      truncated: z.string().optional(),
    })
    .optional(),
});

export const PrivacyRequestPageSchema = z.object({ items: z.array(PrivacyRequestSchema), nextCursor: z.string().optional() });

export const SettingsSchema = z.object({
  currentPolicyVersion: z.string(),
  policies: z.array(SlaPolicySchema),
  display: z.object({ timeZone: z.string(), locale: z.string() }),
});

/** GET /v1/sla-policies: every policy version cases may carry, its business-hours calendars, and which calendar each case type and priority opens on (docs/business-hours.md). */
export const SlaPoliciesSchema = z.object({
  currentPolicyVersion: z.string(),
  policies: z.array(
    z.object({
      policy: SlaPolicySchema,
      current: z.boolean(),
      /** Published versions only (the built-in ones have neither). */
      publishedAt: z.iso.datetime().optional(),
      publishedBy: z.string().optional(),
      calendarByCase: z.array(z.object({ type: CaseTypeSchema, priority: PrioritySchema, calendar: z.string() })),
    }),
  ),
});

export const PublishedSlaPolicyResponseSchema = z.object({ policy: SlaPolicySchema, current: z.boolean() });

/** GET /v1/retention-policies: every retention version (core/retention-policy-versions.ts), the current one marked. */
export const RetentionPoliciesSchema = z.object({
  currentPolicyVersion: z.string(),
  policies: z.array(
    z.object({
      policy: RetentionPolicySchema,
      current: z.boolean(),
      /** Published versions only (the built-in ones have none of these). */
      reason: z.string().optional(),
      publishedAt: z.iso.datetime().optional(),
      publishedBy: z.string().optional(),
    }),
  ),
});
export const PublishedRetentionPolicyResponseSchema = z.object({
  policy: RetentionPolicySchema,
  reason: z.string().optional(),
  publishedAt: z.iso.datetime().optional(),
  publishedBy: z.string().optional(),
  current: z.boolean(),
});
export const SlaMigrationRecordResponseSchema = z.object({ migration: MigrationRecordSchema });
export const SlaMigrationResponseSchema = z.object({
  migration: z.union([MigrationRecordSchema, z.object({ dryRun: z.literal(true), toVersion: z.string(), selection: MigrationSelectionSchema, wouldMigrate: z.number().int().nonnegative() })]),
});

/** GET /v1/metrics: the protocol metrics of a period's cases, in total and by group (core/metrics.ts; docs/metrics.md defines each figure). */
export const MetricsReportSchema = CoreMetricsReportSchema;

/** GET /v1/reports/escalation-audit: the period's escalated cases audited against the protocol (core/escalation-audit.ts; docs/escalation-audit.md defines each rule). */
export const EscalationAuditReportSchema = CoreEscalationAuditReportSchema;

/** A 15-minute link to one file of a monthly report. */
const ReportLinkSchema = z.object({ url: z.url(), expiresAt: z.iso.datetime() });

/** The monthly report of a month: the time its figures stand at, links to its page, figures (JSON) and PDF, or why there is no PDF. */
export const MonthlyReportResponseSchema = z.object({
  report: z.object({ month: z.string(), asOf: z.iso.datetime(), pdfNotProduced: z.string().optional() }),
  links: z.object({ html: ReportLinkSchema, json: ReportLinkSchema, pdf: ReportLinkSchema.optional() }),
});

/** GET /v1/openapi.json: the OpenAPI 3.1 document (openapi.ts builds it). */
export const OpenApiDocumentSchema = z
  .object({ openapi: z.literal('3.1.0'), info: z.object({ title: z.string(), version: z.string() }).loose(), paths: z.record(z.string(), z.unknown()) })
  .loose();

/** Non-compliance records (C8.1–C8.3): one, and a month's. */
export const NonComplianceResponseSchema = z.object({ record: NonComplianceRecordSchema });
export const NonComplianceListSchema = z.object({ items: z.array(NonComplianceRecordSchema) });
