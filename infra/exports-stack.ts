import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { GLOBAL_INDEXES } from '../functions/adapters/table-design';
import type { CaseflowFunction } from './constructs/caseflow-function';
import { CaseflowFunctions } from './constructs/caseflow-functions';
import { ComplianceExports, type ExportSchedules } from './constructs/compliance-exports';
import { HANDLER_DATA_ACCESS } from './stateless-stack';

/** The export name of the export state machine's ARN (see CaseflowExportsStack.stateMachineArnImport). */
export const exportStateMachineExportName = (stage: string) => `caseflow-${stage}-export-state-machine-arn`;

export interface CaseflowExportsStackProps extends StackProps {
  stage: string;
  /** From the stateful stack. */
  table: dynamodb.ITable;
  dataKey: kms.IKey;
  exportsBucket: s3.IBucket;
  /** The exports bucket's and the export-signing key's ARNs through their stage-named exports. */
  exportsBucketArnImport: string;
  exportSigningKeyArnImport: string;
  schedules: ExportSchedules;
}

/**
 * The compliance exports' workflow, function and schedules (constructs/compliance-exports.ts): a
 * stack of their own because the stateless stack is at CloudFormation's 500 resources a stack. Like
 * the stateless stack it holds nothing that cannot be redeployed: what an export has done is in the
 * exports bucket. The staff API's export routes (in the stateless stack) start the state machine
 * through the stage-named export of its ARN.
 */
export class CaseflowExportsStack extends Stack {
  public readonly complianceExports: ComplianceExports;
  /** One function per handler name (export-step), keyed by it. */
  public readonly functions: Map<string, CaseflowFunction>;
  /** The state machine's ARN through the stage-named export `caseflow-<stage>-export-state-machine-arn`, for the stateless stack. */
  public readonly stateMachineArnImport: string;

  constructor(scope: Construct, id: string, props: CaseflowExportsStackProps) {
    super(scope, id, props);
    const functions = new CaseflowFunctions(this, {
      caseData: { table: props.table, key: props.dataKey, indexNames: GLOBAL_INDEXES.map((g) => g.indexName) },
      metricsNamespace: `caseflow/${props.stage}`,
      dataAccess: HANDLER_DATA_ACCESS,
    });
    this.functions = functions.all;

    this.complianceExports = new ComplianceExports(this, 'ComplianceExports', {
      stage: props.stage,
      functions,
      tableName: props.table.tableName,
      dataKey: props.dataKey,
      bucket: props.exportsBucket,
      bucketArnImport: props.exportsBucketArnImport,
      signingKeyArnImport: props.exportSigningKeyArnImport,
      schedules: props.schedules,
    });
    const stateMachine = this.complianceExports.workflow.stateMachine;
    this.stateMachineArnImport = this.exportValue(stateMachine.stateMachineArn, { name: exportStateMachineExportName(props.stage) });

    const times = this.complianceExports.scheduleTimes;
    const at = (t: { hour: number; minute: number }) => `${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
    new CfnOutput(this, 'ExportStateMachineArn', { value: stateMachine.stateMachineArn, description: 'The compliance export workflow (auditors\' runs named export-<from>_<to>)' });
    new CfnOutput(this, 'ExportSchedules', {
      value: (['daily', 'weekly', 'monthly'] as const).map((c) => `${c} ${props.schedules[c] ? `at ${at(times[c])}` : 'off'}`).join(', ') + ` (${props.schedules.timeZone})`,
      description: 'When the scheduled compliance exports run (docs/deploy.md)',
    });
    new CfnOutput(this, 'ExportScheduleDlqUrl', { value: this.complianceExports.scheduleDlq.queueUrl, description: 'Scheduled export starts that failed after their retries' });
  }
}
