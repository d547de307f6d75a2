import type { Case } from './case';
import { planSla } from './sla-plan';
import { findSlaPolicy } from './sla-policy';

/** The port to the SLA workflow engine (Step Functions in AWS, the local runner on a laptop). */
export interface SlaWorkflows {
  /**
   * Makes sure a workflow runs for the case: starts `case-<caseId>` if none ever ran, or the next
   * restart name if the earlier ones ended. Idempotent: a running execution is left alone.
   */
  ensureRunning(caseId: string): Promise<'started' | 'already-running'>;
}

/** Workflows that can also be replaced: a migration to another policy version moves the deadlines an execution waits for (M8.3). */
export interface RestartableSlaWorkflows extends SlaWorkflows {
  /**
   * Stops the case's running execution, if any, and starts the next restart name, which plans
   * from the case as it now is. Call it after the change is written.
   */
  restart(caseId: string): Promise<void>;
}

/** Execution names derive from the case id: a duplicate start is harmless, a restart is traceable. */
export const MAX_RESTARTS = 50;
export function executionName(caseId: string, generation: number): string {
  return generation <= 1 ? `case-${caseId}` : `case-${caseId}-r${generation}`;
}

/**
 * Whether a change of a case may need its SLA workflow started again: the new state has a timer
 * (a deadline, a warning, the automatic closure) and something that decides timers changed —
 * status (resolved: the closure; reopened), type (a complaint's escalation), the escalation, the
 * pause, the satisfaction survey (sent: its reminder; an address that no longer bounces: the survey
 * itself). A closed case still waits for a survey due after its closure. A running workflow is left alone by `ensureRunning`; one that had ended is started anew.
 */
export function timersMayHaveChanged(
  before: (Pick<Case, 'status' | 'type' | 'escalation' | 'autoCloseAt' | 'sla'> & Partial<Pick<Case, 'survey' | 'customer'>>) | undefined,
  after: Case,
  nowMs: number,
): boolean {
  // A published version the process has not read (the stream starter reads no table): no plan to
  // rule the start out, so the changes decide; a start with nothing to enforce ends at once.
  const policy = findSlaPolicy(after.sla.policyVersion);
  const plan = policy ? planSla(after, nowMs, policy) : undefined;
  if (plan && plan.due.length === 0 && plan.nextAt === undefined) return false;
  if (!before) return true;
  return (
    before.status !== after.status ||
    before.type !== after.type ||
    before.autoCloseAt !== after.autoCloseAt ||
    before.sla.pausedSince !== after.sla.pausedSince ||
    JSON.stringify(before.escalation ?? null) !== JSON.stringify(after.escalation ?? null) ||
    JSON.stringify(before.survey ?? null) !== JSON.stringify(after.survey ?? null) ||
    Boolean(before.customer?.emailBouncing) !== Boolean(after.customer.emailBouncing)
  );
}
