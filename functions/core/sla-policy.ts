import * as z from 'zod';
import { addBusinessTime, BusinessCalendarSchema, businessTimeBetween, subtractBusinessTime, type BusinessCalendar } from './business-calendar';
import type { CaseType, Priority } from './case';

/** The name a policy gives round-the-clock windows (the default: no calendar). */
export const ROUND_THE_CLOCK = '24/7';

// Spelled out here: case.ts imports this module, so its schemas cannot be imported back at load time.
const CASE_TYPES = ['inquiry', 'complaint'] as const satisfies readonly CaseType[];
const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const satisfies readonly Priority[];
const CalendarNameSchema = z.string().min(1);

/**
 * Which calendar a case's SLA windows run on (docs/business-hours.md): its priority's if the policy
 * names one, else its type's, else the default; `24/7` (or nothing) runs round the clock.
 */
export const CalendarRulesSchema = z
  .object({
    default: CalendarNameSchema.optional(),
    byType: z.object(Object.fromEntries(CASE_TYPES.map((t) => [t, CalendarNameSchema.optional()])) as Record<CaseType, z.ZodOptional<typeof CalendarNameSchema>>).strict().optional(),
    byPriority: z.object(Object.fromEntries(PRIORITIES.map((p) => [p, CalendarNameSchema.optional()])) as Record<Priority, z.ZodOptional<typeof CalendarNameSchema>>).strict().optional(),
  })
  .strict();
export type CalendarRules = z.infer<typeof CalendarRulesSchema>;

/**
 * The service-level policy, as typed and versioned configuration.
 * Each case keeps the version it was opened under (M8.3: the SOP changes over time, and a
 * change must never silently rewrite the deadlines of open cases).
 */
export const SlaPolicySchema = z.object({
  version: z.string().min(1),
  /** M3.1: acknowledge within 15 minutes. */
  acknowledgementMinutes: z.number().int().positive(),
  /** M3.1 / C3.1: initial assistance within 24 hours. */
  initialResponseHours: z.number().positive(),
  /** M3.2 / C3.3: complaints needing more authority escalated to a supervisor within 24 hours of receipt. */
  complaintEscalationHours: z.number().positive(),
  /** C8.1: corrective action for non-compliance within 7 days. */
  correctiveActionDays: z.number().positive(),
  /**
   * M7.2 / C4.3: records retained at least five years. Decides nothing: a closure's expiry comes from
   * the retention policy version current when the case closes (retention-policy-versions.ts,
   * docs/retention.md). Kept so that versions published with it still parse.
   */
  retentionYears: z.number().int().min(5),
  /** Share of each window after which the responsible party is warned. */
  warningRatio: z.number().gt(0).lt(1),
  /** How long an escalated party has to act before the case goes one level up. */
  escalationResponseHours: z.number().positive(),
  /** Escalation levels: 1 supervisor, 2 manager. */
  maxEscalationLevel: z.number().int().min(1).max(5),
  /**
   * A resolved case closes by itself this many days after resolution unless the customer writes
   * again (closure starts retention, M7.2). Kept by the case with its policy version, like every window.
   */
  autoCloseDays: z.number().positive().default(7),
  /**
   * Business-hours calendars (business-calendar.ts) by name, and which one each case's windows run
   * on. Part of the version like every window, so a case keeps its hours (M8.3). None: 24/7.
   */
  calendars: z.record(CalendarNameSchema, BusinessCalendarSchema).optional(),
  calendarRules: CalendarRulesSchema.optional(),
  /** M8.1 / C7.1: the satisfaction survey goes this many hours after resolution (survey.ts). */
  surveyDelayHours: z.number().nonnegative().default(24),
  /** One reminder this many days after an unanswered survey; 0 sends none. */
  surveyReminderDays: z.number().nonnegative().default(3),
  /** How long a survey link answers; a survey not sent within this time of falling due is not sent at all. */
  surveyLinkDays: z.number().positive().default(28),
  /**
   * Who each team's escalations go to under this version (role addresses, M3.3), recorded with a
   * published version (docs/sla-policies.md). None: the contacts the functions are configured with.
   */
  escalationContacts: z.record(z.string().min(1), z.object({ supervisor: z.email(), manager: z.email().optional() }).strict()).optional(),
}).superRefine((policy, ctx) => {
  const { default: fallback, byType = {}, byPriority = {} } = policy.calendarRules ?? {};
  for (const name of [fallback, ...Object.values(byType), ...Object.values(byPriority)]) {
    if (name !== undefined && name !== ROUND_THE_CLOCK && !policy.calendars?.[name]) {
      ctx.addIssue({ code: 'custom', path: ['calendarRules'], message: `No calendar named ${name} in the policy` });
    }
  }
});
export type SlaPolicy = z.infer<typeof SlaPolicySchema>;

export const SLA_POLICIES: Readonly<Record<string, SlaPolicy>> = {
  '2026-11': SlaPolicySchema.parse({
    version: '2026-11',
    acknowledgementMinutes: 15,
    initialResponseHours: 24,
    complaintEscalationHours: 24,
    correctiveActionDays: 7,
    retentionYears: 5,
    warningRatio: 0.75,
    escalationResponseHours: 24,
    maxEscalationLevel: 2,
    autoCloseDays: 7,
  }),
};

export const CURRENT_SLA_POLICY_VERSION = '2026-11';

/**
 * The versions published as data (docs/sla-policies.md) that this process has read: the policy
 * store (SlaPolicyVersions, wired in the composition root) makes each known as it reads it, and the
 * case store before it hands out a case. A published version is immutable, so knowing it once is
 * knowing it for good.
 */
const publishedPolicies = new Map<string, SlaPolicy>();

export function knowSlaPolicy(policy: SlaPolicy): void {
  if (!SLA_POLICIES[policy.version]) publishedPolicies.set(policy.version, policy);
}

/**
 * A policy version by its id: a built-in one, or a published one this process has read (see
 * `knowSlaPolicy`). Without an id, the built-in default: a case opening asks the policy store for
 * the current version instead (SlaPolicyVersions.current).
 */
export function slaPolicy(version: string = CURRENT_SLA_POLICY_VERSION): SlaPolicy {
  const policy = findSlaPolicy(version);
  if (!policy) throw new Error(`Unknown SLA policy version ${version}`);
  return policy;
}

/** The version if this process knows it (built in, or published and read): undefined otherwise. */
export function findSlaPolicy(version: string): SlaPolicy | undefined {
  return SLA_POLICIES[version] ?? publishedPolicies.get(version);
}

export const MilestoneSchema = z.enum(['acknowledgement', 'initial_response', 'escalation']);
export type Milestone = z.infer<typeof MilestoneSchema>;

export const SlaDeadlinesSchema = z.object({
  policyVersion: z.string(),
  acknowledgementDueAt: z.iso.datetime(),
  initialResponseDueAt: z.iso.datetime(),
  /** The policy's calendar the windows run on, chosen at opening and kept (M8.3); absent: 24/7. */
  calendar: z.string().optional(),
  /** Complaints only. */
  escalationDueAt: z.iso.datetime().optional(),
  /** Time spent waiting for the customer, which the initial-response clock does not count (business time on a calendar). */
  pausedMs: z.number().int().nonnegative().optional(),
  /** Set while the case waits for the customer. */
  pausedSince: z.iso.datetime().optional(),
  /** Milestones whose warning was sent, and those breached: each happens once. */
  warned: z.array(MilestoneSchema).optional(),
  breached: z.array(MilestoneSchema).optional(),
});
export type SlaDeadlines = z.infer<typeof SlaDeadlinesSchema>;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Deadlines fall on a whole second, rounded down (never later than the policy allows): Step
 * Functions Wait timestamps have whole seconds, so the workflow wakes exactly at the deadline.
 */
export const floorToSecond = (ms: number) => Math.floor(ms / 1000) * 1000;

/** The calendar a case opening now runs its windows on (CalendarRulesSchema), by name; undefined: 24/7. */
export function calendarNameFor(policy: SlaPolicy, c: { type: CaseType; priority?: Priority | undefined }): string | undefined {
  const rules = policy.calendarRules;
  const name = (c.priority ? rules?.byPriority?.[c.priority] : undefined) ?? rules?.byType?.[c.type] ?? rules?.default;
  return name === ROUND_THE_CLOCK ? undefined : name;
}

/** Which calendar each case type and priority opens on under a policy (ROUND_THE_CLOCK for none): GET /v1/sla-policies shows it. */
export function calendarsByCase(policy: SlaPolicy): Array<{ type: CaseType; priority: Priority; calendar: string }> {
  return CASE_TYPES.flatMap((type) => PRIORITIES.map((priority) => ({ type, priority, calendar: calendarNameFor(policy, { type, priority }) ?? ROUND_THE_CLOCK })));
}

/** The calendar a case's windows run on (`sla.calendar`, under its own policy version); undefined: 24/7. */
export function slaCalendar(sla: Pick<SlaDeadlines, 'calendar'>, policy: SlaPolicy): BusinessCalendar | undefined {
  if (sla.calendar === undefined) return undefined;
  const calendar = policy.calendars?.[sla.calendar];
  if (!calendar) throw new Error(`SLA policy ${policy.version} has no calendar named ${sla.calendar}`);
  return calendar;
}

/** The end of a window of `lengthMs` (running time) from `startMs`: business time on a calendar. */
export function windowEnd(startMs: number, lengthMs: number, calendar: BusinessCalendar | undefined): number {
  return calendar ? addBusinessTime(startMs, lengthMs, calendar) : startMs + lengthMs;
}

/** The running time between two instants: business time on a calendar. */
export function runningTime(fromMs: number, toMs: number, calendar: BusinessCalendar | undefined): number {
  return calendar ? businessTimeBetween(fromMs, toMs, calendar) : toMs - fromMs;
}

/**
 * The time a wait for the customer from `fromMs` to `toMs` stopped a case's initial-response clock
 * (kept in `pausedMs`): business time on the case's calendar.
 */
export function pausedTime(sla: SlaDeadlines, fromMs: number, toMs: number, policy?: SlaPolicy): number {
  // A 24/7 case needs no policy: the wait is the time that passed (as it always was).
  const calendar = sla.calendar === undefined ? undefined : slaCalendar(sla, policy ?? slaPolicy(sla.policyVersion));
  return Math.max(0, runningTime(fromMs, toMs, calendar));
}

/**
 * The warning point of a deadline: when the running clock has used the policy's `warningRatio` of
 * the window (`lengthMs`, pauses excluded) that ends at `dueMs`. The SLA workflow warns there
 * (sla-plan.ts) and the queues show it (core/case.ts `nextDue`): one computation for both. On a
 * calendar, the rest of the window is counted back from the deadline in business time.
 */
export function warningPoint(dueMs: number, lengthMs: number, warningRatio: number, calendar?: BusinessCalendar): number {
  const rest = Math.ceil(lengthMs * (1 - warningRatio));
  return floorToSecond(calendar ? subtractBusinessTime(dueMs, rest, calendar) : dueMs - rest);
}

export interface DeadlineOptions {
  /** Picks the calendar with the type (calendarNameFor). */
  priority?: Priority | undefined;
  /** The calendar to use instead of picking one (a case's own, `sla.calendar`); ROUND_THE_CLOCK for none. */
  calendar?: string | undefined;
}

/**
 * A case's deadlines from its receipt under `policy` (M3.1, M3.2), on the calendar the policy gives
 * its type and priority, which the deadlines record (M8.3: an open case keeps them).
 */
export function computeDeadlines(type: CaseType, receivedAt: Date, policy: SlaPolicy, options: DeadlineOptions = {}): SlaDeadlines {
  const chosen = options.calendar ?? calendarNameFor(policy, { type, priority: options.priority });
  const name = chosen === ROUND_THE_CLOCK ? undefined : chosen;
  const calendar = slaCalendar({ calendar: name }, policy);
  const start = receivedAt.getTime();
  const at = (ms: number) => new Date(floorToSecond(windowEnd(start, ms, calendar))).toISOString();
  return {
    policyVersion: policy.version,
    ...(name !== undefined ? { calendar: name } : {}),
    acknowledgementDueAt: at(policy.acknowledgementMinutes * MINUTE),
    initialResponseDueAt: at(policy.initialResponseHours * HOUR),
    ...(type === 'complaint' ? { escalationDueAt: at(policy.complaintEscalationHours * HOUR) } : {}),
  };
}

/** When a case resolved at `resolvedAt` closes by itself under its policy. */
export function autoCloseTime(resolvedAt: Date, policy: SlaPolicy): string {
  return new Date(floorToSecond(resolvedAt.getTime() + policy.autoCloseDays * 24 * HOUR)).toISOString();
}

/** The earliest SLA milestone a case has not met yet, or undefined when none is pending. */
export function nextDeadline(c: {
  sla: SlaDeadlines;
  acknowledgedAt?: string | undefined;
  firstRespondedAt?: string | undefined;
  type: CaseType;
}): string | undefined {
  const pending: string[] = [];
  if (!c.acknowledgedAt) pending.push(c.sla.acknowledgementDueAt);
  if (!c.firstRespondedAt) pending.push(c.sla.initialResponseDueAt);
  if (c.type === 'complaint' && c.sla.escalationDueAt) pending.push(c.sla.escalationDueAt);
  return pending.sort()[0];
}
