import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { IsoWeekSchema } from '../core/quality-review';
import { topUpWeek } from '../core/quality-review-records';

const app = wiring(configFor('quality-review-top-up'));

/**
 * Scheduled weekly (M6.1, docs/quality-reviews.md): for last ISO week (or `{week}`), one reply of
 * each agent who replied but had none sampled goes into the review queue. A rerun adds nothing.
 */
export const handler = middy<{ week?: string } | undefined, { week: string; sampled: number }>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const week = event?.week === undefined ? undefined : IsoWeekSchema.parse(event.week);
    const run = await topUpWeek({ reviews: app.qualityReviews, clock: app.clock }, week);
    logger.info('quality reviews topped up', { ...run });
    return run;
  });
