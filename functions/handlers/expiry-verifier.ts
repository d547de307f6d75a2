import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { logger, metrics } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import type { ArchiveCache } from '../core/item-expiry';
import { expiryProcessing } from './expiry-records';
import { mapLimited } from '../core/map-limited';

const app = wiring(configFor('expiry-verifier'));
/** Records verified at once: S3 round trips dominate, and each record is independent. */
const CONCURRENCY = 16;

const processRemoveRecord = expiryProcessing(app);

/**
 * The table's REMOVE records (filtered in AWS), each verified against its case's archive
 * (item-expiry.ts, M7.2). A record that fails goes to the dead-letter queue WITH the record itself
 * (stream records live 24 hours; Lambda's own on-failure destination keeps only where it was), and
 * the stream moves on; only when the dead letter cannot be written is the record reported failed,
 * so the stream retries it (bisecting the batch). `npm run caseflow -- redrive-expiries` locally, the
 * `expiry-redrive` function in AWS, processes dead letters again (docs/retention.md).
 */
export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event) => {
    const cache: ArchiveCache = new Map();
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    let verified = 0;
    // Records are independent (one receipt each, written once): several at a time.
    await mapLimited(event.Records, CONCURRENCY, async (record) => {
      try {
        if (await processRemoveRecord(record, cache)) verified += 1;
      } catch (error) {
        if (!(await deadLetter(record, error))) batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      }
    });
    if (verified > 0 || batchItemFailures.length > 0) metrics.publishStoredMetrics();
    return { batchItemFailures };
  });

async function deadLetter(record: DynamoDBRecord, error: unknown): Promise<boolean> {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  try {
    await app.expiryDeadLetters.send({ source: 'expiry-verifier', reason, failedAt: app.clock.now().toISOString(), record });
    metrics.addMetric('ExpiryRecordsDeadLettered', MetricUnit.Count, 1);
    logger.error('an expiry record failed: sent to the dead-letter queue', { eventId: record.eventID, error: error instanceof Error ? error.name : 'unknown' });
    return true;
  } catch (sendError) {
    logger.error('an expiry record failed and could not be dead-lettered: the stream retries it', { eventId: record.eventID, error: sendError instanceof Error ? sendError.name : 'unknown' });
    return false;
  }
}
