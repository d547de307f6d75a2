import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { createDocumentClient } from '../adapters/aws-clients';
import { readConfig, TableConfigSchema, WorkflowConfigSchema } from '../adapters/config';
import { DynamoCaseStore } from '../adapters/dynamo-case-store';
import { logger, metrics } from '../adapters/observability';
import { createSfnClient, SfnSlaWorkflows } from '../adapters/sfn-sla-workflows';
import { systemClock } from '../adapters/system-clock';
import { reconcileSlaWorkflows } from '../core/reconcile-sla';

const config = readConfig(TableConfigSchema.merge(WorkflowConfigSchema));
const store = new DynamoCaseStore(createDocumentClient(config), config.TABLE_NAME);
const workflows = new SfnSlaWorkflows(createSfnClient(config), config.SLA_STATE_MACHINE_ARN);

/** Scheduled: every open case with something left to enforce has a running SLA workflow. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const result = await reconcileSlaWorkflows({ store, workflows, clock: systemClock });
    logger.info('sla reconciliation', { ...result });
    metrics.addMetric('SlaWorkflowsRestarted', MetricUnit.Count, result.started);
    metrics.publishStoredMetrics();
    return result;
  });
