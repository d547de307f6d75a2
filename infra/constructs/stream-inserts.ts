import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';

/** Appended to the wildcard acknowledgement on the role of every table-stream consumer. */
export const LIST_STREAMS_JUSTIFICATION =
  'The stream event source needs dynamodb:ListStreams, which supports no resource-level permissions; reading the stream itself is scoped to the table stream ARN.';

/**
 * A table-stream event source for INSERTs (and, if asked, MODIFYs) of one entity (`outbox`,
 * `case`): in order per shard, partial batch responses, bisect on error, ten retries, then the
 * batch goes to the DLQ.
 */
export function streamInserts(table: dynamodb.ITable, entity: string, onFailure: lambda.IEventSourceDlq, events: readonly ('INSERT' | 'MODIFY')[] = ['INSERT']): DynamoEventSource {
  return new DynamoEventSource(table, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
    bisectBatchOnError: true,
    retryAttempts: 10,
    reportBatchItemFailures: true,
    filters: [
      lambda.FilterCriteria.filter({
        eventName: events.length === 1 ? lambda.FilterRule.isEqual(events[0] ?? 'INSERT') : lambda.FilterRule.or(...events),
        dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual(entity) } } },
      }),
    ],
    onFailure,
  });
}
