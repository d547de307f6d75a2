import { trainingSettingsOf } from '../adapters/config';
import type { FunctionConfig } from '../adapters/function-config';
import type { Wiring } from '../adapters/wiring';
import type { MonthlyReportDeps } from '../core/monthly-report-delivery';

/**
 * What a monthly report reads, from the composition root (docs/reports.md): the month's cases, the
 * export chain, the non-compliance records, and — where the function knows the staff directory —
 * the quality reviews and the representatives' training. The scheduled job of the exports stack
 * deploys before the staff directory exists, so its report has the quality reviews but no training section.
 */
export function monthlyReportDepsOf(app: Wiring, config: FunctionConfig<'create-monthly-report' | 'monthly-report-job'>): MonthlyReportDeps {
  const directory = config.STAFF_USER_POOL_ID !== undefined || config.STAFF_DIRECTORY_FILE !== undefined;
  return {
    cases: app.receivedCases,
    store: app.exportStore,
    renderer: app.reportRenderer,
    clock: app.clock,
    nonCompliance: app.nonCompliance,
    quality: { reviews: app.qualityReviews, ...(directory ? { training: { staff: app.staff, records: app.training, settings: trainingSettingsOf(config) } } : {}) },
  };
}
