import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { grantSendToEncryptedQueue } from './encrypted-queue-dlq';

/** An SQS on-failure destination for a function's asynchronous invocations, when the queue is encrypted with a CMK. */
export class EncryptedQueueDestination implements lambda.IDestination {
  constructor(
    private readonly queue: sqs.IQueue,
    private readonly key: kms.IKey,
  ) {}

  bind(_scope: Construct, fn: lambda.IFunction): lambda.DestinationConfig {
    grantSendToEncryptedQueue(fn, this.queue, this.key);
    return { destination: this.queue.queueArn };
  }
}
