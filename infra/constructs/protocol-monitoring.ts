import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { CaseTypeSchema, ChannelSchema } from '../../functions/core/case';
import { EscalationRecordSchema } from '../../functions/core/escalation';
import type { ProtocolMetric } from '../../functions/core/protocol-metrics';
import { MilestoneSchema } from '../../functions/core/sla-policy';
import { alarmedDlq } from './alarmed-dlq';
import { POWERTOOLS_SERVICE_NAME, type CaseflowFunction } from './caseflow-function';
import type { CaseflowFunctions } from './caseflow-functions';
import { EncryptedQueueDlq } from './encrypted-queue-dlq';
import { LIST_STREAMS_JUSTIFICATION } from './stream-inserts';

/** The breach rate's window: SLA breaches recorded in the last day over the cases opened in it. */
export const BREACH_RATE_WINDOW = Duration.days(1);

/** How the dashboard's graphs aggregate. */
const GRAPH_PERIOD = Duration.hours(1);

type MetricName = ProtocolMetric['name'];

export interface ProtocolMonitoringProps {
  /** Names the dashboard. */
  stage: string;
  /** Makes the protocol-metrics function; its namespace is the metrics'. */
  functions: CaseflowFunctions;
  /** The table whose stream carries the case changes and timeline events. */
  table: dynamodb.ITable;
  /** Encrypts the on-failure queue. */
  dataKey: kms.IKey;
  /** The breach-rate alarm's threshold, a fraction of the cases opened (caseflow:slaBreachRateThreshold). */
  breachRateThreshold: number;
}

/**
 * The protocol's figures in CloudWatch (M6.2, C6.2; docs/metrics.md): protocol-metrics, fed by the
 * table stream, emits them through Powertools Metrics (embedded metric format) under the
 * functions' namespace, each with the dimensions the handler sets and Powertools' `service`, and
 * once more with `service` alone (the roll-up: CloudWatch adds no dimensions up). The dashboard
 * reads the breakdowns by explicit dimension sets, made from the domain's own enums (channels, case
 * types, milestones, escalation triggers), and the roll-up for the totals and percentiles; the
 * alarm divides the roll-ups, since an alarm's metric math may name ten metrics at most and no
 * SEARCH.
 */
export class ProtocolMonitoring extends Construct {
  public readonly function: CaseflowFunction;
  /** On-failure destination of the protocol-metrics stream mapping. */
  public readonly dlq: sqs.Queue;
  public readonly dashboard: cloudwatch.Dashboard;
  /** SLA breaches recorded over cases opened in the last day, above the threshold. */
  public readonly breachRateAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ProtocolMonitoringProps) {
    super(scope, id);

    this.dlq = alarmedDlq(this, 'ProtocolMetricsDlq', {
      consumer: 'protocol-metrics',
      key: props.dataKey,
      alarmId: 'ProtocolMetricsFailedAlarm',
      alarmDescription:
        'A batch of case changes exhausted its retries without its protocol metrics emitted: the dashboard and the breach-rate alarm undercount them. The queue holds where they were in the stream; the cases themselves are untouched (GET /v1/metrics has the exact figures).',
    });
    this.function = props.functions.create('stream', 'protocol-metrics', {
      description: 'caseflow protocol-metrics: emits the protocol figures as CloudWatch metrics from the table stream',
      environment: {},
      timeout: Duration.seconds(30),
      wildcardResourceJustification: LIST_STREAMS_JUSTIFICATION,
    });
    // What the handler counts and nothing else: case items inserted or changed, timeline events
    // inserted (events are appended; an erasure's rewrite of one counts nothing). In order per
    // shard, partial batch responses, bisect on error, ten retries, then the on-failure queue.
    this.function.fn.addEventSource(
      new DynamoEventSource(props.table, {
        startingPosition: lambda.StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        bisectBatchOnError: true,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        filters: [
          lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.or('INSERT', 'MODIFY'), dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('case') } } } }),
          lambda.FilterCriteria.filter({ eventName: lambda.FilterRule.isEqual('INSERT'), dynamodb: { NewImage: { entity: { S: lambda.FilterRule.isEqual('event') } } } }),
        ],
        onFailure: new EncryptedQueueDlq(this.dlq, props.dataKey),
      }),
    );

    const namespace = props.functions.metricsNamespace;
    const metric = (metricName: MetricName, dimensions: Record<string, string>, statistic: string, period = GRAPH_PERIOD, label?: string) =>
      new cloudwatch.Metric({ namespace, metricName, dimensionsMap: { service: POWERTOOLS_SERVICE_NAME, ...dimensions }, statistic, period, ...(label ? { label } : {}) });
    /** The roll-up: the metric with the service dimension alone. */
    const total = (metricName: MetricName, statistic: string, period = GRAPH_PERIOD, label?: string) => metric(metricName, {}, statistic, period, label);

    const breaches = total('SlaBreaches', cloudwatch.Stats.SUM, BREACH_RATE_WINDOW);
    const opened = total('CasesOpened', cloudwatch.Stats.SUM, BREACH_RATE_WINDOW);
    const breachRate = new cloudwatch.MathExpression({
      // No breach in the window is a rate of 0; no case opened in it is no rate at all (missing data).
      expression: 'FILL(breaches, 0) / opened',
      usingMetrics: { breaches, opened },
      period: BREACH_RATE_WINDOW,
      label: 'SLA breaches per case opened, last 24 hours',
    });
    this.breachRateAlarm = new cloudwatch.Alarm(this, 'SlaBreachRateAlarm', {
      alarmDescription: `More than ${formatPercent(props.breachRateThreshold)} SLA breaches per case opened in the last 24 hours (M3.1, M3.2 / C3.3, M3.3): milestones are being missed more than the service level allows. The dashboard shows which milestone; GET /v1/metrics the cases. On a quiet stage one breach can be enough.`,
      metric: breachRate,
      threshold: props.breachRateThreshold,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    const byCase = ChannelSchema.options.flatMap((channel) => CaseTypeSchema.options.map((type) => ({ Channel: channel, Type: type })));
    const durations = (metricName: MetricName, title: string) =>
      new cloudwatch.GraphWidget({
        title,
        width: 8,
        left: [total(metricName, cloudwatch.Stats.percentile(50), GRAPH_PERIOD, 'p50'), total(metricName, cloudwatch.Stats.percentile(90), GRAPH_PERIOD, 'p90')],
        leftYAxis: { label: 'milliseconds', showUnits: false, min: 0 },
      });

    this.dashboard = new cloudwatch.Dashboard(this, 'ProtocolDashboard', {
      dashboardName: `caseflow-${props.stage}-protocol`,
      defaultInterval: Duration.days(7),
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'Cases opened by channel and type (per hour)',
            width: 12,
            left: byCase.map((d) => metric('CasesOpened', d, cloudwatch.Stats.SUM, GRAPH_PERIOD, `${d.Channel} ${d.Type}`)),
            stacked: true,
          }),
          new cloudwatch.AlarmWidget({ title: 'SLA breach rate (last 24 hours)', width: 12, alarm: this.breachRateAlarm, leftYAxis: { min: 0 } }),
        ],
        [
          durations('AcknowledgementTime', 'Acknowledgement time from receipt (M3.1)'),
          durations('FirstResponseTime', 'First response time from receipt (M3.2)'),
          durations('TimeToResolution', 'Time to resolution from receipt'),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'SLA breaches by milestone (per hour)',
            width: 12,
            left: MilestoneSchema.options.map((milestone) => metric('SlaBreaches', { Milestone: milestone }, cloudwatch.Stats.SUM, GRAPH_PERIOD, milestone)),
            stacked: true,
          }),
          new cloudwatch.GraphWidget({
            title: 'Escalations by trigger (per hour)',
            width: 12,
            left: EscalationRecordSchema.shape.trigger.options.map((trigger) => metric('Escalations', { Trigger: trigger }, cloudwatch.Stats.SUM, GRAPH_PERIOD, trigger)),
            stacked: true,
          }),
        ],
      ],
    });
  }
}

const formatPercent = (fraction: number) => `${Math.round(fraction * 10_000) / 100}%`;
