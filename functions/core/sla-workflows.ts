/** The port to the SLA workflow engine (Step Functions in AWS, the local runner on a laptop). */
export interface SlaWorkflows {
  /**
   * Makes sure a workflow runs for the case: starts `case-<caseId>` if none ever ran, or the next
   * restart name if the earlier ones ended. Idempotent: a running execution is left alone.
   */
  ensureRunning(caseId: string): Promise<'started' | 'already-running'>;
}

/** Execution names derive from the case id: a duplicate start is harmless, a restart is traceable. */
export const MAX_RESTARTS = 50;
export function executionName(caseId: string, generation: number): string {
  return generation <= 1 ? `case-${caseId}` : `case-${caseId}-r${generation}`;
}
