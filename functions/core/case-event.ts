import * as z from 'zod';
import { ActorSchema, CaseStatusSchema, CaseTypeSchema, ChannelSchema } from './case';
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

const base = {
  caseId: z.uuid(),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  actor: ActorSchema,
  prevHash: z.string(),
  hash: z.string(),
};

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
    data: z.object({ originalMessageId: z.string(), status: z.string().optional(), rawObjectKey: z.string(), reason: z.string() }),
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
    data: z.object({ from: CaseStatusSchema, to: CaseStatusSchema, reason: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('agent_replied'),
    data: z.object({ messageId: z.string().optional(), firstResponse: z.boolean() }),
  }),
  z.object({
    ...base,
    type: z.literal('sla_warning'),
    data: z.object({ milestone: MilestoneSchema, dueAt: z.iso.datetime(), notify: z.string() }),
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
    data: z.object({ escalationId: z.string(), level: z.number().int().positive(), actionsTaken: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('notification_sent'),
    data: z.object({ messageId: z.string(), template: z.string(), recipient: z.string() }),
  }),
]);
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type CaseEventType = CaseEvent['type'];

/** An event before it is placed on the chain: the core adds caseId, seq and hashes. */
export type EventDraft = CaseEvent extends infer E
  ? E extends CaseEvent
    ? Omit<E, 'caseId' | 'seq' | 'prevHash' | 'hash'>
    : never
  : never;
