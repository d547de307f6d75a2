import { z } from 'zod';

/**
 * Messages the system owes a customer, written in the same transaction as the change that owes
 * them (transactional outbox) and delivered afterwards with retries: a slow or failing mail
 * service never loses or delays the case itself.
 */
export const OutboxKindSchema = z.enum(['acknowledgement']);
export type OutboxKind = z.infer<typeof OutboxKindSchema>;

export const OutboxMessageSchema = z.object({
  caseId: z.uuid(),
  kind: OutboxKindSchema,
  status: z.enum(['pending', 'sent']),
  createdAt: z.iso.datetime(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().optional(),
  sentAt: z.iso.datetime().optional(),
  messageId: z.string().optional(),
});
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;
