import { ExportIdSchema } from '../core/compliance-export';
import { MonthSchema } from '../core/monthly-report';
import { ActionItemIdPathSchema } from '../core/action-items';
import * as z from 'zod';
import { ReviewIdSchema } from '../core/quality-review';

export const CaseIdPathSchema = z.object({ caseId: z.uuid('caseId must be a case id (UUID)') });

/** A staff member by their subject (the identity provider's `sub`). */
export const StaffIdPathSchema = z.object({ staffId: z.string().min(1, 'staffId is required').max(128, 'staffId is too long') });

/** A file of a case by its SHA-256, as its timeline lists it (64 hex digits). */
export const AttachmentPathSchema = CaseIdPathSchema.extend({
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, 'sha256 must be the file’s SHA-256 (64 hex digits)').transform((s) => s.toLowerCase()),
});

/** A case by its reference, as customers and staff quote it (CS-7K3M9Q). */
export const ReferencePathSchema = z.object({ reference: z.string().regex(/^CS-[0-9A-Z]{6}$/, 'reference must look like CS-7K3M9Q') });

/** A privacy request by its id (a UUID). */
export const RequestIdPathSchema = z.object({ requestId: z.uuid('requestId must be a privacy request id (UUID)') });

/** A non-compliance record by its id (nc-<case id>-<milestone> for a breach, nc-<uuid> for a report). */
export const RecordIdPathSchema = z.object({ recordId: z.string().regex(/^nc-[A-Za-z0-9_-]{1,73}$/, 'recordId must be a non-compliance record id (nc-…)') });
/** Every path parameter of the route table, as zod parses it (the OpenAPI document shows these). */
/** A compliance export by its id: its period. */
export const ExportIdPathSchema = z.object({ exportId: ExportIdSchema });
/** A calendar month (the monthly report's): YYYY-MM. */
export const MonthPathSchema = z.object({ month: MonthSchema });
/** A satisfaction survey's signed token (adapters/survey-link-signer.ts checks it). */
export const SurveyTokenPathSchema = z.object({ token: z.string().min(1).max(300) });
/** A response-quality review by its id (qr-<ISO week>-<case id>-<reply's seq>). */
export const ReviewIdPathSchema = z.object({ reviewId: ReviewIdSchema });
/** An SLA policy version by its id (core/sla-policy-versions.ts): letters, digits, `.`, `_`, `-`. */
export const SlaPolicyVersionPathSchema = z.object({ version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'version must be a policy version id (letters, digits, . _ -)') });
/** A migration of open cases to a version (core/sla-migration.ts migrationIdOf): the version id, `.`, 16 hex digits. */
export const SlaMigrationPathSchema = SlaPolicyVersionPathSchema.extend({
  migrationId: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}\.[0-9a-f]{16}$/, 'migrationId must be a migration id (<version>.<16 hex digits>)'),
});
export const PATH_PARAMETER_SCHEMAS = {
  caseId: CaseIdPathSchema,
  staffId: StaffIdPathSchema,
  sha256: AttachmentPathSchema.pick({ sha256: true }),
  reference: ReferencePathSchema,
  requestId: RequestIdPathSchema,
  exportId: ExportIdPathSchema,
  month: MonthPathSchema,
  recordId: RecordIdPathSchema,
  token: SurveyTokenPathSchema,
  reviewId: ReviewIdPathSchema,
  itemId: ActionItemIdPathSchema,
  version: SlaPolicyVersionPathSchema,
  migrationId: SlaMigrationPathSchema.pick({ migrationId: true }),
} as const;
