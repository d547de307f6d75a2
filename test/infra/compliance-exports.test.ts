import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { CASE_READ_ACTIONS } from '../../infra/constructs/case-data-grants';
import { EXPORT_DEFINITION_FILE, EXPORT_DEFINITION_SUBSTITUTIONS } from '../../infra/constructs/export-workflow';
import type { CaseflowExportsStack } from '../../infra/exports-stack';
import type { CaseflowStatefulStack } from '../../infra/stateful-stack';
import type { CaseflowStatelessStack } from '../../infra/stateless-stack';
import { deployedFunctions, statementsOfFunction } from './support/functions';
import { asList, bucketGrantsOf, grantsOf, statementsOfRole, type Statement } from './support/iam';
import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * Compliance exports in AWS (M5.3, M7.3, C4.3, C6.3; docs/exports.md, docs/deploy.md): the exports
 * bucket (stateful stack), the workflow, export-step and the schedules (exports stack), and the
 * staff API's two export routes (stateless stack).
 */
let synthesized: SynthesizedApp;
let stateful: CaseflowStatefulStack;
let exportsStack: CaseflowExportsStack;
let stateless: CaseflowStatelessStack;
let exportsTemplate: Template;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
  ({ stateful, exports: exportsStack, stateless, exportsTemplate } = synthesized);
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const resourcesOf = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;
const idIn = (stack: { getLogicalId(e: never): string }, construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);

const BUCKET = 'caseflow-dev-exports-bucket-arn';
const SIGNING_KEY = 'caseflow-dev-export-signing-key-arn';
const exportStep = () => exportsStack.complianceExports.function;
const exportStepStatements = () => statementsOfRole(exportsTemplate, exportsStack, exportStep().role);
const routeStatements = (handler: string): Statement[] => {
  const fn = stateless.functions.get(handler);
  if (!fn) throw new Error(`no function for ${handler}`);
  return statementsOfRole(synthesized.statelessTemplate, stateless, fn.role);
};
const stateMachineId = () => idIn(exportsStack, exportsStack.complianceExports.workflow.stateMachine);
const stateMachine = () => resourcesOf(exportsTemplate, 'AWS::StepFunctions::StateMachine')[stateMachineId()] as Resource;

describe('the exports bucket', () => {
  const bucketId = () => idIn(stateful, stateful.exportsBucket);
  const bucket = () => resourcesOf(synthesized.statefulTemplate, 'AWS::S3::Bucket')[bucketId()] as Resource;
  const rules = () => (bucket().Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;

  it('keeps the exports encrypted with the data key, versioned, private, TLS-only, access-logged and retained (M5.1 / C6.1)', () => {
    expect(bucket().Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [idIn(stateful, stateful.dataKey), 'Arn'] } } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: idIn(stateful, stateful.accessLogsBucket) }, LogFilePrefix: 'exports/' },
    });
    expect(bucket().DeletionPolicy).toBe('Retain');
    const policies = Object.values(resourcesOf(synthesized.statefulTemplate, 'AWS::S3::BucketPolicy')).filter((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: bucketId() }));
    const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements.filter((s) => s.Effect === 'Deny').map((s) => s.Condition)).toEqual(
      expect.arrayContaining([{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]),
    );
  });

  it('never expires an export, nor an old version of one, and moves exports/ to Glacier Instant Retrieval after 90 days (M7.2 / C4.3: evidence kept five years and more)', () => {
    const expiring = rules().filter((r) => 'ExpirationInDays' in r || 'NoncurrentVersionExpiration' in r || 'ExpiredObjectDeleteMarker' in r);
    // Only the full table dumps expire (next test), never anything under exports/.
    expect(expiring.map((r) => [r.Id, r.Prefix ?? 'the whole bucket'])).toEqual([['expire-table-exports', 'table-exports/']]);
    expect(rules()).toContainEqual({
      Id: 'infrequent-access-after-90-days',
      Prefix: 'exports/',
      Status: 'Enabled',
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }],
    });
    expect(bucket().Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('deletes a full table dump forgotten under table-exports/ after 7 days, and its old version a day later (personal data in clear)', () => {
    expect(rules()).toContainEqual({ Id: 'expire-table-exports', Prefix: 'table-exports/', Status: 'Enabled', ExpirationInDays: 7, NoncurrentVersionExpiration: { NoncurrentDays: 1 } });
  });

  it('is exported by ARN under a stage name, and its name, the table’s ARN and the data key’s ARN are output (for the full table export)', () => {
    const outputs = synthesized.statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
    expect(Object.values(outputs).filter((o) => o.Export?.Name === BUCKET).map((o) => o.Value)).toEqual([{ 'Fn::GetAtt': [bucketId(), 'Arn'] }]);
    expect(stateful.resolve(stateful.exportsBucketArnImport)).toEqual({ 'Fn::ImportValue': BUCKET });
    synthesized.statefulTemplate.hasOutput('ExportsBucketName', { Value: { Ref: bucketId() } });
    synthesized.statefulTemplate.hasOutput('TableArn', { Value: { 'Fn::GetAtt': [idIn(stateful, stateful.table), 'Arn'] } });
    synthesized.statefulTemplate.hasOutput('DataKeyArn', { Value: { 'Fn::GetAtt': [idIn(stateful, stateful.dataKey), 'Arn'] } });
  });
});

describe('the export workflow', () => {
  it('is a STANDARD workflow named after the stage, traced, logging every event without execution data to a log group kept a year', () => {
    const logGroupId = idIn(exportsStack, exportsStack.complianceExports.workflow.logGroup);
    expect(stateMachine().Properties).toMatchObject({
      StateMachineName: 'caseflow-dev-compliance-export',
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false, Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [logGroupId, 'Arn'] } } }] },
    });
    expect(resourcesOf(exportsTemplate, 'AWS::Logs::LogGroup')[logGroupId]?.Properties).toMatchObject({ LogGroupName: '/aws/vendedlogs/states/caseflow-dev-compliance-export', RetentionInDays: 365 });
  });

  it('deploys state-machines/compliance-export.asl.json byte for byte: Plan, the ExportDays Map of each day, Seal, every task calling export-step', () => {
    const properties = stateMachine().Properties;
    expect(properties.Definition ?? properties.DefinitionString).toBeUndefined();
    const { Key: key } = properties.DefinitionS3Location as { Key: string };
    const assembly = synthesized.app.synth();
    type FileAsset = { source: { path: string }; destinations: Record<string, { objectKey: string }> };
    const manifest = JSON.parse(readFileSync(path.join(assembly.directory, `${exportsStack.artifactId}.assets.json`), 'utf8')) as { files: Record<string, FileAsset> };
    const assets = Object.values(manifest.files).filter((a) => Object.values(a.destinations).some((d) => d.objectKey === key));
    expect(assets).toHaveLength(1);
    const source = path.resolve(__dirname, '..', '..', 'state-machines', 'compliance-export.asl.json');
    expect(EXPORT_DEFINITION_FILE).toBe(source);
    expect(readFileSync(path.join(assembly.directory, assets[0]?.source.path ?? '')).equals(readFileSync(source))).toBe(true);

    type State = { Type: string; Next?: string; End?: boolean; Parameters?: { FunctionName?: string }; ItemProcessor?: { StartAt: string; States: Record<string, State> } };
    const asl = JSON.parse(readFileSync(source, 'utf8')) as { StartAt: string; States: Record<string, State> };
    expect(asl.StartAt).toBe('Plan');
    expect(Object.entries(asl.States).map(([name, s]) => [name, s.Type, s.Next ?? 'end'])).toEqual([
      ['Plan', 'Task', 'ExportDays'],
      ['ExportDays', 'Map', 'Seal'],
      ['Seal', 'Task', 'end'],
    ]);
    const tasks = [asl.States.Plan, asl.States.ExportDays?.ItemProcessor?.States.ExportDay, asl.States.Seal];
    expect(tasks.map((t) => t?.Parameters?.FunctionName)).toEqual(Array(3).fill('${ExportStepFunctionArn}'));
  });

  it("fills the file's only placeholder, ExportStepFunctionArn, with the export-step function's ARN", () => {
    const placeholders = [...readFileSync(EXPORT_DEFINITION_FILE, 'utf8').matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]);
    expect([...new Set(placeholders)]).toEqual([...EXPORT_DEFINITION_SUBSTITUTIONS]);
    expect(stateMachine().Properties.DefinitionSubstitutions).toEqual({ ExportStepFunctionArn: { 'Fn::GetAtt': [idIn(exportsStack, exportStep().fn), 'Arn'] } });
  });

  it('may invoke export-step and no other function, version or alias (M2.2)', () => {
    const statements = statementsOfRole(exportsTemplate, exportsStack, exportsStack.complianceExports.workflow.stateMachine.role);
    const lambda = statements.filter((s) => asList(s.Action).some((a) => a.startsWith('lambda:')));
    expect(lambda).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [idIn(exportsStack, exportStep().fn), 'Arn'] } }]);
    const others = statements.filter((s) => !lambda.includes(s));
    expect(others.every((s) => s.Resource === '*')).toBe(true);
    expect(others.flatMap((s) => asList(s.Action)).filter((a) => !/^(xray|logs):/.test(a))).toEqual([]);
  });

  it('alarms on the first failed export run within 5 minutes', () => {
    exportsTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsFailed',
      Dimensions: [{ Name: 'StateMachineArn', Value: { Ref: stateMachineId() } }],
      Statistic: 'Sum',
      Period: 300,
      Threshold: 1,
      EvaluationPeriods: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });
});

describe('export-step', () => {
  const fn = () => resourcesOf(exportsTemplate, 'AWS::Lambda::Function')[idIn(exportsStack, exportStep().fn)] as Resource;

  it('gets the table, the exports bucket and the export-signing key’s ARN, 512 MB and fifteen minutes for a day, and no state machine ARN (no cycle)', () => {
    expect(fn().Properties).toMatchObject({ MemorySize: 512, Timeout: 900, Runtime: 'nodejs22.x', Architectures: ['arm64'], TracingConfig: { Mode: 'Active' } });
    const variables = (fn().Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({
      TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) },
      EXPORTS_BUCKET: { 'Fn::ImportValue': expect.stringMatching(/ExportsBucket/) },
      EXPORT_SIGNING_KEY_ID: { 'Fn::ImportValue': SIGNING_KEY },
    });
    expect(Object.keys(variables).filter((v) => v.startsWith('EXPORT_STATE') || v.endsWith('_ENDPOINT') || v === 'EXPORT_SIGNING_KEY_DIR')).toEqual([]);
  });

  it('reads the table and the by-day index only, and writes no case data (M2.2)', () => {
    const dynamo = grantsOf(exportStepStatements()).filter((g) => g.startsWith('dynamodb:'));
    const table = 'dev-caseflow-stateful:ExportsOutputFnGetAttTableCD117FA1ArnE2C8C204';
    expect(dynamo.sort()).toEqual([...CASE_READ_ACTIONS.map((a) => `${a} ${table}`), `dynamodb:Query ${table}/index/GSI4`].sort());
  });

  it('reads, writes and lists the exports bucket under exports/ only, never deletes, with the data key through S3 only', () => {
    const s3 = exportStepStatements().filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    expect(bucketGrantsOf(s3, BUCKET)).toEqual(['s3:GetObject bucket/exports/*', 's3:ListBucket bucket', 's3:PutObject bucket/exports/*']);
    expect(grantsOf(s3).filter((g) => !g.includes(BUCKET))).toEqual([]);
    // Unconditioned: a day marker or manifest not written yet must read as 404 (S3 answers 403 without list rights).
    expect(s3.filter((s) => asList(s.Action).includes('s3:ListBucket')).map((s) => s.Condition)).toEqual([undefined]);
    const viaS3 = exportStepStatements().filter((s) => JSON.stringify(s.Condition ?? {}).includes('"s3."'));
    expect(viaS3.flatMap((s) => asList(s.Action)).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('signs with the export-signing key alone, ECDSA_SHA_256 digests only, and no other key', () => {
    const kmsGrants = grantsOf(exportStepStatements()).filter((g) => /^kms:(Sign|GetPublicKey|\*)/.test(g));
    expect(kmsGrants.sort()).toEqual([`kms:GetPublicKey ${SIGNING_KEY}`, `kms:Sign ${SIGNING_KEY}`]);
    expect(exportStepStatements().find((s) => s.Action === 'kms:Sign')?.Condition).toEqual({ StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } });
  });
});

describe('the export schedules', () => {
  const schedule = (cadence: 'daily' | 'weekly' | 'monthly') =>
    resourcesOf(exportsTemplate, 'AWS::Scheduler::Schedule')[idIn(exportsStack, exportsStack.complianceExports.schedules[cadence])] as Resource;
  const input = (cadence: 'daily' | 'weekly' | 'monthly') => JSON.parse((schedule(cadence).Properties.Target as { Input: string }).Input) as unknown;

  it('starts yesterday’s export every night at 00:30 UTC by default, with the time it was due as the run’s reference', () => {
    expect(schedule('daily').Properties).toMatchObject({
      Name: 'caseflow-dev-export-daily',
      State: 'ENABLED',
      ScheduleExpression: 'cron(30 0 * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: { Ref: stateMachineId() } },
    });
    expect(input('daily')).toEqual({ trigger: 'scheduled', cadence: 'daily', timeZone: 'UTC', firedAt: '<aws.scheduler.scheduled-time>' });
  });

  it('has the weekly (Mondays 01:00) and monthly (the 1st, 02:00) exports, off by default', () => {
    expect(schedule('weekly').Properties).toMatchObject({ State: 'DISABLED', ScheduleExpression: 'cron(0 1 ? * MON *)', ScheduleExpressionTimezone: 'UTC' });
    expect(schedule('monthly').Properties).toMatchObject({ State: 'DISABLED', ScheduleExpression: 'cron(0 2 1 * ? *)', ScheduleExpressionTimezone: 'UTC' });
    expect(input('weekly')).toMatchObject({ trigger: 'scheduled', cadence: 'weekly' });
    expect(input('monthly')).toMatchObject({ trigger: 'scheduled', cadence: 'monthly' });
  });

  it('turns each schedule on or off with its context key, in the configured time zone, moved past the end of the UTC day it exports', () => {
    const london = synthesizeCaseflow({ 'caseflow:exportsTimeZone': 'Europe/London', 'caseflow:exportsDaily': 'false', 'caseflow:exportsWeekly': 'true', 'caseflow:exportsMonthly': true });
    const schedules = Object.values(resourcesOf(london.exportsTemplate, 'AWS::Scheduler::Schedule')).map((s) => s.Properties);
    expect(schedules.map((s) => [s.Name, s.State, s.ScheduleExpression, s.ScheduleExpressionTimezone, (JSON.parse((s.Target as { Input: string }).Input) as { timeZone: string }).timeZone])).toEqual([
      // 00:30 London is 23:30 UTC in summer, and 01:30 does not exist on the last Sunday of March.
      ['caseflow-dev-export-daily', 'DISABLED', 'cron(30 2 * * ? *)', 'Europe/London', 'Europe/London'],
      ['caseflow-dev-export-weekly', 'ENABLED', 'cron(0 2 ? * MON *)', 'Europe/London', 'Europe/London'],
      ['caseflow-dev-export-monthly', 'ENABLED', 'cron(0 2 1 * ? *)', 'Europe/London', 'Europe/London'],
      // The monthly report of the month before, after the monthly export (its manifest is evidence).
      ['caseflow-dev-monthly-report', 'ENABLED', 'cron(0 4 1 * ? *)', 'Europe/London', undefined],
    ]);
  });

  it('retries a start that fails for up to 6 hours, then sends it to an encrypted DLQ that alarms', () => {
    const dlqId = idIn(exportsStack, exportsStack.complianceExports.scheduleDlq);
    for (const cadence of ['daily', 'weekly', 'monthly'] as const) {
      expect(schedule(cadence).Properties.Target).toMatchObject({
        RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 6 * 3600 },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [dlqId, 'Arn'] } },
        RoleArn: { 'Fn::GetAtt': [idIn(exportsStack, exportsStack.complianceExports.schedulerRole), 'Arn'] },
      });
    }
    expect(resourcesOf(exportsTemplate, 'AWS::SQS::Queue')[dlqId]?.Properties.KmsMasterKeyId).toEqual({ 'Fn::ImportValue': expect.stringMatching(/DataKey/) });
    exportsTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
      Threshold: 1,
    });
  });

  it('runs as a role the Scheduler of this account alone assumes, that may start this state machine, run the monthly report and fill the DLQ, nothing else', () => {
    const role = exportsStack.complianceExports.schedulerRole;
    const trust = (resourcesOf(exportsTemplate, 'AWS::IAM::Role')[idIn(exportsStack, role)]?.Properties.AssumeRolePolicyDocument as { Statement: Statement[] }).Statement;
    expect(trust).toEqual([expect.objectContaining({ Principal: { Service: 'scheduler.amazonaws.com' }, Condition: { StringEquals: expect.objectContaining({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } }) } })]);
    const grants = grantsOf(statementsOfRole(exportsTemplate, exportsStack, role));
    const dlq = `<${idIn(exportsStack, exportsStack.complianceExports.scheduleDlq)}.Arn>`;
    expect(grants.sort()).toEqual([
      'kms:Decrypt dev-caseflow-stateful:ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6',
      'kms:GenerateDataKey dev-caseflow-stateful:ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6',
      `sqs:SendMessage ${dlq}`,
      `lambda:InvokeFunction <${idIn(exportsStack, exportsStack.complianceExports.reportJob.fn)}.Arn>`,
      `lambda:InvokeFunction <${idIn(exportsStack, exportsStack.complianceExports.reportJob.fn)}.Arn>:*`,
      `states:StartExecution <${stateMachineId()}>`,
    ].sort());
  });
});

describe('the export routes', () => {
  const s3Of = (handler: string) => routeStatements(handler).filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
  const environmentOf = (handler: string) => {
    const fn = stateless.functions.get(handler);
    const resource = resourcesOf(synthesized.statelessTemplate, 'AWS::Lambda::Function')[idIn(stateless, fn!.fn)];
    return (resource?.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
  };

  it('gives create-export the exports bucket and the workflow’s ARN through its stage-named export, and get-export the bucket', () => {
    const bucketName = { 'Fn::ImportValue': expect.stringMatching(/ExportsBucket/) };
    expect(environmentOf('create-export')).toMatchObject({ EXPORTS_BUCKET: bucketName, EXPORT_STATE_MACHINE_ARN: { 'Fn::ImportValue': 'caseflow-dev-export-state-machine-arn' } });
    expect(environmentOf('get-export')).toMatchObject({ EXPORTS_BUCKET: bucketName });
    expect(environmentOf('get-export').EXPORT_STATE_MACHINE_ARN).toBeUndefined();
    expect(exportsStack.resolve(exportsStack.stateMachineArnImport)).toEqual({ 'Fn::ImportValue': 'caseflow-dev-export-state-machine-arn' });
    const outputs = exportsTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
    expect(Object.values(outputs).filter((o) => o.Export?.Name === 'caseflow-dev-export-state-machine-arn').map((o) => o.Value)).toEqual([{ Ref: stateMachineId() }]);
  });

  it('lets create-export start the export workflow and describe only its export-* executions', () => {
    const states = routeStatements('create-export').filter((s) => asList(s.Action).some((a) => a.startsWith('states:')));
    expect(grantsOf(states).sort()).toEqual([
      'states:DescribeExecution arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:caseflow-dev-compliance-export:export-*',
      'states:StartExecution caseflow-dev-export-state-machine-arn',
    ]);
  });

  it.each(['create-export', 'get-export'])('lets %s read exports/ of the exports bucket and list it, never write, with the data key through S3 only (its links reach no table dump)', (handler) => {
    expect(bucketGrantsOf(s3Of(handler), BUCKET)).toEqual(['s3:GetObject bucket/exports/*', 's3:ListBucket bucket']);
    // Unconditioned: an export not started is a missing manifest, which must read as 404, not 403.
    expect(s3Of(handler).filter((s) => asList(s.Action).includes('s3:ListBucket')).map((s) => s.Condition)).toEqual([undefined]);
    expect(grantsOf(s3Of(handler)).filter((g) => !g.includes(BUCKET))).toEqual([]);
    const viaS3 = routeStatements(handler).filter((s) => JSON.stringify(s.Condition ?? {}).includes('"s3."'));
    expect(viaS3.flatMap((s) => asList(s.Action))).toEqual(['kms:Decrypt']);
    expect(grantsOf(routeStatements(handler)).filter((g) => g.startsWith('dynamodb:') || g.startsWith('kms:Sign'))).toEqual([]);
  });

  it('grants no other function of any stack the exports bucket, the export workflow or the signing key', () => {
    const functions = [...deployedFunctions(synthesized)]
      .filter(([h]) => !['create-export', 'get-export', 'export-step', 'create-monthly-report', 'get-monthly-report', 'monthly-report-job'].includes(h))
      .map(([h, d]) => [h, statementsOfFunction(d)] as const);
    expect(functions.map(([h]) => h)).toEqual(expect.arrayContaining(['create-case', 'outbox-stream', 'sla-step']));
    for (const [handler, statements] of functions) {
      const stray = grantsOf(statements).filter((g) => g.includes(BUCKET) || g.includes(SIGNING_KEY) || g.includes('compliance-export') || g.includes('export-state-machine'));
      expect({ handler, stray }).toEqual({ handler, stray: [] });
    }
    expect([...exportsStack.functions.keys()]).toEqual(['export-step', 'monthly-report-job']);
  });
});
