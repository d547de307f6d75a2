import * as z from 'zod';
import type { CaseType } from './case';
import { retentionExpiryOf, retentionPolicy } from './retention-policy';

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
  /** M7.2 / C4.3: records retained at least five years. */
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
  /** M8.1 / C7.1: the satisfaction survey goes this many hours after resolution (survey.ts). */
  surveyDelayHours: z.number().nonnegative().default(24),
  /** One reminder this many days after an unanswered survey; 0 sends none. */
  surveyReminderDays: z.number().nonnegative().default(3),
  /** How long a survey link answers; a survey not sent within this time of falling due is not sent at all. */
  surveyLinkDays: z.number().positive().default(28),
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

export function slaPolicy(version: string = CURRENT_SLA_POLICY_VERSION): SlaPolicy {
  const policy = SLA_POLICIES[version];
  if (!policy) throw new Error(`Unknown SLA policy version ${version}`);
  return policy;
}

export const MilestoneSchema = z.enum(['acknowledgement', 'initial_response', 'escalation']);
export type Milestone = z.infer<typeof MilestoneSchema>;

export const SlaDeadlinesSchema = z.object({
  policyVersion: z.string(),
  acknowledgementDueAt: z.iso.datetime(),
  initialResponseDueAt: z.iso.datetime(),
  /** Complaints only. */
  escalationDueAt: z.iso.datetime().optional(),
  /** Time spent waiting for the customer, which the initial-response clock does not count. */
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

/**
 * The warning point of a deadline: when the running clock has used the policy's `warningRatio` of
 * the window (`lengthMs`, pauses excluded) that ends at `dueMs`. The SLA workflow warns there
 * (sla-plan.ts) and the queues show it (core/case.ts `nextDue`): one computation for both.
 */
export function warningPoint(dueMs: number, lengthMs: number, warningRatio: number): number {
  return floorToSecond(dueMs - Math.ceil(lengthMs * (1 - warningRatio)));
}

export function computeDeadlines(type: CaseType, receivedAt: Date, policy: SlaPolicy): SlaDeadlines {
  const at = (ms: number) => new Date(floorToSecond(receivedAt.getTime() + ms)).toISOString();
  return {
    policyVersion: policy.version,
    acknowledgementDueAt: at(policy.acknowledgementMinutes * MINUTE),
    initialResponseDueAt: at(policy.initialResponseHours * HOUR),
    ...(type === 'complaint' ? { escalationDueAt: at(policy.complaintEscalationHours * HOUR) } : {}),
  };
}

/**
 * Epoch seconds at which a closed case's records may expire (DynamoDB TTL), M7.2 / C4.3, by the
 * SLA policy's `retentionYears`. The retention policy (retention-policy.ts) decides closures now.
 */
export function retentionExpiry(closedAt: Date, policy: SlaPolicy): number {
  return retentionExpiryOf(closedAt, { ...retentionPolicy(), years: policy.retentionYears });
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
