import * as z from 'zod';
import { CaseTypeSchema, PhoneSchema, PrioritySchema, type Case } from '../case';
import { emailAddress } from '../email-address';
import { openCase, type OpenCaseDeps } from '../open-case';
import { cleanBody, cleanLine } from '../text/normalise-text';
import { requiredText } from '../validation';
import { callerAsWorker } from './assignment';
import { CallSchema, recordCall } from './log-call';
import type { ActionRequest, CaseActionDeps } from './case-action';

/** A call that opens a case: who called, what about, and the call itself. */
export const OpenCaseFromCallInputSchema = z
  .object({
    type: CaseTypeSchema.default('inquiry'),
    priority: PrioritySchema.optional(),
    customer: z
      .object({
        name: requiredText('Name', 200),
        email: requiredText('Email', 254).toLowerCase().pipe(emailAddress()).optional(),
        phone: z.string().overwrite(cleanLine).trim().pipe(PhoneSchema).optional(),
      })
      .strict()
      .refine((c) => c.email !== undefined || c.phone !== undefined, { message: 'Give the caller\'s email address or phone number', path: ['phone'] }),
    subject: requiredText('Subject', 200),
    /** What the customer needs, in the agent's words (the case's opening message). */
    message: requiredText('Message', 20_000, cleanBody),
    call: CallSchema,
  })
  .strict();

/**
 * An agent who took a call opens its case (channel `phone`, C4.1): the same case-opening path as
 * every channel (open-case.ts), assigned to the agent, with the call on the timeline. The caller is
 * on the line, so no acknowledgement email goes out: the call acknowledges the case and is its
 * initial assistance (M3.1). The Idempotency-Key makes a retried request open one case.
 */
export async function openCaseFromCall(
  input: z.infer<typeof OpenCaseFromCallInputSchema>,
  req: ActionRequest & { idempotencyKey?: string; requestHash: string },
  deps: CaseActionDeps & Omit<OpenCaseDeps, 'store' | 'clock'>,
): Promise<{ case: Case; replayed: boolean }> {
  const agent = await callerAsWorker(deps.staff, req.actor);
  const opened = await openCase(
    {
      draft: {
        channel: 'phone',
        type: input.type,
        customer: { name: input.customer.name, ...(input.customer.email ? { email: input.customer.email } : {}), ...(input.customer.phone ? { phone: input.customer.phone } : {}) },
        subject: input.subject,
        message: input.message,
        openedBy: req.actor,
        assignee: agent,
        ...(input.priority ? { priority: input.priority } : {}),
        then: (c, at) => recordCall(c, input.call, req, at),
      },
      // The key is the agent's own: it shares no space with the anonymous form's keys, nor with another agent's.
      ...(req.idempotencyKey ? { idempotency: { key: `calls:${req.actor.id ?? ''}:${req.idempotencyKey}`, requestHash: req.requestHash } } : {}),
    },
    // The caller is on the line: the call itself acknowledges the case, no email goes out.
    { ...deps, acknowledgements: { automatic: false, limitPerHour: 0 } },
  );
  return { case: opened.case, replayed: opened.replayed };
}
