import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';

const app = wiring(configFor('sla-starter'));
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Starts the SLA workflow for every new case, whatever its channel, from the table's stream
 * (filtered to case INSERTs in AWS). The execution name derives from the case id, so a
 * redelivered record starts nothing new.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'case' || typeof item.caseId !== 'string') return;
  const outcome = await app.slaWorkflows.ensureRunning(item.caseId);
  logger.info('sla workflow', { caseId: item.caseId, outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
