import { NotFoundError } from '../core/errors';
import { reportLinks, storedMonthlyReport } from '../core/monthly-report-delivery';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { MonthPathSchema } from './path-params';

/**
 * GET /v1/reports/monthly/{month}: the report last made for the month, with fresh 15-minute links
 * to its page, figures and PDF; 404 when none was made (POST /v1/reports/monthly makes one).
 * Roles: routes.ts.
 */
export const handler = staffRoute('get-monthly-report', async ({ event, app }) => {
  const { month } = parseInput(MonthPathSchema, event.pathParameters ?? {});
  const stored = await storedMonthlyReport(month, app.exportStore);
  if (!stored) throw new NotFoundError(`No report for ${month}: make it with POST /v1/reports/monthly`);
  return json(200, {
    report: { month, asOf: stored.asOf, ...(stored.pdfNotProduced ? { pdfNotProduced: stored.pdfNotProduced } : {}) },
    links: await reportLinks(stored, app.exportLinks),
  });
});
