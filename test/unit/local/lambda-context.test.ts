import { InvokeStore } from '@aws/lambda-invoke-store';
import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { invokeLocally } from '../../../local/lambda-context';

/** Two handlers sharing one logger, invoked concurrently; the JSON lines they print as [message, function_name]. */
async function logConcurrently(): Promise<string[][]> {
  const lines: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(String(chunk));
    return true;
  });
  try {
    // One logger shared by every handler, as the handlers share functions/adapters/observability.ts in one process.
    const logger = new Logger({ serviceName: 'caseflow', logLevel: 'INFO' });
    const handler = (label: string, delayMs: number) =>
      middy()
        .use(injectLambdaContext(logger, { resetKeys: true }))
        .handler(async () => {
          await new Promise((r) => setTimeout(r, delayMs));
          logger.info(`work of ${label}`);
        });
    // The slow one starts first: its line is written after the fast one has set its own context.
    await Promise.all([invokeLocally('outbox-stream', handler('outbox', 40), {}), invokeLocally('create-case', handler('intake', 5), {})]);
  } finally {
    write.mockRestore();
  }
  return lines.map((l) => JSON.parse(l) as { message: string; function_name: string }).map((l) => [l.message, l.function_name]).sort();
}

describe('local invocations', () => {
  it('keep each concurrent invocation\'s function name on its own log lines, even after AWS SDK calls made before the first invocation', async () => {
    // Every AWS SDK request asks for the runtime's InvokeStore (recursion detection middleware), and the local
    // stack makes such requests (its table, its seeded staff) before it invokes any handler.
    await InvokeStore.getInstanceAsync();
    expect(await logConcurrently()).toEqual([
      ['work of intake', 'create-case'],
      ['work of outbox', 'outbox-stream'],
    ]);
  });

  it('keep each concurrent invocation\'s function name on its own log lines, as separate Lambda functions would', async () => {
    expect(await logConcurrently()).toEqual([
      ['work of intake', 'create-case'],
      ['work of outbox', 'outbox-stream'],
    ]);
  });
});
