import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { DynamoDBRecord } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import type { ArchiveCache } from '../core/item-expiry';
import { expiryProcessing } from './expiry-records';

const app = wiring(configFor('expiry-redrive'));
const processRemoveRecord = expiryProcessing(app);

export interface RedriveResult {
  /** Letters processed and removed from the queue. */
  redriven: number;
  /** Letters that failed again: left in the queue. */
  failed: number;
  /** Reasons of the failures, by stream record id. */
  failures: { eventId: string | undefined; reason: string }[];
}

/** Letters read per receive. */
const PAGE = 10;

/**
 * Processes the expiry verifier's dead letters again, through the same verification: a letter is
 * removed only once its record is verified (a receipt written, or found written already, so a
 * letter processed twice writes nothing twice). Each letter is tried once per run; those that fail
 * again stay. Run by hand after the cause is fixed (docs/retention.md): `aws lambda invoke` in AWS,
 * `npm run caseflow -- redrive-expiries` locally.
 */
export const handler = middy<{ max?: number } | undefined, RedriveResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const max = event?.max ?? 10_000;
    const cache: ArchiveCache = new Map();
    const seen = new Set<string>();
    const result: RedriveResult = { redriven: 0, failed: 0, failures: [] };
    while (result.redriven + result.failed < max) {
      const page = (await app.expiryDeadLetters.receive(PAGE)).filter((l) => !seen.has(l.handle));
      if (page.length === 0) break;
      for (const { handle, letter } of page) {
        seen.add(handle);
        const record = letter.record as DynamoDBRecord;
        try {
          await processRemoveRecord(record, cache);
          await app.expiryDeadLetters.remove(handle);
          result.redriven += 1;
        } catch (error) {
          result.failed += 1;
          result.failures.push({ eventId: record.eventID, reason: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
        }
      }
    }
    metrics.addMetric('ExpiryRecordsRedriven', MetricUnit.Count, result.redriven);
    metrics.publishStoredMetrics();
    logger.info('expiry dead letters redriven', { redriven: result.redriven, failed: result.failed });
    return result;
  });
