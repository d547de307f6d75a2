import type { CaseRecord, CaseSummary, DueMilestone, Milestone, NextDue } from '../api/types';
import { formatDateTime, formatDuration, isOpen, MILESTONE_LABEL } from './format';

/**
 * The deadlines the console counts down to (M3.1, M3.2, M3.3): each row's next one, and every
 * milestone of an open case. The server decides them; this module only reads the time left.
 */

/** The share of a window after which its party is warned, when the server does not say (core/sla-policy.ts, policy 2026-11). */
export const DEFAULT_WARNING_RATIO = 0.75;

export type DueState = 'ok' | 'warning' | 'breached' | 'paused';

export interface DueView {
  milestone: DueMilestone;
  state: DueState;
  dueAt: string;
  /** Signed: negative once the deadline has passed. */
  remainingMs: number;
  /** What the row says, in words: the state is never told by colour alone. */
  text: string;
}

const ms = Date.parse;

/**
 * A countdown's state at `nowMs`: amber from the warning point, red once breached (past due, or
 * the server recorded the breach), stopped while the case waits for the customer.
 */
export function dueView(due: NextDue, nowMs: number, opts: { paused?: boolean; breached?: boolean; warned?: boolean } = {}): DueView {
  const remainingMs = ms(due.dueAt) - nowMs;
  const label = MILESTONE_LABEL[due.milestone];
  if (opts.paused) return { milestone: due.milestone, state: 'paused', dueAt: due.dueAt, remainingMs, text: `${label} paused: waiting for the customer` };
  if (remainingMs <= 0 || opts.breached) {
    const text = due.milestone === 'auto_close' ? `${label} due now` : `${label} breached ${formatDuration(-Math.min(0, remainingMs))} ago`;
    return { milestone: due.milestone, state: 'breached', dueAt: due.dueAt, remainingMs, text };
  }
  const warning = opts.warned || (due.warnAt !== undefined && nowMs >= ms(due.warnAt));
  if (warning && due.milestone !== 'auto_close') {
    return { milestone: due.milestone, state: 'warning', dueAt: due.dueAt, remainingMs, text: `${label} due soon: ${formatDuration(remainingMs)} left` };
  }
  return { milestone: due.milestone, state: 'ok', dueAt: due.dueAt, remainingMs, text: `${label} in ${formatDuration(remainingMs)}` };
}

/** The warning point of a window [start, due] of a running clock (core/sla-plan.ts: `warningRatio` of the window used). */
function warnAt(startIso: string, windowDueIso: string, effectiveDueMs: number, ratio: number): string {
  const length = ms(windowDueIso) - ms(startIso);
  return new Date(Math.floor((effectiveDueMs - Math.ceil(length * (1 - ratio))) / 1000) * 1000).toISOString();
}

/**
 * A queue row's next deadline: the server's `nextDue` when it sends one; otherwise read from the
 * summary it has always sent (`nextDueAt`, the SLA deadlines, the escalation, `autoCloseAt`),
 * with the warning point at the policy's share of the window.
 */
export function nextDueOf(s: CaseSummary, ratio: number = DEFAULT_WARNING_RATIO): NextDue | undefined {
  if (s.nextDue) return s.nextDue;
  if (s.status === 'resolved' && s.autoCloseAt) return { milestone: 'auto_close', dueAt: s.autoCloseAt };
  if (!isOpen(s.status)) return undefined;
  const candidates: NextDue[] = [];
  const esc = s.escalation;
  if (esc && !esc.endedAt && !esc.acknowledgedAt) {
    candidates.push({ milestone: 'escalation_response', dueAt: esc.respondBy, warnAt: warnAt(esc.escalatedAt, esc.respondBy, ms(esc.respondBy), ratio) });
  }
  if (s.nextDueAt) {
    const dueMs = ms(s.nextDueAt);
    const milestone: Milestone =
      s.nextDueAt === s.sla.acknowledgementDueAt ? 'acknowledgement' : s.nextDueAt === s.sla.escalationDueAt ? 'escalation' : 'initial_response';
    const windowDue = milestone === 'acknowledgement' ? s.sla.acknowledgementDueAt : milestone === 'escalation' ? (s.sla.escalationDueAt ?? s.nextDueAt) : s.sla.initialResponseDueAt;
    candidates.push({ milestone, dueAt: s.nextDueAt, warnAt: warnAt(s.receivedAt, windowDue, dueMs, ratio) });
  }
  return candidates.sort((a, b) => ms(a.dueAt) - ms(b.dueAt))[0];
}

/** A queue row's countdown: its next deadline as it stands at `nowMs`, or undefined when nothing is due. */
export function rowDue(s: CaseSummary, nowMs: number, ratio?: number): DueView | undefined {
  const due = nextDueOf(s, ratio);
  if (!due) return undefined;
  const slaMilestone = due.milestone === 'acknowledgement' || due.milestone === 'initial_response' || due.milestone === 'escalation' ? due.milestone : undefined;
  return dueView(due, nowMs, {
    paused: s.status === 'pending_customer' && due.milestone === 'initial_response',
    breached: slaMilestone !== undefined && (s.sla.breached ?? []).includes(slaMilestone),
    warned: slaMilestone !== undefined && (s.sla.warned ?? []).includes(slaMilestone),
  });
}

export type MilestoneState = 'met' | 'met_late' | 'ok' | 'warning' | 'breached' | 'paused' | 'not_needed';

export interface MilestoneView {
  milestone: DueMilestone;
  label: string;
  state: MilestoneState;
  dueAt?: string | undefined;
  /** When it was met (acknowledged, first answered, escalated, accepted). */
  metAt?: string | undefined;
  text: string;
}

const met = (milestone: DueMilestone, dueAt: string, metAt: string, how: string): MilestoneView => {
  const late = ms(metAt) > ms(dueAt);
  return {
    milestone,
    label: MILESTONE_LABEL[milestone],
    state: late ? 'met_late' : 'met',
    dueAt,
    metAt,
    text: late ? `${how} late, ${formatDateTime(metAt)} (was due ${formatDateTime(dueAt)})` : `${how} ${formatDateTime(metAt)}`,
  };
};

const pending = (view: DueView): MilestoneView => ({ milestone: view.milestone, label: MILESTONE_LABEL[view.milestone], state: view.state, dueAt: view.dueAt, text: view.state === 'breached' ? `${view.text} (was due ${formatDateTime(view.dueAt)})` : `${view.text} (${formatDateTime(view.dueAt)})` });

const notNeeded = (milestone: DueMilestone, text: string, dueAt?: string): MilestoneView => ({ milestone, label: MILESTONE_LABEL[milestone], state: 'not_needed', dueAt, text });

/**
 * The case's SLA milestones for its header: acknowledgement and first response (M3.1), the
 * complaint escalation window (M3.2, C3.3), the escalated party's respond-by (M3.3), and a
 * resolved case's automatic closure; each met (on time or late), counting down, or breached.
 *
 * The warning point: a queue row takes the server's `warnAt`, but the case itself (GET
 * /v1/cases/{id}, core CaseSchema) carries no warning point, only `sla.warned` once the warning
 * was sent, which turns a milestone amber whatever the ratio. Until then the header assumes
 * `DEFAULT_WARNING_RATIO`, the ratio of every policy so far (2026-11); a policy with another ratio
 * would show amber at 75 % here until its warning is recorded.
 */
export function caseMilestones(c: CaseRecord, nowMs: number, ratio: number = DEFAULT_WARNING_RATIO): MilestoneView[] {
  const open = isOpen(c.status);
  const breached = new Set(c.sla.breached ?? []);
  const warned = new Set(c.sla.warned ?? []);
  const views: MilestoneView[] = [];

  const ack = c.sla.acknowledgementDueAt;
  if (c.acknowledgedAt) views.push(met('acknowledgement', ack, c.acknowledgedAt, 'Acknowledged'));
  else if (!open && !breached.has('acknowledgement')) views.push(notNeeded('acknowledgement', 'Not acknowledged', ack));
  else views.push(pending(dueView({ milestone: 'acknowledgement', dueAt: ack, warnAt: warnAt(c.receivedAt, ack, ms(ack), ratio) }, nowMs, { breached: breached.has('acknowledgement'), warned: warned.has('acknowledgement') })));

  // The first-response clock stops while the case waits for the customer (its deadline moves by the time waited).
  const pausedSoFar = (c.sla.pausedMs ?? 0) + (c.sla.pausedSince ? Math.max(0, nowMs - ms(c.sla.pausedSince)) : 0);
  const firstDue = new Date(Math.floor((ms(c.sla.initialResponseDueAt) + pausedSoFar) / 1000) * 1000).toISOString();
  if (c.firstRespondedAt) views.push(met('initial_response', firstDue, c.firstRespondedAt, 'First response'));
  else if (!open && !breached.has('initial_response')) views.push(notNeeded('initial_response', 'No response recorded', firstDue));
  else {
    const view = dueView({ milestone: 'initial_response', dueAt: firstDue, warnAt: warnAt(c.receivedAt, c.sla.initialResponseDueAt, ms(firstDue), ratio) }, nowMs, {
      paused: Boolean(c.sla.pausedSince) && !breached.has('initial_response'),
      breached: breached.has('initial_response'),
      warned: warned.has('initial_response'),
    });
    views.push(pending(view));
  }

  if (c.type === 'complaint' && c.sla.escalationDueAt) {
    const due = c.sla.escalationDueAt;
    if (c.escalation) views.push(met('escalation', due, c.escalation.escalatedAt, 'Escalated'));
    else if (!open) views.push(notNeeded('escalation', c.status === 'closed' ? 'Closed without escalation' : 'Resolved without escalation', due));
    else views.push(pending(dueView({ milestone: 'escalation', dueAt: due, warnAt: warnAt(c.receivedAt, due, ms(due), ratio) }, nowMs, { warned: warned.has('escalation') })));
  }

  const esc = c.escalation;
  if (esc && !esc.endedAt) {
    if (esc.acknowledgedAt) views.push({ ...met('escalation_response', esc.respondBy, esc.acknowledgedAt, 'Accepted'), text: `Accepted${esc.acceptedBy ? ` by ${esc.acceptedBy}` : ''} ${formatDateTime(esc.acknowledgedAt)}${ms(esc.acknowledgedAt) > ms(esc.respondBy) ? ' (late)' : ''}` });
    else views.push(pending(dueView({ milestone: 'escalation_response', dueAt: esc.respondBy, warnAt: warnAt(esc.escalatedAt, esc.respondBy, ms(esc.respondBy), ratio) }, nowMs)));
  }

  if (c.status === 'resolved' && c.autoCloseAt) views.push(pending(dueView({ milestone: 'auto_close', dueAt: c.autoCloseAt }, nowMs)));
  return views;
}
