/**
 * The staff API's JSON as the console reads it (docs/staff-api.md, GET /v1/openapi.json). Written
 * out here rather than imported from functions/core, so that no server code (zod, node:crypto)
 * reaches the bundle. Fields the console does not need are
 * left out; fields newer than a server may be absent, and the console copes.
 */
export type CaseType = 'inquiry' | 'complaint';
export type Channel = 'web' | 'email' | 'phone' | 'api';
export type Priority = 'low' | 'normal' | 'high' | 'urgent';
export type CaseStatus = 'new' | 'acknowledged' | 'in_progress' | 'pending_customer' | 'resolved' | 'closed';
export type StaffRole = 'agents' | 'supervisors' | 'managers' | 'feedback' | 'auditors' | 'admins';
export type QueueName = 'all' | 'mine' | 'unassigned' | 'breaching' | 'escalated';
/** The escalated queue's levels, by the role that answers them: level 1 the supervisors', level 2 and above the managers'. */
export type EscalationLevel = 'supervisors' | 'managers';
export type Milestone = 'acknowledgement' | 'initial_response' | 'escalation';
/** The deadlines a queue row counts down to (the SLA milestones, an escalation's respond-by, the automatic closure). */
export type DueMilestone = Milestone | 'escalation_response' | 'auto_close';
export type ActorKind = 'customer' | 'agent' | 'supervisor' | 'manager' | 'feedback' | 'auditor' | 'admin' | 'system';

export interface Actor {
  kind: ActorKind;
  id?: string | undefined;
}

export interface Assignee {
  id: string;
  name?: string | undefined;
  email?: string | undefined;
}

export interface SlaDeadlines {
  policyVersion: string;
  acknowledgementDueAt: string;
  initialResponseDueAt: string;
  escalationDueAt?: string | undefined;
  pausedMs?: number | undefined;
  pausedSince?: string | undefined;
  warned?: Milestone[] | undefined;
  breached?: Milestone[] | undefined;
}

export interface EscalationSummary {
  number?: number | undefined;
  level: number;
  escalatedAt: string;
  responsibleParty: string;
  respondBy: string;
  acknowledgedAt?: string | undefined;
  acceptedBy?: string | undefined;
  endedAt?: string | undefined;
  ending?: 'resolved' | 'de-escalated' | undefined;
}

export interface NextDue {
  milestone: DueMilestone;
  dueAt: string;
  warnAt?: string | undefined;
}

/** What a queue row and a whole case both say of a case. */
interface CaseIdentity {
  caseId: string;
  reference: string;
  type: CaseType;
  channel: Channel;
  priority: Priority;
  status: CaseStatus;
  subject: string;
}

/** A queue row: no contact details. `customerName` and `nextDue` come with newer servers. */
export interface CaseSummary extends CaseIdentity {
  receivedAt: string;
  updatedAt: string;
  sla: SlaDeadlines;
  assignee?: Assignee | undefined;
  slaBreached?: boolean | undefined;
  escalation?: EscalationSummary | undefined;
  mailProblems?: boolean | undefined;
  autoCloseAt?: string | undefined;
  nextDueAt?: string | undefined;
  customerName?: string | undefined;
  nextDue?: NextDue | undefined;
}

export interface CasePage {
  items: CaseSummary[];
  nextCursor?: string | undefined;
}

export interface Customer {
  name: string;
  email?: string | undefined;
  phone?: string | undefined;
  emailBouncing?: boolean | undefined;
  /** The feedback team without a grant sees the name alone (C4.2). */
  contactDetails?: 'withheld' | undefined;
}

export interface ComplaintChecklist {
  complaintHeard?: boolean | undefined;
  empathyShown?: boolean | undefined;
  solutionOffered?: string | undefined;
  correctiveAction?: string | undefined;
  followUp?: { date: string; plan: string } | undefined;
}

export interface ContactAccessGrant {
  staffId: string;
  grantedBy: string;
  grantedAt: string;
  expiresAt: string;
  reason: string;
}

/** A closed case's archive as recorded on it (M7.2). */
export interface ArchiveRecord {
  key: string;
  sha256: string;
  versionId?: string | undefined;
  archivedAt: string;
  retainUntil: string;
  bytes: number;
}

/** GET /v1/archive/{reference}: the archive read back and verified. */
export interface ArchiveVerification {
  reference: string;
  caseId: string;
  verified: boolean;
  problems: string[];
  recorded?: ArchiveRecord | undefined;
  /** Where the archive was found: the case in the table, or the archive index once the case expired. */
  foundThrough?: 'case' | 'archive-index' | undefined;
  expiredAt?: string | undefined;
  /** `readable`: the customer's key opened the sealed record; `erased`: the key is destroyed (an erasure). */
  personalData?: 'readable' | 'erased' | undefined;
  verifiedAt: string;
}

export interface CaseRecord extends CaseIdentity {
  archive?: ArchiveRecord | undefined;
  customer: Customer;
  message: string;
  orderReference?: string | undefined;
  receivedAt: string;
  updatedAt: string;
  sla: SlaDeadlines;
  acknowledgedAt?: string | undefined;
  firstRespondedAt?: string | undefined;
  resolvedAt?: string | undefined;
  closedAt?: string | undefined;
  assignee?: Assignee | undefined;
  escalation?: EscalationSummary | undefined;
  slaBreached?: boolean | undefined;
  spam?: boolean | undefined;
  mailProblems?: boolean | undefined;
  relatedCaseId?: string | undefined;
  resolution?: { summary: string; resolvedBy: string } | undefined;
  complaintChecklist?: ComplaintChecklist | undefined;
  /** The complaint's follow-up, scheduled at resolution (M3.2): pending until its outcome is recorded. */
  followUp?: { date: string; responsible: string; state: 'pending' | 'recorded'; recordedAt?: string | undefined } | undefined;
  autoCloseAt?: string | undefined;
  contactAccess?: ContactAccessGrant[] | undefined;
  version: number;
}

export interface StoredAttachment {
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  inline: boolean;
}

export interface EmailMessageData {
  messageId?: string | undefined;
  subject: string;
  text?: string | undefined;
  textCut?: boolean | undefined;
  attachments: StoredAttachment[];
  spam?: boolean | undefined;
  problems?: string[] | undefined;
}

/** One event of the timeline. `data` is read per `type` (logic/timeline.ts); unknown types are shown generically. */
export interface CaseEvent {
  caseId: string;
  seq: number;
  at: string;
  actor: Actor;
  type: string;
  data: Record<string, unknown>;
  changes?: Record<string, { before?: unknown; after?: unknown }> | undefined;
  prevHash: string;
  hash: string;
}

export type ChainVerdict = { valid: true; length: number } | { valid: false; brokenAtSeq: number; reason: string };

export interface CaseDetail {
  case: CaseRecord;
  timeline: CaseEvent[];
  integrity: ChainVerdict;
}

export interface EscalationRecord {
  escalationId: string;
  number?: number | undefined;
  level: number;
  trigger: 'automatic' | 'manual';
  escalatedAt: string;
  escalatedFrom: string;
  responsibleParty: string;
  reason: string;
  respondBy: string;
  actionsTaken: { at: string; by: string; action: string }[];
  acknowledgedAt?: string | undefined;
  acceptedBy?: string | undefined;
  ending?: 'resolved' | 'de-escalated' | 'escalated-further' | undefined;
  endedAt?: string | undefined;
  outcome?: string | undefined;
}

export interface AuditTrail {
  caseId: string;
  head: { version: number; lastEventHash: string };
  events: CaseEvent[];
}

export interface AuditVerification {
  caseId: string;
  valid: boolean;
  length: number;
  head: { version: number; lastEventHash: string };
  anchorsChecked: number;
  brokenAtSeq?: number | undefined;
  reason?: string | undefined;
  escalationLog?: { escalationId: string; problem: string }[] | undefined;
  caseState?: { field: string; problem: string }[] | undefined;
  verifiedAt: string;
}

export interface StaffMember {
  id: string;
  name?: string | undefined;
  email?: string | undefined;
  roles: StaffRole[];
  /** The team they work in (the directory's `custom:team`): their cases escalate to its contacts. */
  team?: string | undefined;
}

export interface SlaPolicy {
  version: string;
  acknowledgementMinutes: number;
  initialResponseHours: number;
  complaintEscalationHours: number;
  correctiveActionDays: number;
  retentionYears: number;
  warningRatio: number;
  escalationResponseHours: number;
  maxEscalationLevel: number;
  autoCloseDays: number;
  /** Who each team's escalations go to under this version (docs/sla-policies.md). */
  escalationContacts?: Record<string, { supervisor: string; manager?: string | undefined }> | undefined;
}

/** GET /v1/sla-policies (M8.3): every version, built in or published, the current one marked. */
export interface SlaPolicyVersions {
  currentPolicyVersion: string;
  policies: Array<{
    policy: SlaPolicy & { calendars?: Record<string, unknown>; calendarRules?: Record<string, unknown> };
    current: boolean;
    publishedAt?: string;
    publishedBy?: string;
    calendarByCase: Array<{ type: CaseType; priority: Priority; calendar: string }>;
  }>;
}

/** GET /v1/retention-policies (M7.2, C4.3): every retention version, built in or published, the current one marked. */
export interface RetentionPolicyVersions {
  currentPolicyVersion: string;
  policies: Array<{ policy: { version: string; years: number }; current: boolean; reason?: string; publishedAt?: string; publishedBy?: string }>;
}

/** The open cases a migration selects: all, or of a type and/or priority. */
export interface MigrationSelection {
  type?: CaseType;
  priority?: Priority;
}

/** A migration's record and progress (GET /v1/sla-policies/{version}/migrations/{migrationId}). */
export interface MigrationRecord {
  migrationId: string;
  toVersion: string;
  status: 'running' | 'completed' | 'failed';
  migrated: number;
  alreadyOnVersion: number;
  /** Why the last run failed. */
  failure?: string;
}

/** POST /v1/sla-policies/{version}/migrations: the record of a migration, or a dry run's count. */
export type MigrationAnswer = { dryRun: true; toVersion: string; wouldMigrate: number } | MigrationRecord;

export interface Settings {
  currentPolicyVersion: string;
  policies: SlaPolicy[];
  display: { timeZone: string; locale: string };
}

export interface QuarantineItem {
  rawObjectKey: string;
  reason: string;
  problems: string[];
  quarantinedAt: string;
}

export interface AttachmentLink {
  url: string;
  filename: string;
  contentType: string;
  size: number;
  expiresAt: string;
}

/** The API's error body: `error`, and for invalid input the fields (`issues`). API Gateway's own answers carry `message`. */
export interface ApiErrorBody {
  error?: string;
  message?: string;
  issues?: { path: string; message: string }[];
  currentVersion?: number;
  missing?: string[];
  /** A refused (409) or failed (500) privacy request answers with its record. */
  request?: PrivacyRequest;
}

// ---- Privacy requests (M5.1, C6.1; functions/core/privacy-access.ts, privacy-erasure.ts, docs/privacy.md) ----

export type PrivacyRequestKind = 'access' | 'erasure';
export type PrivacyRequestStatus = 'completed' | 'refused' | 'failed';
export type LegalHoldBasis = 'litigation' | 'regulatory-inquiry' | 'complaint-investigation' | 'law-enforcement' | 'other';

/** Whom a request was about: the SHA-256 of the normalised address or number, never the value itself. */
export interface PrivacySubject {
  kind: 'email' | 'phone';
  digest: string;
}

export interface PrivacyRequestCounts {
  cases: number;
  events: number;
  messages: number;
  attachments: number;
  archives: number;
  bytes: number;
}

export interface LegalHold {
  basis: LegalHoldBasis;
  matter?: string | undefined;
  placedBy: string;
  placedAt: string;
}

/** A case that stopped an erasure, and why (a hold's basis and matter, never its note). */
export interface ErasureBlocker {
  caseId: string;
  reference: string;
  reason: 'legal-hold' | 'open' | 'archiving';
  detail: string;
  hold?: LegalHold | undefined;
}

export interface ErasureTally {
  casesErased: number;
  archivedOnly: number;
  recordsRewritten: number;
  eventsNotErasable: number;
  rawMessagesDeleted: number;
  filesDeleted: number;
  exportsDeleted: number;
  keysDestroyed: number;
  indexEntriesDeleted: number;
}

/** A privacy request's record: the accountability record of the request. It holds no address or number. */
export interface PrivacyRequest {
  requestId: string;
  kind: PrivacyRequestKind;
  subject: PrivacySubject;
  requestedBy: Actor;
  requestedAt: string;
  status: PrivacyRequestStatus;
  completedAt: string;
  caseIds: string[];
  counts: PrivacyRequestCounts;
  exportSha256?: string | undefined;
  exportExpiresAt?: string | undefined;
  notRecordedOn?: { caseId: string; reason: string }[] | undefined;
  missingFiles?: number | undefined;
  failure?: string | undefined;
  subjects?: PrivacySubject[] | undefined;
  blockedBy?: ErasureBlocker[] | undefined;
  erased?: ErasureTally | undefined;
}

/** The monthly compliance report of a month (POST /v1/reports/monthly, GET /v1/reports/monthly/{month}): 15-minute links to its page, figures and PDF. */
export interface MonthlyReportAnswer {
  report: { month: string; asOf: string; pdfNotProduced?: string | undefined };
  links: { html: ReportLink; json: ReportLink; pdf?: ReportLink | undefined };
}
export interface ReportLink {
  url: string;
  expiresAt: string;
}

/** A 15-minute link to an access request's export. */
export interface ExportDownload {
  url: string;
  filename: string;
  expiresAt: string;
}

export interface PrivacyRequestPage {
  items: PrivacyRequest[];
  nextCursor?: string | undefined;
}

/** A non-compliance record (GET /v1/non-compliance, C8.1–C8.3): its cause, its 7-day corrective-action deadline, actions, sign-off. */
export type CorrectiveActionType = 'retraining' | 'additional_oversight' | 'revised_responsibilities' | 'process_change';
export type NonComplianceStatus = 'open' | 'overdue' | 'action_recorded' | 'closed';
export interface NonComplianceRecord {
  id: string;
  version: number;
  openedAt: string;
  openedBy: { kind: string; id: string };
  cause: { kind: 'sla_breach'; milestone: string; dueAt: string } | { kind: 'reported'; description: string } | { kind: 'quality_review'; reviewId: string; overall: number; lowCriteria: string[] };
  caseId?: string | undefined;
  staffId?: string | undefined;
  correctiveActionDueAt: string;
  status: NonComplianceStatus;
  warned: boolean;
  deadlineMissedAt?: string | undefined;
  correctiveActions: { type: CorrectiveActionType; description: string; evidence: string; recordedBy: { kind: string; id: string }; recordedAt: string }[];
  signedOff?: { by: { kind: string; id: string }; at: string; note?: string | undefined } | undefined;
  repeated: boolean;
  repeatOf: string[];
}

/** A response-quality review (GET /v1/quality-reviews, M3.1, M6.1, C6.3): a sampled reply and its scorecard. */
export type ReviewCriterion = 'accuracy' | 'relevance' | 'completeness' | 'tone' | 'protocolAdherence';
export type Scorecard = Record<ReviewCriterion, { score: number; comment: string }>;
export interface QualityReview {
  id: string;
  version: number;
  week: string;
  caseId: string;
  seq: number;
  staffId: string;
  repliedAt: string;
  sampledAt: string;
  sampledBy: 'share' | 'weekly_top_up';
  status: 'pending' | 'done';
  score?: { scorecard: Scorecard; summary?: string | undefined; overall: number; failed: boolean; by: { kind: string; id?: string | undefined }; at: string } | undefined;
  nonComplianceId?: string | undefined;
  history: { type: 'sampled' | 'scored' | 'rescored'; at: string; actor: { kind: string; id?: string | undefined }; overall?: number | undefined; failed?: boolean | undefined }[];
}
/** A survey answer in the feedback log (GET /v1/feedback, C4.2: confidential): the customer's rating, whether it was solved, their comment. */
export interface FeedbackEntry {
  caseId: string;
  reference: string;
  surveyId: string;
  rating: number;
  solved: boolean;
  comment?: string;
  agent?: string;
  type: 'inquiry' | 'complaint';
  channel: string;
  answeredAt: string;
  firstAnsweredAt: string;
  erasedBy?: string;
}

/** Satisfaction over some answers (docs/feedback-analysis.md): null shares when nobody answered. */
export interface Csat {
  answers: number;
  meanRating: number | null;
  satisfied: number | null;
  solved: number | null;
}

export interface ThemeCount {
  theme: string;
  comments: number;
  lowRatings: number;
  lowRatingShare: number | null;
}

export type FeedbackTrendsGroupBy = 'day' | 'week' | 'type' | 'channel' | 'agent';

export interface FeedbackTrendFigures {
  csat: Csat;
  comments: number;
  untagged: number;
  themes: ThemeCount[];
}

/** GET /v1/feedback/trends (M4.3, M8.3): CSAT and themes, counts only. */
export interface FeedbackTrends {
  period: { from: string; to: string; days: number };
  groupBy: FeedbackTrendsGroupBy;
  totals: FeedbackTrendFigures;
  groups: (FeedbackTrendFigures & { key: string })[];
}

export type ActionItemStatus = 'open' | 'in_progress' | 'done' | 'dropped';

/** An action item (M8.2, C7.2): a recommendation, its owner and due day, where it stands, what prompted it, its history. */
/** A complaint's follow-up due (GET /v1/follow-ups, M3.2): the case by reference only, never the customer's details. */
export interface FollowUpDue {
  caseId: string;
  reference: string;
  date: string;
  responsible: string;
  overdue: boolean;
  remindedAt?: string | undefined;
  supervisorRemindedAt?: string | undefined;
}

export interface ActionItem {
  itemId: string;
  recommendation: string;
  theme?: string;
  owner: string;
  dueOn: string;
  status: ActionItemStatus;
  droppedReason?: string;
  links: { feedback: string[]; cases: string[]; nonCompliance: string[] };
  createdBy: { id: string; kind: string };
  createdAt: string;
  updatedAt: string;
  version: number;
  overdue: boolean;
  history: { at: string; by: { id: string; kind: string }; status?: { from: ActionItemStatus | null; to: ActionItemStatus }; owner?: { from: string | null; to: string }; dueOn?: { from: string | null; to: string }; reason?: string }[];
}

/** Staff training (C5.1-C5.3; functions/core/training.ts, docs/training.md). */
export type TrainingStatusValue = 'current' | 'due_soon' | 'lapsed' | 'never_trained';

export interface TrainingCourse {
  id: string;
  title: string;
  requiredForCases: boolean;
  refresherMonths: number;
}

export interface TrainingEvidence {
  note?: string | undefined;
  file?: string | undefined;
  url?: string | undefined;
}

export interface TrainingRecord {
  recordId: string;
  staffId: string;
  courseId: string;
  completedAt: string;
  evidence: TrainingEvidence;
  corrects?: string | undefined;
  recordedBy: { kind: string; id: string };
  recordedAt: string;
}

export interface TrainingCourseStatus {
  courseId: string;
  title: string;
  requiredForCases: boolean;
  status: TrainingStatusValue;
  lastCompletedAt?: string | undefined;
  dueAt?: string | undefined;
}

export interface TrainingMember {
  staffId: string;
  name?: string | undefined;
  courses: TrainingCourseStatus[];
  requiredMissing: string[];
  records: TrainingRecord[];
}

/** GET /v1/training: one member, or the team for supervisors and admins. */
export interface TrainingStatusAnswer {
  asOf: string;
  reminderDays: number;
  catalogue: TrainingCourse[];
  members: TrainingMember[];
  lapsed: string[];
  dueSoon: string[];
}

export interface RecordTrainingBody {
  courseId: string;
  completedAt: string;
  evidence: TrainingEvidence;
  corrects?: string | undefined;
}

/** A representative's performance review (C7.3; GET /v1/performance-reviews/{staffId}): the parts the Performance screen shows. */
export interface DurationStats {
  count: number;
  p50Ms: number | null;
  p90Ms: number | null;
  maxMs: number | null;
}
export interface Attainment {
  met: number;
  breached: number;
  pending: number;
  stopped: number;
  attainment: number | null;
}
export interface PerformanceAttentionPoint {
  rule: string;
  figure: string;
  value: number;
  threshold: number;
  message: string;
}
export interface PerformanceReview {
  staffId: string;
  name?: string | undefined;
  period: { from: string; to: string; days: number };
  asOf: string;
  attention: PerformanceAttentionPoint[];
  metrics: {
    cases: number;
    acknowledgementTime: DurationStats;
    firstResponseTime: DurationStats;
    sla: { acknowledgement: Attainment; initialResponse: Attainment; escalationResponse: Attainment };
    breaches: { recorded: number; cases: number; rate: number | null };
    resolution: { resolved: number; rate: number | null; time: DurationStats };
    escalation: { escalated: number; rate: number | null };
    reopen: { reopened: number; rate: number | null };
  };
  csat: { answers: number; meanRating: number | null; satisfied: number | null; solved: number | null };
  quality: { sampled: number; scored: number; failed: number; meanOverall: number | null; meanByCriterion: Record<string, number | null> };
  nonCompliance: {
    opened: number;
    byCause: { slaBreach: number; reported: number; qualityReview: number };
    byStatus: { open: number; overdue: number; action_recorded: number; closed: number };
    repeated: boolean;
  };
  training: { courses: { courseId: string; title: string; requiredForCases: boolean; status: 'current' | 'due_soon' | 'lapsed' | 'never_trained'; dueAt?: string | undefined }[]; requiredMissing: string[] };
}
