import * as z from 'zod';
import { emailAddress } from './email-address';
import { CaseStateError } from './errors';
import { ComplaintChecklistSchema } from './complaint-checklist';
import { ContactAccessGrantSchema } from './contact-access';
import { CaseFollowUpSchema } from './follow-up';
import { floorToSecond, runningTime, slaCalendar, SlaDeadlinesSchema, slaPolicy, warningPoint, windowEnd, type SlaPolicy } from './sla-policy';
import { CaseSurveySchema } from './survey-state';

export const CaseTypeSchema = z.enum(['inquiry', 'complaint']);
export type CaseType = z.infer<typeof CaseTypeSchema>;

export const ChannelSchema = z.enum(['web', 'email', 'phone', 'api']);
export type Channel = z.infer<typeof ChannelSchema>;

export const PrioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof PrioritySchema>;

export const CaseStatusSchema = z.enum(['new', 'acknowledged', 'in_progress', 'pending_customer', 'resolved', 'closed']);
export type CaseStatus = z.infer<typeof CaseStatusSchema>;

export const PhoneSchema = z.string().regex(/^\+?[0-9 ().-]{6,32}$/, 'Enter a valid phone number');

/** The customer: an email address, a phone number (a caller who gave no address), or both. */
export const CustomerFieldsSchema = z.object({
  name: z.string().min(1).max(200),
  /** ASCII or internationalised (RFC 6532); see email-address.ts. */
  email: emailAddress().max(254).optional(),
  phone: z.string().max(32).optional(),
  /** Mail caseflow sent to this address bounced: staff should confirm the address. */
  emailBouncing: z.boolean().optional(),
});
export const CustomerSchema = CustomerFieldsSchema.refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'A customer needs an email address or a phone number', path: ['email'] });
export type Customer = z.infer<typeof CustomerSchema>;

/** Who did something: the role they acted in (roles.ts) and their subject; the customer and the system have no subject. */
export const ActorSchema = z.object({
  kind: z.enum(['customer', 'agent', 'supervisor', 'manager', 'feedback', 'auditor', 'admin', 'system']),
  id: z.string().optional(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const SYSTEM: Actor = { kind: 'system', id: 'caseflow' };

/** Who a case is assigned to, as the staff directory knew them at assignment; their team decides where its escalations go (escalation-contacts.ts). */
export const AssigneeSchema = z.object({ id: z.string().min(1), name: z.string().optional(), email: z.email().optional(), team: z.string().min(1).max(64).optional() });
export type Assignee = z.infer<typeof AssigneeSchema>;

/**
 * The latest escalation, on the case so the SLA workflow and queues see it without another read.
 * Its record (escalation.ts) has the whole story; `number` counts the case's escalations (ESC-01, ESC-02…).
 */
export const EscalationSummarySchema = z.object({
  number: z.number().int().positive().optional(),
  level: z.number().int().positive(),
  escalatedAt: z.iso.datetime(),
  responsibleParty: z.string(),
  respondBy: z.iso.datetime(),
  /** Accepted by the escalated party (M3.3): the workflow stops climbing the levels. */
  acknowledgedAt: z.iso.datetime().optional(),
  acceptedBy: z.string().optional(),
  /** The escalation is over: resolved with an outcome, or handed back to the agent. */
  endedAt: z.iso.datetime().optional(),
  ending: z.enum(['resolved', 'de-escalated']).optional(),
});
export type EscalationSummary = z.infer<typeof EscalationSummarySchema>;

/** The case record. Personal data lives here (encrypted at rest), never in logs or keys. */
/** Why a case is held: what an erasure request is told (the basis and matter, never the note). */
export const LegalHoldBasisSchema = z.enum(['litigation', 'regulatory-inquiry', 'complaint-investigation', 'law-enforcement', 'other']);
export const LegalHoldSchema = z.object({
  basis: LegalHoldBasisSchema,
  /** The matter's own reference (a claim or regulator's number), so that the hold can be traced and released. */
  matter: z.string().trim().min(1).max(100).optional(),
  placedBy: z.string(),
  placedAt: z.iso.datetime(),
});
export type LegalHold = z.infer<typeof LegalHoldSchema>;

export const CaseSchema = z.object({
  caseId: z.uuid(),
  reference: z.string().regex(/^CS-[0-9A-Z]{6}$/),
  type: CaseTypeSchema,
  channel: ChannelSchema,
  priority: PrioritySchema,
  status: CaseStatusSchema,
  customer: CustomerSchema,
  subject: z.string().min(1).max(200),
  message: z.string().min(1),
  orderReference: z.string().max(64).optional(),
  privacyConsentAt: z.iso.datetime().optional(),
  receivedAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  sla: SlaDeadlinesSchema,
  acknowledgedAt: z.iso.datetime().optional(),
  firstRespondedAt: z.iso.datetime().optional(),
  resolvedAt: z.iso.datetime().optional(),
  closedAt: z.iso.datetime().optional(),
  assignee: AssigneeSchema.optional(),
  escalation: EscalationSummarySchema.optional(),
  /** Set at the first SLA breach, so queues can put breached cases first. */
  slaBreached: z.boolean().optional(),
  /** SES judged the opening email spam (X-SES-Spam-Verdict: FAIL): kept, flagged for staff. */
  spam: z.boolean().optional(),
  /** A message of the case needed repairs to be read (fallback charset, replacement characters…): its event lists them. */
  mailProblems: z.boolean().optional(),
  /** The earlier case this one follows up (a reply to a closed case, or a resolved one past the reopen window). */
  relatedCaseId: z.uuid().optional(),
  /** How the case was resolved (C3.2, M7.1): the summary written at resolution. */
  resolution: z.object({ summary: z.string(), resolvedBy: z.string() }).optional(),
  /** A complaint's resolution checklist (M3.2, M9.2): complete before the complaint may be resolved. */
  complaintChecklist: ComplaintChecklistSchema.optional(),
  /** The complaint's follow-up, scheduled at resolution from the checklist, pending until its outcome is recorded (M3.2; follow-up.ts). */
  followUp: CaseFollowUpSchema.optional(),
  /** A resolved case closes by itself at this time unless the customer writes again (closure starts retention, M7.2). */
  autoCloseAt: z.iso.datetime().optional(),
  /** Feedback-team members a supervisor let see the customer's contact details, until when (C4.2). */
  contactAccess: z.array(ContactAccessGrantSchema).optional(),
  /** A legal hold (M5.1, C6.1; GDPR art. 17(3)(e)): while it stands, no erasure touches the case (legal-hold.ts). */
  legalHold: LegalHoldSchema.optional(),
  /** The satisfaction survey sent for the case's resolution (M8.1, C7.1): at most one, and one reminder (survey.ts). */
  survey: CaseSurveySchema.optional(),
  /** The case's personal data was erased (M5.1, C6.1): by which request, when. Its records are in erased form. */
  erasure: z.object({ requestId: z.uuid(), erasedAt: z.iso.datetime() }).optional(),
  /** Number of timeline events: the sequence number of the last one, and the optimistic-lock version. */
  version: z.number().int().nonnegative(),
  /** Hash of the last timeline event: the head of the audit chain (M7.3). */
  lastEventHash: z.string(),
  /** DynamoDB TTL (epoch seconds), set only when the case is closed: retention runs from closure (M7.2). */
  expiresAt: z.number().int().optional(),
  /** The retention policy version the case is kept under (docs/retention.md): the one current at its closure, never changed after. */
  retentionPolicyVersion: z.string().optional(),
  /** The closed case's archive object (M7.2 / C4.3), recorded with a `case_archived` event: expiry checks it. */
  archive: z
    .object({ key: z.string(), sha256: z.string(), versionId: z.string().optional(), archivedAt: z.iso.datetime(), retainUntil: z.iso.datetime(), bytes: z.number().int().nonnegative() })
    .optional(),
});
export type Case = z.infer<typeof CaseSchema>;

/**
 * A case's next timer, as a queue shows it counting down: amber from `warnAt` (the policy's warning
 * point, sla-policy.ts `warningPoint`), red once `dueAt` has passed.
 * - `acknowledgement`, `initial_response`: the SLA milestones not met yet (M3.1, C3.1); initial
 *   assistance moved by the time already spent waiting for the customer, and `paused` while the case
 *   waits for them (the clock is stopped: `dueAt` is the earliest it can become).
 * - `escalation`: a complaint not escalated yet goes to a supervisor 24 h after receipt (M3.2, C3.3).
 * - `escalation_response`: an active escalation nobody accepted yet must be accepted by `respondBy` (M3.3).
 * - `auto_close`: a resolved case closes by itself then (M7.2); nothing to warn of, so `warnAt` is `dueAt`.
 * A breached milestone stays (its `dueAt` in the past) until it is met.
 */
export const NextDueSchema = z.object({
  milestone: z.enum(['acknowledgement', 'initial_response', 'escalation', 'escalation_response', 'auto_close']),
  dueAt: z.iso.datetime(),
  warnAt: z.iso.datetime(),
  paused: z.literal(true).optional(),
});
export type NextDue = z.infer<typeof NextDueSchema>;

/**
 * What a staff queue shows for a case: the customer's name but no contact details, its next timer
 * (`nextDue`, and `nextDueAt`, its time for an open case, which the work queues sort by) and, once
 * resolved, when it closes by itself (`autoCloseAt`). The table keeps it on the case item, and the
 * queue indexes project only it (docs/data-model.md). `customerName` and `nextDue` are absent from
 * summaries written before they were kept, until their case next changes.
 */
export const CaseSummarySchema = CaseSchema.pick({
  caseId: true,
  reference: true,
  type: true,
  channel: true,
  priority: true,
  status: true,
  subject: true,
  receivedAt: true,
  updatedAt: true,
  sla: true,
  assignee: true,
  slaBreached: true,
  escalation: true,
  mailProblems: true,
  autoCloseAt: true,
}).extend({ customerName: z.string().optional(), nextDue: NextDueSchema.optional(), nextDueAt: z.iso.datetime().optional() });
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export function summarize(c: Case): CaseSummary {
  const { caseId, reference, type, channel, priority, status, subject, receivedAt, updatedAt, sla, assignee, slaBreached, escalation, mailProblems, autoCloseAt } = c;
  const next = nextDue(c);
  const due = nextDueAt(c);
  return {
    caseId, reference, type, channel, priority, status, subject, receivedAt, updatedAt, sla,
    // The name only: the queues never carry an address or a phone number.
    customerName: c.customer.name,
    ...(assignee ? { assignee } : {}),
    ...(slaBreached ? { slaBreached } : {}),
    ...(escalation ? { escalation } : {}),
    ...(mailProblems ? { mailProblems } : {}),
    ...(next ? { nextDue: next } : {}),
    ...(due ? { nextDueAt: due } : {}),
    ...(autoCloseAt ? { autoCloseAt } : {}),
  };
}

const isoOf = (ms: number) => new Date(ms).toISOString();

/** The case's next timer (NextDueSchema): the earliest of those still running, the first listed on a tie. Undefined for a closed case. */
export function nextDue(c: Case, given?: SlaPolicy): NextDue | undefined {
  if (c.status === 'resolved') return c.autoCloseAt ? { milestone: 'auto_close', dueAt: c.autoCloseAt, warnAt: c.autoCloseAt } : undefined;
  if (!isOpen(c.status)) return undefined;
  // Looked up only for an open case: a closed one's records are written by functions that never read its policy version.
  const policy = given ?? slaPolicy(c.sla.policyVersion);
  const { warningRatio } = policy;
  // The SLA windows run on the case's calendar (business time), an escalation's respond-by round the clock.
  const calendar = slaCalendar(c.sla, policy);
  const received = Date.parse(c.receivedAt);
  const timers: NextDue[] = [];
  const add = (milestone: NextDue['milestone'], dueMs: number, lengthMs: number, paused = false, onCalendar = calendar) =>
    timers.push({ milestone, dueAt: isoOf(dueMs), warnAt: isoOf(warningPoint(dueMs, lengthMs, warningRatio, onCalendar)), ...(paused ? { paused: true as const } : {}) });

  if (!c.acknowledgedAt) {
    const dueMs = Date.parse(c.sla.acknowledgementDueAt);
    add('acknowledgement', dueMs, runningTime(received, dueMs, calendar));
  }
  if (!c.firstRespondedAt) {
    // As the SLA plan counts it (sla-plan.ts `effectiveInitialResponseDue`), with the pauses that ended.
    const plannedMs = Date.parse(c.sla.initialResponseDueAt);
    const dueMs = c.sla.pausedMs ? floorToSecond(windowEnd(plannedMs, c.sla.pausedMs, calendar)) : plannedMs;
    add('initial_response', dueMs, runningTime(received, plannedMs, calendar), c.sla.pausedSince !== undefined);
  }
  if (c.type === 'complaint' && c.sla.escalationDueAt && !c.escalation) {
    const dueMs = Date.parse(c.sla.escalationDueAt);
    add('escalation', dueMs, runningTime(received, dueMs, calendar));
  }
  if (c.escalation && !c.escalation.acknowledgedAt && !c.escalation.endedAt) {
    const dueMs = Date.parse(c.escalation.respondBy);
    add('escalation_response', dueMs, dueMs - Date.parse(c.escalation.escalatedAt), false, undefined);
  }
  return timers.reduce<NextDue | undefined>((earliest, t) => (earliest === undefined || t.dueAt < earliest.dueAt ? t : earliest), undefined);
}

/**
 * The time of an open case's next timer (`nextDue`), which the work queues sort by: breached
 * milestones stay in the past, so breached cases come first. Undefined for a case not open (a
 * resolved case's automatic closure is `autoCloseAt`) or with no timer left.
 */
export function nextDueAt(c: Case): string | undefined {
  return isOpen(c.status) ? nextDue(c)?.dueAt : undefined;
}

export const OPEN_STATUSES: readonly CaseStatus[] = ['new', 'acknowledged', 'in_progress', 'pending_customer'];
export const isOpen = (status: CaseStatus): boolean => OPEN_STATUSES.includes(status);

/** The address mail to the customer goes to; a customer who gave none (a caller) cannot be emailed. */
export function customerAddress(c: Pick<Case, 'customer' | 'reference'>): string {
  if (c.customer.email === undefined) throw new CaseStateError(`The customer of ${c.reference} gave no email address: call them, and log the call on the case`);
  return c.customer.email;
}
