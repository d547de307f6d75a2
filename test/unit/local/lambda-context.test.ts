import { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { invokeLocally } from '../../../local/lambda-context';

describe('local invocations', () => {
  it('keeps each concurrent invocation\'s function name on its own log lines, as separate Lambda functions would', async () => {
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
    const logged = lines.map((l) => JSON.parse(l) as { message: string; function_name: string });
    expect(logged.map((l) => [l.message, l.function_name]).sort()).toEqual([
      ['work of intake', 'create-case'],
      ['work of outbox', 'outbox-stream'],
    ]);
  });
});
