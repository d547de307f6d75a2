import { logger } from '../adapters/observability';
import { MetricsQuerySchema, reportMetrics } from '../core/metrics';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/metrics?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=day|week|agent|type|channel: the protocol
 * metrics (M6.2, C6.2, C7.3) of the cases received in the period, as of now (core/metrics.ts;
 * docs/metrics.md). A period longer than 93 days is a 400 naming the field. Roles: routes.ts.
 */
export const handler = staffRoute('get-metrics', async (req) => {
  const query = parseRouteQuery(req, MetricsQuerySchema);
  const report = await reportMetrics(query, { cases: req.app.receivedCases, clock: req.app.clock });
  logger.info('get-metrics', { from: report.period.from, to: report.period.to, groupBy: report.groupBy, cases: report.totals.cases, actorRole: req.actor.kind });
  return json(200, report);
});
