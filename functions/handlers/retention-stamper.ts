import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseOfStreamImage } from '../adapters/dynamo/stream-case-image';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { itemExpiryChanged } from '../core/case-items';

const app = wiring(configFor('retention-stamper'));
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Gives every item of a case its expiry once the case is closed and archived (M7.2 / C4.3): on the
 * case MODIFY that records the archive (filtered to case MODIFYs in AWS), never before, so TTL
 * cannot remove an item the archive does not hold; takes it away while a legal hold stands, and
 * gives it back on the release (core/case-items.ts `itemExpiryOf`). Stamping is idempotent: a redelivered record
 * writes nothing new. A failure fails the record, which the stream retries (then bisects, then
 * sends to the on-failure queue).
 */
export async function processRecord(record: DynamoDBRecord): Promise<void> {
  if (record.eventName !== 'MODIFY') return;
  const after = caseOfStreamImage(record.dynamodb?.NewImage);
  if (!after) return;
  const before = caseOfStreamImage(record.dynamodb?.OldImage);
  if (!itemExpiryChanged(before, after)) return;
  const outcome = await app.retentionStamper.stampCase(after);
  logger.info('retention stamped', { caseId: after.caseId, expiresAt: after.expiresAt, ...outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
