import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { applySla } from '../core/apply-sla';
import { nextStep, planSla, type SlaAction } from '../core/sla-plan';
import { slaPolicy } from '../core/sla-policy';

const config = configFor('sla-step');
const app = wiring(config);
const contacts = { teamInbox: config.TEAM_INBOX_EMAIL, supervisor: config.SUPERVISOR_EMAIL, manager: config.MANAGER_EMAIL };

export const SlaStepInputSchema = z.object({ mode: z.enum(['plan', 'apply']), caseId: z.uuid() });
export type SlaStepInput = z.infer<typeof SlaStepInputSchema>;
export interface SlaStepResult {
  action: 'act' | 'wait' | 'done';
  until: string | null;
  reason: string;
}

/**
 * The SLA workflow's one function (state-machines/case-sla.asl.json): `plan` reads the case and
 * says what to do next; `apply` records the warnings, breaches and escalations due now.
 */
async function step(event: unknown): Promise<SlaStepResult> {
  const input = SlaStepInputSchema.parse(event);
  if (input.mode === 'apply') {
    const applied = await applySla(input.caseId, { store: app.cases, clock: app.clock, contacts, retention: app.retention, nonCompliance: app.nonCompliance });
    logger.info('sla actions applied', { caseId: input.caseId, actions: applied.map(describeAction) });
    return { action: 'act', until: null, reason: `${applied.length} action(s) applied` };
  }
  const c = await app.cases.getCase(input.caseId);
  if (!c) return { action: 'done', until: null, reason: 'no such case' };
  const plan = planSla(c, app.clock.now().getTime(), slaPolicy(c.sla.policyVersion));
  const next = nextStep(plan);
  const reason =
    next.action === 'act'
      ? plan.due.map(describeAction).join(', ')
      : next.action === 'wait'
        ? 'next deadline or warning point'
        : `nothing left to enforce (status ${c.status})`;
  return { ...next, reason };
}

function describeAction(a: SlaAction): string {
  if (a.type === 'escalate') return `escalate to level ${a.level}`;
  if (a.type === 'close') return 'close the resolved case';
  if (a.type === 'send_survey' || a.type === 'send_survey_reminder') return a.type;
  return `${a.type} ${a.milestone}`;
}

export const handler = middy<unknown, SlaStepResult>().use(injectLambdaContext(logger, { resetKeys: true })).handler(step);
