import { changeCase } from './change-case';
import type { Actor, Case, CaseStatus } from './case';
import type { EventDraft } from './case-event';
import type { Clock } from './clock';
import { CaseStateError, ForbiddenError, IllegalTransitionError, NotFoundError } from './errors';
import { canSendTo, UNSENDABLE_REASON } from './email-address';
import { escalate, escalationPartyName, mayActOnEscalation, type EscalationContacts, type EscalationRecord } from './escalation';
import { isOpen } from './case';
import { slaPolicy } from './sla-policy';
import { transition } from './lifecycle';
import type { OutboxMessage } from './outbox';
import type { CaseStore } from './ports';

export interface CaseActionDeps {
  store: CaseStore;
  clock: Clock;
}

/** Reads, changes and commits a case through changeCase; a missing case is a NotFoundError. */
async function withCase(
  caseId: string,
  deps: CaseActionDeps,
  change: (c: Case, at: Date) => { next: Case; drafts: EventDraft[]; outbox?: OutboxMessage[]; escalations?: EscalationRecord[] },
): Promise<Case> {
  const done = await changeCase(deps.store, caseId, (c) => {
    const { next, drafts, outbox, escalations } = change(c, deps.clock.now());
    return { next, drafts, with: { ...(outbox ? { outboxInserts: outbox } : {}), ...(escalations ? { escalations } : {}) }, result: undefined };
  });
  if (!done) throw new NotFoundError(`No case ${caseId}`);
  return done.case;
}

/** An agent or supervisor moves a case through its lifecycle (the core rejects illegal moves). */
export function changeStatus(caseId: string, to: CaseStatus, actor: Actor, reason: string | undefined, deps: CaseActionDeps) {
  return withCase(caseId, deps, (c, at) => {
    // Resolving or closing an escalated case ends the escalation: that is the escalated party's act (M3.3).
    if (c.escalation && (to === 'resolved' || to === 'closed')) assertMayAct(actor, c.escalation.level, to === 'resolved' ? 'resolve' : 'close');
    const { next, draft } = transition(c, to, at, actor, reason);
    return { next, drafts: [draft] };
  });
}

/**
 * An agent answers the customer: the first answer meets the initial-assistance milestone
 * (M3.1, C3.1); the reply is emailed through the outbox and logged on the timeline (M7.1).
 */
export function replyToCustomer(caseId: string, message: string, actor: Actor, deps: CaseActionDeps) {
  return withCase(caseId, deps, (c, at) => {
    // Closed is final (M7.2 retention runs from closure): a customer who writes again gets a follow-up case.
    if (c.status === 'closed') throw new CaseStateError(`Case ${c.reference} is closed, so no reply can be sent on it; if the customer writes again, their message opens a follow-up case`);
    if (!canSendTo(c.customer.email)) throw new CaseStateError(`No email can be sent to this customer: ${UNSENDABLE_REASON}. Reach them another way and log it on the case`);
    const iso = at.toISOString();
    const firstResponse = !c.firstRespondedAt;
    let next = { ...c, updatedAt: iso, ...(firstResponse ? { firstRespondedAt: iso } : {}) };
    const drafts: EventDraft[] = [{ type: 'agent_replied', at: iso, actor, data: { firstResponse } }];
    if (next.status === 'new' || next.status === 'acknowledged') {
      const moved = transition(next, 'in_progress', at, actor, 'agent replied');
      next = { ...moved.next, acknowledgedAt: next.acknowledgedAt ?? iso };
      drafts.push(moved.draft);
    }
    const seq = c.version + 1;
    const outbox: OutboxMessage = { caseId, id: `agent_reply#${seq}`, kind: 'agent_reply', data: { message }, status: 'pending', createdAt: iso, attempts: 0 };
    return { next, drafts, outbox: [outbox] };
  });
}

/** The escalated party takes the escalation: the workflow stops climbing the levels (M3.3). */
export function acknowledgeEscalation(caseId: string, actionsTaken: string, actor: Actor, deps: CaseActionDeps) {
  return withCase(caseId, deps, (c, at) => {
    if (!c.escalation) throw new NotFoundError(`Case ${caseId} has no escalation to acknowledge`);
    assertMayAct(actor, c.escalation.level, 'acknowledge');
    const iso = at.toISOString();
    return {
      next: { ...c, updatedAt: iso, escalation: { ...c.escalation, acknowledgedAt: iso } },
      drafts: [{ type: 'escalation_acknowledged', at: iso, actor, data: { escalationId: `ESC-${String(c.escalation.level).padStart(2, '0')}`, level: c.escalation.level, actionsTaken } }],
    };
  });
}

/**
 * An agent escalates a case by hand (M3.3: complex cases, or more authority needed), through the
 * same service the SLA workflow uses: the next level up, its log record, event and email.
 */
export function escalateManually(caseId: string, reason: string, actor: Actor, deps: CaseActionDeps & { contacts: EscalationContacts }) {
  return withCase(caseId, deps, (c, at) => {
    const policy = slaPolicy(c.sla.policyVersion);
    const level = (c.escalation?.level ?? 0) + 1;
    if (!isOpen(c.status)) throw new IllegalTransitionError(c.status, 'escalated');
    // Anyone on the case escalates it to the supervisor; past that, escalating further is the escalated party's call.
    if (c.escalation) assertMayAct(actor, c.escalation.level, 'escalate further');
    if (level > policy.maxEscalationLevel) throw new IllegalTransitionError(`escalation level ${level - 1}`, `level ${level} (the highest is ${policy.maxEscalationLevel})`);
    const change = escalate(c, { level, trigger: 'manual', reason, actor, at }, policy, deps.contacts);
    return { next: change.next, drafts: [change.draft], outbox: [change.notification], escalations: [change.record] };
  });
}

function assertMayAct(actor: Actor, level: number, action: string): void {
  if (!mayActOnEscalation(actor, level)) {
    throw new ForbiddenError(`This case is escalated to ${escalationPartyName(level)} (level ${level}): only they, or a role above them, may ${action} it`);
  }
}
