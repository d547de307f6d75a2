import type { Template } from 'aws-cdk-lib/assertions';
import { Match } from 'aws-cdk-lib/assertions';
import { INBOUND_MAIL_PREFIX, receiptRuleSetName, type CaseflowStatefulStack } from '../../infra/stateful-stack';
import { ATTACHMENTS_PREFIX, EMAIL_DEFAULTS, type CaseflowWorkersStack } from '../../infra/workers-stack';
import { asList, statementsOfRole, type Statement } from './support/iam';
import { cdkJsonContext, synthesizeCaseflow } from './support/synth';

/**
 * Email-to-case in AWS: SES receives mail for the support and complaints
 * addresses, stores the raw message in the inbound bucket, and email-ingest turns it into a case
 * (C4.1 / M7.1: every submission becomes a case; M5.1 / C6.1: encrypted, least privilege). The
 * receipt rules and email-ingest are the workers stack's.
 */
let workersTemplate: Template;
let statefulTemplate: Template;
let workers: CaseflowWorkersStack;
let stateful: CaseflowStatefulStack;

beforeAll(() => {
  const synthesized = synthesizeCaseflow({ 'caseflow:complaintsAddresses': ['complaints@example.com'] });
  ({ workersTemplate, statefulTemplate, workers, stateful } = synthesized);
});

type Resource = { Properties: Record<string, unknown>; DependsOn?: string[] };
const only = (template: Template, type: string): Resource => {
  const found = Object.values(template.findResources(type) as Record<string, Resource>);
  expect(found).toHaveLength(1);
  return found[0] as Resource;
};
const emailIngest = () => {
  const fn = workers.functions.get('email-ingest');
  if (!fn) throw new Error('no email-ingest function');
  return fn;
};
const fnResource = () => (workersTemplate.findResources('AWS::Lambda::Function') as Record<string, Resource>)[workers.getLogicalId(emailIngest().fn.node.defaultChild as never)] as Resource;
const statements = (): Statement[] => statementsOfRole(workersTemplate, workers, emailIngest().role);
const importOf = (exportName: string) => ({ 'Fn::ImportValue': exportName });
const ref = (template: Template, type: string, idPrefix: string) => Object.keys(template.findResources(type)).find((id) => id.startsWith(idPrefix));

describe('the SES receipt rule set (C4.1 / M7.1)', () => {
  it('is named after the stage', () => {
    expect(only(workersTemplate, 'AWS::SES::ReceiptRuleSet').Properties).toEqual({ RuleSetName: receiptRuleSetName('dev') });
    expect(receiptRuleSetName('dev')).toBe('caseflow-dev-inbound');
  });

  it('has one enabled rule for the support and complaints addresses that scans for spam and viruses and requires TLS', () => {
    const rule = only(workersTemplate, 'AWS::SES::ReceiptRule').Properties.Rule as Record<string, unknown>;
    expect(rule).toMatchObject({ Enabled: true, ScanEnabled: true, TlsPolicy: 'Require' });
    expect(rule.Recipients).toEqual([...(cdkJsonContext()['caseflow:supportAddresses'] as string[]), 'complaints@example.com']);
  });

  it('stores each raw message in the inbound bucket under inbound/, encrypted by the bucket with the customer-managed key (M5.1 / C6.1)', () => {
    const rule = only(workersTemplate, 'AWS::SES::ReceiptRule').Properties.Rule as { Actions: Array<Record<string, Record<string, unknown>>> };
    expect(rule.Actions).toHaveLength(1);
    const action = rule.Actions[0]?.S3Action;
    expect(action).toEqual({
      BucketName: { 'Fn::ImportValue': expect.stringMatching(/ExportsOutputRefInboundBucket/) },
      ObjectKeyPrefix: INBOUND_MAIL_PREFIX,
    });
    // No KmsKeyArn: SES would encrypt client-side, which email-ingest's GetObject cannot read.
    expect(action?.KmsKeyArn).toBeUndefined();
    const bucket = statefulTemplate.findResources('AWS::S3::Bucket')[ref(statefulTemplate, 'AWS::S3::Bucket', 'InboundBucket') ?? ''] as Resource;
    expect(JSON.stringify(bucket.Properties.BucketEncryption)).toContain('aws:kms');
  });

  it('lets SES put objects under inbound/ only, for this account, and lets it use the key only through S3 for caseflow rules', () => {
    const inboundId = ref(statefulTemplate, 'AWS::S3::Bucket', 'InboundBucket');
    statefulTemplate.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: inboundId },
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Principal: { Service: 'ses.amazonaws.com' },
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [inboundId, 'Arn'] }, `/${INBOUND_MAIL_PREFIX}*`]] },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ]),
      },
    });
    const keys = statefulTemplate.findResources('AWS::KMS::Key') as Record<string, Resource>;
    const key = keys[stateful.getLogicalId(stateful.dataKey.node.defaultChild as never)]?.Properties.KeyPolicy as { Statement: Statement[] };
    // The subject-key wrapping key is the functions' alone: SES gets no use of it.
    expect(Object.values(keys).filter((k) => JSON.stringify(k).includes('ses.amazonaws.com'))).toHaveLength(1);
    const ses = key.Statement.filter((s) => JSON.stringify(s).includes('ses.amazonaws.com'));
    expect(ses).toHaveLength(1);
    expect(asList(ses[0]?.Action as string).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(JSON.stringify(ses[0]?.Condition)).toContain('"kms:ViaService"');
    expect(JSON.stringify(ses[0]?.Condition)).toContain(`receipt-rule-set/${receiptRuleSetName('dev')}:receipt-rule/*`);
  });
});

describe('the inbound bucket keeps raw mail (M7.2 / C4.3)', () => {
  it('never expires a current raw message by a timer: it stays at least until its case is archived', () => {
    const bucket = statefulTemplate.findResources('AWS::S3::Bucket')[ref(statefulTemplate, 'AWS::S3::Bucket', 'InboundBucket') ?? ''] as Resource;
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules.filter((r) => r.ExpirationInDays !== undefined || r.ExpirationDate !== undefined)).toEqual([]);
  });
});

describe('email-ingest', () => {
  it('gets the table, the inbound and archive buckets, the addresses and the email settings', () => {
    const variables = (fnResource().Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toMatchObject({
      TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) },
      INBOUND_BUCKET: { 'Fn::ImportValue': expect.stringMatching(/ExportsOutputRefInboundBucket/) },
      ATTACHMENTS_BUCKET: { 'Fn::ImportValue': expect.stringMatching(/ExportsOutputRefArchiveBucket/) },
      SUPPORT_ADDRESSES: (cdkJsonContext()['caseflow:supportAddresses'] as string[]).join(','),
      COMPLAINTS_ADDRESSES: 'complaints@example.com',
      SENDER_EMAIL: cdkJsonContext()['caseflow:senderEmail'],
      REOPEN_WINDOW_DAYS: String(EMAIL_DEFAULTS.reopenWindowDays),
      ACK_RATE_LIMIT_PER_HOUR: String(EMAIL_DEFAULTS.ackRateLimitPerHour),
      AUTO_ACKNOWLEDGEMENT: 'true',
    });
    expect(EMAIL_DEFAULTS).toEqual({ reopenWindowDays: 14, ackRateLimitPerHour: 3, ingestMaxAttempts: 5 });
  });

  it('has 512 MB and a minute for a message up to the 40 MB SES limit', () => {
    expect(fnResource().Properties).toMatchObject({ MemorySize: 512, Timeout: 60 });
  });

  it('may read raw mail under inbound/ and write case objects under cases/ in the archive, and no other S3 action (M5.1 / C6.1)', () => {
    const s3 = statements().filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
    expect(s3.map((s) => ({ Action: s.Action, Resource: s.Resource })).sort((a, b) => String(a.Action).localeCompare(String(b.Action)))).toEqual([
      { Action: 's3:GetObject', Resource: { 'Fn::Join': ['', [importOf('caseflow-dev-inbound-bucket-arn'), `/${INBOUND_MAIL_PREFIX}*`]] } },
      { Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [importOf('caseflow-dev-archive-bucket-arn'), `/${ATTACHMENTS_PREFIX}*`]] } },
    ]);
    expect(statements().filter((s) => s.Effect !== 'Allow')).toEqual([]);
  });

  it('uses the key for S3 only through S3, for the table only through DynamoDB, and for its DLQ only through SQS', () => {
    const keyStatements = statements().filter((s) => asList(s.Action).some((a) => a.startsWith('kms:')));
    const services = keyStatements.map((s) => JSON.stringify((s.Condition as { StringEquals: Record<string, unknown> }).StringEquals['kms:ViaService']));
    expect(services.sort()).toEqual([expect.stringContaining('"dynamodb."'), expect.stringContaining('"s3."'), expect.stringContaining('"sqs."')]);
    const viaSqs = keyStatements.find((s) => JSON.stringify(s.Condition).includes('"sqs."'));
    expect(asList(viaSqs?.Action as string).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    const viaS3 = keyStatements.find((s) => JSON.stringify(s.Condition).includes('"s3."'));
    expect(asList(viaS3?.Action as string).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('exports the bucket ARNs under stage names, the ones its grants import', () => {
    const outputs = statefulTemplate.toJSON().Outputs as Record<string, { Export?: { Name: string } }>;
    const names = Object.values(outputs).flatMap((o) => (o.Export ? [o.Export.Name] : []));
    expect(names).toEqual(expect.arrayContaining(['caseflow-dev-inbound-bucket-arn', 'caseflow-dev-archive-bucket-arn']));
    expect(stateful.inboundBucketArnImport).toBeDefined();
  });
});

describe('inbound/ object creations invoke email-ingest (C4.1 / M7.1)', () => {
  it('tries a failed ingestion three times, then keeps the event in an encrypted DLQ with an alarm, never dropping it', () => {
    const configs = workersTemplate.findResources('AWS::Lambda::EventInvokeConfig');
    const ingestConfig = Object.values(configs).find((c) => JSON.stringify(c).includes(workers.getLogicalId(workers.functions.get('email-ingest')?.fn.node.defaultChild as never))) as Resource;
    expect(ingestConfig.Properties).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 6 * 3600 });
    const dlq = workers.getLogicalId(workers.ingestDlq.node.defaultChild as never);
    expect(JSON.stringify(ingestConfig.Properties.DestinationConfig)).toContain(dlq);
    const alarms = Object.values(workersTemplate.findResources('AWS::CloudWatch::Alarm')).map((a) => JSON.stringify(a));
    expect(alarms.some((a) => a.includes(dlq))).toBe(true);
  });

  it('sends the inbound bucket to EventBridge', () => {
    const bucket = statefulTemplate.findResources('AWS::S3::Bucket')[ref(statefulTemplate, 'AWS::S3::Bucket', 'InboundBucket') ?? ''] as Resource;
    expect(bucket.Properties.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  it('routes Object Created events of the inbound bucket under inbound/ to email-ingest, as S3 notification records', () => {
    const rule = workersTemplate.findResources('AWS::Events::Rule')[workers.getLogicalId(workers.inboundMailRule.node.defaultChild as never)] as Resource;
    expect(rule.Properties.EventPattern).toEqual({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: {
        bucket: { name: [{ 'Fn::ImportValue': expect.stringMatching(/ExportsOutputRefInboundBucket/) }] },
        object: { key: [{ prefix: INBOUND_MAIL_PREFIX }] },
      },
    });
    const targets = rule.Properties.Targets as Array<{ Arn: unknown; InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string }; RetryPolicy: unknown }>;
    expect(targets).toHaveLength(1);
    expect(targets[0]?.Arn).toEqual({ 'Fn::GetAtt': [workers.getLogicalId(emailIngest().fn.node.defaultChild as never), 'Arn'] });
    expect(targets[0]?.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 });
    // email-ingest reads Records[].eventName (ObjectCreated:*), s3.bucket.name and s3.object.key.
    const { InputPathsMap: paths, InputTemplate: input } = targets[0]?.InputTransformer ?? { InputPathsMap: {}, InputTemplate: '' };
    const filled = input.replace(/<([a-z-]+)>/g, (_m, name: string) => (paths[name] === '$.detail.reason' ? 'PutObject' : JSON.stringify(`value of ${paths[name] ?? name}`)));
    const event = JSON.parse(filled) as { Records: Array<{ eventName: string; s3: { bucket: { name: string }; object: { key: string } } }> };
    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventName: 'ObjectCreated:PutObject',
      s3: { bucket: { name: 'value of $.detail.bucket.name' }, object: { key: 'value of $.detail.object.key' } },
    });
  });

  it('lets only that rule invoke email-ingest', () => {
    const permissions = Object.values(workersTemplate.findResources('AWS::Lambda::Permission') as Record<string, Resource>).filter(
      (p) => JSON.stringify(p.Properties.FunctionName) === JSON.stringify({ 'Fn::GetAtt': [workers.getLogicalId(emailIngest().fn.node.defaultChild as never), 'Arn'] }),
    );
    expect(permissions.map((p) => p.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: expect.anything(),
        Principal: 'events.amazonaws.com',
        SourceArn: { 'Fn::GetAtt': [workers.getLogicalId(workers.inboundMailRule.node.defaultChild as never), 'Arn'] },
      },
    ]);
  });
});
