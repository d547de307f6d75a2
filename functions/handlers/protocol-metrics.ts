import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { stripKeys } from '../adapters/dynamo/keys';
import { caseOfStreamImage } from '../adapters/dynamo/stream-case-image';
import { logger, metrics } from '../adapters/observability';
import { CaseEventSchema } from '../core/case-event';
import { metricsOfCaseChange, metricsOfEvent, type ProtocolMetric } from '../core/protocol-metrics';

const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** The protocol metrics of one stream record: a case item inserted or changed, or a timeline event inserted. */
export function protocolMetricsOf(record: DynamoDBRecord): ProtocolMetric[] {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return [];
  const after = caseOfStreamImage(record.dynamodb?.NewImage);
  if (after) return metricsOfCaseChange(record.eventName === 'MODIFY' ? caseOfStreamImage(record.dynamodb?.OldImage) : undefined, after);
  if (record.eventName !== 'INSERT' || !record.dynamodb?.NewImage) return [];
  const item = unmarshall(record.dynamodb.NewImage as Record<string, AttributeValue>);
  if (item.entity !== 'event') return [];
  const event = CaseEventSchema.safeParse(stripKeys(item));
  return event.success ? metricsOfEvent(event.data) : [];
}

/**
 * Emits the protocol's figures as CloudWatch metrics (embedded metric format, Powertools Metrics)
 * from the table's stream (core/protocol-metrics.ts): the dashboard and the breach-rate alarm read
 * them. Each metric goes out with its own dimensions, and once more with Powertools' `service`
 * alone: CloudWatch adds no dimensions up, and an alarm's metric math may name ten metrics at
 * most, so the breach rate (all milestones over all channels and types) divides these roll-ups
 * (infra/constructs/protocol-monitoring.ts). A redelivered record counts again: these are
 * operational figures; `GET /v1/metrics` and the exports are the exact ones.
 */
export async function processRecord(record: DynamoDBRecord): Promise<void> {
  for (const m of protocolMetricsOf(record)) {
    const single = metrics.singleMetric();
    single.addDimensions(m.dimensions);
    // A second dimension set, empty but for the default `service`: the roll-up.
    single.addDimensions({});
    single.addMetric(m.name, m.unit, m.value);
  }
}

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler((event: DynamoDBStreamEvent, context: Context) => processPartialResponse(event, processRecord, processor, { context }));
