import type { Clock } from './clock';
import type { CaseStore } from './ports';
import { planSla } from './sla-plan';
import { slaPolicy } from './sla-policy';
import type { SlaWorkflows } from './sla-workflows';

export interface ReconcileDeps {
  store: CaseStore;
  workflows: SlaWorkflows;
  clock: Clock;
}

/**
 * Starts the SLA workflow of every case that still has a timer to enforce and none running: an
 * open case's deadlines and escalations, a resolved case's automatic closure (M7.2: closure starts
 * retention). Needed after a lost execution, a failed start, or a restart of the local stack. The
 * workflow's state is the case record, so a fresh execution takes over where the lost one was.
 */
export async function reconcileSlaWorkflows(deps: ReconcileDeps): Promise<{ checked: number; started: number }> {
  let checked = 0;
  let started = 0;
  for await (const c of deps.store.casesWithTimers()) {
    checked += 1;
    const plan = planSla(c, deps.clock.now().getTime(), slaPolicy(c.sla.policyVersion));
    if (plan.due.length === 0 && plan.nextAt === undefined) continue;
    if ((await deps.workflows.ensureRunning(c.caseId)) === 'started') started += 1;
  }
  return { checked, started };
}
