import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { reconcileRetention, type RetentionReconcileRun } from '../core/reconcile-retention';

const config = configFor('retention-reconciler');
const app = wiring(config);

/** The run did not reach or finish every closed case in reach: the function fails, so that it alarms and is retried. */
export class RetentionReconcileIncompleteError extends Error {
  override readonly name = 'RetentionReconcileIncompleteError';
  constructor(readonly run: RetentionReconcileRun) {
    super(`the retention reconciliation left ${run.failed.length} case(s) failed${run.unfinished ? ' and stopped before its time ran out' : ''}`);
  }
}

/** Time kept back at the end of a run: a tenth of what it was given, a minute at most. */
const stopMarginOf = (context: Context) => Math.min(60_000, context.getRemainingTimeInMillis() / 10);

/**
 * Scheduled daily after the audit anchoring (M7.2 / C4.3): archives every closed case of the last
 * days that has no archive, and stamps every archived one whose items lack its expiry, whatever
 * the stream consumers did. Logs ids and counts only. A case that failed, or a run cut short,
 * fails the invocation after the metrics are out (the errors alarm; the next run tries again).
 */
export const handler = middy<unknown, RetentionReconcileRun>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (_event: unknown, context: Context) => {
    const margin = stopMarginOf(context);
    const run = await reconcileRetention(
      { store: app.cases, archives: app.caseArchives, itemImages: app.caseItemImages, keys: app.subjectKeys, clock: app.clock, closedCases: app.closedCases, stamper: app.retentionStamper },
      app.clock.now(),
      { ...(config.RETENTION_RECONCILE_DAYS !== undefined ? { days: config.RETENTION_RECONCILE_DAYS } : {}), shouldStop: () => context.getRemainingTimeInMillis() < margin },
    );
    const summary = { from: run.days[0], to: run.days.at(-1), checked: run.checked, settling: run.settling, archived: run.archived, stamped: run.stamped, itemsStamped: run.itemsStamped, unfinished: run.unfinished };
    if (run.failed.length > 0) logger.error('retention reconciliation: cases failed', { ...summary, failed: run.failed });
    else if (run.unfinished) logger.warn('retention reconciliation stopped before its time ran out', summary);
    else logger.info('retention reconciled', summary);
    metrics.addMetric('RetentionCasesChecked', MetricUnit.Count, run.checked);
    metrics.addMetric('RetentionCasesArchived', MetricUnit.Count, run.archived);
    metrics.addMetric('RetentionCasesStamped', MetricUnit.Count, run.stamped);
    metrics.addMetric('RetentionReconcileFailures', MetricUnit.Count, run.failed.length);
    metrics.publishStoredMetrics();
    if (run.failed.length > 0 || run.unfinished) throw new RetentionReconcileIncompleteError(run);
    return run;
  });
