import { AsyncLocalStorage } from 'node:async_hooks';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Wiring } from '../../functions/adapters/wiring';

/** What one phase sent of one command: requests (SDK attempts, retries included), capacity units DynamoDB reported, bytes put. */
export interface CommandCount {
  requests: number;
  capacityUnits: number;
  bytes: number;
}

/** DynamoDB operations that accept ReturnConsumedCapacity. */
const CAPACITY_COMMANDS = new Set([
  'GetItemCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'QueryCommand',
  'ScanCommand',
  'BatchGetItemCommand',
  'BatchWriteItemCommand',
  'TransactWriteItemsCommand',
  'TransactGetItemsCommand',
]);

interface Stackable {
  middlewareStack: { add(middleware: unknown, options: { step: 'initialize'; name: string; override?: boolean }): void };
}

type Args = { input: Record<string, unknown> };
type Capacity = { CapacityUnits?: number };
type Output = { output?: { $metadata?: { attempts?: number }; ConsumedCapacity?: Capacity | Capacity[] } };

const sumCapacity = (c: Capacity | Capacity[] | undefined): number =>
  c === undefined ? 0 : Array.isArray(c) ? c.reduce((n, x) => n + (x.CapacityUnits ?? 0), 0) : (c.CapacityUnits ?? 0);

/** What a PUT stored, by where it went in the case-archive bucket (s3-case-archives.ts archiveKeys). */
function objectKind(key: unknown): string {
  if (typeof key !== 'string') return 'other';
  if (key.endsWith('/case-archive.json.gz')) return 'archive';
  if (key.includes('/expired/')) return 'receipt';
  if (key.startsWith('index/')) return 'index';
  return 'other';
}

/**
 * Counts the requests the adapters send, per phase and command: a middleware on the DynamoDB and
 * S3 clients a `wiring()` built (every adapter of a wiring shares its two clients). The phase is
 * whatever `run(phase, fn)` is running, carried through awaits by AsyncLocalStorage, so concurrent
 * work is attributed right. DynamoDB requests ask for `ReturnConsumedCapacity: TOTAL` (nothing else
 * changes) so DynamoDB Local's unit figures come back; S3 PUTs are counted with their body size.
 */
export class RequestCounter {
  private readonly phase = new AsyncLocalStorage<string>();
  /** phase -> "DynamoDB QueryCommand" / "S3 PutObjectCommand (archive)" -> count. */
  readonly counts = new Map<string, Map<string, CommandCount>>();

  run<T>(phase: string, fn: () => Promise<T>): Promise<T> {
    return this.phase.run(phase, fn);
  }

  /** The clients behind a wiring's adapters (its DynamoDB document client and S3 client), counted. */
  attachTo(app: Pick<Wiring, 'cases' | 'caseArchives'>): void {
    const doc: unknown = Reflect.get(app.cases, 'doc');
    const s3: unknown = Reflect.get(app.caseArchives, 's3');
    if (!(doc instanceof DynamoDBDocumentClient) || !(s3 instanceof S3Client)) {
      throw new Error('bench: the case store or the archives no longer keep their SDK client as `doc` / `s3`: update bench/lib/request-counter.ts');
    }
    this.attach(doc, 'DynamoDB');
    this.attach(s3, 'S3');
  }

  private attach(client: Stackable, service: 'DynamoDB' | 'S3'): void {
    const middleware = (next: (args: Args) => Promise<Output>, context: { commandName?: string }) => async (args: Args) => {
      const command = context.commandName ?? 'UnknownCommand';
      if (service === 'DynamoDB' && CAPACITY_COMMANDS.has(command)) args.input.ReturnConsumedCapacity = 'TOTAL';
      const kind = service === 'S3' && command === 'PutObjectCommand' ? ` (${objectKind(args.input.Key)})` : '';
      const body = args.input.Body;
      const bytes = body instanceof Uint8Array ? body.length : 0;
      const count = this.entry(`${service} ${command}${kind}`);
      try {
        const out = await next(args);
        count.requests += out.output?.$metadata?.attempts ?? 1;
        count.capacityUnits += sumCapacity(out.output?.ConsumedCapacity);
        count.bytes += bytes;
        return out;
      } catch (error) {
        count.requests += (error as { $metadata?: { attempts?: number } }).$metadata?.attempts ?? 1;
        throw error;
      }
    };
    client.middlewareStack.add(middleware, { step: 'initialize', name: `benchRequestCounter${service}`, override: true });
  }

  private entry(name: string): CommandCount {
    const phase = this.phase.getStore() ?? 'unattributed';
    let byCommand = this.counts.get(phase);
    if (!byCommand) this.counts.set(phase, (byCommand = new Map()));
    let count = byCommand.get(name);
    if (!count) byCommand.set(name, (count = { requests: 0, capacityUnits: 0, bytes: 0 }));
    return count;
  }

  /** One phase's counts, as a plain object for JSON. */
  of(phase: string): Record<string, CommandCount> {
    return Object.fromEntries(this.counts.get(phase) ?? []);
  }
}
