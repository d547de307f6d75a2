import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { applyCorrectiveActionStep, planCorrectiveActionStep, type CorrectiveActionStepDeps } from '../core/non-compliance-records';

const config = configFor('corrective-action-step');
const app = wiring(config);
const deps: CorrectiveActionStepDeps = {
  store: app.nonCompliance,
  clock: app.clock,
  contacts: { supervisor: config.SUPERVISOR_EMAIL, manager: config.MANAGER_EMAIL },
  mailer: app.mailer,
};

export const CorrectiveActionStepInputSchema = z.object({ mode: z.enum(['plan', 'apply']), recordId: z.string().min(1).max(80) });
export interface CorrectiveActionStepResult {
  action: 'act' | 'wait' | 'done';
  until: string | null;
  reason: string;
}

/**
 * The corrective-action workflow's one function (state-machines/corrective-action.asl.json, C8.1):
 * `plan` reads the non-compliance record and says what to do next; `apply` sends the warning or
 * records the missed deadline and tells management.
 */
async function step(event: unknown): Promise<CorrectiveActionStepResult> {
  const input = CorrectiveActionStepInputSchema.parse(event);
  if (input.mode === 'apply') {
    const applied = await applyCorrectiveActionStep(input.recordId, deps);
    logger.info('corrective-action steps applied', { recordId: input.recordId, steps: applied.map((s) => s.type) });
    return { action: 'act', until: null, reason: `${applied.length} step(s) applied` };
  }
  const next = await planCorrectiveActionStep(input.recordId, deps);
  return { action: next.action, until: next.until ?? null, reason: next.reason };
}

export const handler = middy<unknown, CorrectiveActionStepResult>().use(injectLambdaContext(logger, { resetKeys: true })).handler(step);
