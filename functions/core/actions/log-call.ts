import * as z from 'zod';
import type { Case } from '../case';
import type { EventDraft } from '../case-event';
import { InvalidInputError } from '../errors';
import { transition } from '../lifecycle';
import { cleanBody, cleanLine } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertNotClosed } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';
import { sampledResponse } from './sampled-response';

/** A phone call as staff log it (C4.1: call transcripts are part of the CRM record). */
export const CallSchema = z
  .object({
    direction: z.enum(['inbound', 'outbound'], { error: 'Direction must be inbound (the customer called) or outbound (we called)' }),
    /** When the call started; default: its end is now, its start `durationSeconds` ago. */
    startedAt: z.iso.datetime({ offset: true, error: 'startedAt must be an ISO 8601 date and time' }).optional(),
    durationSeconds: z.number({ error: 'durationSeconds must be a number of seconds' }).int().min(0).max(24 * 3600),
    // Bounded by what one timeline event can hold (a DynamoDB item is at most 400 KB).
    transcript: requiredText('Transcript', 60_000, cleanBody),
    summary: z.string().overwrite(cleanLine).trim().max(500, 'Summary must be at most 500 characters').optional(),
  })
  .strict();
export type CallInput = z.infer<typeof CallSchema>;

export const LogCallInputSchema = CallSchema;

/** The call's start as an ISO instant; a call cannot start in the future. */
export function callStart(call: CallInput, at: Date): string {
  const start = call.startedAt ? new Date(call.startedAt) : new Date(at.getTime() - call.durationSeconds * 1000);
  if (start.getTime() > at.getTime() + 60_000) throw new InvalidInputError([{ path: 'startedAt', message: 'A call cannot start in the future' }]);
  return start.toISOString();
}

/**
 * The call's event and what it does to the case: talking to the customer is assistance (M3.1: it
 * meets the initial-assistance milestone, and acknowledges a new case); a case waiting for the
 * customer resumes when they call.
 */
export function recordCall(c: Case, call: CallInput, req: ActionRequest, at: Date): { next: Case; drafts: EventDraft[] } {
  const iso = at.toISOString();
  const firstResponse = !c.firstRespondedAt;
  let next: Case = { ...c, updatedAt: iso, ...(firstResponse ? { firstRespondedAt: iso } : {}) };
  const drafts: EventDraft[] = [
    {
      type: 'call_logged',
      at: iso,
      actor: req.actor,
      data: { direction: call.direction, startedAt: callStart(call, at), durationSeconds: call.durationSeconds, transcript: call.transcript, ...(call.summary ? { summary: call.summary } : {}), firstResponse },
    },
  ];
  if (next.status === 'new' || next.status === 'acknowledged' || next.status === 'pending_customer') {
    const moved = transition(next, 'in_progress', at, req.actor, next.status === 'pending_customer' ? 'call with the customer' : 'assisted the customer by phone');
    next = { ...moved.next, acknowledgedAt: next.acknowledgedAt ?? iso };
    drafts.push(moved.draft);
  }
  return { next, drafts };
}

/**
 * An agent logs a call with the customer of a case: direction, duration, transcript (C4.1). The
 * call is a response like a reply: it may be sampled for a quality review (M6.1).
 */
export function logCall(caseId: string, input: CallInput, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertNotClosed(c, 'given a call');
    return { ...recordCall(c, input, req, at), ...sampledResponse(caseId, c.version + 1, req, at, deps) };
  });
}
