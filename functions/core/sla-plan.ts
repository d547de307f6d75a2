import { isOpen, type Case } from './case';
import type { BusinessCalendar } from './business-calendar';
import { floorToSecond, runningTime, slaCalendar, warningPoint, windowEnd, type Milestone, type SlaPolicy } from './sla-policy';
import { planSurvey, type SurveyAction } from './survey';

/**
 * What the SLA workflow should do for a case at a given moment (M3.1, M3.2, M3.3, C3.1, C3.3).
 * Pure: everything is derived from the case record and the time, so a lost workflow started
 * again from the record reaches the same decisions.
 */
export type SlaAction =
  | { type: 'warn'; milestone: Milestone; dueAt: string }
  | { type: 'breach'; milestone: Milestone; dueAt: string }
  | { type: 'escalate'; level: number; reason: string }
  /** A resolved case's automatic closure is due (closure starts retention, M7.2). */
  | { type: 'close' }
  /** The satisfaction survey or its one reminder is due (M8.1, C7.1; survey.ts). */
  | SurveyAction;

export interface SlaPlan {
  /** Actions due now, in the order they should be applied. */
  due: SlaAction[];
  /** The next moment something may become due (epoch ms), if any. */
  nextAt?: number;
}

interface Window {
  milestone: Milestone;
  startMs: number;
  /** The window's length on a running clock (pauses excluded). */
  lengthMs: number;
  dueMs: number;
  met: boolean;
  /** The clock is stopped (waiting for the customer): nothing can fall due. */
  paused: boolean;
}

const ms = (iso: string) => Date.parse(iso);

/**
 * The initial-response deadline moved by the time spent waiting for the customer (never the
 * acknowledgement). On a calendar (`calendar`, the case's: sla-policy.ts `slaCalendar`) the wait
 * counts in business time and moves the deadline by as much business time.
 */
export function effectiveInitialResponseDue(c: Case, nowMs: number, calendar?: BusinessCalendar): number {
  const waiting = c.sla.pausedSince ? Math.max(0, runningTime(ms(c.sla.pausedSince), nowMs, calendar)) : 0;
  return floorToSecond(windowEnd(ms(c.sla.initialResponseDueAt), (c.sla.pausedMs ?? 0) + waiting, calendar));
}

export function planSla(c: Case, nowMs: number, policy: SlaPolicy): SlaPlan {
  if (!isOpen(c.status)) return afterResolution(c, nowMs, policy);
  const received = ms(c.receivedAt);
  // The case's own calendar under its own policy version (M8.3); undefined: 24/7.
  const calendar = slaCalendar(c.sla, policy);
  const warned = new Set(c.sla.warned ?? []);
  const breached = new Set(c.sla.breached ?? []);
  const due: SlaAction[] = [];
  const points: number[] = [];

  const windows: Window[] = [
    {
      milestone: 'acknowledgement',
      startMs: received,
      lengthMs: runningTime(received, ms(c.sla.acknowledgementDueAt), calendar),
      dueMs: ms(c.sla.acknowledgementDueAt),
      met: Boolean(c.acknowledgedAt),
      paused: false,
    },
    {
      milestone: 'initial_response',
      startMs: received,
      lengthMs: runningTime(received, ms(c.sla.initialResponseDueAt), calendar),
      dueMs: effectiveInitialResponseDue(c, nowMs, calendar),
      met: Boolean(c.firstRespondedAt),
      paused: Boolean(c.sla.pausedSince),
    },
  ];

  for (const w of windows) {
    if (w.met || breached.has(w.milestone)) continue;
    // The warning comes when the running clock has used `warningRatio` of the window.
    const warnMs = warningPoint(w.dueMs, w.lengthMs, policy.warningRatio, calendar);
    if (w.paused) {
      // Wake when the deadline would fall if the customer answered now; then look again.
      points.push(warned.has(w.milestone) || warnMs <= nowMs ? w.dueMs : warnMs);
      continue;
    }
    if (nowMs >= w.dueMs) {
      due.push({ type: 'breach', milestone: w.milestone, dueAt: new Date(w.dueMs).toISOString() });
    } else {
      if (!warned.has(w.milestone)) {
        if (nowMs >= warnMs) due.push({ type: 'warn', milestone: w.milestone, dueAt: new Date(w.dueMs).toISOString() });
        else points.push(warnMs);
      }
      points.push(w.dueMs);
    }
  }

  // Complaints not resolved at the initial level go to a supervisor within 24 h of receipt (M3.2, C3.3).
  if (c.type === 'complaint' && c.sla.escalationDueAt && !c.escalation) {
    const dueMs = ms(c.sla.escalationDueAt);
    const warnMs = warningPoint(dueMs, runningTime(received, dueMs, calendar), policy.warningRatio, calendar);
    if (nowMs >= dueMs) {
      due.push({ type: 'escalate', level: 1, reason: 'Complaint not resolved at the initial level within the escalation window' });
    } else {
      if (!warned.has('escalation')) {
        if (nowMs >= warnMs) due.push({ type: 'warn', milestone: 'escalation', dueAt: c.sla.escalationDueAt });
        else points.push(warnMs);
      }
      points.push(dueMs);
    }
  }

  // Any escalation, automatic or by hand, inquiry or complaint, goes one level up whenever the
  // escalated party does not accept it in time (M3.3).
  if (c.escalation && !c.escalation.acknowledgedAt && !c.escalation.endedAt && c.escalation.level < policy.maxEscalationLevel) {
    const respondBy = ms(c.escalation.respondBy);
    if (nowMs >= respondBy) {
      due.push({
        type: 'escalate',
        level: c.escalation.level + 1,
        reason: `No action by ${c.escalation.responsibleParty} within ${policy.escalationResponseHours} h of escalation level ${c.escalation.level}`,
      });
    } else {
      points.push(respondBy);
    }
  }

  const future = points.filter((p) => p > nowMs);
  return { due, ...(future.length ? { nextAt: Math.min(...future) } : {}) };
}

/**
 * A resolved case waits for its automatic closure (the customer writing again reopens it first);
 * a resolved or closed one for its satisfaction survey and reminder. The survey goes before the
 * closure when both are due: it reads the case as resolved.
 */
function afterResolution(c: Case, nowMs: number, policy: SlaPolicy): SlaPlan {
  const survey = planSurvey(c, nowMs, policy);
  const due: SlaAction[] = [...survey.due];
  const points = survey.nextAt === undefined ? [] : [survey.nextAt];
  if (c.status === 'resolved' && c.autoCloseAt) {
    const closeMs = ms(c.autoCloseAt);
    if (nowMs >= closeMs) due.push({ type: 'close' });
    else points.push(closeMs);
  }
  return { due, ...(points.length ? { nextAt: Math.min(...points) } : {}) };
}

/**
 * The workflow's next step. Wait times are rounded up to the whole second: Step Functions
 * truncates a Wait timestamp's milliseconds, and waking early would only cost another loop.
 */
export function nextStep(plan: SlaPlan): { action: 'act' | 'wait' | 'done'; until: string | null } {
  if (plan.due.length > 0) return { action: 'act', until: null };
  if (plan.nextAt === undefined) return { action: 'done', until: null };
  const seconds = Math.ceil(plan.nextAt / 1000) * 1000;
  return { action: 'wait', until: new Date(seconds).toISOString().replace('.000Z', 'Z') };
}
