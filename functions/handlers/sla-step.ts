import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { createDocumentClient } from '../adapters/aws-clients';
import { readConfig, SlaContactsSchema, TableConfigSchema } from '../adapters/config';
import { DynamoCaseStore } from '../adapters/dynamo-case-store';
import { logger } from '../adapters/observability';
import { systemClock } from '../adapters/system-clock';
import { applySla } from '../core/apply-sla';
import { nextStep, planSla } from '../core/sla-plan';
import { slaPolicy } from '../core/sla-policy';

const config = readConfig(TableConfigSchema.merge(SlaContactsSchema));
const store = new DynamoCaseStore(createDocumentClient(config), config.TABLE_NAME);
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
    const applied = await applySla(input.caseId, { store, clock: systemClock, contacts });
    logger.info('sla actions applied', { caseId: input.caseId, actions: applied.map((a) => (a.type === 'escalate' ? `escalate:${a.level}` : `${a.type}:${a.milestone}`)) });
    return { action: 'act', until: null, reason: `${applied.length} action(s) applied` };
  }
  const c = await store.getCase(input.caseId);
  if (!c) return { action: 'done', until: null, reason: 'no such case' };
  const plan = planSla(c, systemClock.now().getTime(), slaPolicy(c.sla.policyVersion));
  const next = nextStep(plan);
  const reason =
    next.action === 'act'
      ? plan.due.map((a) => (a.type === 'escalate' ? `escalate to level ${a.level}` : `${a.type} ${a.milestone}`)).join(', ')
      : next.action === 'wait'
        ? 'next deadline or warning point'
        : `nothing left to enforce (status ${c.status})`;
  return { ...next, reason };
}

export const handler = middy<unknown, SlaStepResult>().use(injectLambdaContext(logger, { resetKeys: true })).handler(step);
