import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { caseOfStreamImage } from '../adapters/dynamo/stream-case-image';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { timersMayHaveChanged } from '../core/sla-workflows';

const app = wiring(configFor('sla-starter'));
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/**
 * Starts the SLA workflow of every new case, whatever its channel, and again for a changed case
 * whose timers may have changed (resolved: its automatic closure; reopened; reclassified as a
 * complaint; escalated), from the table's stream (filtered to case INSERTs and MODIFYs in AWS).
 * Execution names derive from the case id, so a redelivered record starts nothing new and a
 * running workflow is left alone.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return;
  const after = caseOfStreamImage(record.dynamodb?.NewImage);
  if (!after) return;
  const before = record.eventName === 'MODIFY' ? caseOfStreamImage(record.dynamodb?.OldImage) : undefined;
  if (!timersMayHaveChanged(before, after, app.clock.now().getTime())) return;
  const outcome = await app.slaWorkflows.ensureRunning(after.caseId);
  logger.info('sla workflow', { caseId: after.caseId, outcome, change: record.eventName });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
