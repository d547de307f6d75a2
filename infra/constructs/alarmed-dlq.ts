import { Duration, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface AlarmedDlqProps {
  /** Who sends its failures here (named in the cdk-nag acknowledgement). */
  consumer: string;
  /** The customer-managed key that encrypts the queue. */
  key: kms.IKey;
  alarmId: string;
  alarmDescription: string;
}

/**
 * A KMS-encrypted, TLS-only on-failure destination (of a stream mapping or a function), with an
 * alarm on its first message. Queue and alarm are made in `scope` under `id` and `alarmId`.
 */
export function alarmedDlq(scope: Construct, id: string, props: AlarmedDlqProps): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: props.key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: `This queue is itself the on-failure destination (DLQ) of the ${props.consumer} stream mapping.`,
  });
  new cloudwatch.Alarm(scope, props.alarmId, {
    alarmDescription: props.alarmDescription,
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  return queue;
}
