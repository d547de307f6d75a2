import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';

const app = wiring(configFor('non-compliance-starter'));
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Starts the corrective-action workflow (C8.1) of every new non-compliance record, whoever opened
 * it (an SLA breach, a report), from the table's stream (filtered to their INSERTs in AWS).
 * Execution names derive from the record id: a redelivered record starts nothing new.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'non_compliance' || typeof item.id !== 'string') return;
  const outcome = await app.correctiveActionWorkflows.start(item.id);
  logger.info('corrective-action workflow', { recordId: item.id, outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
