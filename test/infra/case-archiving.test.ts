import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { CaseflowStatefulStack } from '../../infra/stateful-stack';
import type { CaseflowWorkersStack } from '../../infra/workers-stack';
import { deployedFunctions, statementsOfFunction, type DeployedFunction } from './support/functions';
import { asList, bucketGrantsOf, grantsOf, statementsOfRole, type Statement } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/** The case archiver is the workers stack's; the functions that read the archives back are the staff API's (stateless stack). */
let stateful: Template;
let workers: Template;
let statefulStack: CaseflowStatefulStack;
let stack: CaseflowWorkersStack;
let deployed: Map<string, DeployedFunction>;
/** The templates of the stacks that hold functions and roles. */
let policyTemplates: Template[];

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  ({ statefulTemplate: stateful, workersTemplate: workers, stateful: statefulStack, workers: stack } = synthesized);
  deployed = deployedFunctions(synthesized);
  policyTemplates = [synthesized.statelessTemplate, synthesized.workersTemplate, synthesized.exportsTemplate];
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string };

describe('the case-archive bucket (M7.2 / C4.3)', () => {
  const bucketId = () => statefulStack.getLogicalId(statefulStack.caseArchiveBucket.node.defaultChild as never);
  const bucket = () => stateful.findResources('AWS::S3::Bucket')[bucketId()] as Resource;

  it('keeps its logical ID, so a redeploy never replaces the bucket of the archives', () => {
    expect(bucketId()).toBe('CaseArchiveBucket219850AD');
  });

  it('has Object Lock on with no default retention (each archive carries its own), versions, the data key, no public access, access logs, and is retained', () => {
    const p = bucket().Properties;
    expect(p.ObjectLockEnabled).toBe(true);
    expect(p.ObjectLockConfiguration).toBeUndefined();
    expect(p.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(p.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } } }],
    });
    expect(p.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
    expect(p.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) } });
    expect(bucket().DeletionPolicy).toBe('Retain');
  });

  it('moves archives to Glacier Instant Retrieval after 90 days and never expires a current one by a timer', () => {
    const rules = (bucket().Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 90 }] })]));
    expect(rules.some((r) => 'ExpirationInDays' in r || 'ExpirationDate' in r)).toBe(false);
  });

  it('refuses plain HTTP and any write without an Object Lock mode, under every prefix (archives, index, receipts, incidents)', () => {
    stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucketId() },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId(), 'Arn'] }, '/*']] },
            Condition: { Null: { 's3:object-lock-mode': 'true' } },
          }),
        ]),
      },
    });
  });

  it('exports its ARN under the stage-named export', () => {
    stateful.hasOutput('*', { Export: { Name: 'caseflow-dev-case-archive-bucket-arn' } });
  });
});

describe('the case archiver', () => {
  const fn = () => stack.functions.get('case-archiver')!;
  const fnId = () => stack.getLogicalId(fn().fn.node.defaultChild as never);
  const mapping = () => {
    const mappings = Object.values(workers.findResources('AWS::Lambda::EventSourceMapping') as Record<string, Resource>).filter(
      (m) => JSON.stringify(m.Properties.FunctionName) === JSON.stringify({ Ref: fnId() }),
    );
    expect(mappings).toHaveLength(1);
    return mappings[0]!;
  };

  it('consumes the table stream’s MODIFYs of case items left closed, bisecting, retrying ten times, then to its DLQ', () => {
    const dlqId = stack.getLogicalId(stack.caseArchiving.dlq.node.defaultChild as never);
    expect(mapping().Properties).toMatchObject({
      EventSourceArn: { 'Fn::ImportValue': expect.stringMatching(/StreamArn/) },
      StartingPosition: 'TRIM_HORIZON',
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [dlqId, 'Arn'] } } },
    });
    const [filter] = (mapping().Properties.FilterCriteria as { Filters: Array<{ Pattern: string }> }).Filters;
    expect(JSON.parse(filter?.Pattern ?? '{}')).toEqual({ eventName: ['MODIFY'], dynamodb: { NewImage: { entity: { S: ['case'] }, status: { S: ['closed'] } } } });
  });

  it('is deployed with the table and the case-archive bucket', () => {
    const env = (workers.findResources('AWS::Lambda::Function')[fnId()] as Resource).Properties.Environment as { Variables: Record<string, unknown> };
    expect(Object.keys(env.Variables)).toEqual(expect.arrayContaining(['TABLE_NAME', 'CASE_ARCHIVE_BUCKET']));
    expect(env.Variables.CASE_ARCHIVE_BUCKET).toEqual({ 'Fn::ImportValue': expect.stringMatching(/CaseArchiveBucket/) });
  });

  it('may write locked objects under records/ (the archive) and index/ (its reference entry) and nothing else in the bucket: no read, no delete; the key only through S3', () => {
    const statements = statementsOfRole(workers, stack, fn().role);
    expect(statements.flatMap((s) => asList(s.Action)).filter((a) => String(a).startsWith('s3:') && !['s3:PutObject', 's3:PutObjectRetention'].includes(String(a)))).toEqual([]);
    expect(bucketGrantsOf(statements, 'caseflow-dev-case-archive-bucket-arn')).toEqual([
      's3:PutObject bucket/index/*',
      's3:PutObject bucket/records/*',
      's3:PutObjectRetention bucket/index/*',
      's3:PutObjectRetention bucket/records/*',
    ]);
    const viaS3 = statements.filter((s) => JSON.stringify(s.Condition ?? {}).includes('s3.'));
    expect(viaS3.flatMap((s) => asList(s.Action)).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
  });

  it('reads the items of its case outside the case partition (reference, Message-ID links, inbound records) with BatchGetItem on the table, and deletes none', () => {
    const grants = grantsOf(statementsOfRole(workers, stack, fn().role));
    // The table's ARN through the stateful stack's export (its indexes end in /index/<name>).
    expect(grants).toContainEqual(expect.stringMatching(/^dynamodb:BatchGetItem dev-caseflow-stateful:ExportsOutputFnGetAttTable\w+Arn\w+$/));
    expect(grants.filter((g) => /^dynamodb:(Delete|BatchWrite|Scan|\*)/.test(g))).toEqual([]);
  });

  it('is, with the expiry verifier and its redrive and the retention reconciler, the only function that writes to the case-archive bucket; get-case-archive (auditors, M7.3) and access requests (M5.1) only read it, and an erasure (M5.1, C6.1) deletes subject-index entries alone', () => {
    const touching = Object.fromEntries(
      [...deployed]
        .map(([handler, d]) => [handler, bucketGrantsOf(statementsOfFunction(d), 'caseflow-dev-case-archive-bucket-arn')] as const)
        .filter(([, grants]) => grants.length > 0),
    );
    expect(Object.keys(touching).sort()).toEqual(['case-archiver', 'create-access-request', 'create-erasure-request', 'expiry-redrive', 'expiry-verifier', 'get-case-archive', 'retention-reconciler']);
    // The archive (any recorded version), then, once the case has expired from the table, the reference index entry that finds it.
    // Listing the bucket turns a missing key's 403 into a 404 (an unknown reference, a missing archive).
    expect(touching['get-case-archive']).toEqual(['s3:GetObject bucket/index/*', 's3:GetObject bucket/records/*', 's3:GetObjectVersion bucket/records/*', 's3:ListBucket bucket']);
    // An access request reads the archives and the subject index (which archives are the customer's), never the reference index, and writes nothing.
    expect(touching['create-access-request']).toEqual(['s3:GetObject bucket/index/subjects/*', 's3:GetObject bucket/records/*', 's3:GetObjectVersion bucket/records/*', 's3:ListBucket bucket']);
    // An erasure reads an archive to learn whose key sealed it, and deletes the customer's subject-index entries, every version, past their GOVERNANCE lock.
    expect(touching['create-erasure-request']).toEqual([
      's3:BypassGovernanceRetention bucket/index/subjects/*',
      's3:DeleteObject bucket/index/subjects/*',
      's3:DeleteObjectVersion bucket/index/subjects/*',
      's3:GetObject bucket/index/subjects/*',
      's3:GetObject bucket/records/*',
      's3:GetObjectVersion bucket/records/*',
      's3:ListBucket bucket',
      's3:ListBucketVersions bucket',
    ]);
    // Nobody else deletes, and nobody is granted the whole bucket's objects.
    const others = Object.entries(touching).flatMap(([handler, grants]) => (handler === 'create-erasure-request' ? [] : grants));
    expect(others.filter((g) => /Delete|Bypass|s3:\*|bucket\/\*$/.test(g))).toEqual([]);
    expect(Object.values(touching).flat().filter((g) => /s3:\*|bucket\/\*$/.test(g))).toEqual([]);
  });

  it('lets no role delete an archive or bypass a lock under records/ (COMPLIANCE), and the erasure role alone bypass the GOVERNANCE lock, on index/subjects/ alone (M5.1, C6.1, M7.2)', () => {
    const policies = policyTemplates.flatMap((t) => Object.values(t.findResources('AWS::IAM::Policy') as Record<string, Resource>));
    const statements = policies.flatMap((p) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const archive = 'caseflow-dev-case-archive-bucket-arn';
    const destructive = /^s3:(Delete|Bypass|\*)/;
    const onRecords = grantsOf(statements).filter((g) => destructive.test(g) && (g.includes(`${archive}/records/`) || g.endsWith(`${archive}/*`) || g.endsWith(' *')));
    expect(onRecords).toEqual([]);
    // Anywhere in the stacks, not only on the functions' roles.
    const bypassing = policies.flatMap((p) =>
      grantsOf((p.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
        .filter((g) => g.startsWith('s3:BypassGovernanceRetention'))
        .map((g) => ({ roles: p.Properties.Roles, grant: g })),
    );
    const eraser = deployed.get('create-erasure-request')!;
    const eraserRole = eraser.stack.getLogicalId(eraser.fn.role.node.defaultChild as never);
    expect(bypassing).toEqual([{ roles: [{ Ref: eraserRole }], grant: `s3:BypassGovernanceRetention ${archive}/index/subjects/*` }]);
    // It lists the versions it deletes, under the subject index only.
    const listVersions = statementsOfFunction(eraser).filter((s) => asList(s.Action).includes('s3:ListBucketVersions') && JSON.stringify(s.Resource).includes(archive));
    expect(listVersions.map((s) => s.Condition)).toEqual([{ StringLike: { 's3:prefix': ['index/subjects/*'] } }]);
  });

  it('alarms on the DLQ’s first message and on repeated errors', () => {
    const dlqId = stack.getLogicalId(stack.caseArchiving.dlq.node.defaultChild as never);
    workers.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }], Threshold: 1 });
    workers.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', Dimensions: [{ Name: 'FunctionName', Value: { Ref: fnId() } }] });
  });
});
