import { existsSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { standInCredentials } from '../functions/adapters/aws-clients';
import { invokeLocally } from './lambda-context';

export type StreamHandler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse | void>;

export interface StreamPollerOptions {
  endpoint: string;
  tableName: string;
  functionName: string;
  handler: StreamHandler;
  /** Where the last processed sequence number of each shard is kept across restarts. */
  checkpointFile?: string;
  /** Failed batches go here after the retries, like an event source mapping's on-failure destination. */
  deadLetterFile?: string;
  batchSize?: number;
  maxRetryAttempts?: number;
  pollIntervalMs?: number;
  /** The stand-ins' credentials; default: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, as the stack sets them. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /**
   * The time records are stamped with when read (ms): the local stack's movable clock. DynamoDB
   * Local stamps its own on real time, rounded down to the minute, which the stack's clock may be
   * ahead of (an expiry computed on it would look still to come). Default: DynamoDB Local's stamp.
   */
  recordTime?: () => number;
}

/**
 * DynamoDB Local (3.x) reports a TTL deletion with the event name `UNKNOWN_TO_SDK_VERSION` and no
 * `userIdentity` (its code to write REMOVE + the TTL service never runs). Such a record, an old
 * image and no new one, is a REMOVE as AWS would send it, less the identity: the expiry verifier
 * then tells TTL by the item's `expiresAt` having passed (item-expiry.ts).
 */
const eventNameOf = (r: StreamRecord) =>
  r.eventName === 'REMOVE' || r.eventName === 'INSERT' || r.eventName === 'MODIFY' ? r.eventName : r.dynamodb?.OldImage && !r.dynamodb.NewImage ? 'REMOVE' : r.eventName;


/** The Lambda event record shape for a stream record read with the SDK. */
function toLambdaRecord(r: StreamRecord, streamArn: string, recordTime?: () => number): DynamoDBRecord {
  const d = r.dynamodb ?? {};
  const stamped = recordTime ? new Date(recordTime()) : d.ApproximateCreationDateTime;
  return {
    eventID: r.eventID,
    eventName: eventNameOf(r) as DynamoDBRecord['eventName'],
    eventVersion: r.eventVersion,
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: streamArn,
    // Who made the change: for a TTL deletion in AWS, { type: 'Service', principalId: 'dynamodb.amazonaws.com' }.
    ...(r.userIdentity ? { userIdentity: { type: r.userIdentity.Type, principalId: r.userIdentity.PrincipalId } } : {}),
    dynamodb: {
      ...(stamped ? { ApproximateCreationDateTime: Math.floor(stamped.getTime() / 1000) } : {}),
      Keys: d.Keys as never,
      ...(d.NewImage ? { NewImage: d.NewImage as never } : {}),
      ...(d.OldImage ? { OldImage: d.OldImage as never } : {}),
      SequenceNumber: d.SequenceNumber,
      SizeBytes: d.SizeBytes,
      StreamViewType: d.StreamViewType as never,
    },
  } as DynamoDBRecord;
}

/**
 * Reads the table's stream and invokes a handler with Lambda-shaped batches, the way an event
 * source mapping does: in order per shard, retrying from the first failed record (partial batch
 * responses), then setting the batch aside after `maxRetryAttempts`.
 */
export function startStreamPoller(opts: StreamPollerOptions) {
  const credentials = opts.credentials ?? standInCredentials(process.env);
  const streams = new DynamoDBStreamsClient({ endpoint: opts.endpoint, region: 'us-east-1', credentials });
  const ddb = new DynamoDBClient({ endpoint: opts.endpoint, region: 'us-east-1', credentials });
  const batchSize = opts.batchSize ?? 100;
  const maxRetries = opts.maxRetryAttempts ?? 8;
  const interval = opts.pollIntervalMs ?? 100;
  const checkpoints: Record<string, string> =
    opts.checkpointFile && existsSync(opts.checkpointFile) ? (JSON.parse(readFileSync(opts.checkpointFile, 'utf8')) as Record<string, string>) : {};
  const iterators = new Map<string, string | undefined>();
  let stopped = false;
  let idle: (() => void) | undefined;
  let inFlight = 0;

  const save = () => {
    if (opts.checkpointFile) writeFileSync(opts.checkpointFile, JSON.stringify(checkpoints));
  };

  async function deliver(records: DynamoDBRecord[], streamArn: string, shardId: string): Promise<void> {
    let pending = records;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      let failedFrom = -1;
      try {
        const result = await invokeLocally(opts.functionName, opts.handler, { Records: pending });
        const failures = result?.batchItemFailures ?? [];
        if (failures.length > 0) {
          const failedSeqs = new Set(failures.map((f) => f.itemIdentifier));
          failedFrom = pending.findIndex((r) => failedSeqs.has(r.dynamodb?.SequenceNumber ?? ''));
          if (failedFrom < 0) failedFrom = 0;
        }
      } catch {
        failedFrom = 0;
      }
      const doneUpTo = failedFrom < 0 ? pending.length : failedFrom;
      const last = pending[doneUpTo - 1]?.dynamodb?.SequenceNumber;
      if (last) {
        checkpoints[shardId] = last;
        save();
      }
      if (failedFrom < 0) return;
      pending = pending.slice(failedFrom);
      if (attempt >= maxRetries) {
        if (opts.deadLetterFile) {
          appendFileSync(opts.deadLetterFile, `${JSON.stringify({ at: new Date().toISOString(), streamArn, shardId, sequenceNumbers: pending.map((r) => r.dynamodb?.SequenceNumber) })}\n`);
        }
        const lastFailed = pending.at(-1)?.dynamodb?.SequenceNumber;
        if (lastFailed) {
          checkpoints[shardId] = lastFailed;
          save();
        }
        return;
      }
      await new Promise((r) => setTimeout(r, Math.min(5000, 100 * 2 ** attempt)));
      if (stopped) return;
    }
  }

  async function pollOnce(streamArn: string): Promise<number> {
    const described = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    let delivered = 0;
    for (const shard of described.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId) continue;
      let iterator = iterators.get(shardId);
      if (!iterators.has(shardId)) {
        const after = checkpoints[shardId];
        const out = await streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(after ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after } : { ShardIteratorType: 'TRIM_HORIZON' }),
          }),
        );
        iterator = out.ShardIterator;
        iterators.set(shardId, iterator);
      }
      if (!iterator) continue; // closed and drained
      const out = await streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }));
      iterators.set(shardId, out.NextShardIterator);
      const records = (out.Records ?? []).map((r) => toLambdaRecord(r, streamArn, opts.recordTime));
      if (records.length > 0) {
        inFlight += 1;
        try {
          await deliver(records, streamArn, shardId);
        } finally {
          inFlight -= 1;
        }
        delivered += records.length;
      }
    }
    return delivered;
  }

  const loop = (async () => {
    const table = await ddb.send(new DescribeTableCommand({ TableName: opts.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`table ${opts.tableName} has no stream`);
    while (!stopped) {
      let delivered = 0;
      try {
        delivered = await pollOnce(streamArn);
      } catch (error) {
        if (stopped) break;
        // Iterators expire after 15 minutes of disuse: start again from the checkpoints. A checkpoint
        // past the stream's retention (TrimmedDataAccess) restarts from the oldest record instead;
        // the consumers are idempotent, so records seen again change nothing.
        const name = (error as Error).name;
        iterators.clear();
        if (name === 'TrimmedDataAccessException') {
          for (const shard of Object.keys(checkpoints)) delete checkpoints[shard];
          save();
        } else if (name !== 'ExpiredIteratorException') {
          console.error(`stream poller: ${name}`);
        }
      }
      if (delivered === 0) {
        await new Promise<void>((r) => {
          idle = r;
          setTimeout(r, interval);
        });
      }
    }
  })();

  return {
    done: loop,
    busy: () => inFlight > 0,
    async stop() {
      stopped = true;
      idle?.();
      await loop.catch(() => undefined);
      streams.destroy();
      ddb.destroy();
    },
  };
}
