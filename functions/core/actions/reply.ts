import * as z from 'zod';
import type { Case } from '../case';
import type { EventDraft } from '../case-event';
import { CaseStateError } from '../errors';
import { canSendTo, UNSENDABLE_REASON } from '../email-address';
import { transition } from '../lifecycle';
import type { OutboxMessage } from '../outbox';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertNotClosed } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';
import { sampledResponse } from './sampled-response';

export const ReplyInputSchema = z
  .object({
    message: requiredText('Message', 20_000, cleanBody),
    /** Send, then wait for the customer's answer (the initial-assistance clock stops meanwhile). */
    pendingCustomer: z.boolean().optional(),
  })
  .strict();

/**
 * An agent answers the customer by email: the first answer meets the initial-assistance milestone
 * (M3.1, C3.1). The text is on the chained `agent_replied` event (C4.1: the thread is in the CRM
 * record); the mail goes through the outbox, and its delivery adds `reply_sent` with the SES
 * Message-ID. Closed is final (M7.2): a customer who writes again gets a follow-up case.
 */
export function replyToCustomer(caseId: string, input: z.infer<typeof ReplyInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertNotClosed(c, 'replied on; if the customer writes again, their message opens a follow-up case');
    if (c.customer.email === undefined) throw new CaseStateError(`The customer of ${c.reference} gave no email address: call them, and log the call on the case`);
    if (!canSendTo(c.customer.email)) throw new CaseStateError(`No email can be sent to this customer: ${UNSENDABLE_REASON}. Reach them another way and log it on the case`);
    if (input.pendingCustomer && c.status === 'resolved') throw new CaseStateError(`Case ${c.reference} is resolved: reopen it before waiting for the customer`);
    const iso = at.toISOString();
    const firstResponse = !c.firstRespondedAt;
    const outboxId = `agent_reply#${c.version + 1}`;
    let next: Case = { ...c, updatedAt: iso, ...(firstResponse ? { firstRespondedAt: iso } : {}) };
    const drafts: EventDraft[] = [{ type: 'agent_replied', at: iso, actor: req.actor, data: { text: input.message, outboxId, firstResponse } }];
    const target = input.pendingCustomer ? 'pending_customer' : next.status === 'new' || next.status === 'acknowledged' ? 'in_progress' : undefined;
    if (target && next.status !== target && next.status !== 'resolved') {
      const moved = transition(next, target, at, req.actor, input.pendingCustomer ? 'replied; waiting for the customer' : 'agent replied');
      next = { ...moved.next, acknowledgedAt: next.acknowledgedAt ?? iso };
      drafts.push(moved.draft);
    }
    const outbox: OutboxMessage = { caseId, id: outboxId, kind: 'agent_reply', data: { message: input.message }, status: 'pending', createdAt: iso, attempts: 0 };
    // The reply goes in its week's ledger and, when sampled, the review queue (M6.1).
    return { next, drafts, outbox: [outbox], ...sampledResponse(caseId, c.version + 1, req, at, deps) };
  });
}
