import type { Template } from 'aws-cdk-lib/assertions';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { asList, statementsOfRole } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/** The retention stamper is the workers stack's. */
let template: Template;
let stack: CaseflowWorkersStack;

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  template = synthesized.workersTemplate;
  stack = synthesized.workers;
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const stamper = () => stack.retentionStamping.stamper;
const mappings = () => Object.values(resources('AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: idOf(stamper().fn) }));

describe('retention stamping (M7.2, C4.3: every item of a closed case expires with it)', () => {
  it('runs the stamper on case MODIFYs from the table stream only', () => {
    expect(mappings()).toHaveLength(1);
    expect(mappings()[0]?.Properties).toMatchObject({ EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) }, StartingPosition: 'TRIM_HORIZON' });
    const filters = (mappings()[0]?.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([{ eventName: ['MODIFY'], dynamodb: { NewImage: { entity: { S: ['case'] } } } }]);
  });

  it('reports partial batch failures, bisects and retries, then sends the failure to its own encrypted queue that alarms', () => {
    const dlqId = idOf(stack.retentionStamping.stampDlq);
    expect(mappings()[0]?.Properties).toMatchObject({
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

  it('may Query the table and UpdateItem its items, and never delete or scan them (expiry is TTL\'s job)', () => {
    const actions = statementsOfRole(template, stack, stamper().role).flatMap((s) => asList(s.Action));
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:Query', 'dynamodb:UpdateItem']));
    expect(actions.filter((a) => /dynamodb:(DeleteItem|Scan|BatchWriteItem|\*)/.test(String(a)))).toEqual([]);
  });

  it('tells the stamper which table to stamp', () => {
    const variables = (resources('AWS::Lambda::Function')[idOf(stamper().fn)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables.TABLE_NAME).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Table/) });
  });
});
