import { trainingSettingsOf } from '../adapters/config';
import type { FunctionConfig } from '../adapters/function-config';
import type { Wiring } from '../adapters/wiring';
import type { PerformanceReviewDeps } from '../core/performance-review-requests';

/** What the performance-review routes read (C7.3), from the composition root. */
export const performanceReviewDepsOf = (app: Wiring, config: FunctionConfig<'get-performance-review' | 'list-performance-reviews'>): PerformanceReviewDeps => ({
  cases: app.receivedCases,
  reviews: app.qualityReviews,
  nonCompliance: app.nonCompliance,
  training: app.training,
  trainingSettings: trainingSettingsOf(config),
  staff: app.staff,
  clock: app.clock,
});
