import type { Template } from 'aws-cdk-lib/assertions';
import type { Case } from '../../functions/core/case';
import type { CaseEvent } from '../../functions/core/case-event';
import { metricsOfCaseChange, metricsOfEvent, type ProtocolMetric } from '../../functions/core/protocol-metrics';
import { POWERTOOLS_SERVICE_NAME } from '../../infra/constructs/caseflow-function';
import { BREACH_RATE_WINDOW } from '../../infra/constructs/protocol-monitoring';
import { DEFAULT_SLA_BREACH_RATE_THRESHOLD } from '../../infra/context';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { asList, grantsOf, statementsOfRole } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/**
 * The protocol's figures in CloudWatch (M6.2, C6.2; docs/metrics.md, docs/deploy.md): the
 * protocol-metrics stream consumer (workers stack), the dashboard that shows what it emits, and the
 * alarm on the SLA breach rate.
 */
let template: Template;
let stack: CaseflowWorkersStack;

beforeAll(() => {
  ({ workersTemplate: template, workers: stack } = synthesizeCaseflow());
});

type Resource = { Properties: Record<string, unknown> };
const resources = (t: Template, type: string) => t.findResources(type) as Record<string, Resource>;
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const fn = () => stack.protocolMonitoring.function;
const mappings = () => Object.values(resources(template, 'AWS::Lambda::EventSourceMapping')).filter((m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: idOf(fn().fn) }));
const variables = () => (resources(template, 'AWS::Lambda::Function')[idOf(fn().fn)]?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
type AlarmMetric = { Id: string; Expression?: string; ReturnData?: boolean; MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: Array<{ Name: string; Value: string }> }; Period: number; Stat: string } };
const breachRateAlarm = (t: Template, s: CaseflowWorkersStack) => resources(t, 'AWS::CloudWatch::Alarm')[s.getLogicalId(s.protocolMonitoring.breachRateAlarm.node.defaultChild as never)]?.Properties ?? {};

/**
 * The dimension names each metric is emitted with, as the domain makes them (core/protocol-metrics.ts),
 * beside the `service` Powertools adds to every set, and `service` alone (the roll-up the handler
 * adds: test/unit/handlers/protocol-metrics.test.ts).
 */
function emittedDimensionSets(): Map<ProtocolMetric['name'], string[][]> {
  const received = '2026-03-02T09:00:00.000Z';
  const later = '2026-03-02T10:00:00.000Z';
  const opened = { channel: 'web', type: 'inquiry', receivedAt: received } as Case;
  const worked = { ...opened, acknowledgedAt: later, firstRespondedAt: later, resolvedAt: later } as Case;
  const figures = [
    ...metricsOfCaseChange(undefined, opened),
    ...metricsOfCaseChange(opened, worked),
    ...metricsOfEvent({ type: 'sla_breached', data: { milestone: 'acknowledgement' } } as CaseEvent),
    ...metricsOfEvent({ type: 'escalated', data: { trigger: 'manual' } } as CaseEvent),
  ];
  return new Map(figures.map((m) => [m.name, [['service', ...Object.keys(m.dimensions)].sort(), ['service']]]));
}

describe('the protocol-metrics consumer', () => {
  it('consumes the case items inserted or changed and the timeline events inserted, from the trim horizon, ten at a time', () => {
    expect(mappings()).toHaveLength(1);
    expect(mappings()[0]?.Properties).toMatchObject({ EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) }, StartingPosition: 'TRIM_HORIZON', BatchSize: 10 });
    const filters = (mappings()[0]?.Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(filters.map((f) => JSON.parse(f.Pattern) as unknown)).toEqual([
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { entity: { S: ['case'] } } } },
      { eventName: ['INSERT'], dynamodb: { NewImage: { entity: { S: ['event'] } } } },
    ]);
  });

  it('reports partial batch failures, bisects and retries ten times, then sends the failure to its own encrypted queue that alarms', () => {
    const dlqId = idOf(stack.protocolMonitoring.dlq);
    expect(mappings()[0]?.Properties).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    expect(resources(template, 'AWS::SQS::Queue')[dlqId]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }], Threshold: 1 });
  });

  it('reads the stream and nothing of the table, and gets no variable of its own', () => {
    const grants = grantsOf(statementsOfRole(template, stack, fn().role)).filter((g) => g.startsWith('dynamodb:'));
    expect(grants.filter((g) => !/^dynamodb:(DescribeStream|GetRecords|GetShardIterator|ListStreams) /.test(g))).toEqual([]);
    expect(grants).toContainEqual(expect.stringMatching(/^dynamodb:GetRecords .*StreamArn/));
    const actions = statementsOfRole(template, stack, fn().role).flatMap((s) => asList(s.Action));
    expect(actions.filter((a) => /^(s3|ses|states|sqs:(Receive|Delete))/.test(a))).toEqual([]);
    expect(Object.keys(variables()).sort()).toEqual(['NODE_OPTIONS', 'POWERTOOLS_METRICS_NAMESPACE', 'POWERTOOLS_SERVICE_NAME']);
  });
});

describe('the protocol dashboard', () => {
  /** Every metric the dashboard's widgets name: [namespace, name, ...dimension name and value pairs, options]. */
  const dashboardMetrics = () => {
    const [dashboard] = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    // The body is a Fn::Join around the region: its literal parts joined, the region written `<region>`.
    const joined = (JSON.parse(body) as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1].map((p) => (typeof p === 'string' ? p : '<region>')).join('');
    const widgets = (JSON.parse(joined) as { widgets: Array<{ properties: { title: string; metrics?: unknown[][]; annotations?: { alarms: unknown[] } } }> }).widgets;
    return widgets.flatMap((w) => (w.properties.metrics ?? []).map((m) => ({ title: w.properties.title, metric: m })));
  };

  it('is named after the stage and shows cases opened by channel and type, the three response times at p50 and p90, breaches by milestone, escalations by trigger, and the breach-rate alarm', () => {
    const [dashboard] = Object.values(resources(template, 'AWS::CloudWatch::Dashboard'));
    expect(dashboard?.Properties.DashboardName).toBe('caseflow-dev-protocol');
    const names = (title: RegExp) => dashboardMetrics().filter((m) => title.test(m.title)).map((m) => `${String(m.metric[1])} ${m.metric.slice(2).filter((v) => typeof v === 'string').join(' ')} ${JSON.stringify((m.metric.at(-1) as { stat?: string }).stat)}`);
    expect(names(/^Cases opened/)).toHaveLength(8);
    expect(names(/^Cases opened/)).toContain('CasesOpened Channel email Type complaint service caseflow "Sum"');
    for (const [title, metric] of [[/^Acknowledgement/, 'AcknowledgementTime'], [/^First response/, 'FirstResponseTime'], [/^Time to resolution/, 'TimeToResolution']] as const) {
      expect(names(title)).toEqual([`${metric} service caseflow "p50"`, `${metric} service caseflow "p90"`]);
    }
    expect(names(/^SLA breaches by milestone/)).toEqual(['acknowledgement', 'initial_response', 'escalation'].map((m) => `SlaBreaches Milestone ${m} service caseflow "Sum"`));
    expect(names(/^Escalations/)).toEqual(['automatic', 'manual'].map((t) => `Escalations Trigger ${t} service caseflow "Sum"`));
    expect(JSON.stringify(dashboard?.Properties.DashboardBody)).toContain(idOf(stack.protocolMonitoring.breachRateAlarm));
  });

  it('names each metric under the namespace protocol-metrics emits to and with exactly a dimension set it emits (service included), so no graph is empty', () => {
    const sets = emittedDimensionSets();
    const namespace = variables().POWERTOOLS_METRICS_NAMESPACE;
    expect(namespace).toBe('caseflow/dev');
    expect(variables().POWERTOOLS_SERVICE_NAME).toBe(POWERTOOLS_SERVICE_NAME);
    for (const { metric } of dashboardMetrics()) {
      const [ns, name, ...rest] = metric as [string, ProtocolMetric['name'], ...unknown[]];
      const pairs = rest.filter((v): v is string => typeof v === 'string');
      const dimensions = pairs.filter((_v, i) => i % 2 === 0).sort();
      expect({ name, namespace: ns, service: pairs[pairs.indexOf('service') + 1] }).toEqual({ name, namespace, service: POWERTOOLS_SERVICE_NAME });
      expect({ name, emitted: (sets.get(name) ?? []).some((set) => JSON.stringify(set) === JSON.stringify(dimensions)) }).toEqual({ name, emitted: true });
    }
  });
});

describe('the SLA breach-rate alarm', () => {
  it('divides the SLA breaches of the last day, all milestones, by the cases opened in it, both the roll-ups protocol-metrics emits', () => {
    const alarm = breachRateAlarm(template, stack);
    const metrics = alarm.Metrics as AlarmMetric[];
    const expression = metrics.find((m) => m.ReturnData !== false);
    expect(expression?.Expression).toBe('FILL(breaches, 0) / opened');
    const stats = Object.fromEntries(metrics.filter((m) => m.MetricStat).map((m) => [m.Id, m.MetricStat]));
    for (const [id, name] of [['breaches', 'SlaBreaches'], ['opened', 'CasesOpened']] as const) {
      expect(stats[id]).toEqual({
        Metric: { Namespace: variables().POWERTOOLS_METRICS_NAMESPACE, MetricName: name, Dimensions: [{ Name: 'service', Value: POWERTOOLS_SERVICE_NAME }] },
        Period: BREACH_RATE_WINDOW.toSeconds(),
        Stat: 'Sum',
      });
      expect(emittedDimensionSets().get(name)).toContainEqual(['service']);
    }
    expect(BREACH_RATE_WINDOW.toHours()).toBe(24);
  });

  it(`fires above ${DEFAULT_SLA_BREACH_RATE_THRESHOLD * 100}% by default, and treats a day without cases as not breaching`, () => {
    expect(breachRateAlarm(template, stack)).toMatchObject({
      Threshold: DEFAULT_SLA_BREACH_RATE_THRESHOLD,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(DEFAULT_SLA_BREACH_RATE_THRESHOLD).toBe(0.1);
    expect(String(breachRateAlarm(template, stack).AlarmDescription)).toMatch(/^More than 10% SLA breaches per case opened/);
  });

  it('takes its threshold from caseflow:slaBreachRateThreshold', () => {
    const s = synthesizeCaseflow({ 'caseflow:slaBreachRateThreshold': '0.05' });
    expect(breachRateAlarm(s.workersTemplate, s.workers)).toMatchObject({ Threshold: 0.05 });
    expect(String(breachRateAlarm(s.workersTemplate, s.workers).AlarmDescription)).toMatch(/^More than 5% SLA breaches/);
  });

  it('names the dashboard and the alarm in the stack outputs', () => {
    template.hasOutput('ProtocolDashboardName', { Value: { Ref: idOf(stack.protocolMonitoring.dashboard) } });
    template.hasOutput('SlaBreachRateAlarmName', { Value: { Ref: idOf(stack.protocolMonitoring.breachRateAlarm) } });
  });
});
