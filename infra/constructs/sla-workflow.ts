import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

/** The one definition of the SLA workflow: what AWS runs and what the local runner runs. */
/** A workflow's state machine name: known before deployment, so another stack can name its executions in a grant. */
export const stateMachineNameOf = (stage: string, name: string) => `caseflow-${stage}-${name}`;
/** The SLA workflow's name (SlaEnforcement builds it with `name: 'case-sla'`). */
export const SLA_WORKFLOW_NAME = 'case-sla';

export const SLA_DEFINITION_FILE = path.resolve(__dirname, '..', '..', 'state-machines', 'case-sla.asl.json');

/** The `${...}` placeholders of the definition file, filled in by CloudFormation at deploy time. */
export const SLA_DEFINITION_SUBSTITUTIONS = ['SlaStepFunctionArn'] as const;

export interface SlaWorkflowProps {
  /** Prefixes the state machine and log group names. */
  stage: string;
  /** The sla-step function both Task states invoke. */
  stepFunction: lambda.IFunction;
}

/** What makes one timer workflow: a definition file whose Task states invoke one step function. */
export interface TimerWorkflowProps {
  stage: string;
  stepFunction: lambda.IFunction;
  /** `caseflow-<stage>-<name>`: the state machine's and its log group's name. */
  name: string;
  definitionFile: string;
  /** The definition's `${...}` placeholder that takes the step function's ARN. */
  stepSubstitution: string;
  comment: string;
  /** What the executions are named after (a case id, a record id), for the IAM acknowledgement. */
  executionNames: string;
  alarms: { failed: string; timedOut: string; aborted: string };
}

/**
 * A timer workflow: one STANDARD execution per record (a case, a non-compliance record) whose Wait
 * states sleep until the next point the core computes. The definition is deployed from its file as
 * it is: CDK uploads it as an S3 asset and CloudFormation substitutes the step function's ARN.
 *
 * The workflow keeps no state of its own (every step re-reads the record), so the state machine is
 * stateless infrastructure.
 */
export class TimerWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  /** ARN pattern of this state machine's executions (`...:execution:<name>:*`). */
  public readonly executionArnPattern: string;
  /** The cdk-nag finding the execution ARN pattern raises on the roles that may describe executions. */
  public readonly executionArnFinding: string;
  public readonly failedAlarm: cloudwatch.Alarm;
  public readonly timedOutAlarm: cloudwatch.Alarm;
  public readonly abortedAlarm: cloudwatch.Alarm;
  private readonly executionNames: string;

  constructor(scope: Construct, id: string, props: TimerWorkflowProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const stateMachineName = stateMachineNameOf(props.stage, props.name);
    this.executionNames = props.executionNames;

    // Execution history events, not execution data: ALL events (every state entered and left, each
    // Lambda call scheduled, succeeded or failed) reconstruct when a record was evaluated and acted
    // on, and includeExecutionData=false keeps inputs, outputs and error causes out of the logs. The
    // input is only an id today; this keeps the logs free of personal data even if a step's output
    // ever grows. A record produces a handful of events per deadline, so ALL costs little.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      // The /aws/vendedlogs/ prefix keeps Step Functions' log delivery out of the account's
      // CloudWatch Logs resource-policy size limit.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logs.RetentionDays.ONE_YEAR,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: props.comment,
      definitionBody: sfn.DefinitionBody.fromFile(props.definitionFile),
      definitionSubstitutions: { [props.stepSubstitution]: props.stepFunction.functionArn },
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // The Task states call lambda:invoke with the unqualified function ARN, so invoking exactly
    // that ARN is all they need (no versions or aliases: not `<arn>:*`, which grantInvoke adds).
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.stepFunction.functionArn] }));
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and Step Functions log delivery (logs:CreateLogDelivery and the other log-delivery and resource-policy actions) support no resource-level permissions. Invoking Lambda is scoped to the step function ARN.',
    });

    this.executionArnPattern = stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${stateMachineName}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    this.executionArnFinding = `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${stateMachineName}:*]`;

    const period = Duration.minutes(5);
    const alarm = (alarmId: string, metric: cloudwatch.IMetric, description: string) =>
      new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.failedAlarm = alarm('ExecutionsFailedAlarm', this.stateMachine.metricFailed({ period, statistic: cloudwatch.Stats.SUM }), props.alarms.failed);
    this.timedOutAlarm = alarm('ExecutionsTimedOutAlarm', this.stateMachine.metricTimedOut({ period, statistic: cloudwatch.Stats.SUM }), props.alarms.timedOut);
    this.abortedAlarm = alarm('ExecutionsAbortedAlarm', this.stateMachine.metricAborted({ period, statistic: cloudwatch.Stats.SUM }), props.alarms.aborted);
  }

  /**
   * What the starters and reconcilers call: StartExecution on this state machine, DescribeExecution
   * on its executions. Execution names derive from record ids, so the executions can only be named
   * by a pattern; the cdk-nag finding for exactly that pattern is acknowledged, no other wildcard.
   */
  grantStartAndDescribe(role: iam.Role): void {
    iam.Grant.addToPrincipal({ grantee: role, actions: ['states:StartExecution'], resourceArns: [this.stateMachine.stateMachineArn] });
    iam.Grant.addToPrincipal({ grantee: role, actions: ['states:DescribeExecution'], resourceArns: [this.executionArnPattern] });
    Validations.of(role).acknowledge({
      id: this.executionArnFinding,
      reason: `states:DescribeExecution on the executions of this state machine only: execution names derive from ${this.executionNames} and are not known at deploy time.`,
    });
  }
}

/**
 * The SLA workflow (state-machines/case-sla.asl.json): one STANDARD execution per case whose Wait
 * states sleep until the next deadline (M3.1 acknowledgement, M3.2 / C3.3 initial assistance,
 * M3.3 escalation). An execution lost with it is restarted by the reconciler.
 */
export class SlaWorkflow extends TimerWorkflow {
  constructor(scope: Construct, id: string, props: SlaWorkflowProps) {
    super(scope, id, {
      ...props,
      name: SLA_WORKFLOW_NAME,
      definitionFile: SLA_DEFINITION_FILE,
      stepSubstitution: 'SlaStepFunctionArn' satisfies (typeof SLA_DEFINITION_SUBSTITUTIONS)[number],
      comment: 'caseflow SLA workflow: one execution per case (state-machines/case-sla.asl.json)',
      executionNames: 'case ids (case-<caseId>, restarts case-<caseId>-r<n>)',
      alarms: {
        failed:
          'An SLA workflow execution failed: a case may have deadlines nobody enforces. The reconciler restarts it within 15 minutes; find the cause in the execution history.',
        timedOut: 'An SLA workflow execution reached the Standard workflow limit of one year: a case has stayed open with deadlines for a year. Check the case.',
        aborted:
          'An SLA workflow execution was stopped by hand: its deadlines are no longer watched until the reconciler restarts it. SLA workflows end by themselves when a case has nothing left to enforce.',
      },
    });
  }
}
