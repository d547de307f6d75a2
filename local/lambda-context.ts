import { randomUUID } from 'node:crypto';
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStore, InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';

/** A Lambda context for handlers invoked in process by the local stack. */
export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * The Lambda runtime's invocation store for concurrent invocations in one process: the context of
 * each invocation (its request id, Powertools' per-invocation state) in an AsyncLocalStorage.
 * Made here rather than through InvokeStore.getInstanceAsync, whose dynamic import jest cannot run.
 */
class LocalInvokeStore extends InvokeStoreBase {
  private readonly als = new AsyncLocalStorage<Record<string | symbol, unknown>>();
  /**
   * What a handler called outside any invocation (a test calling it directly) reads and writes, as
   * the runtime's single-context store would: Powertools (batch) writes its state before asking.
   */
  private readonly outside: Record<string | symbol, unknown> = {};
  getContext() {
    return this.als.getStore();
  }
  hasContext() {
    return this.als.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return (this.als.getStore() ?? this.outside)[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key)) throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    (this.als.getStore() ?? this.outside)[key] = value;
  }
  run<T>(context: Record<string | symbol, unknown>, fn: () => T): T {
    return this.als.run(context, fn);
  }
}

const store = new LocalInvokeStore();

/**
 * Makes this process's InvokeStore the LocalInvokeStore, before anything else can make one: the AWS SDK
 * asks for the store on every request (recursion detection), and without AWS_LAMBDA_MAX_CONCURRENCY
 * @aws/lambda-invoke-store then installs a single-context store on globalThis.awslambda, whose `run`
 * overwrites the one current context, so concurrent invocations would read each other's (the stack's
 * first requests come before its first invocation). Its own instance is settled here, while the variable
 * is unset, so it resolves to this store without the dynamic import. The variable itself is set by the
 * first invocation; a handler called outside any invocation uses the store's shared state.
 */
function installInvokeStore(): InvokeStoreBase {
  const lambda = ((globalThis as { awslambda?: { InvokeStore?: InvokeStoreBase } }).awslambda ??= {});
  if (lambda.InvokeStore !== store) {
    lambda.InvokeStore = store;
    if (process.env.AWS_LAMBDA_MAX_CONCURRENCY === undefined) void InvokeStore.getInstanceAsync();
  }
  return store;
}
installInvokeStore();

function invokeStore(): InvokeStoreBase {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  return installInvokeStore();
}

/**
 * Invokes a handler as the Lambda runtime does, in an invocation scope of its own. All local
 * functions share one process, like invocations of a Lambda Managed Instance, so the stack turns on
 * the runtime's concurrent mode (AWS_LAMBDA_MAX_CONCURRENCY) and its InvokeStore: Powertools then
 * keeps each invocation's context (function name, request id) apart, and a log line never carries
 * another function's name.
 */
export function invokeLocally<E, R>(functionName: string, handler: (event: E, context: Context) => Promise<R>, event: E): Promise<R> {
  const context = lambdaContext(functionName);
  return invokeStore().run({ [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId }, () => handler(event, context));
}
