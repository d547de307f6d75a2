import * as z from 'zod';
import { version } from '../../package.json';
import { ActorSchema, AssigneeSchema, CustomerSchema, EscalationSummarySchema } from '../core/case';
import { CaseEventSchema, EmailMessageDataSchema, FieldChangeSchema, StoredAttachmentSchema } from '../core/case-event';
import { ComplaintChecklistSchema } from '../core/complaint-checklist';
import { EscalationActionSchema, EscalationRecordSchema } from '../core/escalation';
import { PrivacyRequestSchema } from '../core/privacy-access';
import { SlaDeadlinesSchema, SlaPolicySchema } from '../core/sla-policy';
import { StaffMemberSchema } from '../core/staff';
import * as responses from './api-responses';
import { isConditionalGet } from './http/conditional-get';
import { DEFAULT_BODY_LIMIT_BYTES } from './http/parse-body';
import { PATH_PARAMETER_SCHEMAS } from './path-params';
import { API_ROUTES, type RouteDef } from './routes';

/**
 * The OpenAPI 3.1 document of the HTTP API, generated from the route table (routes.ts) and its zod
 * schemas with zod's own JSON Schema output (draft 2020-12, the dialect of OpenAPI 3.1): request
 * bodies and query strings as zod parses them (`io: 'input'`: defaults make fields optional,
 * coerced numbers are numbers), responses as the handlers build them (`io: 'output'`).
 *
 * Every operation carries `x-caseflow-roles`, the roles the route table lets call it (empty on
 * public routes, with `x-caseflow-auth: public`); managers hold the supervisors' rights
 * (core/roles.ts). What JSON Schema cannot say (zod refinements across fields, text cleaned
 * before its length is counted) is checked by the API all the same and answered with a 400.
 */

type Json = Record<string, unknown>;

const SCHEMAS = '#/components/schemas/';
const ref = (kind: 'schemas' | 'responses' | 'parameters', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Shared response-side schemas that are components of their own, besides every route's success body. */
const NAMED_PARTS: Readonly<Record<string, z.ZodType>> = {
  Actor: ActorSchema,
  Assignee: AssigneeSchema,
  CaseEvent: CaseEventSchema,
  ComplaintChecklist: ComplaintChecklistSchema,
  Customer: CustomerSchema,
  EmailMessageData: EmailMessageDataSchema,
  EscalationAction: EscalationActionSchema,
  EscalationRecord: EscalationRecordSchema,
  EscalationSummary: EscalationSummarySchema,
  FieldChange: FieldChangeSchema,
  PrivacyRequest: PrivacyRequestSchema,
  SlaDeadlines: SlaDeadlinesSchema,
  SlaPolicy: SlaPolicySchema,
  StaffMember: StaffMemberSchema,
  StoredAttachment: StoredAttachmentSchema,
};

/** Routes that answer 429 past a per-client rate limit: the public intake (SUBMISSION_RATE_LIMIT_PER_HOUR). */
const RATE_LIMITED: ReadonlySet<string> = new Set(['create-case']);

/** Responses that carry a case's version as their ETag (for If-Match). */
const VERSIONED: ReadonlySet<z.ZodType> = new Set([responses.CaseResponseSchema, responses.CaseDetailSchema, responses.AuditTrailSchema]);

/** A response component's name: its export name in api-responses.ts (ErrorSchema: Error), else the route's handler's. */
const RESPONSE_NAMES = new Map<z.ZodType, string>(
  Object.entries(responses).flatMap(([name, schema]) => (schema instanceof z.ZodType ? [[schema, name.replace(/Schema$/, '')] as const] : [])),
);

const pascal = (kebab: string) => kebab.replace(/(^|-)([a-z0-9])/g, (_, _dash: string, c: string) => c.toUpperCase());
const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** A JSON Schema without the document-level keywords zod adds: inside OpenAPI it is a Schema Object. */
function schemaObject(schema: Json): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function formatWithoutPattern({ jsonSchema }: { jsonSchema: Json }): void {
  if (jsonSchema.format !== undefined) delete jsonSchema.pattern;
}

/** Each zod schema once, under one name; the JSON Schemas of a registry refer to each other by name. */
class Components {
  private readonly names = new Map<z.ZodType, string>();
  private readonly registry = z.registry<{ id: string }>();

  constructor(private readonly io: 'input' | 'output') {}

  name(schema: z.ZodType, preferred: string): string {
    const known = this.names.get(schema);
    if (known) return known;
    if ([...this.names.values()].includes(preferred)) throw new Error(`caseflow: two schemas are named ${preferred} in the OpenAPI document`);
    this.names.set(schema, preferred);
    this.registry.add(schema, { id: preferred });
    return preferred;
  }

  schemas(): Record<string, Json> {
    const { schemas } = z.toJSONSchema(this.registry, {
      target: 'draft-2020-12',
      io: this.io,
      uri: (id) => `${SCHEMAS}${id}`,
      // The server writes its answers: a standard format (date-time, uuid, email) says what a response holds
      // without zod's regex for it, which would be most of the document. Requests keep the regex: it is what is checked.
      ...(this.io === 'output' ? { override: formatWithoutPattern } : {}),
    });
    return Object.fromEntries(Object.entries(schemas).map(([id, s]) => [id, schemaObject(s as Json)]));
  }
}

const inputJsonSchema = (schema: z.ZodType) => schemaObject(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as Json);

const errorResponse = (description: string, headers?: Json): Json => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: { $ref: `${SCHEMAS}Error` } } },
});

const header = (description: string, schema: Json = { type: 'string' }) => ({ description, schema });

/** A conditional read whose answer the client has already (conditional-get.ts). */
const NOT_MODIFIED: Json = {
  description: 'Not modified: the answer is the one whose ETag If-None-Match named. No body.',
  headers: { ETag: header('The ETag of the unchanged answer') },
};

const ERROR_RESPONSES: Readonly<Record<string, Json>> = {
  BadRequest: errorResponse('Invalid input: `issues` names every field that is missing or wrong (its path and a message to show).'),
  Unauthorized: errorResponse('No bearer token, or one that is invalid or expired.', { 'WWW-Authenticate': header('Bearer') }),
  Forbidden: errorResponse(
    'The caller holds none of the roles the route allows (`This needs one of the roles: …`), or the case’s state gives their role no say here (an agent acting on an escalation to a supervisor, say).',
  ),
  NotFound: errorResponse('No case with this id.'),
  MethodNotAllowed: errorResponse('This path does not take this method; `Allow` lists the ones it takes.', { Allow: header('The methods the path takes') }),
  Conflict: errorResponse(
    'The case’s state forbids this action, or the case changed since the version in If-Match: `currentVersion` is its version now. Resolving a complaint whose checklist is incomplete names the `missing` items.',
  ),
  ContentTooLarge: errorResponse(`The body is larger than ${DEFAULT_BODY_LIMIT_BYTES} bytes.`),
  UnsupportedMediaType: errorResponse('The body is not of a media type the route takes; `Accept` lists them.', { Accept: header('The media types the route takes') }),
  UnprocessableContent: errorResponse('The Idempotency-Key was used before for a different request.'),
  TooManyRequests: errorResponse('Too many requests from this client; try again after `Retry-After` seconds.', {
    'Retry-After': header('Seconds to wait', { type: 'integer', minimum: 0 }),
  }),
};

const HEADER_PARAMETERS: Readonly<Record<string, Json>> = {
  IfMatch: {
    name: 'If-Match',
    in: 'header',
    required: false,
    description:
      'The case version you saw, as its ETag ("12", or a read’s "12-<hash>"): the change applies to that version only, else 409 with `currentVersion`. Absent or `*`: to whatever version the case has.',
    schema: { type: 'string', pattern: '^(\\*|(W/)?"?[0-9]{1,10}(-[A-Za-z0-9_-]{1,64})?"?)$' },
  },
  IfNoneMatch: {
    name: 'If-None-Match',
    in: 'header',
    required: false,
    description: 'The ETag of the answer you have: if it is still the answer, 304 with no body (cheap polling).',
    schema: { type: 'string' },
  },
  IdempotencyKey: {
    name: 'Idempotency-Key',
    in: 'header',
    required: false,
    description: 'A key of your own for this request: a retry with the same key and body answers as the first time (`Idempotent-Replayed: true`) and opens nothing new.',
    schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
  },
};

const HEADER_PARAMETER_OF = { 'If-Match': 'IfMatch', 'Idempotency-Key': 'IdempotencyKey' } as const;

/** Path parameters as zod parses them (path-params.ts). */
const PATH_PARAMETERS = Object.assign({}, ...Object.values(PATH_PARAMETER_SCHEMAS).map((s) => inputJsonSchema(s).properties as Record<string, Json>)) as Record<string, Json>;
const PATH_DESCRIPTIONS: Record<string, string> = {
  caseId: 'The case id',
  staffId: 'The staff member’s subject (sub)',
  sha256: 'The file’s SHA-256, as the timeline lists it',
  requestId: 'The privacy request’s id',
  exportId: 'The export’s id: its period, <from>_<to> (YYYY-MM-DD_YYYY-MM-DD)',
};

function pathParameter(name: string): Json {
  const schema = PATH_PARAMETERS[name];
  if (!schema) throw new Error(`caseflow: the OpenAPI document has no schema for the path parameter {${name}}`);
  return { name, in: 'path', required: true, description: PATH_DESCRIPTIONS[name] ?? name, schema };
}

/** One query parameter a property of the route's query schema. */
function queryParameters(schema: z.ZodType): Json[] {
  const json = inputJsonSchema(schema);
  const required = new Set((json.required as string[] | undefined) ?? []);
  return Object.entries((json.properties ?? {}) as Record<string, Json>).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    schema: property,
  }));
}

function rolesText(route: RouteDef): string {
  if (route.auth === 'public') return 'Public: no token needed.';
  const inherits = route.roles.includes('supervisors') && !route.roles.includes('managers') ? ' (and managers, who hold the supervisors’ rights)' : '';
  return `Roles: ${route.roles.join(', ')}${inherits}. A bearer token of the staff identity provider is required.`;
}

function operation(route: RouteDef, inputs: Components, outputs: Components): Json {
  const pathNames = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const onCase = pathNames.includes('caseId');
  const headers = route.headers ?? [];
  const conditional = isConditionalGet(route.handler);
  const parameters = [
    ...pathNames.map((name) => (name === 'caseId' ? ref('parameters', 'CaseId') : pathParameter(name))),
    ...(route.query ? queryParameters(route.query) : []),
    ...headers.map((h) => ref('parameters', HEADER_PARAMETER_OF[h])),
    ...(conditional ? [ref('parameters', 'IfNoneMatch')] : []),
  ];

  const success = route.success;
  const successResponse: Json = success
    ? {
        description: success.description,
        headers: {
          ...(conditional
            ? { ETag: header(VERSIONED.has(success.schema) ? 'The case version and a hash of this answer ("12-<hash>"): for If-None-Match, and for If-Match' : 'A hash of this answer, for If-None-Match') }
            : VERSIONED.has(success.schema)
              ? { ETag: header('The case version ("12"), for If-Match') }
              : {}),
          ...(headers.includes('Idempotency-Key') ? { 'Idempotent-Replayed': header('`true` when a retry with the same Idempotency-Key was answered as the first time') } : {}),
        },
        content: {
          'application/json': { schema: ref('schemas', outputs.name(success.schema, responseName(success.schema, route))) },
          // A browser's form post (the contact form without JavaScript) gets a page.
          ...(route.auth === 'public' && route.body ? { 'text/html': { schema: { type: 'string' } } } : {}),
        },
      }
    : { description: 'Done' };
  if (Object.keys((successResponse.headers ?? {}) as Json).length === 0) delete successResponse.headers;

  const errors: [number, string][] = [];
  if (route.body || route.query || pathNames.length || headers.length) errors.push([400, 'BadRequest']);
  if (route.auth === 'staff') errors.push([401, 'Unauthorized'], [403, 'Forbidden']);
  if (onCase) errors.push([404, 'NotFound']);
  errors.push([405, 'MethodNotAllowed']);
  if (headers.includes('If-Match')) errors.push([409, 'Conflict']);
  if (route.body) errors.push([413, 'ContentTooLarge'], [415, 'UnsupportedMediaType']);
  if (headers.includes('Idempotency-Key')) errors.push([422, 'UnprocessableContent']);
  if (RATE_LIMITED.has(route.handler)) errors.push([429, 'TooManyRequests']);

  let requestBody: Json | undefined;
  if (route.body) {
    const schema = ref('schemas', inputs.name(route.body, `${pascal(route.handler)}Request`));
    requestBody = {
      // A staff action whose fields are all optional may come without a body; the public intake needs one.
      required: route.auth === 'public' || !route.body.safeParse({}).success,
      content: {
        'application/json': { schema },
        ...(route.auth === 'public' ? { 'application/x-www-form-urlencoded': { schema } } : {}),
      },
    };
  }

  return {
    operationId: camel(route.handler),
    summary: route.summary,
    description: rolesText(route),
    ...(parameters.length ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses: {
      [String(success?.status ?? 200)]: successResponse,
      ...(conditional ? { 304: ref('responses', 'NotModified') } : {}),
      ...Object.fromEntries(errors.map(([status, name]) => [String(status), ref('responses', name)])),
    },
    security: route.auth === 'staff' ? [{ bearer: [] }] : [],
    'x-caseflow-auth': route.auth,
    'x-caseflow-roles': route.auth === 'staff' ? [...route.roles] : [],
  };
}

const responseName = (schema: z.ZodType, route: RouteDef) => RESPONSE_NAMES.get(schema) ?? `${pascal(route.handler)}Response`;

const sorted = <T>(record: Record<string, T>): Record<string, T> => Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b, 'en')));

const DESCRIPTION = `The caseflow HTTP API: customers open cases (public); staff work them with a bearer token whose groups are their roles.

Each operation names the roles that may call it in \`x-caseflow-roles\` and in its description (docs/roles.md has the route x role table); managers hold the supervisors' rights. A caller without one of them gets 403. Changes to a case take \`If-Match\` with the version from its ETag, and answer 409 with \`currentVersion\` when the case moved on. The reads a client polls (queues, a case, its escalations and audit trail) answer \`If-None-Match\` with their ETag by a 304 with no body. Errors are JSON: \`error\`, and for invalid input \`issues\` naming every field.`;

/** Builds the document; the same route table always gives the same document. */
export function openApiDocument(routes: readonly RouteDef[] = API_ROUTES): Json {
  const inputs = new Components('input');
  const outputs = new Components('output');
  // Every response schema of api-responses.ts is a component (not the query schemas kept there), and the shared parts.
  const requestSchemas = new Set(routes.flatMap((r) => [r.body, r.query]));
  for (const [schema, name] of RESPONSE_NAMES) if (!requestSchemas.has(schema)) outputs.name(schema, name);
  for (const [name, schema] of Object.entries(NAMED_PARTS)) outputs.name(schema, name);

  const paths: Record<string, Record<string, Json>> = {};
  for (const route of routes) {
    if (route.method === 'ANY') continue;
    (paths[route.path] ??= {})[route.method.toLowerCase()] = operation(route, inputs, outputs);
  }

  const inputSchemas = inputs.schemas();
  const outputSchemas = outputs.schemas();
  for (const name of Object.keys(inputSchemas)) if (name in outputSchemas) throw new Error(`caseflow: ${name} is both a request and a response schema`);

  return {
    openapi: '3.1.0',
    info: {
      title: 'caseflow API',
      version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: sorted({ ...inputSchemas, ...outputSchemas }),
      responses: { NotModified: NOT_MODIFIED, ...ERROR_RESPONSES },
      parameters: { CaseId: pathParameter('caseId'), ...HEADER_PARAMETERS },
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A token of the staff identity provider (the Cognito user pool; locally, POST /local/token). Its groups are the caller’s roles.',
        },
      },
    },
  };
}
