import * as z from 'zod';
import { AcknowledgeInputSchema } from '../core/actions/acknowledge';
import { AddNoteInputSchema } from '../core/actions/add-note';
import { AssignInputSchema, ClaimInputSchema, UnassignInputSchema } from '../core/actions/assignment';
import { CloseInputSchema } from '../core/actions/close';
import {
  AcceptEscalationInputSchema,
  DeescalateInputSchema,
  EscalateInputSchema,
  EscalationActionInputSchema,
  ResolveEscalationInputSchema,
} from '../core/actions/escalation-handling';
import { GrantContactAccessInputSchema } from '../core/actions/grant-contact-access';
import { RevokeContactAccessInputSchema } from '../core/actions/revoke-contact-access';
import { UpdateCustomerInputSchema } from '../core/actions/update-customer';
import { LogCallInputSchema } from '../core/actions/log-call';
import { OpenCaseFromCallInputSchema } from '../core/actions/open-case-from-call';
import { PendingCustomerInputSchema } from '../core/actions/pending-customer';
import { ReclassifyInputSchema } from '../core/actions/reclassify';
import { ReopenInputSchema } from '../core/actions/reopen';
import { ReplyInputSchema } from '../core/actions/reply';
import { ResolveInputSchema } from '../core/actions/resolve';
import { SetPriorityInputSchema } from '../core/actions/set-priority';
import { UpdateChecklistInputSchema } from '../core/actions/update-checklist';
import { RecordFollowUpInputSchema } from '../core/actions/record-follow-up';
import { FollowUpListSchema, ListFollowUpsQuerySchema } from '../core/follow-up';
import { AccessRequestInputSchema } from '../core/privacy-access';
import { ErasureRequestInputSchema } from '../core/privacy-erasure';
import { CreateExportInputSchema } from '../core/export-requests';
import { LegalHoldInputSchema, ReleaseLegalHoldInputSchema } from '../core/actions/legal-hold';
import { EscalationAuditQuerySchema } from '../core/escalation-audit';
import { MetricsQuerySchema } from '../core/metrics';
import { ListNonComplianceQuerySchema, RecordCorrectiveActionInputSchema, ReportNonComplianceInputSchema, SignOffInputSchema } from '../core/non-compliance';
import { MonthlyReportRequestSchema } from '../core/monthly-report';
import { ListCasesQuerySchema, SearchCasesInputSchema } from '../core/queues';
import type { StaffRole } from '../core/roles';
import { ListStaffQuerySchema } from '../core/staff';
import { CaseSubmissionSchema } from '../core/submission';
import { RecordTrainingInputSchema } from '../core/training';
import { TrainingRecordResponseSchema, TrainingStatusQuerySchema, TrainingStatusResponseSchema } from '../core/training-requests';
import { FeedbackPageSchema, FeedbackQuerySchema } from '../core/feedback-log';
import { FeedbackTrendsQuerySchema, FeedbackTrendsReportSchema } from '../core/feedback-trends';
import { ActionItemListSchema, ActionItemViewSchema, CreateActionItemSchema, ListActionItemsQuerySchema, UpdateActionItemSchema } from '../core/action-items';
import { SlaPolicySchema } from '../core/sla-policy';
import { MigrationInputSchema } from '../core/sla-migration';
import { PublishRetentionPolicySchema } from '../core/retention-policy-versions';
import { SurveyAnswerSchema } from '../core/survey-answer';
import { ListReviewsQuerySchema, MyReviewsQuerySchema, QualityReviewSchema, RollupQuerySchema, RollupRowSchema, ScoreReviewInputSchema } from '../core/quality-review';
import { NonComplianceRecordSchema } from '../core/non-compliance';
import { PerformanceReviewQuerySchema, PerformanceReviewSchema, PerformanceSummarySchema } from '../core/performance-review';
import * as responses from './api-responses';

/**
 * The HTTP API's routes, in one place: the CDK stack creates them (one function per handler, the
 * JWT authorizer on staff routes), the local gateway serves them, the handlers take their roles
 * from here, the OpenAPI document is generated from here, and docs/roles.md is the route x role
 * table of it. `handler` names a file in functions/handlers/.
 *
 * Roles (core/roles.ts): every staff route names the roles that may call it, and only here. A
 * role's rights on a case's state (an agent acting on a supervisor's escalation, say) are checked
 * by the core, as 403s too.
 */
interface RouteBase {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'ANY';
  path: string;
  handler: string;
  /** One line for the OpenAPI document and docs/roles.md. */
  summary: string;
  /** The JSON body, the query string: their zod schemas validate the request and make the OpenAPI document. */
  body?: z.ZodType;
  query?: z.ZodType;
  /** The success status and its body's schema. */
  success?: { status: number; schema: z.ZodType; description: string };
  /** Request headers the route reads: `If-Match` (the case version: a 409 if it moved on), `Idempotency-Key`. */
  headers?: readonly ('If-Match' | 'Idempotency-Key')[];
  /** The largest body the route takes (default 64 KB; a call's transcript needs more). */
  maxBodyBytes?: number;
}
export type PublicRoute = RouteBase & { auth: 'public' };
export type StaffRoute = RouteBase & { auth: 'staff'; roles: readonly StaffRole[] };
export type RouteDef = PublicRoute | StaffRoute;

/** Who may read cases: everyone who works with them (M4.1–4.3) and the auditors (M6.3, C6.3). Admins do not. */
const CASE_READERS: readonly StaffRole[] = ['agents', 'supervisors', 'feedback', 'auditors'];
/** Who works cases: representatives and supervisors (managers are supervisors). */
const CASE_WORKERS: readonly StaffRole[] = ['agents', 'supervisors'];
const SUPERVISORS: readonly StaffRole[] = ['supervisors'];
/** Who verifies the audit trail (M7.3): auditors, and the supervisors who answer for adherence (M4.2). */
const AUDIT: readonly StaffRole[] = ['supervisors', 'auditors'];
/** Who reads the protocol metrics: the supervisors (adherence, M4.2; evaluations, C7.3), the feedback team (M4.3) and the auditors (M6.3, C6.3). */
const METRICS_READERS: readonly StaffRole[] = ['supervisors', 'feedback', 'auditors'];
/** Who handles customers' privacy requests (M5.1, C6.1): the admins, and nobody who works or audits cases. */
const PRIVACY: readonly StaffRole[] = ['admins'];
/** Who oversees staff training (C5.1-C5.3): the supervisors, and the admins who keep the staff records. */
const TRAINING_OVERSIGHT: readonly StaffRole[] = ['supervisors', 'admins'];

/** Who reads non-compliance records and reports one (C8.1): the supervisors who answer for adherence, the feedback team (M8.2) and the auditors. */
const NON_COMPLIANCE_READERS: readonly StaffRole[] = ['supervisors', 'feedback', 'auditors'];

/** Who reads the feedback log (C4.2: confidential): the feedback team (M4.3) and the supervisors (managers are supervisors). */
const FEEDBACK_READERS: readonly StaffRole[] = ['feedback', 'supervisors'];
/** Who reads the response-quality roll-up (M6.1, C6.3): the supervisors, the feedback team (M4.3) and the auditors. */
const QUALITY_READERS: readonly StaffRole[] = ['supervisors', 'feedback', 'auditors'];
/** Who changes an action item (M8.2, C7.2): those who create them (the feedback team, supervisors), and its owner, who works cases or analyses feedback (the core checks who owns it). */
const ACTION_ITEM_CHANGERS: readonly StaffRole[] = ['agents', 'supervisors', 'feedback'];
/** Who reads action items: their owners, the feedback team, supervisors, and the auditors (M6.3: evidence that feedback is acted on). */
const ACTION_ITEM_READERS: readonly StaffRole[] = ['agents', 'supervisors', 'feedback', 'auditors'];

/** A call's transcript (up to 60,000 characters, up to 4 bytes each in UTF-8) with the rest of its body. */
const CALL_BODY_BYTES = 256 * 1024;

const caseAction = (summary: string, path: string, handler: string, body: z.ZodType, roles: readonly StaffRole[] = CASE_WORKERS, method: 'POST' | 'PUT' | 'DELETE' | 'PATCH' = 'POST'): StaffRoute => ({
  method,
  path: `/v1/cases/{caseId}${path}`,
  handler,
  auth: 'staff',
  roles,
  summary,
  body,
  headers: ['If-Match'],
  success: { status: 200, schema: responses.CaseResponseSchema, description: 'The case as it now stands; ETag is its version' },
});

export const API_ROUTES: readonly RouteDef[] = [
  {
    method: 'POST',
    path: '/v1/cases',
    handler: 'create-case',
    auth: 'public',
    summary: 'A customer opens a case (the web form, or any JSON client)',
    body: CaseSubmissionSchema,
    headers: ['Idempotency-Key'],
    success: { status: 201, schema: responses.CaseOpenedSchema, description: 'The case opened (or, for a replayed Idempotency-Key, the one opened before)' },
  },
  {
    method: 'GET',
    path: '/v1/openapi.json',
    handler: 'get-openapi',
    auth: 'public',
    summary: 'This document: the API, generated from its zod schemas, with each route’s roles',
    success: { status: 200, schema: responses.OpenApiDocumentSchema, description: 'The OpenAPI 3.1 document' },
  },
  {
    method: 'GET',
    path: '/v1/cases',
    handler: 'list-cases',
    auth: 'staff',
    roles: CASE_READERS,
    summary: 'A queue of cases (all by status/type/priority, mine, unassigned, breaching, escalated), or the case with a reference',
    query: ListCasesQuerySchema,
    success: { status: 200, schema: responses.CasePageSchema, description: 'One page, in the queue’s order' },
  },
  {
    method: 'POST',
    path: '/v1/cases/search',
    handler: 'search-cases',
    auth: 'staff',
    roles: ['agents', 'supervisors', 'auditors'],
    summary: 'A customer’s cases by email address or phone number (in the body: personal data never goes in a URL)',
    body: SearchCasesInputSchema,
    success: { status: 200, schema: responses.CasePageSchema, description: 'One page, newest first' },
  },
  {
    method: 'GET',
    path: '/v1/cases/{caseId}',
    handler: 'get-case',
    auth: 'staff',
    roles: CASE_READERS,
    summary: 'A case with its timeline; the feedback team sees no contact details without a grant',
    success: { status: 200, schema: responses.CaseDetailSchema, description: 'The case, its timeline and its audit-chain verdict; ETag is its version' },
  },
  {
    method: 'GET',
    path: '/v1/cases/{caseId}/escalations',
    handler: 'list-escalations',
    auth: 'staff',
    roles: CASE_READERS,
    summary: 'The case’s escalation log (M3.3, M9.3): date, responsible party, actions taken, outcome',
    success: { status: 200, schema: responses.EscalationsSchema, description: 'Every escalation of the case, first first' },
  },
  {
    method: 'GET',
    path: '/v1/cases/{caseId}/attachments/{sha256}',
    handler: 'get-attachment',
    auth: 'staff',
    roles: CASE_READERS,
    summary: 'A link to download one of the case’s files (C4.1) for five minutes; the feedback team only with a contact-detail grant',
    success: { status: 200, schema: responses.AttachmentDownloadSchema, description: 'A presigned download URL (Content-Disposition: attachment) and the file’s name, type and size' },
  },
  {
    method: 'GET',
    path: '/v1/cases/{caseId}/audit',
    handler: 'get-audit-trail',
    auth: 'staff',
    roles: AUDIT,
    summary: 'The case’s audit trail (M7.3): every event with who, role, when, what changed, and its hash chain',
    success: { status: 200, schema: responses.AuditTrailSchema, description: 'The chain and the head the case carries' },
  },
  {
    method: 'POST',
    path: '/v1/cases/{caseId}/audit/verify',
    handler: 'verify-audit-trail',
    auth: 'staff',
    roles: AUDIT,
    summary: 'Recomputes the case’s audit chain against its head and the daily anchors; names the first broken link',
    success: { status: 200, schema: responses.AuditVerificationSchema, description: 'The verdict (a broken chain is a 200 with valid: false)' },
  },
  {
    method: 'GET',
    path: '/v1/archive/{reference}',
    handler: 'get-case-archive',
    auth: 'staff',
    roles: AUDIT,
    summary: 'A closed case’s archive (M7.2), read back from the archive bucket, its checksum and audit chain verified (M7.3); says whether it verifies and what does not',
    success: { status: 200, schema: responses.CaseArchiveVerificationSchema, description: 'The verdict and the archive (one that does not verify is a 200 with verified: false)' },
  },
  {
    method: 'POST',
    path: '/v1/calls',
    handler: 'open-case-from-call',
    auth: 'staff',
    roles: CASE_WORKERS,
    summary: 'An agent who took a call opens its case (channel phone), assigned to them, with the call logged',
    body: OpenCaseFromCallInputSchema,
    headers: ['Idempotency-Key'],
    maxBodyBytes: CALL_BODY_BYTES,
    success: { status: 201, schema: responses.CaseResponseSchema, description: 'The case opened' },
  },
  caseAction('Acknowledge a new case by hand (M3.1)', '/acknowledge', 'acknowledge-case', AcknowledgeInputSchema),
  caseAction('Assign the case to a named representative or supervisor', '/assignment', 'assign-case', AssignInputSchema, SUPERVISORS),
  caseAction('Return the case to the unassigned queue (its assignee, or a supervisor)', '/assignment', 'unassign-case', UnassignInputSchema, CASE_WORKERS, 'DELETE'),
  caseAction('Take an unassigned case', '/claim', 'claim-case', ClaimInputSchema),
  caseAction('Reclassify inquiry <-> complaint (complaint to inquiry: supervisors); recomputes the complaint milestones', '/type', 'reclassify-case', ReclassifyInputSchema),
  caseAction('Set the priority', '/priority', 'set-case-priority', SetPriorityInputSchema),
  caseAction('Reply to the customer by email (the text and SES Message-ID go on the timeline)', '/replies', 'reply-to-case', ReplyInputSchema),
  caseAction('Add an internal note (never emailed)', '/notes', 'add-case-note', AddNoteInputSchema),
  { ...caseAction('Log a phone call: direction, duration, transcript (C4.1)', '/calls', 'log-case-call', LogCallInputSchema), maxBodyBytes: CALL_BODY_BYTES },
  caseAction('Wait for the customer (stops the initial-assistance clock)', '/pending-customer', 'set-pending-customer', PendingCustomerInputSchema),
  caseAction('Stop waiting for the customer', '/pending-customer', 'clear-pending-customer', PendingCustomerInputSchema, CASE_WORKERS, 'DELETE'),
  caseAction('Escalate: to the supervisor, or further by the escalated party (M3.3)', '/escalations', 'escalate-case', EscalateInputSchema),
  caseAction('Accept the escalation (the escalated party, or above)', '/escalation/accept', 'accept-escalation', AcceptEscalationInputSchema, SUPERVISORS),
  caseAction('Record an action taken on the escalation', '/escalation/actions', 'record-escalation-action', EscalationActionInputSchema, SUPERVISORS),
  caseAction('Resolve the escalation with its outcome', '/escalation/resolve', 'resolve-escalation', ResolveEscalationInputSchema, SUPERVISORS),
  caseAction('Hand the case back to the representative', '/escalation/de-escalate', 'deescalate-case', DeescalateInputSchema, SUPERVISORS),
  caseAction('Record complaint-checklist items (M9.2)', '/checklist', 'update-complaint-checklist', UpdateChecklistInputSchema, CASE_WORKERS, 'PATCH'),
  caseAction('Resolve with a summary; a complaint needs its checklist complete (M3.2, M9.2)', '/resolve', 'resolve-case', ResolveInputSchema),
  caseAction('Record what a complaint’s pending follow-up found, and schedule the next one if needed (M3.2): the agent it is for or who holds the case, or a supervisor', '/follow-up', 'record-follow-up', RecordFollowUpInputSchema),
  caseAction('Close a resolved case (otherwise it closes by itself after 7 days)', '/close', 'close-case', CloseInputSchema),
  caseAction('Reopen a resolved case, with the reason', '/reopen', 'reopen-case', ReopenInputSchema),
  caseAction('Let a feedback-team member see the customer’s contact details for a while (C4.2)', '/contact-access', 'grant-contact-access', GrantContactAccessInputSchema, SUPERVISORS),
  caseAction('End a feedback-team member’s contact-detail grant before it expires (C4.2)', '/contact-access', 'revoke-contact-access', RevokeContactAccessInputSchema, SUPERVISORS, 'DELETE'),
  caseAction('Correct the customer’s name, email or phone (rectification, M5.1)', '/customer', 'update-customer', UpdateCustomerInputSchema, CASE_WORKERS, 'PATCH'),
  {
    ...caseAction('Place a legal hold: erasure requests that reach the case are refused, and its records do not expire, while it stands (M5.1, C6.1; GDPR art. 17(3)(e))', '/legal-hold', 'place-legal-hold', LegalHoldInputSchema, PRIVACY, 'PUT'),
    success: { status: 200, schema: responses.LegalHoldResponseSchema, description: 'The case’s ids and its hold (never its content); ETag is its version' },
  },
  {
    ...caseAction('Release the legal hold', '/legal-hold', 'release-legal-hold', ReleaseLegalHoldInputSchema, PRIVACY, 'DELETE'),
    success: { status: 200, schema: responses.LegalHoldResponseSchema, description: 'The case’s ids, no longer held; ETag is its version' },
  },
  {
    method: 'GET',
    path: '/v1/quarantine',
    handler: 'list-quarantine',
    auth: 'staff',
    roles: ['supervisors', 'admins', 'auditors'],
    summary: 'Inbound mail that could not be processed',
    query: responses.PageQuerySchema,
    success: { status: 200, schema: responses.QuarantinePageSchema, description: 'One page, newest first' },
  },
  {
    method: 'GET',
    path: '/v1/staff/{staffId}/cases',
    handler: 'list-staff-cases',
    auth: 'staff',
    roles: ['supervisors', 'auditors'],
    summary: 'One staff member’s open cases, nearest deadline first (a supervisor balancing the work, M4.2)',
    query: responses.PageQuerySchema,
    success: { status: 200, schema: responses.CasePageSchema, description: 'One page' },
  },
  {
    method: 'GET',
    path: '/v1/staff',
    handler: 'list-staff',
    auth: 'staff',
    roles: ['agents', 'supervisors', 'admins', 'auditors'],
    summary: 'The staff in a role (for assignment)',
    query: ListStaffQuerySchema,
    success: { status: 200, schema: responses.StaffListSchema, description: 'Everyone in the role' },
  },
  {
    method: 'POST',
    path: '/v1/privacy/access-requests',
    handler: 'create-access-request',
    auth: 'staff',
    roles: PRIVACY,
    summary: 'A GDPR access request (M5.1, C6.1): everything caseflow holds about a customer’s email address or phone number (in the body), as one zip to download for 15 minutes; each case’s trail records the export',
    body: AccessRequestInputSchema,
    success: { status: 201, schema: responses.PrivacyRequestResponseSchema, description: 'The request’s record (no address: its digest) and a link to the export' },
  },
  {
    method: 'POST',
    path: '/v1/exports',
    handler: 'create-export',
    auth: 'staff',
    roles: AUDIT,
    summary: 'A compliance export of whole UTC days that have ended (M5.3, M7.3, C6.3): every case changed, its redacted timeline, escalations and chain heads, as JSON Lines and Parquet, with a signed manifest on the chain. One export a period: asked again, it is the same export',
    body: CreateExportInputSchema,
    success: { status: 202, schema: responses.ExportResponseSchema, description: 'Where the export stands (200 with the sealed export when it exists already)' },
  },
  {
    method: 'GET',
    path: '/v1/exports/{exportId}',
    handler: 'get-export',
    auth: 'staff',
    roles: AUDIT,
    summary: 'Where an export stands; once sealed, its manifest and 15-minute links to the manifest and its files',
    success: { status: 200, schema: responses.ExportResponseSchema, description: 'The export, and links once it is sealed' },
  },
  {
    method: 'POST',
    path: '/v1/privacy/erasure-requests',
    handler: 'create-erasure-request',
    auth: 'staff',
    roles: PRIVACY,
    summary:
      'A GDPR erasure request (M5.1, C6.1): the personal data of a customer’s email address or phone number (in the body) erased from every case, file and index, their archives crypto-shredded; the non-personal record stays. 409 (nothing changed) when a case is under a legal hold, open, or not yet archived',
    body: ErasureRequestInputSchema,
    success: { status: 201, schema: responses.PrivacyRequestResponseSchema, description: 'The request’s record: the subjects’ digests, the cases, what was erased' },
  },
  {
    method: 'GET',
    path: '/v1/privacy/requests',
    handler: 'list-privacy-requests',
    auth: 'staff',
    roles: PRIVACY,
    summary: 'The privacy requests’ records (M5.1, C6.1), newest first: who asked, when, about which digest, what was found',
    query: responses.PageQuerySchema,
    success: { status: 200, schema: responses.PrivacyRequestPageSchema, description: 'One page, newest first' },
  },
  {
    method: 'GET',
    path: '/v1/privacy/requests/{requestId}',
    handler: 'get-privacy-request',
    auth: 'staff',
    roles: PRIVACY,
    summary: 'One privacy request’s record, with a fresh 15-minute link to its export while the export exists (7 days)',
    success: { status: 200, schema: responses.PrivacyRequestResponseSchema, description: 'The record, and a link while the export exists' },
  },
  {
    method: 'GET',
    path: '/v1/metrics',
    handler: 'get-metrics',
    auth: 'staff',
    roles: METRICS_READERS,
    summary:
      'Protocol metrics (M6.2, C6.2, C7.3) of the cases received on a period’s UTC days (the last 30 by default, at most 93): volumes, acknowledgement and first-response times, SLA attainment, breaches, resolution, escalation and reopen rates, in total and by day, week, agent, type or channel',
    query: MetricsQuerySchema,
    success: { status: 200, schema: responses.MetricsReportSchema, description: 'The figures as of now, in total and one group per day, week, agent, type or channel (docs/metrics.md defines each)' },
  },
  {
    method: 'POST',
    path: '/v1/reports/monthly',
    handler: 'create-monthly-report',
    auth: 'staff',
    roles: METRICS_READERS,
    summary:
      'The monthly compliance report of a month that has ended (M6.2, C6.2, M4.2, M7.3), made now: daily volumes, SLA attainment against target, response times, escalations, breach reasons, month over month, the exports as evidence; one HTML page (and its PDF where Chromium runs) in the exports bucket, replacing one made before',
    body: MonthlyReportRequestSchema,
    success: { status: 201, schema: responses.MonthlyReportResponseSchema, description: 'The report made, with 15-minute links to its page, figures and PDF (or why there is no PDF)' },
  },
  {
    method: 'GET',
    path: '/v1/reports/monthly/{month}',
    handler: 'get-monthly-report',
    auth: 'staff',
    roles: METRICS_READERS,
    summary: 'The monthly report last made for a month, with 15-minute links to its page, figures and PDF; 404 when none was made',
    success: { status: 200, schema: responses.MonthlyReportResponseSchema, description: 'The report and its links' },
  },
  {
    method: 'GET',
    path: '/v1/reports/escalation-audit',
    handler: 'get-escalation-audit',
    auth: 'staff',
    roles: AUDIT,
    summary:
      'The escalation audit (M6.3, C6.3) of the cases received on a period’s UTC days (the last 30 by default, at most 93): each escalation’s times to escalate, accept and resolve, its parties, how many actions and how it ended; cases escalated more than once; and the cases that broke the protocol (M3.2, M3.3, M9.3), first. Counts and dates only, never the cases’ free text',
    query: EscalationAuditQuerySchema,
    success: { status: 200, schema: responses.EscalationAuditReportSchema, description: 'The audit as of now: the summary, and every escalated case or case with a finding, those breaking the protocol first (docs/escalation-audit.md defines each rule)' },
  },
  {
    method: 'GET',
    path: '/v1/non-compliance',
    handler: 'list-non-compliance',
    auth: 'staff',
    roles: NON_COMPLIANCE_READERS,
    summary: 'The non-compliance records opened in a month (C8.1–C8.3), oldest first: SLA breaches and reports, each with its 7-day corrective-action deadline, actions, sign-off and whether it repeats a staff member’s earlier ones',
    query: ListNonComplianceQuerySchema,
    success: { status: 200, schema: responses.NonComplianceListSchema, description: 'The month’s records, filtered by status or staff member' },
  },
  {
    method: 'POST',
    path: '/v1/non-compliance',
    handler: 'report-non-compliance',
    auth: 'staff',
    roles: NON_COMPLIANCE_READERS,
    summary: 'Report a non-compliance (C8.1: at once): what was not done as the protocol asks, the staff member and case involved; its 7-day corrective-action window starts now',
    body: ReportNonComplianceInputSchema,
    success: { status: 201, schema: responses.NonComplianceResponseSchema, description: 'The record opened' },
  },
  {
    method: 'GET',
    path: '/v1/non-compliance/{recordId}',
    handler: 'get-non-compliance',
    auth: 'staff',
    roles: NON_COMPLIANCE_READERS,
    summary: 'One non-compliance record with its corrective actions and history',
    success: { status: 200, schema: responses.NonComplianceResponseSchema, description: 'The record' },
  },
  {
    method: 'POST',
    path: '/v1/non-compliance/{recordId}/corrective-actions',
    handler: 'record-corrective-action',
    auth: 'staff',
    roles: SUPERVISORS,
    summary: 'Record a corrective action (C8.2: retraining, additional oversight, revised responsibilities or a process change) with its evidence; the record’s 7-day timer stops',
    body: RecordCorrectiveActionInputSchema,
    success: { status: 200, schema: responses.NonComplianceResponseSchema, description: 'The record as it now stands' },
  },
  {
    method: 'POST',
    path: '/v1/non-compliance/{recordId}/sign-off',
    handler: 'sign-off-non-compliance',
    auth: 'staff',
    roles: SUPERVISORS,
    summary: 'Sign off the corrective action taken: the record closes (never by the staff member it is about)',
    body: SignOffInputSchema,
    success: { status: 200, schema: responses.NonComplianceResponseSchema, description: 'The record, closed' },
  },
  {
    method: 'GET',
    path: '/v1/settings',
    handler: 'get-settings',
    auth: 'staff',
    roles: ['admins', 'supervisors', 'auditors'],
    summary: 'The service-level policies and how this deployment is configured',
    success: { status: 200, schema: responses.SettingsSchema, description: 'Policies and settings' },
  },
  {
    method: 'POST',
    path: '/v1/staff/{staffId}/training',
    handler: 'record-training',
    auth: 'staff',
    roles: TRAINING_OVERSIGHT,
    summary: 'Record that a staff member completed a course of the training catalogue, with its evidence (a note, a file reference, a URL) (C5.1, C5.2); records are never changed: a correction is a new record naming the one it corrects',
    body: RecordTrainingInputSchema,
    success: { status: 201, schema: TrainingRecordResponseSchema, description: 'The record, and the staff member’s training status now' },
  },
  {
    method: 'GET',
    path: '/v1/training',
    handler: 'get-training',
    auth: 'staff',
    roles: ['agents', 'supervisors', 'admins'],
    summary:
      'Training status (C5.1-C5.3): each course current, due soon, lapsed or never trained, with the records. One staff member (`staffId`; representatives their own only), or for supervisors and admins who name nobody the team: everyone who works cases, and who is due soon or has lapsed',
    query: TrainingStatusQuerySchema,
    success: { status: 200, schema: TrainingStatusResponseSchema, description: 'The status as of now, one entry a staff member' },
  },
  {
    method: 'GET',
    path: '/v1/sla-policies',
    handler: 'get-sla-policies',
    auth: 'staff',
    // Auditors read the versions too (M8.3: which rules each case ran under); only admins change them.
    roles: ['admins', 'supervisors', 'auditors'],
    summary: 'The service-level policies in force: every version cases may carry, its business-hours calendars, and which calendar each case type and priority opens on (M8.3)',
    success: { status: 200, schema: responses.SlaPoliciesSchema, description: 'The policies, the current one marked' },
  },
  {
    method: 'POST',
    path: '/v1/sla-policies',
    handler: 'publish-sla-policy',
    auth: 'staff',
    roles: ['admins'],
    summary: 'Publish an SLA policy version (M8.3, M3.1): current from now on for cases opened after it; open cases keep theirs. The same version id and body again: 200 with it; another body: 409',
    body: SlaPolicySchema,
    success: { status: 201, schema: responses.PublishedSlaPolicyResponseSchema, description: 'The version, published and current' },
  },
  {
    method: 'POST',
    path: '/v1/sla-policies/{version}/migrations',
    handler: 'migrate-sla-policy',
    auth: 'staff',
    roles: ['admins'],
    summary: 'Move the open cases selected (all, or of a type and/or priority) to a policy version (M8.3): deadlines recomputed from each case’s receipt, the change on its timeline with the reason, its SLA workflow replaced, by the migration workflow a page at a time. A repeat answers the running or completed migration; a failed one is resumed. `dryRun` counts the cases and changes nothing (200)',
    body: MigrationInputSchema,
    success: { status: 202, schema: responses.SlaMigrationResponseSchema, description: 'The migration’s record and its Location (poll it): cases moved, cases already on the version (200 when completed, or for a dry run)' },
  },
  {
    method: 'GET',
    path: '/v1/sla-policies/{version}/migrations/{migrationId}',
    handler: 'get-sla-migration',
    auth: 'staff',
    roles: ['admins'],
    summary: 'A migration of open cases to a policy version and its progress (M8.3): running, completed or failed (with why), cases moved, cases already on the version',
    success: { status: 200, schema: responses.SlaMigrationRecordResponseSchema, description: 'The migration’s record' },
  },
  {
    method: 'GET',
    path: '/v1/retention-policies',
    handler: 'get-retention-policies',
    auth: 'staff',
    // Auditors read under which policy records are kept (M7.2, C4.3); only admins change it.
    roles: ['admins', 'supervisors', 'auditors'],
    summary: 'The retention policy’s versions (M7.2, C4.3): years kept from closure, who published each and why, the current one (the one cases closing now are kept under) marked',
    success: { status: 200, schema: responses.RetentionPoliciesSchema, description: 'The versions, the current one marked' },
  },
  {
    method: 'POST',
    path: '/v1/retention-policies',
    handler: 'publish-retention-policy',
    auth: 'staff',
    roles: ['admins'],
    summary: 'Publish a retention policy version (M7.2, C4.3, M8.3): at least 5 years, with a reason; cases closing from now on are kept under it, cases closed already keep their expiry. The same version id and content again: 200 with it; other content: 409',
    body: PublishRetentionPolicySchema,
    success: { status: 201, schema: responses.PublishedRetentionPolicyResponseSchema, description: 'The version, published and current' },
  },
  {
    method: 'GET',
    path: '/survey/{token}',
    handler: 'get-survey',
    auth: 'public',
    summary: 'The satisfaction survey’s page (M8.1, M9.4, C7.1): an HTML form, for a signed link not expired; 410 with a kind page once it is',
  },
  {
    method: 'POST',
    path: '/survey/{token}',
    handler: 'answer-survey',
    auth: 'public',
    summary: 'A customer answers the satisfaction survey (form-encoded from the page, or JSON); answering again while the link is valid updates the answer',
    body: SurveyAnswerSchema,
    maxBodyBytes: 16 * 1024,
  },
  {
    method: 'GET',
    path: '/v1/feedback',
    handler: 'list-feedback',
    auth: 'staff',
    roles: FEEDBACK_READERS,
    summary: 'The feedback log (C4.2, M8.1, C7.1): survey answers first given in a period (at most a year), oldest first, a page at a time',
    query: FeedbackQuerySchema,
    success: { status: 200, schema: FeedbackPageSchema, description: 'A page of entries, and the cursor of the next page while there is one' },
  },
  {
    method: 'GET',
    path: '/v1/quality-reviews',
    handler: 'list-quality-reviews',
    auth: 'staff',
    roles: SUPERVISORS,
    summary: 'The response-quality review queue of an ISO week (M3.1, M6.1, C6.3): the replies sampled, pending or scored, filtered by status or representative',
    query: ListReviewsQuerySchema,
    success: { status: 200, schema: z.object({ items: z.array(QualityReviewSchema) }), description: 'The week’s reviews' },
  },
  {
    method: 'GET',
    path: '/v1/quality-reviews/{reviewId}',
    handler: 'get-quality-review',
    auth: 'staff',
    roles: CASE_WORKERS,
    summary: 'One quality review with the text of the reply it reviews: supervisors, and the representative whose reply it is',
    success: { status: 200, schema: z.object({ review: QualityReviewSchema, reply: z.object({ at: z.string(), text: z.string().optional() }) }), description: 'The review and its reply' },
  },
  {
    method: 'POST',
    path: '/v1/quality-reviews/{reviewId}/score',
    handler: 'score-quality-review',
    auth: 'staff',
    roles: SUPERVISORS,
    summary:
      'Score a reply on the scorecard (accuracy, relevance, completeness, tone, protocol adherence: 1–4 each, with a comment); never one’s own reply. Scoring again needs If-Match with the review’s version. A failed review opens a non-compliance record at once (C8.1)',
    body: ScoreReviewInputSchema,
    headers: ['If-Match'],
    success: { status: 200, schema: z.object({ review: QualityReviewSchema, nonCompliance: NonComplianceRecordSchema.optional() }), description: 'The review as scored, and the non-compliance record its failure opened' },
  },
  {
    method: 'GET',
    path: '/v1/my/quality-reviews',
    handler: 'list-my-quality-reviews',
    auth: 'staff',
    roles: ['agents'],
    summary: 'The caller’s own quality reviews of an ISO week, with their scores and comments (M6.1)',
    query: MyReviewsQuerySchema,
    success: { status: 200, schema: z.object({ items: z.array(QualityReviewSchema) }), description: 'The caller’s reviews' },
  },
  {
    method: 'GET',
    path: '/v1/quality-rollup',
    handler: 'get-quality-rollup',
    auth: 'staff',
    roles: QUALITY_READERS,
    summary: 'Response quality per representative and ISO week (M6.1, C6.3): replies sent, sampled, scored, failed, and the mean scores',
    query: RollupQuerySchema,
    success: { status: 200, schema: z.object({ rows: z.array(RollupRowSchema) }), description: 'One row a week and representative, oldest week first' },
  },
  {
    method: 'GET',
    path: '/v1/feedback/trends',
    handler: 'get-feedback-trends',
    auth: 'staff',
    roles: FEEDBACK_READERS,
    summary: 'Feedback trends (M4.3, M8.3, C2.3): CSAT and the comments’ recurring themes over the survey answers first given in a period (at most 366 days), by day, week, type, channel or agent; themes and counts only',
    query: FeedbackTrendsQuerySchema,
    success: { status: 200, schema: FeedbackTrendsReportSchema, description: 'The period’s CSAT and theme counts, in total and by group, and the theme table used' },
  },
  {
    method: 'POST',
    path: '/v1/action-items',
    handler: 'create-action-item',
    auth: 'staff',
    roles: FEEDBACK_READERS,
    summary: 'Record an action item (M8.2, C7.2): a recommendation after recurring feedback, its owner (a staff member) and due day, linked to the survey answers, cases or non-compliance records that prompted it',
    body: CreateActionItemSchema,
    success: { status: 201, schema: z.object({ item: ActionItemViewSchema }), description: 'The item, open; its version as ETag' },
  },
  {
    method: 'GET',
    path: '/v1/follow-ups',
    handler: 'list-follow-ups',
    auth: 'staff',
    roles: CASE_WORKERS,
    summary: 'The complaint follow-ups due by a day (default today), overdue first (M3.2): supervisors see all, an agent those scheduled for them',
    query: ListFollowUpsQuerySchema,
    success: { status: 200, schema: FollowUpListSchema, description: 'The pending follow-ups due' },
  },
  {
    method: 'GET',
    path: '/v1/action-items',
    handler: 'list-action-items',
    auth: 'staff',
    roles: ACTION_ITEM_READERS,
    summary: 'The action items (M8.2, C7.2), by status, owner or overdue (still open after the due day), overdue ones first',
    query: ListActionItemsQuerySchema,
    success: { status: 200, schema: ActionItemListSchema, description: 'The items that match' },
  },
  {
    method: 'GET',
    path: '/v1/action-items/{itemId}',
    handler: 'get-action-item',
    auth: 'staff',
    roles: ACTION_ITEM_READERS,
    summary: 'One action item with the history of its changes',
    success: { status: 200, schema: z.object({ item: ActionItemViewSchema }), description: 'The item; its version as ETag' },
  },
  {
    method: 'PATCH',
    path: '/v1/action-items/{itemId}',
    handler: 'update-action-item',
    auth: 'staff',
    roles: ACTION_ITEM_CHANGERS,
    summary: 'Change an action item’s status (open, in progress, done, dropped with a reason), owner or due day, on the version seen (If-Match, required); the feedback team and supervisors change any, the owner their own',
    body: UpdateActionItemSchema,
    headers: ['If-Match'],
    success: { status: 200, schema: z.object({ item: ActionItemViewSchema }), description: 'The item as it now stands; its version as ETag' },
  },
  {
    method: 'GET',
    path: '/v1/performance-reviews',
    handler: 'list-performance-reviews',
    auth: 'staff',
    roles: ['supervisors', 'auditors'],
    summary: 'Performance reviews (C7.3, M6.2): one summary row a representative in the staff directory over a period (the last calendar month by default, at most 93 days): cases, SLA attainment, resolution, CSAT, failed reviews, non-compliance, training, attention points',
    query: PerformanceReviewQuerySchema,
    success: { status: 200, schema: PerformanceSummarySchema, description: 'One row a representative, by staff id' },
  },
  {
    method: 'GET',
    path: '/v1/performance-reviews/{staffId}',
    handler: 'get-performance-review',
    auth: 'staff',
    // Representatives read their own only (another's: 403); supervisors, the feedback team and auditors anyone's.
    roles: ['agents', 'supervisors', 'feedback', 'auditors'],
    summary: 'One representative’s performance review (C7.3, M6.2) over a period (the last calendar month by default, at most 93 days): their metrics, CSAT, quality reviews, non-compliance records and training status, with the attention points the documented rules raise',
    query: PerformanceReviewQuerySchema,
    success: { status: 200, schema: PerformanceReviewSchema, description: 'The report as of now (docs/performance-reviews.md)' },
  },
];

/** Every other method on a known path answers 405 with an Allow header. */
export const FALLBACK_ROUTES: readonly PublicRoute[] = [...new Set(API_ROUTES.map((r) => r.path))].map((path) => ({
  method: 'ANY' as const,
  path,
  handler: 'method-not-allowed',
  auth: 'public' as const,
  summary: 'Any other method: 405 with Allow',
}));

export const allowedMethods = (path: string): string[] => API_ROUTES.filter((r) => r.path === path).map((r) => r.method);

/** The one route a handler serves (each route handler serves exactly one). */
export function routeOf(handler: string): RouteDef {
  const found = API_ROUTES.filter((r) => r.handler === handler);
  if (found.length !== 1 || !found[0]) throw new Error(`caseflow: handler ${handler} serves ${found.length} routes; it must serve exactly one`);
  return found[0];
}

/** The staff route a handler serves, with its roles. */
export function staffRouteOf(handler: string): StaffRoute {
  const route = routeOf(handler);
  if (route.auth !== 'staff') throw new Error(`caseflow: handler ${handler} serves a public route`);
  return route;
}

/** The handler names of the staff routes (their functions share one configuration). */
export const STAFF_ROUTE_HANDLERS = API_ROUTES.filter((r): r is StaffRoute => r.auth === 'staff').map((r) => r.handler);
