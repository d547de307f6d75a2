import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES, FALLBACK_ROUTES } from '../../functions/handlers/routes';
import { isQualityFallback, isQualityRoute } from '../../infra/quality-routes';
import { CASE_READ_ACTIONS, CASE_WRITE_ACTIONS } from '../../infra/constructs/case-data-grants';
import { API_THROTTLE, HANDLER_DATA_ACCESS, STAFF_GROUPS, type CaseflowStatelessStack } from '../../infra/stateless-stack';
import { GLOBAL_INDEXES } from '../../functions/adapters/table-design';
import { deployedFunctions, functionResource, statementsOfFunction, type DeployedFunction } from './support/functions';
import { asList, bucketGrantsOf, grantsOf, resourceText, type Statement } from './support/iam';
import { cdkJsonContext, synthesizeCaseflow } from './support/synth';

let template: Template;
let stack: CaseflowStatelessStack;
/** Every caseflow function of the app, the route functions here and those of the workers and exports stacks. */
let deployed: Map<string, DeployedFunction>;

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  template = synthesized.statelessTemplate;
  stack = synthesized.stateless;
  deployed = deployedFunctions(synthesized);
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
/** caseflow's own functions in every stack (CDK's console deployment function is not one: see the first test). */
const caseflowFunctions = (): Resource[] => [...deployed.values()].map(functionResource);
const deployedOf = (handler: string): DeployedFunction => {
  const found = deployed.get(handler);
  if (!found) throw new Error(`no function for ${handler}`);
  return found;
};

/** Every statement attached to the role of the function for `handler`, whichever stack deploys it. */
const statementsOf = (handler: string): Statement[] => statementsOfFunction(deployedOf(handler));
const actionsOf = (handler: string) => new Set(statementsOf(handler).flatMap((s) => asList(s.Action)));

/** The route handlers of this stack: all but the quality stack's (test/infra/quality-stack.test.ts). */
const routeHandlers = [...new Set([...API_ROUTES.filter((r) => !isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter((r) => !isQualityFallback(r))].map((r) => r.handler))];
const staffRouteHandlers = [...new Set(API_ROUTES.filter((r) => r.auth === 'staff' && !isQualityRoute(r.handler)).map((r) => r.handler))];
/** Every function of the app: the route functions, the workers stack's (test/infra/workers-stack.test.ts) and export-step. */
const handlers = () => [...deployed.keys()];
const context = cdkJsonContext();

describe('functions', () => {
  it('creates one function per distinct route handler in this stack, and no other of its own', () => {
    expect([...stack.functions.keys()].sort()).toEqual([...routeHandlers].sort());
    // The one other function is CDK's, copying the staff console into its bucket.
    const ours = new Set([...stack.functions.values()].map((fn) => stack.getLogicalId(fn.fn.node.defaultChild as never)));
    const others = Object.entries(resources('AWS::Lambda::Function')).filter(([id]) => !ours.has(id));
    expect(others.map(([id]) => id)).toEqual([expect.stringMatching(/^CustomCDKBucketDeployment/)]);
    expect(others[0]?.[1].Properties.Role).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(stack.staffConsole.deploymentRole.node.defaultChild as never), 'Arn'] });
  });

  it('runs every function, in every stack, on nodejs22.x, arm64, with active X-Ray tracing and source maps', () => {
    for (const fn of caseflowFunctions()) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Environment: { Variables: expect.objectContaining({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'caseflow' }) },
      });
    }
  });

  it('gives every function 256 MB, except email-ingest, whose MIME parser holds text bodies whole, and the metrics and the escalation audit, which read a period’s cases and timelines in 29 s, and export-step, whose heap Lambda sizes from its memory: 512 MB, an access request, which zips a customer’s files through 2 GiB of /tmp in 29 s, an erasure request, which deletes and rewrites a customer’s data in 29 s, and the monthly report, which renders a month’s charts: 1024 MB', () => {
    const sizes: Record<string, number> = {
      'email-ingest': 512,
      'get-metrics': 512,
      'get-escalation-audit': 512,
      'create-access-request': 1024,
      'create-erasure-request': 1024,
      'export-step': 512,
      'create-monthly-report': 1024,
      'monthly-report-job': 1024,
    };
    for (const [handler, fn] of deployed) {
      expect({ handler, memory: functionResource(fn).Properties.MemorySize }).toEqual({ handler, memory: sizes[handler] ?? 256 });
    }
    const exporter = functionResource(deployedOf('create-access-request'));
    expect(exporter.Properties).toMatchObject({ Timeout: 29, EphemeralStorage: { Size: 2048 } });
    // Within API Gateway's 30 seconds; a customer too large for one run is erased by running the request again.
    const eraser = functionResource(deployedOf('create-erasure-request'));
    expect(eraser.Properties.Timeout).toBe(29);
    expect(eraser.Properties.EphemeralStorage).toBeUndefined();
    for (const report of ['get-metrics', 'get-escalation-audit']) expect({ report, timeout: functionResource(deployedOf(report)).Properties.Timeout }).toEqual({ report, timeout: 29 });
  });

  it('logs every function as JSON to its own log group kept for a year', () => {
    for (const fn of deployed.values()) {
      const groups = fn.template.findResources('AWS::Logs::LogGroup') as Record<string, Resource>;
      const config = functionResource(fn).Properties.LoggingConfig as { LogFormat: string; LogGroup: { Ref: string } };
      expect(config.LogFormat).toBe('JSON');
      expect({ handler: fn.handler, retention: groups[config.LogGroup.Ref]?.Properties.RetentionInDays }).toEqual({ handler: fn.handler, retention: 365 });
    }
  });

  it('gives the staff route functions the table, the Cognito issuer and JWKS URL, and the app client as audience', () => {
    for (const handler of staffRouteHandlers) {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: `caseflow ${handler}`,
        Environment: {
          Variables: Match.objectLike({
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Table') },
            JWT_ISSUER: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: Match.stringLikeRegexp('^StaffUserPool') }]] },
            JWT_JWKS_URL: {
              'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: Match.stringLikeRegexp('^StaffUserPool') }, '/.well-known/jwks.json']],
            },
            JWT_AUDIENCE: { Ref: Match.stringLikeRegexp('^StaffUserPoolStaffConsoleClient') },
          }),
        },
      });
    }
  });

  it('sets no local stand-in endpoint in AWS', () => {
    for (const fn of caseflowFunctions()) {
      const variables = Object.keys((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables);
      expect(variables.filter((v) => v.endsWith('_ENDPOINT'))).toEqual([]);
    }
  });
});

describe('least privilege on the case data (M2.2)', () => {
  const WRITE = /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|TransactWriteItems|DeleteTable|UpdateTable|\*)$/;

  it.each(['list-cases', 'get-case'])('lets the read-only %s function read but never write', (handler) => {
    const actions = actionsOf(handler);
    for (const action of CASE_READ_ACTIONS) expect(actions).toContain(action);
    expect([...actions].filter((a) => WRITE.test(a) || a === 'kms:Encrypt' || a === 'kms:GenerateDataKey')).toEqual([]);
  });

  it('lets create-case and the outbox consumer put and update, but no function delete from or scan the case table (M5.3 append-only; an erasure rewrites items, it deletes none)', () => {
    for (const handler of ['create-case', 'outbox-stream', 'create-erasure-request']) {
      const actions = actionsOf(handler);
      for (const action of CASE_WRITE_ACTIONS) expect(actions).toContain(action);
    }
    // The subject-key table is not case data: destroying a customer's key is the erasure's (test/infra/subject-keys.test.ts).
    for (const handler of handlers()) {
      const dynamo = grantsOf(statementsOf(handler)).filter((g) => g.startsWith('dynamodb:') && !g.endsWith(' caseflow-dev-subject-key-table-arn'));
      expect({ handler, stray: dynamo.filter((g) => /Delete|Scan|BatchWrite|\*/.test(g.split(' ')[0] ?? '')) }).toEqual({ handler, stray: [] });
    }
  });

  it('grants every DynamoDB operation the table adapters call, so none is denied in AWS', () => {
    // The lib-dynamodb commands in the adapters' source (functions/adapters/dynamo/), as the IAM actions they need.
    const dir = join(__dirname, '../../functions/adapters/dynamo');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const commands = new Set([...source.matchAll(/new (\w+)Command\(/g)].map((m) => m[1]));
    const needs: Record<string, string[]> = {
      Get: ['dynamodb:GetItem'],
      BatchGet: ['dynamodb:BatchGetItem'],
      Query: ['dynamodb:Query'],
      Put: ['dynamodb:PutItem'],
      Update: ['dynamodb:UpdateItem'],
      // TransactWriteItems is authorised per item: Put and Update here.
      TransactWrite: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    };
    const granted: string[] = [...CASE_READ_ACTIONS, ...CASE_WRITE_ACTIONS];
    for (const command of commands) {
      expect({ command, known: command !== undefined && command in needs }).toEqual({ command, known: true });
      for (const action of needs[command ?? ''] ?? []) expect({ command, granted: granted.includes(action) }).toEqual({ command, granted: true });
    }
    expect(commands.has('BatchGet')).toBe(true);
  });

  it('gives every function, route handler or not, exactly the data access HANDLER_DATA_ACCESS declares', () => {
    // The case data: every table but the subject-key table (its grants are test/infra/subject-keys.test.ts's).
    const dataActions = (handler: string) =>
      [...new Set(grantsOf(statementsOf(handler)).filter((g) => !g.endsWith(' caseflow-dev-subject-key-table-arn')).map((g) => g.split(' ')[0] ?? ''))]
        .filter((a) => a.startsWith('dynamodb:') && !/Stream|GetRecords|GetShardIterator/.test(a))
        .sort();
    const expected = { none: [], read: [...CASE_READ_ACTIONS].sort(), 'read-write': [...CASE_READ_ACTIONS, ...CASE_WRITE_ACTIONS].sort() };
    for (const handler of handlers()) {
      const access = HANDLER_DATA_ACCESS[handler];
      expect({ handler, access }).toEqual({ handler, access: expect.stringMatching(/^(none|read|read-write)$/) });
      expect({ handler, actions: dataActions(handler) }).toEqual({ handler, actions: expected[access as keyof typeof expected] });
    }
  });

  it('grants no data access to the 405 function', () => {
    expect([...actionsOf('method-not-allowed')].sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
  });

  it('scopes index queries to the named indexes and the key to DynamoDB', () => {
    const statements = statementsOf('list-cases');
    const indexStatement = statements.find((s) => asList(s.Resource as string).some((r) => JSON.stringify(r).includes('/index/')));
    const indexArns = (indexStatement?.Resource as unknown[]).map((r) => JSON.stringify(r));
    expect(indexArns).toHaveLength(GLOBAL_INDEXES.length);
    for (const g of GLOBAL_INDEXES) expect(indexArns.some((arn) => arn.includes(`/index/${g.indexName}"`))).toBe(true);
    const kmsStatement = statements.find((s) => asList(s.Action).includes('kms:Decrypt'));
    expect(kmsStatement?.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['dynamodb.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } });
  });

  it('allows wildcard resources only for X-Ray and dynamodb:ListStreams', () => {
    for (const handler of handlers()) {
      const wildcard = statementsOf(handler).filter((s) => asList(s.Resource as string).includes('*'));
      const actions = wildcard.flatMap((s) => asList(s.Action));
      expect(actions.filter((a) => !['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'dynamodb:ListStreams'].includes(a))).toEqual([]);
    }
  });

  it('lets get-attachment alone read the cases’ files in the archive bucket, and nothing else there, with the key through S3 only (its presigned downloads, C4.1)', () => {
    const s3Statements = (handler: string) => statementsOf(handler).filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    expect(s3Statements('get-attachment').map((s) => ({ Action: s.Action, Resource: s.Resource }))).toEqual([
      { Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [{ 'Fn::ImportValue': 'caseflow-dev-archive-bucket-arn' }, '/cases/*/attachments/*']] } },
    ]);
    const viaS3 = statementsOf('get-attachment').filter((s) => JSON.stringify(s.Condition ?? {}).includes('"s3."'));
    expect(viaS3.map((s) => s.Action)).toEqual(['kms:Decrypt']);
    const privacyRoutes = ['create-access-request', 'create-erasure-request', 'get-privacy-request'];
    const otherRouteReaders = routeHandlers.filter((h) => h !== 'get-attachment' && !privacyRoutes.includes(h) && s3Statements(h).some((s) => JSON.stringify(s.Resource).includes('"caseflow-dev-archive-bucket-arn"')));
    expect(otherRouteReaders).toEqual([]);
  });

  it('lets an access request read the customer’s files, raw mail and archives and write its export under privacy-exports/ alone, and get-privacy-request read the exports alone (M5.1, C6.1)', () => {
    const s3Grants = (handler: string) =>
      statementsOf(handler)
        .filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')))
        .flatMap((s) => asList(s.Action).flatMap((a) => asList(s.Resource as string).map((r) => `${a} ${JSON.stringify(r).replace(/\{"Fn::Join":\["",\[\{"Fn::ImportValue":"caseflow-dev-([a-z-]+)-bucket-arn"\},"([^"]*)"\]\]\}/, '$1$2').replace(/\{"Fn::ImportValue":"caseflow-dev-([a-z-]+)-bucket-arn"\}/, '$1')}`)))
        .sort();
    expect(s3Grants('create-access-request')).toEqual([
      's3:GetObject archive/cases/*/attachments/*',
      's3:GetObject archive/privacy-exports/*',
      's3:GetObject case-archive/index/subjects/*',
      's3:GetObject case-archive/records/*',
      's3:GetObject inbound/inbound/*',
      's3:GetObjectVersion case-archive/records/*',
      's3:ListBucket archive',
      's3:ListBucket case-archive',
      's3:ListBucket inbound',
      's3:PutObject archive/privacy-exports/*',
    ]);
    // s3:ListBucket: a missing export (an erasure deleted it) is a 404 to its HEAD, not a 403.
    expect(s3Grants('get-privacy-request')).toEqual(['s3:GetObject archive/privacy-exports/*', 's3:ListBucket archive']);
    for (const handler of ['create-access-request', 'get-privacy-request']) {
      const viaS3 = statementsOf(handler).filter((s) => JSON.stringify(s.Condition ?? {}).includes('"s3."'));
      expect(viaS3.flatMap((s) => asList(s.Action)).sort()).toEqual(handler === 'create-access-request' ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt']);
    }
  });

  it('lets an erasure request delete every version of the customer’s files, earlier exports and raw mail, list only where it deletes, read the archives, and use the data key through S3 only to read them (M5.1, C6.1)', () => {
    const s3 = statementsOf('create-erasure-request').filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    const grants = (bucket: 'archive' | 'inbound' | 'case-archive') => bucketGrantsOf(s3, `caseflow-dev-${bucket}-bucket-arn`);
    expect(grants('archive')).toEqual([
      's3:DeleteObject bucket/cases/*',
      's3:DeleteObject bucket/privacy-exports/*',
      's3:DeleteObjectVersion bucket/cases/*',
      's3:DeleteObjectVersion bucket/privacy-exports/*',
      's3:ListBucket bucket',
      's3:ListBucketVersions bucket',
    ]);
    expect(grants('inbound')).toEqual(['s3:DeleteObject bucket/inbound/*', 's3:DeleteObjectVersion bucket/inbound/*', 's3:ListBucket bucket', 's3:ListBucketVersions bucket']);
    // Its grants on the case-archive bucket are test/infra/case-archiving.test.ts's; no other bucket.
    expect(s3.flatMap((s) => asList(s.Resource)).map(resourceText).filter((r) => !/^caseflow-dev-(archive|inbound|case-archive)-bucket-arn(\/|$)/.test(r))).toEqual([]);
    // Listing the archive and inbound buckets only under the prefixes it deletes.
    const listing = (bucket: string) => s3.filter((s) => asList(s.Action).some((a) => a.startsWith('s3:List')) && resourceText(s.Resource) === `caseflow-dev-${bucket}-bucket-arn`);
    expect(listing('archive').map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': ['cases/*', 'privacy-exports/*'] } }]);
    expect(listing('inbound').map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': ['inbound/*'] } }]);
    const viaS3 = statementsOf('create-erasure-request').filter((s) => JSON.stringify(s.Condition ?? {}).includes('"s3."'));
    expect(viaS3.flatMap((s) => asList(s.Action))).toEqual(['kms:Decrypt']);
  });

  it('lets only the outbox consumer send mail, from the configured identity and address; the corrective-action step mails the supervisor and management contacts alone (C8.1)', () => {
    // The training and follow-up reminders mail staff from caseflow's address alone: test/infra/quality-stack.test.ts.
    for (const handler of handlers().filter((h) => h !== 'outbox-stream' && h !== 'corrective-action-step' && h !== 'training-reminders' && h !== 'follow-up-reminders')) {
      expect([...actionsOf(handler)].filter((a) => a.startsWith('ses:'))).toEqual([]);
    }
    const staffMail = statementsOf('corrective-action-step').filter((s) => asList(s.Action).some((a) => a.startsWith('ses:')));
    expect(staffMail.map((s) => s.Condition)).toEqual([
      { StringEquals: { 'ses:FromAddress': context['caseflow:senderEmail'] }, 'ForAllValues:StringLike': { 'ses:Recipients': [context['caseflow:supervisorEmail'], context['caseflow:managerEmail']] } },
    ]);
    const send = statementsOf('outbox-stream').filter((s) => asList(s.Action).some((a) => a.startsWith('ses:')));
    expect(send).toHaveLength(1);
    expect(send[0]?.Action).toBe('ses:SendRawEmail');
    expect(send[0]?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': context['caseflow:senderEmail'] } });
    expect(JSON.stringify(send[0]?.Resource)).toContain(':identity/');
  });

  it('lets the outbox consumer mail the staff SLA contacts: no recipient condition (M3.2 / C3.3, M3.3)', () => {
    const send = statementsOf('outbox-stream').filter((s) => asList(s.Action).some((a) => a.startsWith('ses:')));
    // The sender is limited, the recipients are not: customers and staff contacts alike.
    const conditionKeys = send.flatMap((s) => Object.values((s.Condition ?? {}) as Record<string, object>).flatMap((c) => Object.keys(c)));
    expect(conditionKeys).toEqual(['ses:FromAddress']);
    expect(statementsOf('outbox-stream').filter((s) => s.Effect !== 'Allow')).toEqual([]);
  });
});

describe('the HTTP API', () => {
  const routes = () => Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);

  it('has exactly the routes of API_ROUTES and FALLBACK_ROUTES but the quality stack’s, its paths’ fallbacks too (test/infra/quality-stack.test.ts)', () => {
    const expected = [...API_ROUTES.filter((r) => !isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter((r) => !isQualityFallback(r))].map((r) => `${r.method} ${r.path}`);
    expect(routes().map((r) => r.RouteKey).sort()).toEqual(expected.sort());
  });

  it('puts the Cognito JWT authorizer on staff routes and none on public ones', () => {
    const [authorizerId] = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'));
    for (const route of [...API_ROUTES.filter((r) => !isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter((r) => !isQualityFallback(r))]) {
      const created = routes().find((r) => r.RouteKey === `${route.method} ${route.path}`);
      if (route.auth === 'staff') {
        expect(created).toMatchObject({ AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      } else {
        expect(created?.AuthorizationType).toBe('NONE');
        expect(created?.AuthorizerId).toBeUndefined();
      }
    }
  });

  it('serves the legal holds as PUT and DELETE on a case’s /legal-hold and erasure requests as POST /v1/privacy/erasure-requests, each behind the staff authorizer and to its own function (M5.1, C6.1)', () => {
    const [authorizerId] = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'));
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    const expected: Array<[string, string]> = [
      ['PUT /v1/cases/{caseId}/legal-hold', 'place-legal-hold'],
      ['DELETE /v1/cases/{caseId}/legal-hold', 'release-legal-hold'],
      ['POST /v1/privacy/erasure-requests', 'create-erasure-request'],
    ];
    for (const [routeKey, handler] of expected) {
      const created = routes().find((r) => r.RouteKey === routeKey);
      expect({ routeKey, auth: created?.AuthorizationType, authorizer: created?.AuthorizerId }).toEqual({ routeKey, auth: 'JWT', authorizer: { Ref: authorizerId } });
      const integrationId = JSON.stringify(created?.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
      expect(JSON.stringify(integrations[integrationId]?.Properties.IntegrationUri)).toContain(`"${stack.getLogicalId(stack.functions.get(handler)!.fn.node.defaultChild as never)}"`);
    }
  });

  it('lets API Gateway invoke each route function from its own paths only, and the 405 function, which has no rights, through one permission for the whole API (CloudFormation’s 500 resources a stack)', () => {
    const permissions = Object.values(resources('AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    const sourcePath = (p: Resource) => {
      const parts = (p.Properties.SourceArn as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
      return String(parts[parts.length - 1]);
    };
    const functionOf = (handler: string) => JSON.stringify({ 'Fn::GetAtt': [stack.getLogicalId(stack.functions.get(handler)!.fn.node.defaultChild as never), 'Arn'] });
    const of = (handler: string) => permissions.filter((p) => JSON.stringify(p.Properties.FunctionName) === functionOf(handler));
    expect(of('method-not-allowed').map(sourcePath)).toEqual(['/*/*/*']);
    for (const route of API_ROUTES.filter((r) => !isQualityRoute(r.handler))) expect({ route: route.path, paths: of(route.handler).map(sourcePath) }).toEqual({ route: route.path, paths: expect.arrayContaining([`/*/*${route.path}`]) });
  });

  it('sends each route to the function named by its handler', () => {
    const integrations = resources('AWS::ApiGatewayV2::Integration');
    for (const route of [...API_ROUTES.filter((r) => !isQualityRoute(r.handler)), ...FALLBACK_ROUTES.filter((r) => !isQualityFallback(r))]) {
      const created = routes().find((r) => r.RouteKey === `${route.method} ${route.path}`);
      const integrationId = JSON.stringify(created?.Target).match(/"Ref":"([^"]+)"/)?.[1] ?? '';
      const functionId = stack.getLogicalId(stack.functions.get(route.handler)?.fn.node.defaultChild as never);
      expect(JSON.stringify(integrations[integrationId]?.Properties.IntegrationUri)).toContain(`"${functionId}"`);
    }
  });

  it('accepts only tokens issued by the staff user pool for the staff console client', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: Match.stringLikeRegexp('^StaffUserPoolStaffConsoleClient') }],
        Issuer: { 'Fn::Join': ['', ['https://cognito-idp.', { Ref: 'AWS::Region' }, '.amazonaws.com/', { Ref: Match.stringLikeRegexp('^StaffUserPool') }]] },
      },
    });
  });

  it('allows the web origin only, with every method and header the route table uses, and lets the console read ETag', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [context['caseflow:webOrigin']],
        AllowMethods: ['POST', 'GET', 'DELETE', 'PATCH', 'PUT'],
        AllowHeaders: ['content-type', 'authorization', 'idempotency-key', 'if-match'],
        ExposeHeaders: ['idempotent-replayed', 'allow', 'etag'],
      }),
    });
  });

  it('throttles the default stage and writes access logs without client IPs', () => {
    const [stage] = Object.values(resources('AWS::ApiGatewayV2::Stage'));
    expect(stage?.Properties).toMatchObject({
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: API_THROTTLE.rateLimit, ThrottlingBurstLimit: API_THROTTLE.burstLimit },
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [expect.stringMatching(/^ApiAccessLogs/), 'Arn'] } },
    });
    const format = (stage?.Properties.AccessLogSettings as { Format: string }).Format;
    expect(JSON.parse(format)).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
    expect(format).not.toMatch(/sourceIp|userAgent|claims/);
  });
});

describe('staff identities', () => {
  it('lets nobody sign up and requires TOTP MFA (M5.1 / C6.1)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
      EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
      DeletionProtection: 'ACTIVE',
    });
    template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain' });
  });

  it('creates the staff groups', () => {
    const groups = Object.values(resources('AWS::Cognito::UserPoolGroup')).map((g) => g.Properties.GroupName);
    expect(groups.sort()).toEqual(STAFF_GROUPS.map((g) => g.name).sort());
    expect(groups).toEqual(expect.arrayContaining(['agents', 'supervisors', 'feedback', 'auditors', 'admins']));
  });

  it('declares the custom:team attribute escalations follow, which staff cannot write with their own token (M3.3)', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'team', AttributeDataType: 'String', Mutable: true })]),
    });
    const [client] = Object.values(resources('AWS::Cognito::UserPoolClient'));
    const writable = client?.Properties.WriteAttributes as string[] | undefined;
    expect(writable).toEqual(expect.arrayContaining(['email']));
    expect(writable).not.toContain('custom:team');
  });

  it('has a public app client with SRP sign-in and no client secret', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      PreventUserExistenceErrors: 'ENABLED',
    });
  });
});

describe('outputs', () => {
  it('publishes the API URL, user pool id, client id and table name', () => {
    const outputs = template.toJSON().Outputs as Record<string, unknown>;
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'TableName']));
  });

  it('keeps the stacks environment-agnostic, so synth needs no credentials', () => {
    expect(Stack.of(stack).environment).toBe('aws://unknown-account/unknown-region');
  });
});
