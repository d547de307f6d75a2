import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStaffDirectory } from '../../functions/adapters/file-staff-directory';
import { STAFF_ROLES, type StaffRole } from '../../functions/core/roles';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createDocumentClient } from '../../functions/adapters/aws-clients';
import { readConfig, AwsEndpointsSchema } from '../../functions/adapters/config';
import { wiring } from '../../functions/adapters/wiring';
import { lambdaContext } from '../../local/lambda-context';
import { createLocalIssuer } from '../../local/local-auth';
import { ensureTable } from '../../local/resources';
import { capturedMail as readCapturedMail } from '../../local/ses-local';

/**
 * Helpers for integration tests against the stand-ins started by global-setup.ts.
 * Each test file gets its own table, so files can run in parallel without seeing each other.
 */
export async function freshTable() {
  const endpoints = readConfig(AwsEndpointsSchema);
  const tableName = `it-${randomUUID().slice(0, 8)}`;
  await ensureTable(endpoints.DYNAMODB_ENDPOINT ?? '', tableName);
  process.env.TABLE_NAME = tableName;
  // Each test file has its own staff roster too (the local stack's staff directory).
  process.env.STAFF_DIRECTORY_FILE = join(process.env.CASEFLOW_TEST_WORKDIR ?? tmpdir(), `staff-${tableName}.json`);
  const app = wiring({ ...endpoints, TABLE_NAME: tableName });
  return { tableName, store: app.cases, inbound: app.inbound, doc: createDocumentClient(endpoints) };
}

/**
 * A staff token, as the local issuer mints them; the staff member goes on the test file's roster
 * (the staff directory) with a name and a work address, as `POST /local/token` does.
 */
export async function staffToken(groups: string[], sub = 'agent-7'): Promise<string> {
  const issuer = await createLocalIssuer(process.env.JWT_ISSUER ?? '', process.env.CASEFLOW_TEST_KEY_FILE ?? '');
  const roles = groups.filter((g): g is StaffRole => (STAFF_ROLES as readonly string[]).includes(g));
  if (process.env.STAFF_DIRECTORY_FILE) new FileStaffDirectory(process.env.STAFF_DIRECTORY_FILE).register({ id: sub, name: `Staff ${sub}`, email: `${sub}@staff.example`, roles });
  return issuer.mint({ sub, groups: roles });
}

export const uniqueEmail = (label = 'customer') => `${label}.${randomUUID().slice(0, 8)}@example.com`;

export async function capturedMail() {
  return readCapturedMail(process.env.SES_ENDPOINT ?? '');
}

export { eventually } from './eventually';

interface EventInput {
  method: string;
  path: string;
  routePath?: string;
  body?: string;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  /** The client's address; by default a random one of its own (2001:db8::/32), so that no two tests share a rate limit. */
  sourceIp?: string;
}

const randomClient = () => `2001:db8:${randomUUID().slice(0, 4)}:${randomUUID().slice(0, 4)}::1`;

/** An API Gateway HTTP API (payload 2.0) event, as the gateway and AWS produce them. */
export function apiEvent(input: EventInput): APIGatewayProxyEventV2 {
  const routeKey = `${input.method} ${input.routePath ?? input.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: input.path,
    rawQueryString: new URLSearchParams(input.query ?? {}).toString(),
    headers: { host: 'api.example.com', 'user-agent': 'jest', ...input.headers },
    ...(input.query ? { queryStringParameters: input.query } : {}),
    ...(input.pathParameters ? { pathParameters: input.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: input.method, path: input.path, protocol: 'HTTP/1.1', sourceIp: input.sourceIp ?? randomClient(), userAgent: 'jest' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(input.body !== undefined ? { body: input.body } : {}),
    isBase64Encoded: false,
  };
}

type Handler = (event: APIGatewayProxyEventV2, context: ReturnType<typeof lambdaContext>) => Promise<APIGatewayProxyStructuredResultV2>;

export async function invoke(handler: unknown, event: APIGatewayProxyEventV2) {
  const result = await (handler as Handler)(event, lambdaContext('test'));
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const isJson = (headers['content-type'] ?? '').includes('json');
  return { status: result.statusCode ?? 200, headers, body: isJson && result.body ? (JSON.parse(result.body) as Record<string, unknown>) : undefined, text: result.body ?? '' };
}

/** A staff request on a case route (`/v1/cases/{caseId}/<suffix>`), JSON in, with a bearer token and optional If-Match. */
export function onCase(
  handler: unknown,
  caseId: string,
  suffix: string,
  opts: { token: string; body?: unknown; method?: 'POST' | 'DELETE' | 'PATCH' | 'GET'; ifMatch?: number },
) {
  const path = suffix ? `/v1/cases/${caseId}/${suffix}` : `/v1/cases/${caseId}`;
  return invoke(
    handler,
    apiEvent({
      method: opts.method ?? 'POST',
      path,
      routePath: suffix ? `/v1/cases/{caseId}/${suffix}` : '/v1/cases/{caseId}',
      pathParameters: { caseId },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
      headers: {
        authorization: `Bearer ${opts.token}`,
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.ifMatch !== undefined ? { 'if-match': `"${opts.ifMatch}"` } : {}),
      },
    }),
  );
}
