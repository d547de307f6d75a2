import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as z from 'zod';
import { handler } from '../../../functions/handlers/get-openapi';
import { openApiDocument } from '../../../functions/handlers/openapi';
import { API_ROUTES, type RouteDef } from '../../../functions/handlers/routes';
import { lambdaContext } from '../../../local/lambda-context';

type Json = Record<string, unknown>;

const repoRoot = resolve(__dirname, '../../..');
const doc = openApiDocument();

/**
 * @seriousme/openapi-schema-validator is an ES module, and jest runs this project as CommonJS
 * (on Node 20 it cannot require an ES module): the validator runs in a node child process.
 */
function validateOpenApi(document: unknown): { valid: boolean; version?: string; errors?: unknown } {
  const script = `import { Validator } from '@seriousme/openapi-schema-validator';
let input = '';
for await (const chunk of process.stdin) input += chunk;
const validator = new Validator();
const result = await validator.validate(JSON.parse(input));
process.stdout.write(JSON.stringify({ ...result, version: validator.version }));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repoRoot, input: JSON.stringify(document), encoding: 'utf8' });
  return JSON.parse(out) as { valid: boolean; version?: string; errors?: unknown };
}

/**
 * A JSON Schema 2020-12 validator for request examples: ajv 8, the one the OpenAPI validator is
 * built on (the ajv at the top of node_modules is eslint's ajv 6, which predates draft 2020-12).
 */
function jsonSchemaValidator() {
  const fromValidator = createRequire(require.resolve('@seriousme/openapi-schema-validator/package.json'));
  const Ajv2020 = (fromValidator('ajv/dist/2020') as { default: new (opts: Json) => AjvLike }).default;
  const addFormats = (fromValidator('ajv-formats') as { default: (ajv: AjvLike) => void }).default;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'https://caseflow.example/openapi.json', components: doc.components });
  return {
    /** The schema at a `#/components/…` pointer of the document. */
    at(pointer: string) {
      const validate = ajv.getSchema(`https://caseflow.example/openapi.json${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      return (value: unknown) => validate(value) as boolean;
    },
    compile(schema: Json) {
      const validate = ajv.compile(schema);
      return (value: unknown) => validate(value) as boolean;
    },
  };
}
interface AjvLike {
  addSchema(schema: Json): unknown;
  getSchema(ref: string): ((value: unknown) => unknown) | undefined;
  compile(schema: Json): (value: unknown) => unknown;
}

const operations = (document: Json) =>
  Object.values(document.paths as Record<string, Record<string, Json>>).flatMap((ops) => Object.values(ops));
const operationOf = (route: RouteDef): Json | undefined => (doc.paths as Record<string, Record<string, Json> | undefined>)[route.path]?.[route.method.toLowerCase()];
const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
const componentOf = (ref: unknown): Json => {
  const name = String((ref as { $ref?: string }).$ref).replace('#/components/schemas/', '');
  const found = schemas[name];
  if (!found) throw new Error(`no component ${name}`);
  return found;
};
const bodyRefOf = (route: RouteDef) => ((operationOf(route)?.requestBody as { content: Record<string, { schema: Json }> }).content['application/json'] ?? { schema: {} }).schema;
const routeOf = (handler: string) => {
  const route = API_ROUTES.find((r) => r.handler === handler);
  if (!route) throw new Error(`no route ${handler}`);
  return route;
};

describe('the OpenAPI document', () => {
  it('validates as OpenAPI 3.1 with @seriousme/openapi-schema-validator, which refuses a broken one', () => {
    expect(validateOpenApi(doc)).toEqual({ valid: true, version: '3.1' });

    const swaggerStyle = structuredClone(doc) as { components: { parameters: Record<string, Json> } };
    swaggerStyle.components.parameters.IfMatch = { ...swaggerStyle.components.parameters.IfMatch, in: 'body' };
    expect(validateOpenApi(swaggerStyle).valid).toBe(false);
    const dangling = structuredClone(doc) as { components: { schemas: Json } };
    delete dangling.components.schemas.CaseResponse;
    expect(validateOpenApi(dangling).valid).toBe(false);
  });

  it('lists every route of the route table once, with the roles that may call it', () => {
    const routes = API_ROUTES.filter((r) => r.method !== 'ANY');
    expect(operations(doc)).toHaveLength(routes.length);
    for (const route of routes) {
      const op = operationOf(route);
      expect({ route: `${route.method} ${route.path}`, summary: op?.summary }).toEqual({ route: `${route.method} ${route.path}`, summary: route.summary });
      if (route.auth === 'staff') {
        expect(op).toMatchObject({ 'x-caseflow-auth': 'staff', 'x-caseflow-roles': [...route.roles], security: [{ bearer: [] }] });
        for (const role of route.roles) expect(op?.description).toContain(role);
        expect(op?.responses).toMatchObject({ 401: expect.anything(), 403: expect.anything() });
      } else {
        expect(op).toMatchObject({ 'x-caseflow-auth': 'public', 'x-caseflow-roles': [], security: [] });
        expect(op?.responses).not.toHaveProperty('401');
      }
    }
    expect(new Set(operations(doc).map((op) => op.operationId)).size).toBe(routes.length);
  });

  it('documents every body field of every route as zod parses it: the reply needs its message, an acknowledgement needs no body', () => {
    for (const route of API_ROUTES.filter((r) => r.body)) {
      const body = route.body;
      if (!(body instanceof z.ZodObject)) throw new Error(`${route.handler}: its body is not a zod object`);
      const component = componentOf(bodyRefOf(route));
      const fields = Object.keys(body.shape);
      expect({ route: route.handler, fields: Object.keys(component.properties as Json) }).toEqual({ route: route.handler, fields });
      const required = fields.filter((f) => !(body.shape[f] as z.ZodType).safeParse(undefined).success);
      expect({ route: route.handler, required: (component.required as string[] | undefined) ?? [] }).toEqual({ route: route.handler, required });
    }
    const reply = routeOf('reply-to-case');
    expect(componentOf(bodyRefOf(reply))).toMatchObject({ required: ['message'], properties: { message: { type: 'string', minLength: 1, maxLength: 20_000 } }, additionalProperties: false });
    expect(operationOf(reply)?.requestBody).toMatchObject({ required: true });
    expect(operationOf(routeOf('acknowledge-case'))?.requestBody).toMatchObject({ required: false });
  });

  it('rejects in its JSON Schema the request bodies and query values that zod rejects, and accepts what zod accepts', () => {
    const json = jsonSchemaValidator();
    const bodyOf = (handler: string) => json.at(String((bodyRefOf(routeOf(handler)) as { $ref: string }).$ref));
    const examples: { handler: string; body: Json; valid: boolean }[] = [
      { handler: 'reply-to-case', body: { message: 'Your parcel left today.' }, valid: true },
      { handler: 'reply-to-case', body: {}, valid: false },
      { handler: 'reply-to-case', body: { message: 'x'.repeat(20_001) }, valid: false },
      { handler: 'reply-to-case', body: { message: 'Hello', cc: 'boss@example.com' }, valid: false },
      { handler: 'set-case-priority', body: { priority: 'critical' }, valid: false },
      { handler: 'set-case-priority', body: { priority: 'urgent', reason: 'VIP' }, valid: true },
      { handler: 'log-case-call', body: { direction: 'inbound', durationSeconds: -1, transcript: 'Hello' }, valid: false },
      { handler: 'log-case-call', body: { direction: 'inbound', durationSeconds: 60, transcript: 'Hello', startedAt: 'yesterday' }, valid: false },
      { handler: 'log-case-call', body: { direction: 'inbound', durationSeconds: 60, transcript: 'Hello', startedAt: '2026-03-01T09:30:00Z' }, valid: true },
      { handler: 'grant-contact-access', body: { staffId: 'fb-1', reason: 'survey follow-up', hours: 1000 }, valid: false },
      { handler: 'update-complaint-checklist', body: { followUp: { date: '1 May', plan: 'Call back' } }, valid: false },
      { handler: 'create-case', body: { name: 'Ada', email: 'ada@example.com', subject: 'Order', message: 'Where is it?' }, valid: false },
      { handler: 'create-case', body: { name: 'Ada', email: 'ada@example.com', subject: 'Order', message: 'Where is it?', privacyConsent: true }, valid: true },
    ];
    for (const { handler, body, valid } of examples) {
      const route = routeOf(handler);
      expect({ handler, body, zod: route.body?.safeParse(body).success }).toEqual({ handler, body, zod: valid });
      expect({ handler, body, jsonSchema: bodyOf(handler)(body) }).toEqual({ handler, body, jsonSchema: valid });
    }

    const limit = ((operationOf(routeOf('list-cases'))?.parameters as Json[]).find((p) => p.name === 'limit') as { schema: Json }).schema;
    const limitValid = json.compile(limit);
    for (const value of [0, 101, 2.5]) {
      expect({ value, zod: routeOf('list-cases').query?.safeParse({ limit: String(value) }).success, jsonSchema: limitValid(value) }).toEqual({ value, zod: false, jsonSchema: false });
    }
    expect(limitValid(50)).toBe(true);
  });

  it('names the error responses a case action can give, with the error body and its field issues', () => {
    expect(Object.keys(operationOf(routeOf('reply-to-case'))?.responses as Json)).toEqual(['200', '400', '401', '403', '404', '405', '409', '413', '415']);
    expect(Object.keys(operationOf(routeOf('create-case'))?.responses as Json)).toEqual(['201', '400', '405', '413', '415', '422', '429']);
    expect(Object.keys(operationOf(routeOf('list-cases'))?.responses as Json)).toEqual(['200', '304', '400', '401', '403', '405']);
    expect(schemas.Error).toMatchObject({ required: ['error'], properties: { issues: { type: 'array' }, currentVersion: { type: 'integer' } } });
    const parameters = (doc.components as { parameters: Record<string, Json> }).parameters;
    expect(parameters.CaseId).toMatchObject({ in: 'path', required: true, schema: { format: 'uuid' } });
    expect(operationOf(routeOf('reply-to-case'))?.parameters).toEqual([{ $ref: '#/components/parameters/CaseId' }, { $ref: '#/components/parameters/IfMatch' }]);
  });

  it('shows the reads a client polls taking If-None-Match and answering 304 without a body, and no other route', () => {
    const conditional = ['list-cases', 'get-case', 'list-escalations', 'get-audit-trail'];
    for (const route of API_ROUTES.filter((r) => r.method !== 'ANY')) {
      const op = operationOf(route);
      const takes = ((op?.parameters ?? []) as Json[]).some((p) => p.$ref === '#/components/parameters/IfNoneMatch');
      const answers304 = Object.keys(op?.responses as Json).includes('304');
      expect({ route: route.handler, takes, answers304 }).toEqual({ route: route.handler, takes: conditional.includes(route.handler), answers304: conditional.includes(route.handler) });
    }
    const components = doc.components as { responses: Record<string, Json>; parameters: Record<string, Json> };
    expect(components.responses.NotModified).not.toHaveProperty('content');
    expect(components.parameters.IfNoneMatch).toMatchObject({ name: 'If-None-Match', in: 'header' });
    const detail = (operationOf(routeOf('get-case'))?.responses as Record<string, { headers: Record<string, { description: string }> }>)['200'];
    expect(detail?.headers.ETag?.description).toContain('"12-<hash>"');
  });
});

describe('the privacy routes in the OpenAPI document (M5.1, C6.1)', () => {
  const privacy = ['create-access-request', 'list-privacy-requests', 'get-privacy-request'];

  it('shows them for admins alone, with their request and response schemas', () => {
    for (const handler of privacy) expect({ handler, roles: operationOf(routeOf(handler))?.['x-caseflow-roles'] }).toEqual({ handler, roles: ['admins'] });
    const create = operationOf(routeOf('create-access-request'));
    expect(componentOf(bodyRefOf(routeOf('create-access-request')))).toMatchObject({ properties: { email: { type: 'string' }, phone: { type: 'string' } }, additionalProperties: false });
    expect(create?.responses).toMatchObject({ 201: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PrivacyRequestResponse' } } } } });
    expect(schemas.PrivacyRequestResponse).toMatchObject({ required: ['request'], properties: { request: { $ref: '#/components/schemas/PrivacyRequest' }, download: expect.anything() } });
    expect(operationOf(routeOf('list-privacy-requests'))?.responses).toMatchObject({ 200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/PrivacyRequestPage' } } } } });
    expect(operationOf(routeOf('get-privacy-request'))?.parameters).toEqual([
      { name: 'requestId', in: 'path', required: true, description: 'The privacy request’s id', schema: expect.objectContaining({ format: 'uuid' }) },
    ]);
  });

  it('keeps the request record free of any address: a subject digest, and a body that takes no other field', () => {
    const record = schemas.PrivacyRequest as { properties: Record<string, Json>; additionalProperties: unknown };
    expect(Object.keys(record.properties)).not.toEqual(expect.arrayContaining(['email']));
    expect(Object.keys(record.properties)).not.toEqual(expect.arrayContaining(['phone']));
    expect(record.properties.subject).toMatchObject({ properties: { kind: { enum: ['email', 'phone'] }, digest: { pattern: '^[0-9a-f]{64}$' } } });
    expect(record.additionalProperties).toBe(false);
    // The address goes in the body: no path or query parameter of any privacy route carries it.
    for (const handler of privacy) {
      const names = ((operationOf(routeOf(handler))?.parameters ?? []) as Json[]).map((p) => p.name);
      expect({ handler, names: names.filter((n) => n === 'email' || n === 'phone') }).toEqual({ handler, names: [] });
    }
  });
});

describe('GET /v1/openapi.json', () => {
  const event = (): APIGatewayProxyEventV2 => ({
    version: '2.0',
    routeKey: 'GET /v1/openapi.json',
    rawPath: '/v1/openapi.json',
    rawQueryString: '',
    headers: { host: 'api.example.com' },
    requestContext: {
      accountId: '000000000000',
      apiId: 'test',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: 'GET', path: '/v1/openapi.json', protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'r-1',
      routeKey: 'GET /v1/openapi.json',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    isBase64Encoded: false,
  });

  it('serves the generated document as JSON, without a token, cacheable for a few minutes', async () => {
    const res = await handler(event(), lambdaContext('get-openapi'));
    expect(res.statusCode).toBe(200);
    expect(res.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
    expect(JSON.parse(String(res.body))).toEqual(openApiDocument());
  });
});
