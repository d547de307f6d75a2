import { Aws } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Exactly what sending to an SSE-KMS queue takes, and the key only through SQS (SqsDlq and
 * SqsDestination would grant kms:GenerateDataKey* and kms:ReEncrypt* as well).
 */
export function grantSendToEncryptedQueue(grantee: iam.IGrantable, queue: sqs.IQueue, key: kms.IKey): void {
  iam.Grant.addToPrincipal({ grantee, actions: ['sqs:SendMessage'], resourceArns: [queue.queueArn] });
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `sqs.${Aws.REGION}.amazonaws.com` } },
  });
}

/** An SQS on-failure destination for an event source mapping whose queue is encrypted with a CMK. */
export class EncryptedQueueDlq implements lambda.IEventSourceDlq {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    grantSendToEncryptedQueue(targetHandler, this.queue, this.key);
    return { destination: this.queue.queueArn };
  }
}
