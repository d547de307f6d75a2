import * as z from 'zod';
import { ActorSchema, AssigneeSchema, CaseStatusSchema, CaseTypeSchema, ChannelSchema, LegalHoldBasisSchema, PrioritySchema } from './case';
import { ComplaintChecklistSchema } from './complaint-checklist';
import { MilestoneSchema, SlaDeadlinesSchema } from './sla-policy';

/**
 * The timeline: every interaction and change on a case, append-only and hash-chained (M5.3, M7.1, M7.3).
 * One schema per event type, so each event's data is typed.
 */
/** An attachment or inline image stored with the case (C4.1). */
export const StoredAttachmentSchema = z.object({
  filename: z.string(),
  contentType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string(),
  inline: z.boolean(),
  /** Where the content is in the attachments bucket: `cases/<caseId>/attachments/<sha256>` (the name is never in the key). */
  key: z.string(),
});
export type StoredAttachment = z.infer<typeof StoredAttachmentSchema>;

/** The email behind an event: the CRM keeps the thread (C4.1, M7.1). The raw message stays in the inbound bucket. */
export const EmailMessageDataSchema = z.object({
  /** Normalised Message-ID, when the message had one. */
  messageId: z.string().optional(),
  rawObjectKey: z.string(),
  /** The key of the message's inbound record (INBOUND#<key>, a SHA-256): it expires with the case (docs/retention.md). */
  inboundKey: z.string().optional(),
  subject: z.string(),
  /** The body as text (replies; the opening message is the case's `message`). */
  text: z.string().optional(),
  /** The body was longer than the record keeps; the raw message has it all. */
  textCut: z.boolean().optional(),
  attachments: z.array(StoredAttachmentSchema),
  spam: z.boolean().optional(),
  /** What the parser repaired or guessed (fallback charset, replacement characters, a reused Message-ID), in words. */
  problems: z.array(z.string()).optional(),
});
export type EmailMessageData = z.infer<typeof EmailMessageDataSchema>;

/** A field of the case a change touched: its value before and after (absent: the field was not set). */
export const FieldChangeSchema = z.object({ before: z.unknown().optional(), after: z.unknown().optional() });

const base = {
  caseId: z.uuid(),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  actor: ActorSchema,
  /**
   * The case fields the change made along with this event, before and after (M7.3: who changed
   * what, when). On the first event of a change; the case's creation has none.
   */
  changes: z.record(z.string(), FieldChangeSchema).optional(),
  prevHash: z.string(),
  hash: z.string(),
  /**
   * Random per event (hex): the event hash commits to its personal data through a digest salted
   * with it (audit-chain.ts), so an erasure can remove both and the chain still verifies, while
   * nobody can test a guess against the digest. Events written before it existed have none.
   */
  salt: z.string().regex(/^[0-9a-f]{32}$/).optional(),
  /** The event's personal data was erased (personal-data.ts): the digest it had, and by which request. */
  redaction: z.object({ personalDigest: z.string().regex(/^[0-9a-f]{64}$/), requestId: z.string(), at: z.iso.datetime() }).optional(),
};

const escalationRef = { escalationId: z.string(), level: z.number().int().positive() };

export const CaseEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('case_received'),
    data: z.object({
      channel: ChannelSchema,
      caseType: CaseTypeSchema,
      sla: SlaDeadlinesSchema,
      /** Email intake: the message that opened the case. */
      email: EmailMessageDataSchema.optional(),
      /** Why the case is a complaint or an inquiry (email intake rules). */
      typeReason: z.string().optional(),
      /** The case this one follows up. */
      relatedCaseId: z.string().optional(),
      /** SHA-256 of the case's audited state as it was opened (case-state.ts): the item is checked against it. */
      stateSha256: z.string().optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('customer_replied'),
    data: EmailMessageDataSchema.extend({
      /** How the reply was matched to the case: subject reference, In-Reply-To/References, plus-address. */
      matchedBy: z.string(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('delivery_failed'),
    data: z.object({ originalMessageId: z.string(), status: z.string().optional(), rawObjectKey: z.string(), inboundKey: z.string().optional(), reason: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('acknowledgement_suppressed'),
    data: z.object({ reason: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('acknowledgement_sent'),
    data: z.object({ messageId: z.string(), template: z.string(), recipient: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('status_changed'),
    data: z.object({
      from: CaseStatusSchema,
      to: CaseStatusSchema,
      reason: z.string().optional(),
      /** On a closure: the retention policy version the case is kept under (M7.2, C4.3; docs/retention.md). */
      retentionPolicyVersion: z.string().optional(),
      /** Resolution (C3.2): the summary, and for a complaint its completed checklist (M9.2). */
      resolution: z.object({ summary: z.string(), checklist: ComplaintChecklistSchema.optional() }).optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('agent_replied'),
    data: z.object({
      /** What the customer is sent, as written (C4.1: the email thread is in the CRM record). */
      text: z.string().optional(),
      /** The outbox message that carries it; its delivery adds a `reply_sent` event with the SES Message-ID. */
      outboxId: z.string().optional(),
      messageId: z.string().optional(),
      firstResponse: z.boolean(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('reply_sent'),
    data: z.object({ outboxId: z.string(), messageId: z.string(), recipient: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('acknowledged'),
    /** Staff acknowledged a case that had moved on from `new` without it (M3.1): the milestone is met now. */
    data: z.object({}),
  }),
  z.object({
    ...base,
    type: z.literal('note_added'),
    /** Internal: never emailed to the customer (M7.1: detailed notes). */
    data: z.object({ text: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('call_logged'),
    /** A phone call with the customer (C4.1: call transcripts in the CRM). */
    data: z.object({
      direction: z.enum(['inbound', 'outbound']),
      startedAt: z.iso.datetime(),
      durationSeconds: z.number().int().nonnegative(),
      transcript: z.string(),
      summary: z.string().optional(),
      /** The call was the case's first assistance to the customer (M3.1). */
      firstResponse: z.boolean(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('assignment_changed'),
    data: z.object({
      from: AssigneeSchema.optional(),
      to: AssigneeSchema.optional(),
      how: z.enum(['assigned', 'claimed', 'unassigned', 'returned']),
      reason: z.string().optional(),
      /** Given in the training guard's warn mode (C5.3): the assignee's required courses lapsed or never taken. */
      trainingWarning: z.object({ courses: z.array(z.string()), message: z.string() }).optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('type_changed'),
    data: z.object({ from: CaseTypeSchema, to: CaseTypeSchema, reason: z.string(), escalationDueAt: z.iso.datetime().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('priority_changed'),
    data: z.object({ from: PrioritySchema, to: PrioritySchema, reason: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('checklist_updated'),
    data: z.object({ checklist: ComplaintChecklistSchema }),
  }),
  z.object({
    ...base,
    type: z.literal('contact_access_revoked'),
    data: z.object({ staffId: z.string(), reason: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('customer_updated'),
    /** Which details were corrected and why; the values are in the event's before/after. */
    data: z.object({ fields: z.array(z.enum(['name', 'email', 'phone'])), reason: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('contact_access_granted'),
    data: z.object({ staffId: z.string(), expiresAt: z.iso.datetime(), reason: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('sla_warning'),
    data: z.object({ milestone: MilestoneSchema, dueAt: z.iso.datetime(), notify: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('sla_policy_migrated'),
    /**
     * An admin moved the open case to another SLA policy version (M8.3: never silently): from which
     * to which, why, under which migration, and the deadlines before and after.
     */
    data: z.object({
      migrationId: z.string(),
      fromVersion: z.string(),
      toVersion: z.string(),
      reason: z.string(),
      before: SlaDeadlinesSchema.pick({ acknowledgementDueAt: true, initialResponseDueAt: true, escalationDueAt: true, calendar: true }),
      after: SlaDeadlinesSchema.pick({ acknowledgementDueAt: true, initialResponseDueAt: true, escalationDueAt: true, calendar: true }),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('sla_breached'),
    data: z.object({ milestone: MilestoneSchema, dueAt: z.iso.datetime(), detectedAt: z.iso.datetime(), notify: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('escalated'),
    data: z.object({
      escalationId: z.string(),
      level: z.number().int().positive(),
      trigger: z.enum(['automatic', 'manual']),
      escalatedFrom: z.string(),
      responsibleParty: z.string(),
      reason: z.string(),
      respondBy: z.iso.datetime(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('escalation_acknowledged'),
    /** The escalated party accepted the escalation (M3.3); a first action may come with it. */
    data: z.object({ ...escalationRef, actionsTaken: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('escalation_action_recorded'),
    data: z.object({ ...escalationRef, action: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('escalation_resolved'),
    data: z.object({ ...escalationRef, outcome: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('deescalated'),
    data: z.object({ ...escalationRef, reason: z.string(), returnedTo: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('case_archived'),
    /** The closed case was archived (M7.2): the object's key, checksum, version, size and lock. */
    data: z.object({ key: z.string(), sha256: z.string(), versionId: z.string().optional(), bytes: z.number(), retainUntil: z.iso.datetime() }),
  }),
  z.object({
    ...base,
    type: z.literal('notification_sent'),
    data: z.object({ messageId: z.string(), template: z.string(), recipient: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('privacy_access_exported'),
    /** The case went into a customer's data export (M5.1, C6.1): the access request, whose record says what else; the actor is the admin. */
    data: z.object({ requestId: z.uuid() }),
  }),
  z.object({
    ...base,
    type: z.literal('follow_up_recorded'),
    /** What a complaint's follow-up found (M3.2): `outcome` is free text, so personal; `next` the follow-up it scheduled. */
    data: z.object({ date: z.iso.date(), outcome: z.string(), satisfied: z.boolean(), next: z.object({ date: z.iso.date() }).optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('legal_hold_placed'),
    /** An admin held the case (M5.1, C6.1): erasure is refused while the hold stands. `note` is free text, so personal. */
    data: z.object({ basis: LegalHoldBasisSchema, matter: z.string().optional(), note: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('legal_hold_released'),
    data: z.object({ basis: LegalHoldBasisSchema, matter: z.string().optional(), note: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('survey_sent'),
    /** The satisfaction survey went out (M8.1, C7.1): its opaque id and until when its link answers; the mail is in the outbox. */
    data: z.object({ surveyId: z.string(), expiresAt: z.iso.datetime(), outboxId: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('survey_reminded'),
    data: z.object({ surveyId: z.string(), outboxId: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('survey_answered'),
    /** The customer's answer (M9.4, C4.2); `comment` is their free text, so personal. A later answer updates the first. */
    data: z.object({
      surveyId: z.string(),
      rating: z.number().int().min(1).max(5),
      solved: z.boolean(),
      comment: z.string().optional(),
      updated: z.boolean(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('quality_review_scored'),
    /**
     * A supervisor scored a reply of the case in a response-quality review (M3.1, M6.1, C6.3): staff
     * only, no mail. The scorecard's comments stay on the review; a failure names the non-compliance
     * record it opened (C8.1).
     */
    data: z.object({
      reviewId: z.string(),
      /** The `agent_replied` event reviewed, and whose reply it was. */
      replySeq: z.number().int().positive(),
      staffId: z.string(),
      overall: z.number(),
      failed: z.boolean(),
      rescored: z.boolean(),
      nonComplianceId: z.string().optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('personal_data_erased'),
    /**
     * The customer's personal data was erased from the case (M5.1, C6.1) by an erasure request, whose
     * record says what else was done; every event before it is redacted (its chain still verifies).
     */
    data: z.object({ requestId: z.uuid() }),
  }),
]);
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type CaseEventType = CaseEvent['type'];

/** An event before it is placed on the chain: the core adds caseId, seq and hashes. */
export type EventDraft = CaseEvent extends infer E
  ? E extends CaseEvent
    ? Omit<E, 'caseId' | 'seq' | 'prevHash' | 'hash' | 'salt' | 'redaction'>
    : never
  : never;
