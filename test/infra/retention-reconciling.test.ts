import type { Template } from 'aws-cdk-lib/assertions';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { asList, bucketGrantsOf, grantsOf, statementsOfRole } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/**
 * The retention reconciliation (M7.2, C4.3; docs/retention.md): the daily function that archives
 * and stamps the closed cases the stream consumers missed, its schedule after the audit anchoring,
 * its least-privilege grants and its alarm (the workers stack's).
 */
let template: Template;
let stack: CaseflowWorkersStack;

beforeAll(() => {
  ({ workersTemplate: template, workers: stack } = synthesizeCaseflow());
});

type Resource = { Properties: Record<string, unknown> };
const resources = (type: string) => template.findResources(type) as Record<string, Resource>;
const idOf = (construct: { node: { defaultChild?: unknown } }) => stack.getLogicalId(construct.node.defaultChild as never);
const fn = () => stack.retentionReconciling.function;
const statements = () => statementsOfRole(template, stack, fn().role);
const ruleTargeting = (handler: string) => {
  const target = JSON.stringify({ 'Fn::GetAtt': [idOf(stack.functions.get(handler)!.fn), 'Arn'] });
  const rules = Object.values(resources('AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes(target));
  expect(rules).toHaveLength(1);
  return rules[0]!.Properties;
};
/** Minutes after midnight UTC of a daily `cron(m h * * ? *)` schedule. */
const minuteOfDay = (expression: unknown) => {
  const [, minute, hour] = /^cron\((\d+) (\d+) \* \* \? \*\)$/.exec(String(expression)) ?? [];
  return Number(hour) * 60 + Number(minute);
};

describe('the retention reconciler (M7.2, C4.3)', () => {
  it('runs every day at 00:45 UTC, after the audit anchoring, retried twice with the same event', () => {
    const reconcile = ruleTargeting('retention-reconciler');
    expect(reconcile).toMatchObject({
      ScheduleExpression: 'cron(45 0 * * ? *)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } })],
    });
    expect(minuteOfDay(reconcile.ScheduleExpression)).toBeGreaterThan(minuteOfDay(ruleTargeting('audit-anchor').ScheduleExpression));
  });

  it('is deployed with the table, the case-archive bucket and its days, and the longest timeout Lambda has', () => {
    expect(resources('AWS::Lambda::Function')[idOf(fn().fn)]?.Properties).toMatchObject({
      Timeout: 900,
      Environment: {
        Variables: expect.objectContaining({
          TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) },
          CASE_ARCHIVE_BUCKET: { 'Fn::ImportValue': expect.stringMatching(/CaseArchiveBucket/) },
          RETENTION_RECONCILE_DAYS: '14',
        }),
      },
    });
  });

  it('queries the by-day index and no other, reads and writes case items, and never scans or deletes', () => {
    const grants = grantsOf(statements()).filter((g) => g.startsWith('dynamodb:'));
    const onIndexes = grants.filter((g) => g.includes('/index/'));
    expect(onIndexes).toEqual([expect.stringMatching(/^dynamodb:Query .+\/index\/GSI4$/)]);
    const actions = [...new Set(grants.map((g) => g.split(' ')[0]))].sort();
    expect(actions).toEqual(['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem']);
  });

  it('may write locked objects under records/ and index/ of the case-archive bucket, as the archiver does, and read or delete nothing there; the key only through S3 or DynamoDB', () => {
    expect(bucketGrantsOf(statements(), 'caseflow-dev-case-archive-bucket-arn')).toEqual([
      's3:PutObject bucket/index/*',
      's3:PutObject bucket/records/*',
      's3:PutObjectRetention bucket/index/*',
      's3:PutObjectRetention bucket/records/*',
    ]);
    expect(statements().flatMap((s) => asList(s.Action)).filter((a) => a.startsWith('s3:') && a !== 's3:PutObject' && a !== 's3:PutObjectRetention')).toEqual([]);
    // The data key; the subject-key wrapping key, called directly, is test/infra/subject-keys.test.ts's.
    const keyStatements = statements().filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')) && !JSON.stringify(s.Resource).includes('subject-key-wrapping-key'));
    expect(keyStatements.length).toBeGreaterThan(0);
    for (const s of keyStatements) expect(JSON.stringify(s.Condition)).toMatch(/kms:ViaService.*(s3|dynamodb)\./);
  });

  it('names the function in the stack outputs, to be run by hand once what its alarm reported is fixed', () => {
    template.hasOutput('RetentionReconcilerFunctionName', { Value: { Ref: idOf(fn().fn) } });
  });

  it('alarms when every attempt of a day’s run failed', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf(fn().fn) } }],
      Period: 86400,
      Threshold: 3,
    });
  });
});
