import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { monthBefore, MonthSchema } from '../core/monthly-report';
import { produceMonthlyReport } from '../core/monthly-report-delivery';
import { monthlyReportDepsOf } from './monthly-report-deps';

const config = configFor('monthly-report-job');
const app = wiring(config);

/**
 * What starts a run: a schedule's event (EventBridge Scheduler or a rule: only its `time` is read)
 * or a hand (`{month: '2026-11'}`); `{}` reports on the month before now.
 */
export interface MonthlyReportJobEvent {
  month?: string;
  time?: string;
}

/**
 * The monthly report on a schedule (docs/reports.md): early each month, the month before, written
 * into the exports bucket under `reports/monthly/<YYYY-MM>/`. A schedule's retry makes the same
 * month again (the report is replaced, its figures as of the run). In Lambda there is no Chromium:
 * the page and its figures are written, the PDF is not, and the result says why.
 */
export const handler = middy<MonthlyReportJobEvent | undefined>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const scheduled = event?.time ? new Date(event.time) : undefined;
    const month = event?.month !== undefined ? MonthSchema.parse(event.month) : monthBefore(scheduled && !Number.isNaN(scheduled.getTime()) ? scheduled : app.clock.now());
    const produced = await produceMonthlyReport(month, monthlyReportDepsOf(app, config));
    logger.info('monthly report made', { month, cases: produced.report.totals.cases, manifests: produced.report.evidence.manifests.length, pdf: produced.keys.pdf !== undefined });
    return { month, asOf: produced.asOf, keys: produced.keys, ...(produced.pdfNotProduced ? { pdfNotProduced: produced.pdfNotProduced } : {}) };
  });
