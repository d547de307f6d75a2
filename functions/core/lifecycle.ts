import type { Actor, Case, CaseStatus } from './case';
import type { EventDraft } from './case-event';
import { IllegalTransitionError } from './errors';
import { retentionExpiryOf, retentionPolicy, type AnyRetentionPolicy } from './retention-policy';
import { pausedTime } from './sla-policy';

/**
 * The case lifecycle. `closed` is final: a customer writing again after closure opens a
 * follow-up case; `resolved` can be reopened.
 */
export const TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['acknowledged', 'in_progress', 'pending_customer', 'resolved'],
  acknowledged: ['in_progress', 'pending_customer', 'resolved'],
  in_progress: ['pending_customer', 'resolved'],
  pending_customer: ['in_progress', 'resolved'],
  resolved: ['in_progress', 'closed'],
  closed: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * Applies a status change, returning the new case and the timeline draft. Throws on an illegal move.
 * A closure starts retention under `retention` (the version current at closure; the built-in one by default):
 * the expiry from its years and its id recorded on the case and on the closure's event.
 */
export function transition(
  current: Case,
  to: CaseStatus,
  at: Date,
  actor: Actor,
  reason?: string,
  retention: AnyRetentionPolicy = retentionPolicy(),
): { next: Case; draft: EventDraft } {
  if (!canTransition(current.status, to)) throw new IllegalTransitionError(current.status, to);
  const iso = at.toISOString();
  const next: Case = { ...current, status: to, updatedAt: iso };
  if (to === 'acknowledged') next.acknowledgedAt ??= iso;
  if (to === 'resolved') next.resolvedAt = iso;
  if (to === 'in_progress' && current.status === 'resolved') {
    // Reopened: the resolution and its automatic closure no longer hold (the audit trail keeps them).
    delete next.resolvedAt;
    delete next.resolution;
    delete next.autoCloseAt;
  }
  // While the case waits for the customer the initial-response clock stops; the acknowledgement clock never does.
  if (to === 'pending_customer') next.sla = { ...next.sla, pausedSince: iso };
  const pausedSince = current.status === 'pending_customer' ? current.sla.pausedSince : undefined;
  if (pausedSince) {
    const { pausedSince: _ended, ...sla } = next.sla;
    // Business time on the case's calendar, as the SLA plan counts the wait (sla-plan.ts `effectiveInitialResponseDue`).
    next.sla = { ...sla, pausedMs: (sla.pausedMs ?? 0) + pausedTime(current.sla, Date.parse(pausedSince), at.getTime()) };
  }
  if (to === 'closed') {
    next.closedAt = iso;
    next.expiresAt = retentionExpiryOf(at, retention);
    // Under which retention version the case is kept (M7.2, C4.3): fixed at closure, a later version never changes it.
    next.retentionPolicyVersion = retention.version;
  }
  const draft: EventDraft = {
    type: 'status_changed',
    at: iso,
    actor,
    data: { from: current.status, to, ...(reason ? { reason } : {}), ...(to === 'closed' ? { retentionPolicyVersion: retention.version } : {}) },
  };
  return { next, draft };
}
