import * as z from 'zod';
import { ActorSchema, CaseStatusSchema, CaseTypeSchema, ChannelSchema } from './case';
import { MilestoneSchema, SlaDeadlinesSchema } from './sla-policy';

/**
 * The timeline: every interaction and change on a case, append-only and hash-chained (M5.3, M7.1, M7.3).
 * One schema per event type, so each event's data is typed.
 */
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
    data: z.object({ channel: ChannelSchema, caseType: CaseTypeSchema, sla: SlaDeadlinesSchema }),
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
