import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { reconcileSlaWorkflows } from '../core/reconcile-sla';

const app = wiring(configFor('sla-reconciler'));

/** Scheduled: every open case with something left to enforce has a running SLA workflow. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const result = await reconcileSlaWorkflows({ store: app.cases, workflows: app.slaWorkflows, clock: app.clock });
    logger.info('sla reconciliation', { ...result });
    metrics.addMetric('SlaWorkflowsRestarted', MetricUnit.Count, result.started);
    metrics.publishStoredMetrics();
    return result;
  });
