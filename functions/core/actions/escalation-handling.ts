import * as z from 'zod';
import { isOpen, type Actor, type Case } from '../case';
import type { EventDraft } from '../case-event';
import { CaseStateError, IllegalTransitionError, NotFoundError } from '../errors';
import {
  currentEscalationNumber,
  endRecord,
  escalate,
  escalationIdOf,
  isEscalationActive,
  withAction,
  type EscalationContacts,
  type EscalationRecord,
} from '../escalation';
import { contactsFor } from '../escalation-contacts';
import type { CaseStore } from '../ports';
import { slaPolicy } from '../sla-policy';
import { cleanBody } from '../text/normalise-text';
import { requiredText } from '../validation';
import { activeEscalation, assertMayActOnEscalation, assertOpen } from './guards';
import { caseWorker } from './assignment';
import { runCaseAction, type ActionPlan, type ActionRequest, type CaseActionDeps } from './case-action';

/**
 * Escalation handling (M3.3, M9.3; M4.2: supervisors oversee escalated cases). Anyone on a case
 * escalates it to the supervisor; from then on only the escalated party (or a role above) acts on
 * it: accepts it (the workflow stops climbing the levels), records the actions taken, resolves it
 * with an outcome, hands it back to the representative, or escalates it further. Every step is on
 * the escalation record and on the audit trail.
 */
export const EscalateInputSchema = z.object({ reason: requiredText('Reason', 2000, cleanBody) }).strict();
export const AcceptEscalationInputSchema = z.object({ note: z.string().overwrite(cleanBody).trim().max(5000, 'Note must be at most 5,000 characters').optional() }).strict();
export const EscalationActionInputSchema = z.object({ action: requiredText('Action', 5000, cleanBody) }).strict();
export const ResolveEscalationInputSchema = z.object({ outcome: requiredText('Outcome', 5000, cleanBody) }).strict();
export const DeescalateInputSchema = z.object({ reason: requiredText('Reason', 2000, cleanBody), assigneeId: z.string().min(1).max(128).optional() }).strict();

const escalationIdFor = (c: Case) => escalationIdOf(currentEscalationNumber(c) ?? 1);

/** The current escalation's record (read inside the change: the case version guards it). */
async function currentRecord(store: CaseStore, c: Case): Promise<EscalationRecord> {
  const number = currentEscalationNumber(c);
  const record = number === undefined ? undefined : await store.getEscalation(c.caseId, number);
  if (!record) throw new NotFoundError(`The escalation record of ${c.reference} is missing`);
  return record;
}

/** Acting on an escalation accepts it, if nobody had: the escalated party has responded (M3.3). */
function accepted(c: Case, record: EscalationRecord, actor: Actor, at: Date): { c: Case; record: EscalationRecord; drafts: EventDraft[] } {
  const esc = activeEscalation(c);
  if (esc.acknowledgedAt) return { c, record, drafts: [] };
  const iso = at.toISOString();
  const by = actor.id ?? actor.kind;
  return {
    c: { ...c, escalation: { ...esc, acknowledgedAt: iso, acceptedBy: by } },
    record: { ...record, acknowledgedAt: iso, acceptedBy: by },
    drafts: [{ type: 'escalation_acknowledged', at: iso, actor, data: { escalationId: escalationIdFor(c), level: esc.level } }],
  };
}

/**
 * Escalates by hand (M3.3: complex cases, or more authority needed), through the same function as
 * the SLA workflow: level 1 (the supervisor) for a case not escalated; one level up for an active
 * escalation, which only its party (or above) may do, and whose record ends as escalated further.
 */
export function escalateCase(caseId: string, input: z.infer<typeof EscalateInputSchema>, req: ActionRequest, deps: CaseActionDeps & { contacts: EscalationContacts }) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    if (!isOpen(c.status)) throw new IllegalTransitionError(c.status, 'escalated');
    const policy = slaPolicy(c.sla.policyVersion);
    const active = isEscalationActive(c) ? c.escalation : undefined;
    const level = active ? active.level + 1 : 1;
    if (active) assertMayActOnEscalation(req.actor, active.level, 'escalate further');
    if (level > policy.maxEscalationLevel) throw new CaseStateError(`Case ${c.reference} is at escalation level ${level - 1}, the highest there is`);
    const ended = active ? [endRecord(await currentRecord(deps.store, c), 'escalated-further', req.actor, at, `escalated further to level ${level}: ${input.reason}`)] : [];
    // To the case's team's contacts under its own policy version (M3.3, M8.3); the configured ones otherwise.
    const contacts = contactsFor(c, policy, deps.contacts);
    const change = escalate(c, { level, trigger: 'manual', reason: input.reason, actor: req.actor, at }, policy, contacts);
    return { next: change.next, drafts: [change.draft], outbox: [change.notification], escalations: [...ended, change.record] };
  });
}

/** The escalated party accepts the escalation (writes acknowledgedAt): the workflow stops climbing the levels. */
export function acceptEscalation(caseId: string, input: z.infer<typeof AcceptEscalationInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    const esc = activeEscalation(c);
    assertMayActOnEscalation(req.actor, esc.level, 'accept');
    if (esc.acknowledgedAt) throw new CaseStateError(`Escalation ${escalationIdFor(c)} was accepted already${esc.acceptedBy ? ` by ${esc.acceptedBy}` : ''} at ${esc.acknowledgedAt}`);
    const iso = at.toISOString();
    const by = req.actor.id ?? req.actor.kind;
    let record: EscalationRecord = { ...(await currentRecord(deps.store, c)), acknowledgedAt: iso, acceptedBy: by };
    record = withAction(record, req.actor, at, input.note ? `accepted: ${input.note}` : 'accepted');
    return {
      next: { ...c, updatedAt: iso, escalation: { ...esc, acknowledgedAt: iso, acceptedBy: by } },
      drafts: [{ type: 'escalation_acknowledged', at: iso, actor: req.actor, data: { escalationId: escalationIdFor(c), level: esc.level, ...(input.note ? { actionsTaken: input.note } : {}) } }],
      escalations: [record],
    };
  });
}

/** The escalated party records an action taken (M3.3 escalation log: who, when, what). */
export function recordEscalationAction(caseId: string, input: z.infer<typeof EscalationActionInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    const esc = activeEscalation(c);
    assertMayActOnEscalation(req.actor, esc.level, 'record actions on');
    const acc = accepted(c, await currentRecord(deps.store, c), req.actor, at);
    const iso = at.toISOString();
    return {
      next: { ...acc.c, updatedAt: iso },
      drafts: [...acc.drafts, { type: 'escalation_action_recorded', at: iso, actor: req.actor, data: { escalationId: escalationIdFor(c), level: esc.level, action: input.action } }],
      escalations: [withAction(acc.record, req.actor, at, input.action)],
    };
  });
}

/** The escalated party closes the escalation with its outcome; the case stays open for its resolution. */
export function resolveEscalation(caseId: string, input: z.infer<typeof ResolveEscalationInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    assertOpen(c, 'have its escalation resolved');
    const esc = activeEscalation(c);
    assertMayActOnEscalation(req.actor, esc.level, 'resolve');
    const acc = accepted(c, await currentRecord(deps.store, c), req.actor, at);
    const iso = at.toISOString();
    return {
      next: { ...acc.c, updatedAt: iso, escalation: { ...activeEscalation(acc.c), endedAt: iso, ending: 'resolved' } },
      drafts: [...acc.drafts, { type: 'escalation_resolved', at: iso, actor: req.actor, data: { escalationId: escalationIdFor(c), level: esc.level, outcome: input.outcome } }],
      escalations: [endRecord(acc.record, 'resolved', req.actor, at, `resolved: ${input.outcome}`, input.outcome)],
    };
  });
}

/** The escalated party hands the case back to the representative (or to another one), saying why. */
export async function deescalateCase(caseId: string, input: z.infer<typeof DeescalateInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, async (c, at): Promise<ActionPlan> => {
    assertOpen(c, 'de-escalated');
    const esc = activeEscalation(c);
    assertMayActOnEscalation(req.actor, esc.level, 'de-escalate');
    const to = input.assigneeId ? await caseWorker(deps.staff, input.assigneeId, 'assigneeId') : undefined;
    const record = (await currentRecord(deps.store, c));
    const iso = at.toISOString();
    const assignee = to ?? c.assignee;
    const returnedTo = assignee ? (assignee.name ?? assignee.id) : undefined;
    const drafts: EventDraft[] = [{ type: 'deescalated', at: iso, actor: req.actor, data: { escalationId: escalationIdFor(c), level: esc.level, reason: input.reason, ...(returnedTo ? { returnedTo } : {}) } }];
    if (to && to.id !== c.assignee?.id) {
      drafts.push({ type: 'assignment_changed', at: iso, actor: req.actor, data: { ...(c.assignee ? { from: c.assignee } : {}), to, how: 'returned', reason: input.reason } });
    }
    return {
      next: { ...c, updatedAt: iso, ...(assignee ? { assignee } : {}), escalation: { ...esc, endedAt: iso, ending: 'de-escalated' } },
      drafts,
      escalations: [endRecord(record, 'de-escalated', req.actor, at, `handed back${returnedTo ? ` to ${returnedTo}` : ''}: ${input.reason}`)],
    };
  });
}
