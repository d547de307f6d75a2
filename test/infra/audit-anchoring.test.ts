import type { Template } from 'aws-cdk-lib/assertions';
import { AUDIT_ANCHOR_PREFIX } from '../../functions/adapters/s3-audit-anchors';
import { bucketArnExportName, type CaseflowStatefulStack } from '../../infra/stateful-stack';
import { deployedFunctions, functionResource, statementsOfFunction, type DeployedFunction } from './support/functions';
import { asList, type Statement } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/**
 * The audit-chain heads anchored outside the table (M5.3, M7.3; docs/audit-trail.md): the daily
 * audit-anchor function and its schedule (the workers stack's), the verifying function's read
 * access (the staff API's, in the stateless stack), and the anchor bucket, where a digest once
 * written cannot be removed or replaced.
 */
let workersTemplate: Template;
let statefulTemplate: Template;
let stateful: CaseflowStatefulStack;
let deployed: Map<string, DeployedFunction>;

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  ({ workersTemplate, statefulTemplate, stateful } = synthesized);
  deployed = deployedFunctions(synthesized);
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };
const resources = (template: Template, type: string) => template.findResources(type) as Record<string, Resource>;
const deployedOf = (handler: string) => {
  const found = deployed.get(handler);
  if (!found) throw new Error(`no ${handler} function`);
  return found;
};
const fnOf = (handler: string) => deployedOf(handler).fn;
const idOf = (handler: string) => deployedOf(handler).stack.getLogicalId(fnOf(handler).fn.node.defaultChild as never);
const statementsOf = (handler: string): Statement[] => statementsOfFunction(deployedOf(handler));
const anchorBucketArn = { 'Fn::ImportValue': bucketArnExportName('dev', 'audit-anchor') };
const anchorObjects = { 'Fn::Join': ['', [anchorBucketArn, `/${AUDIT_ANCHOR_PREFIX}*`]] };
/** The S3 statements of a function's role. */
const s3Of = (handler: string) => statementsOf(handler).filter((s) => asList(s.Action).some((a) => a.startsWith('s3:')));
const anchorBucketId = () => stateful.getLogicalId(stateful.auditAnchorBucket.node.defaultChild as never);

describe('the audit-anchor function (M7.3)', () => {
  it('runs every day at 00:15 UTC, retried twice with the same event, so the day that ended is anchored', () => {
    const target = JSON.stringify({ 'Fn::GetAtt': [idOf('audit-anchor'), 'Arn'] });
    const rules = Object.values(resources(workersTemplate, 'AWS::Events::Rule')).filter((r) => JSON.stringify(r.Properties.Targets).includes(target));
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'cron(15 0 * * ? *)',
      State: 'ENABLED',
      Targets: [expect.objectContaining({ RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 } })],
    });
  });

  it('reads the table and writes the digests to the anchor bucket', () => {
    const fn = functionResource(deployedOf('audit-anchor'));
    expect(fn.Properties).toMatchObject({
      Timeout: 300,
      Environment: {
        Variables: expect.objectContaining({
          TABLE_NAME: { 'Fn::ImportValue': expect.stringMatching(/Table/) },
          AUDIT_ANCHOR_BUCKET: { 'Fn::ImportValue': expect.stringMatching(/AuditAnchorBucket/) },
        }),
      },
    });
  });

  it('may list, read and write audit-anchors/ of the anchor bucket, and delete nothing', () => {
    expect(s3Of('audit-anchor')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Effect: 'Allow', Action: 's3:ListBucket', Resource: anchorBucketArn, Condition: { StringLike: { 's3:prefix': [`${AUDIT_ANCHOR_PREFIX}*`] } } }),
        expect.objectContaining({ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: anchorObjects }),
      ]),
    );
    expect(s3Of('audit-anchor')).toHaveLength(2);
  });

  it('alarms when every attempt of a day failed', () => {
    workersTemplate.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: idOf('audit-anchor') } }],
      Period: 86400,
      Threshold: 3,
    });
  });
});

describe('reading the anchors to verify a trail (M7.3)', () => {
  it('lets verify-audit-trail list the case markers and read the anchors, never write them, and names the anchor bucket in its environment', () => {
    expect(s3Of('verify-audit-trail')).toEqual([
      expect.objectContaining({ Effect: 'Allow', Action: 's3:ListBucket', Resource: anchorBucketArn, Condition: { StringLike: { 's3:prefix': [`${AUDIT_ANCHOR_PREFIX}cases/*`] } } }),
      expect.objectContaining({ Effect: 'Allow', Action: 's3:GetObject', Resource: anchorObjects }),
    ]);
    const fn = functionResource(deployedOf('verify-audit-trail'));
    expect((fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables.AUDIT_ANCHOR_BUCKET).toEqual({
      'Fn::ImportValue': expect.stringMatching(/AuditAnchorBucket/),
    });
  });

  it('gives no other function of any stack any access to the anchor bucket', () => {
    const others = [...deployed.keys()].filter((h) => h !== 'audit-anchor' && h !== 'verify-audit-trail');
    for (const handler of others) expect({ handler, anchors: JSON.stringify(statementsOf(handler)).includes('audit-anchor-bucket-arn') }).toEqual({ handler, anchors: false });
  });
});

describe('the audit anchor bucket (M5.3, M7.3)', () => {
  it('locks every object in compliance mode for five years (S3 Object Lock), on a versioned bucket of its own', () => {
    const bucket = resources(statefulTemplate, 'AWS::S3::Bucket')[anchorBucketId()];
    expect(bucket?.Properties).toMatchObject({
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 1830 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    // The archive keeps no default retention: an erasure request can still remove attachments (M5.1 / C6.1).
    const archive = resources(statefulTemplate, 'AWS::S3::Bucket')[stateful.getLogicalId(stateful.archiveBucket.node.defaultChild as never)];
    expect(archive?.Properties.ObjectLockEnabled).toBeUndefined();
  });

  it('refuses every delete, even a delete marker, every overwrite, and any request without TLS', () => {
    const policy = Object.values(resources(statefulTemplate, 'AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: anchorBucketId() }));
    const statements = (policy?.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: ['s3:DeleteObject', 's3:DeleteObjectVersion'],
          Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [anchorBucketId(), 'Arn'] }, '/*']] },
        }),
        expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        expect.objectContaining({ Sid: 'AuditAnchorsAreWrittenOnce', Effect: 'Deny', Principal: { AWS: '*' }, Action: 's3:PutObject', Condition: { Null: { 's3:if-none-match': 'true' } } }),
      ]),
    );
  });

  it('blocks public access, logs access, is retained, and exports its ARN under the stage name', () => {
    const bucket = statefulTemplate.findResources('AWS::S3::Bucket')[anchorBucketId()] as Resource;
    expect(bucket.Properties).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LoggingConfiguration: { DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) }, LogFilePrefix: 'audit-anchors/' },
    });
    expect(bucket.DeletionPolicy).toBe('Retain');
    const exports = Object.values(statefulTemplate.toJSON().Outputs as Record<string, { Export?: { Name: string } }>).map((o) => o.Export?.Name);
    expect(exports).toContain('caseflow-dev-audit-anchor-bucket-arn');
  });
});
