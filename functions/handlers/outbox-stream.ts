import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import middy from '@middy/core';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { presentationOf } from '../adapters/config';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { deliverOutbox } from '../core/deliver-outbox';
import { OutboxMessageSchema } from '../core/outbox';
import type { SurveyRef } from '../core/survey';

const config = configFor('outbox-stream');
const app = wiring(config);
const processor = new BatchProcessor(EventType.DynamoDBStreams);
const presentation = presentationOf(config);
// Survey links where the deployment has their keys (docs/surveys.md); without them, or without the page's address, survey mail waits, the rest goes.
const surveyLinks = config.SURVEY_LINK_KMS_KEYS || config.SURVEY_LINK_KEY_DIR ? { surveyLinks: { linkFor: (ref: SurveyRef) => app.surveyLinks.linkFor(ref) } } : {};

/**
 * Delivers owed messages (the transactional outbox) from the table's stream. In AWS the event
 * source mapping filters to outbox INSERTs; the check here keeps the handler correct without it.
 * A failed record is reported back (partial batch response) and retried by the stream.
 */
async function processRecord(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage;
  if (record.eventName !== 'INSERT' || !image) return;
  const item = unmarshall(image as Record<string, AttributeValue>);
  if (item.entity !== 'outbox') return;
  const message = OutboxMessageSchema.parse(item);
  const outcome = await deliverOutbox(message.caseId, message.id, { store: app.cases, mailer: app.mailer, clock: app.clock, presentation, ...surveyLinks, ...(config.REPLY_TO_EMAIL ? { replyAddress: config.REPLY_TO_EMAIL } : {}) });
  logger.info('outbox delivery', { caseId: message.caseId, outboxId: message.id, outcome });
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
