import type { QueueFilters } from '../logic/router';
import { ApiError, type ApiClient, type ReadResult } from './client';
import type {
  FollowUpDue,
  PerformanceReview,
  ArchiveVerification,
  AttachmentLink,
  AuditTrail,
  AuditVerification,
  CaseDetail,
  CasePage,
  CaseRecord,
  EscalationLevel,
  EscalationRecord,
  ExportDownload,
  LegalHold,
  LegalHoldBasis,
  MonthlyReportAnswer,
  CorrectiveActionType,
  NonComplianceRecord,
  QualityReview,
  Scorecard,
  ActionItem,
  ActionItemStatus,
  FeedbackEntry,
  FeedbackTrends,
  FeedbackTrendsGroupBy,
  PrivacyRequest,
  PrivacyRequestPage,
  QuarantineItem,
  QueueName,
  Settings,
  MigrationAnswer,
  MigrationRecord,
  MigrationSelection,
  SlaPolicyVersions,
  RetentionPolicyVersions,
  StaffMember,
  StaffRole,
  RecordTrainingBody,
  TrainingRecord,
  TrainingStatusAnswer,
} from './types';

/** The staff API's routes the console calls (functions/handlers/routes.ts), one function each. */
export const PAGE_SIZE = 25;

const id = (caseId: string) => encodeURIComponent(caseId);

export function queuePath(queue: QueueName, filters: QueueFilters, cursor?: string): string {
  const params = new URLSearchParams({ queue, limit: String(PAGE_SIZE) });
  if (queue === 'all') {
    if (filters.status) params.set('status', filters.status);
    if (filters.type) params.set('type', filters.type);
    if (filters.priority) params.set('priority', filters.priority);
  }
  if (cursor) params.set('cursor', cursor);
  return `/cases?${params.toString()}`;
}

/** The escalations board reads the escalated queue whole, at the API's largest page. */
export const ESCALATIONS_PAGE_SIZE = 100;

/** The escalated queue at the caller's level (no level) or at the one named. */
export function escalatedPath(level: EscalationLevel | undefined, cursor?: string): string {
  const params = new URLSearchParams({ queue: 'escalated', limit: String(ESCALATIONS_PAGE_SIZE) });
  if (level) params.set('level', level);
  if (cursor) params.set('cursor', cursor);
  return `/cases?${params.toString()}`;
}

export type CaseActionPath =
  | 'acknowledge'
  | 'assignment'
  | 'claim'
  | 'type'
  | 'priority'
  | 'replies'
  | 'notes'
  | 'calls'
  | 'pending-customer'
  | 'escalations'
  | 'escalation/accept'
  | 'escalation/actions'
  | 'escalation/resolve'
  | 'escalation/de-escalate'
  | 'checklist'
  | 'resolve'
  | 'close'
  | 'reopen'
  | 'contact-access'
  | 'customer'
  | 'follow-up';

/** Whom a privacy request is about: an email address or a phone number, sent in the body only. */
export type PrivacyTerms = { email: string } | { phone: string };

/**
 * How a privacy request ended: done (an access request with its download link), refused (an
 * erasure a case stopped: 409, nothing changed) or failed part-way (500: run it again). The last
 * two are answers too, each with its record, not errors of the console.
 */
export type PrivacyOutcome =
  | { outcome: 'completed'; request: PrivacyRequest; download?: ExportDownload | undefined }
  | { outcome: 'refused' | 'failed'; request: PrivacyRequest; error: string };

/** What the console keeps of a legal-hold change: the case's reference and its hold, nothing of the customer. */
export interface HoldChange {
  reference: string;
  legalHold?: LegalHold | undefined;
}

export interface Endpoints {
  queue(queue: QueueName, filters: QueueFilters, cursor?: string): Promise<ReadResult<CasePage>>;
  /** One page of the escalated queue, at the caller's level or the one named (the first page read conditionally, for polling). */
  escalated(level: EscalationLevel | undefined, cursor?: string): Promise<CasePage>;
  byReference(reference: string): Promise<CasePage>;
  search(terms: { email: string } | { phone: string }, cursor?: string): Promise<CasePage>;
  caseDetail(caseId: string, conditional?: boolean): Promise<ReadResult<CaseDetail>>;
  /** A change with If-Match the version the person saw; without a version (a queue row carries none) any version is taken. */
  act(caseId: string, path: CaseActionPath, body: unknown, version: number | undefined, method?: 'POST' | 'PATCH' | 'DELETE'): Promise<{ case: CaseRecord }>;
  escalations(caseId: string): Promise<EscalationRecord[]>;
  audit(caseId: string): Promise<AuditTrail>;
  verify(caseId: string): Promise<AuditVerification>;
  /** A closed case's archive, verified by the server (its body, the archive document itself, is not kept). */
  archive(reference: string): Promise<ArchiveVerification>;
  attachment(caseId: string, sha256: string): Promise<AttachmentLink>;
  staff(role: StaffRole): Promise<StaffMember[]>;
  staffCases(staffId: string): Promise<CasePage>;
  settings(): Promise<Settings>;
  /** The SLA policy versions (M8.3); admins publish one and migrate open cases to one. */
  slaPolicies(): Promise<SlaPolicyVersions>;
  publishSlaPolicy(policy: unknown): Promise<{ policy: { version: string }; current: boolean }>;
  migrateToSlaPolicy(version: string, body: { reason: string; selection: MigrationSelection; dryRun?: boolean }): Promise<MigrationAnswer>;
  /** The retention policy's versions (M7.2, C4.3); admins publish one. */
  retentionPolicies(): Promise<RetentionPolicyVersions>;
  publishRetentionPolicy(body: { version: string; years: number; reason: string }): Promise<{ policy: { version: string; years: number }; current: boolean }>;
  /** A migration's progress, polled until it is completed or failed. */
  getSlaMigration(version: string, migrationId: string): Promise<MigrationRecord>;
  quarantine(cursor?: string): Promise<{ items: QuarantineItem[]; nextCursor?: string | undefined }>;
  privacyRequest(kind: 'access' | 'erasure', terms: PrivacyTerms): Promise<PrivacyOutcome>;
  privacyRequests(cursor?: string): Promise<PrivacyRequestPage>;
  privacyRequestDetail(requestId: string): Promise<{ request: PrivacyRequest; download?: ExportDownload | undefined }>;
  placeLegalHold(caseId: string, hold: { basis: LegalHoldBasis; matter?: string; note?: string }): Promise<HoldChange>;
  releaseLegalHold(caseId: string, release: { note?: string }): Promise<HoldChange>;
  /** The report last made for the month, or undefined when none was (404). */
  monthlyReport(month: string): Promise<MonthlyReportAnswer | undefined>;
  /** Makes the month's report now (a month that has ended). */
  makeMonthlyReport(month: string): Promise<MonthlyReportAnswer>;
  /** A month's non-compliance records (C8.1), oldest first. */
  nonCompliance(month: string): Promise<NonComplianceRecord[]>;
  reportNonCompliance(report: { description: string; staffId?: string; caseId?: string }): Promise<NonComplianceRecord>;
  recordCorrectiveAction(recordId: string, action: { type: CorrectiveActionType; description: string; evidence: string }): Promise<NonComplianceRecord>;
  signOffNonCompliance(recordId: string, note?: string): Promise<NonComplianceRecord>;
  /** One representative's performance review for a period (C7.3). */
  performanceReview(staffId: string, period: { from: string; to: string }): Promise<PerformanceReview>;
  /** A week's review queue (supervisors, M6.1). */
  qualityReviews(week: string): Promise<QualityReview[]>;
  /** The caller's own reviews of a week (representatives). */
  myQualityReviews(week: string): Promise<QualityReview[]>;
  /** One review with its reply's text. */
  qualityReview(reviewId: string): Promise<{ review: QualityReview; reply: { at: string; text?: string | undefined } }>;
  /** Scores a review; `version` (If-Match) to score a scored one again. */
  scoreQualityReview(reviewId: string, body: { scorecard: Scorecard; summary?: string }, version?: number): Promise<{ review: QualityReview; nonCompliance?: NonComplianceRecord | undefined }>;
  /** The feedback log's answers first given in [from, to) (ISO instants), the first page of 100 (C4.2). */
  feedback(from: string, to: string): Promise<{ items: FeedbackEntry[]; nextCursor?: string }>;
  /** CSAT and the comments' themes over UTC days from `from` to `to` (M4.3, M8.3). */
  feedbackTrends(from: string, to: string, groupBy: FeedbackTrendsGroupBy): Promise<FeedbackTrends>;
  /** The complaint follow-ups due by today, overdue first (M3.2): all for supervisors, their own for an agent. */
  followUpsDue(): Promise<FollowUpDue[]>;
  /** Action items (M8.2, C7.2), overdue first. */
  actionItems(filters: { status?: ActionItemStatus; owner?: string; overdue?: boolean }): Promise<ActionItem[]>;
  createActionItem(item: { recommendation: string; theme?: string; owner: string; dueOn: string; links: { feedback: string[]; cases: string[]; nonCompliance: string[] } }): Promise<ActionItem>;
  /** A change on the version seen (If-Match): a 409 when the item moved on meanwhile. */
  updateActionItem(itemId: string, version: number, change: { status?: ActionItemStatus; owner?: string; dueOn?: string; reason?: string }): Promise<ActionItem>;
  /** Training status (C5.1-C5.3): one member (`staffId`), or, for supervisors and admins naming nobody, the team. */
  training(staffId?: string): Promise<TrainingStatusAnswer>;
  /** Records a completion for a member (supervisors, admins); the answer carries the member's status now. */
  recordTraining(staffId: string, body: RecordTrainingBody): Promise<{ record: TrainingRecord; status: { staffId: string; courses: TrainingStatusAnswer['members'][number]['courses']; requiredMissing: string[] } }>;
}

/** A refused or failed privacy request answers with its record: that is the outcome to show, not an error. */
async function privacyOutcome(run: Promise<{ request: PrivacyRequest; download?: ExportDownload }>): Promise<PrivacyOutcome> {
  try {
    const { request, download } = await run;
    return { outcome: 'completed', request, download };
  } catch (e) {
    if (e instanceof ApiError && (e.status === 409 || e.status >= 500) && e.body.request) {
      return { outcome: e.body.request.status === 'refused' ? 'refused' : 'failed', request: e.body.request, error: e.message };
    }
    throw e;
  }
}

/**
 * The legal-hold routes answer with the case's ids and its hold only (admins do not read cases);
 * the console keeps the reference and the hold, whatever else an answer might carry.
 */
const holdChange = async (run: Promise<{ case: { reference: string; legalHold?: LegalHold | undefined } }>): Promise<HoldChange> => {
  const { case: c } = await run;
  return { reference: c.reference, legalHold: c.legalHold };
};

export function endpoints(api: ApiClient): Endpoints {
  return {
    queue: (queue, filters, cursor) => api.get<CasePage>(queuePath(queue, filters, cursor), { conditional: cursor === undefined }),
    escalated: async (level, cursor) => (await api.get<CasePage>(escalatedPath(level, cursor), { conditional: cursor === undefined })).data,
    byReference: async (reference) => (await api.get<CasePage>(`/cases?${new URLSearchParams({ reference }).toString()}`)).data,
    search: (terms, cursor) => api.send<CasePage>('POST', '/cases/search', { ...terms, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }),
    caseDetail: (caseId, conditional = true) => api.get<CaseDetail>(`/cases/${id(caseId)}`, { conditional }),
    act: (caseId, path, body, version, method = 'POST') => api.send<{ case: CaseRecord }>(method, `/cases/${id(caseId)}/${path}`, body, { version }),
    escalations: async (caseId) => (await api.get<{ items: EscalationRecord[] }>(`/cases/${id(caseId)}/escalations`)).data.items,
    audit: async (caseId) => (await api.get<AuditTrail>(`/cases/${id(caseId)}/audit`)).data,
    verify: (caseId) => api.send<AuditVerification>('POST', `/cases/${id(caseId)}/audit/verify`, {}),
    archive: async (reference) => (await api.get<ArchiveVerification>(`/archive/${encodeURIComponent(reference)}`)).data,
    attachment: async (caseId, sha256) => (await api.get<AttachmentLink>(`/cases/${id(caseId)}/attachments/${encodeURIComponent(sha256)}`)).data,
    staff: async (role) => (await api.get<{ items: StaffMember[] }>(`/staff?role=${encodeURIComponent(role)}`)).data.items,
    staffCases: async (staffId) => (await api.get<CasePage>(`/staff/${encodeURIComponent(staffId)}/cases?limit=100`)).data,
    settings: async () => (await api.get<Settings>('/settings')).data,
    slaPolicies: async () => (await api.get<SlaPolicyVersions>('/sla-policies')).data,
    publishSlaPolicy: (policy) => api.send<{ policy: { version: string }; current: boolean }>('POST', '/sla-policies', policy),
    migrateToSlaPolicy: async (version, body) => (await api.send<{ migration: MigrationAnswer }>('POST', `/sla-policies/${encodeURIComponent(version)}/migrations`, body)).migration,
    retentionPolicies: async () => (await api.get<RetentionPolicyVersions>('/retention-policies')).data,
    publishRetentionPolicy: (body) => api.send<{ policy: { version: string; years: number }; current: boolean }>('POST', '/retention-policies', body),
    getSlaMigration: async (version, migrationId) =>
      (await api.get<{ migration: MigrationRecord }>(`/sla-policies/${encodeURIComponent(version)}/migrations/${encodeURIComponent(migrationId)}`)).data.migration,
    monthlyReport: async (month) => {
      try {
        return (await api.get<MonthlyReportAnswer>(`/reports/monthly/${encodeURIComponent(month)}`)).data;
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      }
    },
    makeMonthlyReport: (month) => api.send<MonthlyReportAnswer>('POST', '/reports/monthly', { month }),
    nonCompliance: async (month) => (await api.get<{ items: NonComplianceRecord[] }>(`/non-compliance?${new URLSearchParams({ month }).toString()}`)).data.items,
    reportNonCompliance: async (report) => (await api.send<{ record: NonComplianceRecord }>('POST', '/non-compliance', report)).record,
    recordCorrectiveAction: async (recordId, action) => (await api.send<{ record: NonComplianceRecord }>('POST', `/non-compliance/${encodeURIComponent(recordId)}/corrective-actions`, action)).record,
    signOffNonCompliance: async (recordId, note) => (await api.send<{ record: NonComplianceRecord }>('POST', `/non-compliance/${encodeURIComponent(recordId)}/sign-off`, note ? { note } : {})).record,
    performanceReview: async (staffId, period) => (await api.get<PerformanceReview>(`/performance-reviews/${encodeURIComponent(staffId)}?${new URLSearchParams(period).toString()}`)).data,
    qualityReviews: async (week) => (await api.get<{ items: QualityReview[] }>(`/quality-reviews?${new URLSearchParams({ week }).toString()}`)).data.items,
    myQualityReviews: async (week) => (await api.get<{ items: QualityReview[] }>(`/my/quality-reviews?${new URLSearchParams({ week }).toString()}`)).data.items,
    qualityReview: async (reviewId) => (await api.get<{ review: QualityReview; reply: { at: string; text?: string } }>(`/quality-reviews/${encodeURIComponent(reviewId)}`)).data,
    scoreQualityReview: async (reviewId, body, version) =>
      api.send<{ review: QualityReview; nonCompliance?: NonComplianceRecord }>('POST', `/quality-reviews/${encodeURIComponent(reviewId)}/score`, body, version !== undefined ? { version } : {}),
    feedback: async (from, to) => (await api.get<{ items: FeedbackEntry[]; nextCursor?: string }>(`/feedback?${new URLSearchParams({ from, to, limit: '100' }).toString()}`)).data,
    feedbackTrends: async (from, to, groupBy) => (await api.get<FeedbackTrends>(`/feedback/trends?${new URLSearchParams({ from, to, groupBy }).toString()}`)).data,
    followUpsDue: async () => (await api.get<{ followUps: FollowUpDue[] }>('/follow-ups')).data.followUps,
    actionItems: async (filters) => {
      const query = new URLSearchParams({ ...(filters.status ? { status: filters.status } : {}), ...(filters.owner ? { owner: filters.owner } : {}), ...(filters.overdue !== undefined ? { overdue: String(filters.overdue) } : {}) }).toString();
      return (await api.get<{ items: ActionItem[] }>(`/action-items${query ? `?${query}` : ''}`)).data.items;
    },
    createActionItem: async (item) => (await api.send<{ item: ActionItem }>('POST', '/action-items', item)).item,
    updateActionItem: async (itemId, version, change) => (await api.send<{ item: ActionItem }>('PATCH', `/action-items/${encodeURIComponent(itemId)}`, change, { version })).item,
    // The address or number goes in the body, never in the path or query (docs/privacy.md).
    privacyRequest: (kind, terms) => privacyOutcome(api.send('POST', kind === 'access' ? '/privacy/access-requests' : '/privacy/erasure-requests', terms)),
    privacyRequests: async (cursor) => (await api.get<PrivacyRequestPage>(`/privacy/requests?${new URLSearchParams({ limit: String(PAGE_SIZE), ...(cursor ? { cursor } : {}) }).toString()}`)).data,
    privacyRequestDetail: async (requestId) => (await api.get<{ request: PrivacyRequest; download?: ExportDownload }>(`/privacy/requests/${encodeURIComponent(requestId)}`)).data,
    placeLegalHold: (caseId, hold) => holdChange(api.send('PUT', `/cases/${id(caseId)}/legal-hold`, hold)),
    releaseLegalHold: (caseId, release) => holdChange(api.send('DELETE', `/cases/${id(caseId)}/legal-hold`, release)),
    quarantine: async (cursor) => (await api.get<{ items: QuarantineItem[]; nextCursor?: string }>(`/quarantine${cursor ? `?${new URLSearchParams({ cursor }).toString()}` : ''}`)).data,
    training: async (staffId) => (await api.get<TrainingStatusAnswer>(`/training${staffId ? `?${new URLSearchParams({ staffId }).toString()}` : ''}`)).data,
    recordTraining: (staffId, body) => api.send('POST', `/staff/${encodeURIComponent(staffId)}/training`, body),
  };
}
