import { DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetters } from '../core/ports';
import type { Endpoints } from './aws-clients';

export const createSqsClient = (endpoints: Endpoints) => new SQSClient({ region: endpoints.AWS_REGION });

/** How long a received letter stays invisible to another redrive while this one processes it. */
const VISIBILITY_SECONDS = 120;

/**
 * Dead letters in an SQS queue (encrypted, 14 days' retention, alarmed: infra/constructs/
 * expiry-verification.ts). The message body is the letter, record and all: a DynamoDB stream
 * record (item images up to 400 KB) fits SQS's 1 MiB message limit.
 */
export class SqsDeadLetters implements DeadLetters {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(letter: DeadLetter): Promise<void> {
    await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(letter) }));
  }

  async receive(max: number): Promise<{ handle: string; letter: DeadLetter }[]> {
    const out = await this.sqs.send(
      new ReceiveMessageCommand({ QueueUrl: this.queueUrl, MaxNumberOfMessages: Math.min(10, Math.max(1, max)), WaitTimeSeconds: 0, VisibilityTimeout: VISIBILITY_SECONDS }),
    );
    return (out.Messages ?? []).flatMap((m) => (m.ReceiptHandle && m.Body ? [{ handle: m.ReceiptHandle, letter: JSON.parse(m.Body) as DeadLetter }] : []));
  }

  async remove(handle: string): Promise<void> {
    await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: handle }));
  }
}
