import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { alarmedDlq } from './alarmed-dlq';
import type { CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import { LIST_STREAMS_JUSTIFICATION, streamInserts } from './stream-inserts';

export interface RetentionStampingProps {
  /** Makes retention-stamper. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the case changes, and whose items it stamps. */
  table: dynamodb.ITable;
  /** Encrypts the on-failure queue. */
  dataKey: kms.IKey;
}

/**
 * Retention (M7.2 / C4.3; docs/retention.md): retention-stamper gives every item of a closed case
 * the case's expiry once the case's archive is recorded, from the table stream (case MODIFYs),
 * with bisect on error, retries, and an alarmed on-failure queue for what it could not stamp.
 */
export class RetentionStamping extends Construct {
  public readonly stamper: CaseflowFunction;
  /** On-failure destination of the retention-stamper stream mapping. */
  public readonly stampDlq: sqs.Queue;

  constructor(scope: Construct, id: string, props: RetentionStampingProps) {
    super(scope, id);
    this.stampDlq = alarmedDlq(this, 'RetentionStampDlq', {
      consumer: 'retention-stamper',
      key: props.dataKey,
      alarmId: 'RetentionStampFailedAlarm',
      alarmDescription:
        'A closed, archived case could not have its expiry stamped on every item after all retries: those items would outlive the case. The queue holds the stream record metadata. The daily retention-reconciler stamps the case (docs/retention.md); to do it now, fix the cause and invoke that function.',
    });
    this.stamper = props.functions.create('stream', 'retention-stamper', {
      description: 'caseflow retention-stamper: gives every item of a closed, archived case the case expiry (TTL)',
      environment: { TABLE_NAME: props.table.tableName },
      // A long case: one Query page after another, then eight UpdateItems at a time.
      timeout: Duration.minutes(2),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    this.stamper.fn.addEventSource(streamInserts(props.table, 'case', new EncryptedQueueDlq(this.stampDlq, props.dataKey), ['MODIFY']));
  }
}
