import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseOfStreamImage } from '../adapters/dynamo/stream-case-image';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { archiveClosedCase } from '../core/case-archive';

const app = wiring(configFor('case-archiver'));
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Archives each case as it closes (M7.2), from the table's stream (filtered to case MODIFYs in
 * AWS): a case item whose new image is closed with no archive yet is read again, archived to the
 * Object-Lock bucket and the archive recorded on it. The record that stores the archive is a
 * MODIFY too, and is passed over; a redelivered record finds the archive recorded and writes
 * nothing. A failure is reported back (partial batch response) and retried by the stream.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  if (record.eventName !== 'MODIFY') return;
  const after = caseOfStreamImage(record.dynamodb?.NewImage);
  if (!after || after.status !== 'closed' || after.archive) return;
  const outcome = await archiveClosedCase(after.caseId, { store: app.cases, archives: app.caseArchives, itemImages: app.caseItemImages, keys: app.subjectKeys, clock: app.clock });
  logger.info('case archive', { caseId: after.caseId, outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
