import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { stripKeys } from '../adapters/dynamo/keys';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { CaseSchema } from '../core/case';
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
  if (record.eventName !== 'MODIFY' || !record.dynamodb?.NewImage) return;
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (item.entity !== 'case') return;
  const after = CaseSchema.safeParse(stripKeys(item));
  if (!after.success || after.data.status !== 'closed' || after.data.archive) return;
  const outcome = await archiveClosedCase(after.data.caseId, { store: app.cases, archives: app.caseArchives, clock: app.clock });
  logger.info('case archive', { caseId: after.data.caseId, outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
