import * as path from 'node:path';
import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { exportExecutionName } from '../../functions/core/compliance-export';

/** The one definition of the compliance export workflow: what AWS runs and what the local stack runs. */
export const EXPORT_DEFINITION_FILE = path.resolve(__dirname, '..', '..', 'state-machines', 'compliance-export.asl.json');

/** The `${...}` placeholders of the definition file, filled in by CloudFormation at deploy time. */
export const EXPORT_DEFINITION_SUBSTITUTIONS = ['ExportStepFunctionArn'] as const;

/** The export state machine's name: known before synthesis, so the API's grants on its executions are acknowledged exactly. */
export const exportStateMachineName = (stage: string) => `caseflow-${stage}-compliance-export`;

/**
 * The executions the staff API starts and describes (SfnExportWorkflows): named after the export,
 * `export-<from>_<to>` and its reruns `-r<n>` (core/compliance-export.ts exportExecutionName). The
 * scheduled runs get names of the Scheduler's making, which the API never looks up.
 */
export function exportExecutionArns(scope: Construct, stage: string): { pattern: string; finding: string } {
  const resourceName = `${exportStateMachineName(stage)}:${exportExecutionName('')}*`;
  return {
    pattern: Stack.of(scope).formatArn({ service: 'states', resource: 'execution', resourceName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
    finding: `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${resourceName}]`,
  };
}

export interface ExportWorkflowProps {
  /** Names the state machine and its log group. */
  stage: string;
  /** The export-step function every Task state invokes. */
  stepFunction: lambda.IFunction;
}

/**
 * The compliance export workflow (state-machines/compliance-export.asl.json): one STANDARD execution
 * an export — Plan, each day of the period (a Map, two days at a time), Seal. Deployed from the file
 * as it is, the same file the local stack runs: CDK uploads it as an S3 asset and CloudFormation
 * substitutes the export-step function's ARN. STANDARD, not EXPRESS: a year's export runs for hours
 * (EXPRESS stops at five minutes), and its history says which day failed.
 *
 * It keeps no state of its own: what an export has done is in the exports bucket (a day's marker,
 * the manifest), so a run that failed is resumed by running the export again.
 */
export class ExportWorkflow extends Construct {
  public readonly stateMachine: sfn.StateMachine;
  public readonly logGroup: logs.LogGroup;
  public readonly failedAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ExportWorkflowProps) {
    super(scope, id);
    const stateMachineName = exportStateMachineName(props.stage);

    // As the SLA workflow's: every execution event, without inputs, outputs or error causes. The
    // inputs are periods and days; the outputs counts: no personal data, but none is logged either.
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: `/aws/vendedlogs/states/${stateMachineName}`,
      retention: logs.RetentionDays.ONE_YEAR,
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName,
      stateMachineType: sfn.StateMachineType.STANDARD,
      comment: 'caseflow compliance export: one execution an export (state-machines/compliance-export.asl.json)',
      definitionBody: sfn.DefinitionBody.fromFile(EXPORT_DEFINITION_FILE),
      definitionSubstitutions: { ExportStepFunctionArn: props.stepFunction.functionArn } satisfies Record<(typeof EXPORT_DEFINITION_SUBSTITUTIONS)[number], string>,
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
    });

    // The Task states call lambda:invoke with the unqualified function ARN: exactly that ARN.
    this.stateMachine.addToRolePolicy(new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [props.stepFunction.functionArn] }));
    Validations.of(this.stateMachine.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) and Step Functions log delivery (logs:CreateLogDelivery and the other log-delivery and resource-policy actions) support no resource-level permissions. Invoking Lambda is scoped to the export-step function ARN.',
    });

    this.failedAlarm = new cloudwatch.Alarm(this, 'ExportFailedAlarm', {
      alarmDescription:
        'A compliance export run failed: its period has no sealed export yet (a day failed after its retries, or the seal). The execution history names the step and the day. Fix the cause, then redrive the execution, or ask for the period again (POST /v1/exports): the days already written are kept (docs/exports.md).',
      metric: this.stateMachine.metricFailed({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
