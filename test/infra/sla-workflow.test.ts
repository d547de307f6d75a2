import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { SLA_DEFINITION_FILE, SLA_DEFINITION_SUBSTITUTIONS } from '../../infra/constructs/sla-workflow';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { deployedFunctions, functionResource, statementsOfFunction } from './support/functions';
import { asList, statementsOfRole, type Statement } from './support/iam';
import { cdkJsonContext, synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/** The SLA workflow and its functions are the workers stack's. */
let synthesized: SynthesizedApp;
let template: Template;
let stack: CaseflowWorkersStack;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
  template = synthesized.workersTemplate;
  stack = synthesized.workers;
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const fnOf = (handler: string) => {
  const fn = stack.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return fn;
};
const stateMachine = (): Resource => {
  // The workers stack's state machines: the SLA workflow's and the corrective-action workflow's (corrective-action.test.ts).
  const found = resources('AWS::StepFunctions::StateMachine');
  expect(Object.keys(found).sort()).toEqual([idOf(stack.slaWorkflow.stateMachine), idOf(stack.correctiveActions.workflow.stateMachine)].sort());
  return found[idOf(stack.slaWorkflow.stateMachine)] as Resource;
};
const environmentOf = (handler: string) =>
  ((resources('AWS::Lambda::Function')[idOf(fnOf(handler).fn)]?.Properties.Environment ?? {}) as { Variables: Record<string, unknown> }).Variables;
const context = cdkJsonContext();

describe('the SLA state machine', () => {
  it('is a STANDARD workflow with X-Ray tracing, so waits of days are possible and traced (M3.1, M3.2 / C3.3, M3.3)', () => {
    expect(stateMachine().Properties).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: 'caseflow-dev-case-sla',
      TracingConfiguration: { Enabled: true },
    });
  });

  it('logs every execution event to its own log group kept a year, without execution data (M5.1 / C6.1)', () => {
    const logGroupId = idOf(stack.slaWorkflow.logGroup);
    expect(stateMachine().Properties.LoggingConfiguration).toEqual({
      Level: 'ALL',
      IncludeExecutionData: false,
      Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }],
    });
    expect(resources('AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({
      LogGroupName: '/aws/vendedlogs/states/caseflow-dev-case-sla',
      RetentionInDays: 365,
    });
  });

  it('deploys state-machines/case-sla.asl.json byte for byte: the one definition, no inline copy', () => {
    const properties = stateMachine().Properties;
    expect(properties.Definition).toBeUndefined();
    expect(properties.DefinitionString).toBeUndefined();
    const { Key: key } = properties.DefinitionS3Location as { Key: string };

    // The template names an S3 object; the stack's asset manifest says which file in cdk.out becomes it.
    const assembly = synthesized.app.synth();
    type FileAsset = { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> };
    const manifest = JSON.parse(readFileSync(path.join(assembly.directory, `${stack.artifactId}.assets.json`), 'utf8')) as { files: Record<string, FileAsset> };
    const assets = Object.values(manifest.files).filter((a) => Object.values(a.destinations).some((d) => d.objectKey === key));
    expect(assets).toHaveLength(1);
    expect(assets[0]?.source.packaging ?? 'file').toBe('file');

    const deployed = readFileSync(path.join(assembly.directory, assets[0]?.source.path ?? ''));
    const source = readFileSync(path.resolve(__dirname, '..', '..', 'state-machines', 'case-sla.asl.json'));
    expect(SLA_DEFINITION_FILE).toBe(path.resolve(__dirname, '..', '..', 'state-machines', 'case-sla.asl.json'));
    expect(deployed.equals(source)).toBe(true);
  });

  it("fills the file's only placeholder, SlaStepFunctionArn, with the sla-step function's ARN", () => {
    const placeholders = [...readFileSync(SLA_DEFINITION_FILE, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
    expect([...new Set(placeholders)]).toEqual([...SLA_DEFINITION_SUBSTITUTIONS]);
    expect(stateMachine().Properties.DefinitionSubstitutions).toEqual({
      SlaStepFunctionArn: { 'Fn::GetAtt': [idOf(fnOf('sla-step').fn), 'Arn'] },
    });
  });

  it('may invoke the sla-step function and no other function, version or alias (M2.2 least privilege)', () => {
    const statements = statementsOfRole(template, stack, stack.slaWorkflow.stateMachine.role);
    const lambdaStatements = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));
    expect(lambdaStatements).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idOf(fnOf('sla-step').fn), 'Arn'] } },
    ]);
    // Everything else: X-Ray and Step Functions log delivery, which take no resource-level permissions.
    const others = statements.filter((s) => !lambdaStatements.includes(s));
    expect(others.every((s) => s.Resource === '*' && s.Effect === 'Allow')).toBe(true);
    expect(others.flatMap((s) => asList(s.Action)).filter((a) => !/^(xray|logs):/.test(a))).toEqual([]);
    expect(others.flatMap((s) => asList(s.Action))).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'logs:CreateLogDelivery']));
  });

  it('alarms on the first failed, timed-out or aborted execution within 5 minutes', () => {
    const dimensions = [{ Name: 'StateMachineArn', Value: { Ref: idOf(stack.slaWorkflow.stateMachine) } }];
    for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut', 'ExecutionsAborted']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/States',
        MetricName: metric,
        Dimensions: dimensions,
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
  });
});

describe('sla-step', () => {
  it('gets the table and the SLA contacts of the context, and no state machine ARN (no dependency cycle)', () => {
    expect(environmentOf('sla-step')).toMatchObject({
      TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) },
      TEAM_INBOX_EMAIL: context['caseflow:teamInboxEmail'],
      SUPERVISOR_EMAIL: context['caseflow:supervisorEmail'],
      MANAGER_EMAIL: context['caseflow:managerEmail'],
    });
    const stateMachineId = idOf(stack.slaWorkflow.stateMachine);
    const slaStep = [fnOf('sla-step').fn, fnOf('sla-step').role].map((c) => JSON.stringify(template.toJSON().Resources[idOf(c)]));
    for (const resource of slaStep) expect(resource).not.toContain(stateMachineId);
    expect(JSON.stringify(statementsOfRole(template, stack, fnOf('sla-step').role))).not.toContain(stateMachineId);
  });
});

describe('starting and restarting SLA workflows', () => {
  const mappingOf = (handler: string) =>
    Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: idOf(fnOf(handler).fn) }));

  it('starts a workflow for every new case from the table stream, whatever its channel, and for changed cases whose timers may have changed (M3.1, M7.2)', () => {
    const mappings = mappingOf('sla-starter');
    expect(mappings).toHaveLength(1);
    expect(mappings[0]?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) },
      StartingPosition: 'TRIM_HORIZON',
    });
    const filters = (mappings[0]?.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([{ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['case'] } } } }]);
  });

  it('reports partial batch failures, bisects and retries the starter, then sends the failure to its own DLQ that alarms', () => {
    const dlqId = idOf(stack.slaStartDlq);
    expect(mappingOf('sla-starter')[0]?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(resources('AWS::SQS::Queue')[dlqId]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('runs the reconciler every 15 minutes, so a lost or never-started workflow is back within 15 minutes', () => {
    const reconciler = JSON.stringify({ 'Fn::GetAtt': [idOf(fnOf('sla-reconciler').fn), 'Arn'] });
    const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => r.Properties.ScheduleExpression !== undefined && JSON.stringify(r.Properties.Targets).includes(reconciler));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': [idOf(fnOf('sla-reconciler').fn), 'Arn'] } })],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [idOf(fnOf('sla-reconciler').fn), 'Arn'] },
      SourceArn: { 'Fn::GetAtt': [idOf(stack.slaReconcileRule), 'Arn'] },
    });
  });

  it('gives the starter and the reconciler this state machine ARN, and the reconciler the table', () => {
    const arn = { Ref: idOf(stack.slaWorkflow.stateMachine) };
    expect(environmentOf('sla-starter')).toMatchObject({ SLA_STATE_MACHINE_ARN: arn });
    expect(environmentOf('sla-reconciler')).toMatchObject({ SLA_STATE_MACHINE_ARN: arn, TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) } });
  });

  it.each(['sla-starter', 'sla-reconciler'])('lets %s start only this state machine and describe only its executions (M2.2)', (handler) => {
    const states = statementsOfRole(template, stack, fnOf(handler).role).filter((s: Statement) => asList(s.Action).some((a) => a.startsWith('states:')));
    expect(states).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: idOf(stack.slaWorkflow.stateMachine) } },
      {
        Effect: 'Allow',
        Action: 'states:DescribeExecution',
        Resource: {
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':states:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':execution:caseflow-dev-case-sla:*']],
        },
      },
    ]);
  });

  it('lets no other function of any stack touch the SLA state machine but the SLA policy migration’s step (its grants: test/infra/quality-stack.test.ts), and none but create-export (the export workflow’s, test/infra/compliance-exports.test.ts), non-compliance-starter (the corrective-action workflow’s) and migrate-sla-policy (the migration workflow’s) touch Step Functions', () => {
    const sla = JSON.stringify(stack.resolve(stack.slaWorkflow.stateMachine.stateMachineArn));
    for (const [handler, deployed] of deployedFunctions(synthesized)) {
      if (handler === 'sla-starter' || handler === 'sla-reconciler' || handler === 'sla-migration-step') continue;
      const statements = statementsOfFunction(deployed);
      expect({ handler, sla: statements.filter((s) => JSON.stringify(s.Resource).includes(sla) || JSON.stringify(s.Resource).includes(':execution:caseflow-dev-case-sla:')) }).toEqual({ handler, sla: [] });
      if (handler === 'create-export' || handler === 'non-compliance-starter' || handler === 'migrate-sla-policy') continue;
      const actions = statements.flatMap((s) => asList(s.Action));
      expect({ handler, states: actions.filter((a) => a.startsWith('states:')) }).toEqual({ handler, states: [] });
    }
  });
});

describe('automatic acknowledgement (M3.1)', () => {
  it('passes caseflow:autoAcknowledgement to create-case and email-ingest as AUTO_ACKNOWLEDGEMENT, and to no other function', () => {
    const variables = [...deployedFunctions(synthesized)].map(([handler, fn]) => [handler, (functionResource(fn).Properties.Environment as { Variables: Record<string, unknown> }).Variables] as const);
    expect(variables.filter(([, v]) => v.AUTO_ACKNOWLEDGEMENT !== undefined)).toEqual([
      ['create-case', expect.objectContaining({ AUTO_ACKNOWLEDGEMENT: 'true' })],
      ['email-ingest', expect.objectContaining({ AUTO_ACKNOWLEDGEMENT: 'true' })],
    ]);
  });

  it('turns it off when the context says false', () => {
    const off = deployedFunctions(synthesizeCaseflow({ 'caseflow:autoAcknowledgement': false }));
    for (const handler of ['create-case', 'email-ingest']) {
      const variables = (functionResource(off.get(handler)!).Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect({ handler, auto: variables.AUTO_ACKNOWLEDGEMENT }).toEqual({ handler, auto: 'false' });
    }
  });
});
