import { Match, type Template } from 'aws-cdk-lib/assertions';
import { API_ROUTES, FALLBACK_ROUTES } from '../../functions/handlers/routes';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { statementsOfRole, type Statement } from './support/iam';
import { cdkJsonContext, synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * The workers stack: everything that does not answer an HTTP request (stream consumers, the SLA
 * workflow, mail in and out, the daily jobs), beside the API's stack so that stack keeps room
 * under CloudFormation's 500 resources. Its concerns have their own test files (sla-workflow,
 * email-to-case, audit-anchoring, case-archiving, retention-*, expiry-verification); here: what it
 * holds, where it stands in the deploy order, and outbound mail.
 */
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
const statementsOf = (handler: string): Statement[] => {
  const fn = stack.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return statementsOfRole(template, stack, fn.role);
};
const context = cdkJsonContext();
/** Every Fn::ImportValue of a template, by export name. */
const importsOf = (t: Template): string[] => [...JSON.stringify(t.toJSON()).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1] ?? '');

describe('the workers stack', () => {
  it('holds the outbox consumer, the SLA functions, email-ingest, audit-anchor, case-archiver, the retention stamper and reconciler, the expiry verifier and its redrive, protocol-metrics, and no route function', () => {
    expect([...stack.functions.keys()].sort()).toEqual(
      ['audit-anchor', 'case-archiver', 'corrective-action-step', 'email-ingest', 'expiry-redrive', 'expiry-verifier', 'non-compliance-starter', 'outbox-stream', 'protocol-metrics', 'retention-reconciler', 'retention-stamper', 'sla-reconciler', 'sla-starter', 'sla-step'].sort(),
    );
    const routeHandlers = new Set([...API_ROUTES, ...FALLBACK_ROUTES].map((r) => r.handler));
    expect([...stack.functions.keys()].filter((h) => routeHandlers.has(h))).toEqual([]);
    expect(Object.keys(resources('AWS::ApiGatewayV2::Route'))).toEqual([]);
    expect(Object.keys(synthesized.statelessTemplate.findResources('AWS::Lambda::EventSourceMapping'))).toEqual([]);
  });

  it('deploys after the stateful stack and before the stateless stack, and imports nothing of the stateless stack, nor the stateless stack anything of it but by stage-named exports', () => {
    expect(stack.dependencies.map((s) => s.stackName)).toEqual(['dev-caseflow-stateful']);
    expect(synthesized.stateless.dependencies.map((s) => s.stackName).sort()).toEqual(['dev-caseflow-exports', 'dev-caseflow-stateful', 'dev-caseflow-workers']);
    // CDK's own cross-stack exports are named after the exporting stack: only the stateful stack's may be imported here.
    expect(importsOf(template).filter((name) => name.startsWith('dev-caseflow-') && !name.startsWith('dev-caseflow-stateful:'))).toEqual([]);
    expect(importsOf(synthesized.statelessTemplate).filter((name) => name.startsWith('dev-caseflow-workers'))).toEqual([]);
  });
});

describe('outbox delivery', () => {
  const outboxMapping = () => {
    const outboxFnId = stack.getLogicalId(stack.functions.get('outbox-stream')?.fn.node.defaultChild as never);
    const mappings = Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: outboxFnId }));
    expect(mappings).toHaveLength(1);
    return mappings[0];
  };

  it('consumes only new outbox items from the table stream (M3.1 acknowledgement)', () => {
    const mapping = outboxMapping();
    expect(mapping?.Properties).toMatchObject({
      EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) },
      StartingPosition: 'TRIM_HORIZON',
    });
    const [filter] = (mapping?.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(JSON.parse(filter?.Pattern ?? '{}')).toEqual({ eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['outbox'] } } } });
  });

  it('reports partial batch failures, bisects and retries, then sends the failure to the DLQ', () => {
    const dlqId = stack.getLogicalId(stack.deliveryDlq.node.defaultChild as never);
    expect(outboxMapping()?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    const outbox = statementsOf('outbox-stream');
    expect(outbox).toEqual(expect.arrayContaining([expect.objectContaining({ Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [dlqId, 'Arn'] } })]));
  });

  it('encrypts the DLQ with the customer-managed key, refuses plain HTTP and alarms on its first message', () => {
    const dlqId = stack.getLogicalId(stack.deliveryDlq.node.defaultChild as never);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: { 'Fn::ImportValue': Match.stringLikeRegexp('DataKey') } });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: dlqId }],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('sends mail from the context sender identity with the configuration set', () => {
    template.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: context['caseflow:senderEmail'],
      ConfigurationSetAttributes: { ConfigurationSetName: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') } },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('outbox-stream'),
      Environment: {
        Variables: Match.objectLike({
          SENDER_EMAIL: context['caseflow:senderEmail'],
          SES_CONFIGURATION_SET: { Ref: Match.stringLikeRegexp('^MailConfigurationSet') },
        }),
      },
    });
  });
});

