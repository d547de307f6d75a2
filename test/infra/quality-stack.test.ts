import { API_ROUTES, FALLBACK_ROUTES } from '../../functions/handlers/routes';
import { isQualityFallback, isQualityRoute, QUALITY_ROUTE_HANDLERS } from '../../infra/quality-routes';
import { readFileSync } from 'node:fs';
import { SLA_MIGRATION_DEFINITION_FILE, SLA_MIGRATION_DEFINITION_SUBSTITUTIONS } from '../../infra/constructs/sla-policy-migration';
import { grantsOf, statementsOfRole, type Statement } from './support/iam';
import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * The quality stack: the quality loop's routes (non-compliance records, C8.1–C8.3) on the
 * stateless stack's HTTP API, which had reached CloudFormation's 500 resources.
 */
let synthesized: SynthesizedApp;
type Resource = { Properties: Record<string, unknown> };

beforeAll(() => {
  synthesized = synthesizeCaseflow();
});

const resources = (type: string) => synthesized.qualityTemplate.findResources(type) as Record<string, Resource>;

describe('the quality stack', () => {
  it('builds every quality route, and only those, on the stateless stack’s API (its stage-named export), each staff route behind a JWT authorizer of the staff user pool, the survey’s public ones behind none', () => {
    const quality = API_ROUTES.filter((r) => isQualityRoute(r.handler));
    expect(quality.map((r) => r.handler).sort()).toEqual([...QUALITY_ROUTE_HANDLERS].sort());
    const routes = Object.values(resources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
    // The quality routes, and the 405 fallbacks of the paths only they serve.
    const fallbacks = FALLBACK_ROUTES.filter(isQualityFallback);
    expect(fallbacks.length).toBeGreaterThan(0);
    for (const f of fallbacks) expect(API_ROUTES.filter((r) => r.path === f.path).every((r) => isQualityRoute(r.handler))).toBe(true);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([...quality, ...fallbacks].map((r) => `${r.method} ${r.path}`).sort());
    const [authorizerId, ...more] = Object.keys(resources('AWS::ApiGatewayV2::Authorizer'));
    expect(more).toEqual([]);
    for (const route of quality) {
      const r = routes.find((x) => x.RouteKey === `${route.method} ${route.path}`);
      if (route.auth === 'staff') expect(r).toMatchObject({ ApiId: { 'Fn::ImportValue': 'caseflow-dev-http-api-id' }, AuthorizationType: 'JWT', AuthorizerId: { Ref: authorizerId } });
      else expect({ route: route.path, auth: r?.AuthorizationType, authorizer: r?.AuthorizerId }).toEqual({ route: route.path, auth: 'NONE', authorizer: undefined });
    }
    expect(quality.filter((r) => r.auth === 'public').map((r) => `${r.method} ${r.path}`)).toEqual(['GET /survey/{token}', 'POST /survey/{token}']);
    const authorizer = resources('AWS::ApiGatewayV2::Authorizer')[authorizerId ?? '']?.Properties;
    expect(JSON.stringify(authorizer?.JwtConfiguration)).toContain('caseflow-dev-user-pool-client-id');
    expect(JSON.stringify(authorizer?.JwtConfiguration)).toContain('caseflow-dev-user-pool-id');
  });

  it('builds every route of the route table, and every path’s 405 fallback, in exactly one stack', () => {
    const deployed = [synthesized.statelessTemplate, synthesized.qualityTemplate].flatMap((t) => Object.values(t.findResources('AWS::ApiGatewayV2::Route') as Record<string, Resource>).map((r) => String(r.Properties.RouteKey)));
    for (const route of [...API_ROUTES, ...FALLBACK_ROUTES]) expect({ route: `${route.method} ${route.path}`, times: deployed.filter((k) => k === `${route.method} ${route.path}`).length }).toEqual({ route: `${route.method} ${route.path}`, times: 1 });
  });

  it('answers any other method on the quality loop’s own paths with the 405 function, which has no rights and one permission for the whole API', () => {
    const fn = synthesized.quality.functions.get('method-not-allowed');
    if (!fn) throw new Error('the quality stack has no method-not-allowed function');
    const id = synthesized.quality.getLogicalId(fn.fn.node.defaultChild as never);
    const permissions = Object.values(resources('AWS::Lambda::Permission')).filter((p) => JSON.stringify(p.Properties.FunctionName).includes(`"${id}"`));
    expect(permissions.map((p) => JSON.stringify(p.Properties.SourceArn))).toEqual([expect.stringContaining('/*/*/*')]);
    expect(grantsOf(statementsOfRole(synthesized.qualityTemplate, synthesized.quality, fn.role as never)).filter((g) => !/^(logs|xray):/.test(g))).toEqual([]);
  });

  it('lets API Gateway invoke each quality function from its own route’s path only', () => {
    const permissions = Object.values(resources('AWS::Lambda::Permission')).filter((p) => p.Properties.Principal === 'apigateway.amazonaws.com');
    for (const route of API_ROUTES.filter((r) => isQualityRoute(r.handler))) {
      const fn = synthesized.quality.functions.get(route.handler);
      const id = synthesized.quality.getLogicalId(fn?.fn.node.defaultChild as never);
      const of = permissions.filter((p) => JSON.stringify(p.Properties.FunctionName).includes(`"${id}"`));
      expect({ route: route.path, paths: of.map((p) => JSON.stringify(p.Properties.SourceArn)) }).toEqual({ route: route.path, paths: [expect.stringContaining(`/*/*${route.path}`)] });
    }
  });

  it('runs the quality reviews’ weekly top-up each Monday after midnight UTC, on its own function (M6.1)', () => {
    const fn = synthesized.quality.functions.get('quality-review-top-up');
    if (!fn) throw new Error('the quality stack has no quality-review-top-up function');
    const id = synthesized.quality.getLogicalId(fn.fn.node.defaultChild as never);
    const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes(`"${id}"`));
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toEqual(['cron(30 0 ? * MON *)']);
  });

  it('runs the training refresher reminders daily on their own function, which reads the staff directory and mails from caseflow’s address only (C5.3)', () => {
    const fn = synthesized.quality.functions.get('training-reminders');
    if (!fn) throw new Error('the quality stack has no training-reminders function');
    const id = synthesized.quality.getLogicalId(fn.fn.node.defaultChild as never);
    const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes(`"${id}"`));
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toEqual(['cron(0 6 * * ? *)']);
    const env = (resources('AWS::Lambda::Function')[id]?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TABLE_NAME', 'STAFF_USER_POOL_ID', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'SUPERVISOR_EMAIL']));
    expect(JSON.stringify(env.SES_CONFIGURATION_SET)).toContain('caseflow-dev-mail-configuration-set');
    const roleId = synthesized.quality.getLogicalId(fn.role.node.defaultChild as never);
    const statements = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> }).Statement);
    const mail = statements.filter((st) => JSON.stringify(st.Action).includes('ses:'));
    expect(mail.map((st) => st.Action)).toEqual(['ses:SendRawEmail']);
    expect(mail[0]?.Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'support@example.com' } });
    expect(JSON.stringify(mail[0]?.Resource)).toContain(':identity/support@example.com');
    expect(statements.some((st) => JSON.stringify(st.Action).includes('cognito-idp:ListUsersInGroup') && JSON.stringify(st.Resource).includes('caseflow-dev-user-pool-id'))).toBe(true);
    expect(statements.some((st) => JSON.stringify(st.Action).includes('dynamodb:Query'))).toBe(true);
  });

  it('runs the complaint follow-up reminders daily on their own function, which reads the follow-ups and the staff directory and mails from caseflow’s address only (M3.2)', () => {
    const fn = synthesized.quality.functions.get('follow-up-reminders');
    if (!fn) throw new Error('the quality stack has no follow-up-reminders function');
    const id = synthesized.quality.getLogicalId(fn.fn.node.defaultChild as never);
    const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes(`"${id}"`));
    expect(rules.map((r) => r.Properties.ScheduleExpression)).toEqual(['cron(15 6 * * ? *)']);
    const env = (resources('AWS::Lambda::Function')[id]?.Properties.Environment as { Variables: Record<string, unknown> } | undefined)?.Variables ?? {};
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['TABLE_NAME', 'STAFF_USER_POOL_ID', 'SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'SUPERVISOR_EMAIL']));
    const roleId = synthesized.quality.getLogicalId(fn.role.node.defaultChild as never);
    const statements = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Array<{ Action: string | string[]; Resource: unknown; Condition?: unknown }> }).Statement);
    const mail = statements.filter((st) => JSON.stringify(st.Action).includes('ses:'));
    expect(mail.map((st) => st.Condition)).toEqual([{ StringEquals: { 'ses:FromAddress': 'support@example.com' } }]);
    expect(statements.some((st) => JSON.stringify(st.Action).includes('dynamodb:Query'))).toBe(true);
    expect(statements.some((st) => JSON.stringify(st.Action).includes('dynamodb:UpdateItem'))).toBe(true);
  });

  const statesGrants = (handler: string) =>
    grantsOf(statementsOfRole(synthesized.qualityTemplate, synthesized.quality, synthesized.quality.functions.get(handler)?.role as never))
      .filter((g) => g.startsWith('states:'))
      .map((g) => g.replace(/<AWS::(Partition|Region|AccountId)>/g, (_m, part: string) => part.toLowerCase()))
      .sort();

  it('runs SLA policy migrations as a STANDARD workflow from state-machines/sla-migration.asl.json, traced, every event logged without execution data, invoking only its step function (M8.3)', () => {
    const machines = resources('AWS::StepFunctions::StateMachine');
    const [id, ...others] = Object.keys(machines);
    expect(others).toEqual([]);
    const machine = machines[id ?? '']?.Properties ?? {};
    expect(machine).toMatchObject({ StateMachineType: 'STANDARD', StateMachineName: 'caseflow-dev-sla-migration', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false } });
    // Deployed from the file the local runner runs, with the step function's ARN substituted.
    const step = synthesized.quality.functions.get('sla-migration-step');
    expect(JSON.stringify(machine.DefinitionSubstitutions)).toContain(synthesized.quality.getLogicalId(step?.fn.node.defaultChild as never));
    expect(Object.keys(machine.DefinitionSubstitutions as object)).toEqual([...SLA_MIGRATION_DEFINITION_SUBSTITUTIONS]);
    const definition = JSON.parse(readFileSync(SLA_MIGRATION_DEFINITION_FILE, 'utf8')) as { States: Record<string, { Type: string; Retry?: unknown[]; Catch?: unknown[] }> };
    expect(Object.entries(definition.States).map(([name, st]) => [name, st.Type])).toEqual([
      ['MigratePage', 'Task'],
      ['MorePages', 'Choice'],
      ['Done', 'Succeed'],
      ['RecordFailure', 'Task'],
      ['MigrationFailed', 'Fail'],
    ]);
    expect(definition.States.MigratePage?.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' }]);
    const roleOf = (machine.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0];
    const invokes = Object.values(resources('AWS::IAM::Policy'))
      .filter((p) => JSON.stringify(p.Properties.Roles).includes(`"${roleOf}"`))
      .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => JSON.stringify(st.Action).includes('lambda:'));
    expect(invokes.map((st) => [st.Action, st.Resource])).toEqual([['lambda:InvokeFunction', { 'Fn::GetAtt': [synthesized.quality.getLogicalId(step?.fn.node.defaultChild as never), 'Arn'] }]]);
  });

  it('lets the migration route only start and describe runs of the migration workflow, and its step alone replace SLA executions; publishing touches no workflow (M8.3)', () => {
    const fn = synthesized.quality.functions.get('migrate-sla-policy');
    const env = resources('AWS::Lambda::Function')[synthesized.quality.getLogicalId(fn?.fn.node.defaultChild as never)]?.Properties.Environment as { Variables: Record<string, unknown> } | undefined;
    expect(Object.keys(env?.Variables ?? {})).toContain('SLA_MIGRATION_STATE_MACHINE_ARN');
    expect(Object.keys(env?.Variables ?? {})).not.toContain('SLA_STATE_MACHINE_ARN');
    const machineId = Object.keys(resources('AWS::StepFunctions::StateMachine'))[0] ?? '';
    expect(statesGrants('migrate-sla-policy')).toEqual([
      'states:DescribeExecution arn:partition:states:region:accountid:execution:caseflow-dev-sla-migration:*',
      `states:StartExecution <${machineId}>`,
    ]);
    expect(statesGrants('sla-migration-step')).toEqual([
      'states:DescribeExecution arn:partition:states:region:accountid:execution:caseflow-dev-case-sla:*',
      'states:StartExecution arn:partition:states:region:accountid:stateMachine:caseflow-dev-case-sla',
      'states:StopExecution arn:partition:states:region:accountid:execution:caseflow-dev-case-sla:*',
    ]);
    expect(statesGrants('get-sla-migration')).toEqual([]);
    expect(statesGrants('publish-sla-policy')).toEqual([]);
  });
});
