import { z } from 'zod';
import { ActorSchema, CaseStatusSchema, CaseTypeSchema, ChannelSchema } from './case';
import { SlaDeadlinesSchema } from './sla-policy';

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
]);
export type CaseEvent = z.infer<typeof CaseEventSchema>;
export type CaseEventType = CaseEvent['type'];

/** An event before it is placed on the chain: the core adds caseId, seq and hashes. */
export type EventDraft = CaseEvent extends infer E
  ? E extends CaseEvent
    ? Omit<E, 'caseId' | 'seq' | 'prevHash' | 'hash'>
    : never
  : never;
