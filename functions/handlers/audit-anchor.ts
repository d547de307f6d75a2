import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { anchorAuditHeads } from '../core/anchor-audit-heads';

const app = wiring(configFor('audit-anchor'));

/** The EventBridge scheduled event (only its time is read); the local stack and a manual invocation may send `{}`. */
export interface AnchorEvent {
  time?: string;
}

/**
 * The time a run anchors up to: the schedule's time, so that a retried event anchors the same
 * days, but never later than now (a day is anchored only once it is over).
 */
function runTime(event: AnchorEvent | undefined): Date {
  const now = app.clock.now();
  const scheduled = event?.time ? new Date(event.time) : undefined;
  return scheduled && !Number.isNaN(scheduled.getTime()) && scheduled < now ? scheduled : now;
}

/** Scheduled shortly after midnight UTC: anchors every finished day's case heads outside the table (M5.3, M7.3). */
export const handler = middy<AnchorEvent | undefined>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const result = await anchorAuditHeads({ heads: app.caseHeads, archive: app.auditAnchors }, runTime(event));
    logger.info('audit heads anchored', { days: result.anchored.map((a) => a.day), cases: result.anchored.reduce((n, a) => n + a.cases, 0), markersCompleted: result.markersCompleted, remaining: result.remaining });
    metrics.addMetric('AuditDaysAnchored', MetricUnit.Count, result.anchored.length);
    metrics.addMetric('AuditDaysBehind', MetricUnit.Count, result.remaining);
    metrics.publishStoredMetrics();
    return result;
  });
