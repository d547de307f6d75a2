import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostAllowed, loopbackHosts } from './request-guard';
import type { ExecutionDescription, LocalStepFunctions } from './step-functions/local-step-functions';

/**
 * The Step Functions API (AWS JSON 1.0 protocol) for the actions caseflow's functions call:
 * StartExecution, DescribeExecution, StopExecution, ListExecutions. The functions use the real
 * SFN client pointed here (SFN_ENDPOINT), so their code path is the one that runs in AWS.
 */
const epochSeconds = (d: Date | undefined) => (d ? d.getTime() / 1000 : undefined);

function describe(e: ExecutionDescription) {
  return {
    executionArn: e.executionArn,
    stateMachineArn: e.stateMachineArn,
    name: e.name,
    status: e.status,
    startDate: epochSeconds(e.startDate),
    ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}),
    input: JSON.stringify(e.input ?? {}),
    ...(e.output !== undefined ? { output: JSON.stringify(e.output) } : {}),
    ...(e.error ? { error: e.error, cause: e.cause ?? '' } : {}),
  };
}

type Action = (body: Record<string, unknown>) => Promise<unknown> | unknown;

export async function startSfnApi(sfn: LocalStepFunctions, opts: { host?: string; port?: number } = {}): Promise<{ endpoint: string; stop(): Promise<void> }> {
  const actions: Record<string, Action> = {
    StartExecution: async (b) => {
      let input: unknown = {};
      if (typeof b.input === 'string') input = JSON.parse(b.input) as unknown;
      const out = await sfn.startExecution(String(b.stateMachineArn), { name: String(b.name ?? crypto.randomUUID()), input });
      return { executionArn: out.executionArn, startDate: epochSeconds(out.startDate) };
    },
    DescribeExecution: (b) => describe(sfn.describeExecution(String(b.executionArn))),
    StopExecution: async (b) => {
      await sfn.stopExecution(String(b.executionArn));
      return { stopDate: Date.now() / 1000 };
    },
    ListExecutions: (b) => ({
      executions: sfn
        .listExecutions({ ...(b.statusFilter ? { status: b.statusFilter as ExecutionDescription['status'] } : {}), ...(b.stateMachineArn ? { stateMachine: String(b.stateMachineArn) } : {}) })
        .map((e) => ({ executionArn: e.executionArn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: epochSeconds(e.startDate), ...(e.stopDate ? { stopDate: epochSeconds(e.stopDate) } : {}) })),
    }),
  };

  let hosts = new Set<string>();
  const server: Server = createServer((req, res) => {
    if (!hostAllowed(req, hosts)) {
      res.writeHead(403, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify({ __type: 'AccessDeniedException', message: 'Invalid Host header' }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').replace(/^AWSStepFunctions\./, '');
      const reply = (status: number, body: unknown) =>
        res.writeHead(status, { 'Content-Type': 'application/x-amz-json-1.0' }).end(JSON.stringify(body));
      const action = actions[target];
      if (!action) return reply(400, { __type: 'UnknownOperationException', message: `${target || '(no action)'} is not supported locally` });
      Promise.resolve()
        .then(() => action(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>))
        .then(
          (out) => reply(200, out),
          (error: Error) => reply(400, { __type: error.name || 'InvalidArn', message: error.message }),
        );
    });
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  hosts = loopbackHosts(port);
  return {
    endpoint: `http://${opts.host ?? '127.0.0.1'}:${port}`,
    stop: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
