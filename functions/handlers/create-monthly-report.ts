import { logger } from '../adapters/observability';
import { MonthlyReportRequestSchema } from '../core/monthly-report';
import { produceMonthlyReport, reportLinks } from '../core/monthly-report-delivery';
import { json } from './http/http-event';
import { monthlyReportDepsOf } from './monthly-report-deps';
import { parseRouteBody, staffRoute } from './http/staff-route';

/**
 * POST /v1/reports/monthly `{month: 'YYYY-MM'}`: the month's compliance report made now (a month
 * that has ended: 409 otherwise) into the exports bucket, answered with 15-minute links to its page,
 * figures and PDF (docs/reports.md). Without Chromium (in Lambda) there is no PDF and the answer
 * says so. Roles: routes.ts.
 */
export const handler = staffRoute('create-monthly-report', async (req) => {
  const { month } = parseRouteBody(req, MonthlyReportRequestSchema);
  const { app } = req;
  const produced = await produceMonthlyReport(month, monthlyReportDepsOf(app, req.config));
  logger.info('monthly report made', { month, cases: produced.report.totals.cases, manifests: produced.report.evidence.manifests.length, pdf: produced.keys.pdf !== undefined, actorRole: req.actor.kind });
  const { report: _report, ...stored } = produced;
  return json(201, {
    report: { month, asOf: stored.asOf, ...(stored.pdfNotProduced ? { pdfNotProduced: stored.pdfNotProduced } : {}) },
    links: await reportLinks(stored, app.exportLinks),
  });
});
