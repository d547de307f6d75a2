import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, ScanCommand, type ScanCommandOutput } from '@aws-sdk/lib-dynamodb';
import { standInCredentials } from '../functions/adapters/aws-clients';

export interface TtlSweeperOptions {
  endpoint: string;
  tableName: string;
  /** The stack's clock (ms): expiries are reckoned on it, as the closures that set them were. */
  now: () => number;
  intervalMs?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * What DynamoDB's TTL does, at a useful speed on a laptop. DynamoDB Local runs TTL, but reads 20
 * items of a table every 10 seconds (about 2 a second, however few have expired: a table of a few
 * thousand items takes half an hour to give up a case), on real time while the stack's clock can be
 * moved. The sweeper deletes every item whose `expiresAt` has passed on the stack's clock, each
 * only while it still carries that expiry (an item stamped again meanwhile stays). Like TTL's own
 * background pass it reads the whole table (a Scan: the stand-in's work, never the application's).
 * Its deletions reach the stream as REMOVE records with no identity, like DynamoDB Local's own TTL
 * records, so the expiry verifier tells them by the expiry having passed (item-expiry.ts).
 */
export function startTtlSweeper(opts: TtlSweeperOptions) {
  const credentials = opts.credentials ?? standInCredentials(process.env);
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: opts.endpoint, region: 'us-east-1', credentials }));
  const interval = opts.intervalMs ?? 2_000;
  let stopped = false;
  let running: Promise<number> | undefined;
  let wake: (() => void) | undefined;

  async function sweepOnce(): Promise<number> {
    const nowSeconds = Math.floor(opts.now() / 1000);
    let deleted = 0;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: ScanCommandOutput = await doc.send(
        new ScanCommand({
          TableName: opts.tableName,
          FilterExpression: 'expiresAt <= :now',
          ProjectionExpression: 'PK, SK, expiresAt',
          ExpressionAttributeValues: { ':now': nowSeconds },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        if (stopped) return deleted;
        try {
          await doc.send(
            new DeleteCommand({ TableName: opts.tableName, Key: { PK: item.PK, SK: item.SK }, ConditionExpression: 'expiresAt = :e', ExpressionAttributeValues: { ':e': item.expiresAt } }),
          );
          deleted += 1;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey && !stopped);
    return deleted;
  }

  /** One pass now (or the pass under way), resolving to the items it deleted. */
  const sweep = () => {
    running ??= sweepOnce().finally(() => {
      running = undefined;
    });
    return running;
  };

  const loop = (async () => {
    while (!stopped) {
      try {
        await sweep();
      } catch (error) {
        if (!stopped) console.error(`ttl sweeper: ${(error as Error).name}`);
      }
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, interval).unref();
      });
    }
  })();

  return {
    sweep,
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      doc.destroy();
    },
  };
}
