import * as z from 'zod';

/**
 * Messages the system owes a customer, written in the same transaction as the change that owes
 * them (transactional outbox) and delivered afterwards with retries: a slow or failing mail
 * service never loses or delays the case itself.
 */
export const OutboxKindSchema = z.enum(['acknowledgement', 'agent_reply', 'sla_warning', 'sla_breach', 'escalation', 'survey', 'survey_reminder']);
export type OutboxKind = z.infer<typeof OutboxKindSchema>;

export const OutboxMessageSchema = z.object({
  caseId: z.uuid(),
  /** Unique within the case: `acknowledgement`, `sla_warning#initial_response`, `escalation#2`… */
  id: z.string().min(1),
  kind: OutboxKindSchema,
  /** Staff recipient; customer messages go to the case's customer. */
  to: z.string().optional(),
  /** What the template needs beyond the case: milestone, deadline, level, reason. */
  data: z.record(z.string(), z.string()).optional(),
  status: z.enum(['pending', 'sent']),
  createdAt: z.iso.datetime(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  sentAt: z.iso.datetime().optional(),
  messageId: z.string().optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
