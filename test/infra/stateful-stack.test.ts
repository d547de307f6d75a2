import { Match, type Template } from 'aws-cdk-lib/assertions';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE, TABLE_KEYS, TTL_ATTRIBUTE } from '../../functions/adapters/table-design';
import { synthesizeCaseflow } from './support/synth';

let template: Template;
let terminationProtection: boolean | undefined;

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  template = synthesized.statefulTemplate;
  terminationProtection = synthesized.stateful.terminationProtection;
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
/** The one resource of a type whose logical ID is `id` and a hash (the case table is `Table…`, the subject-key table `SubjectKeyTable…`). */
const only = (type: string, id: string): Resource => {
  const found = Object.entries(template.findResources(type) as Record<string, Resource>).filter(([logicalId]) => new RegExp(`^${id}[0-9A-F]{8}$`).test(logicalId));
  expect(found).toHaveLength(1);
  return found[0]![1];
};
const buckets = () => template.findResources('AWS::S3::Bucket') as Record<string, Resource>;
/** The inbound and archive buckets: the two that hold personal data. */
const dataBuckets = () => Object.entries(buckets()).filter(([id]) => /^(Inbound|Archive)Bucket/.test(id));

describe('the case table', () => {
  it('uses the key schema of infra/table-design', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [
        { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  it('has exactly the global indexes of infra/table-design, string keys, projecting the whole case or only its queue summary as designed', () => {
    const table = only('AWS::DynamoDB::Table', 'Table');
    const indexes = table.Properties.GlobalSecondaryIndexes as Array<Record<string, unknown>>;
    expect(indexes).toEqual(
      GLOBAL_INDEXES.map((g) => ({
        IndexName: g.indexName,
        KeySchema: [
          { AttributeName: g.partitionKey, KeyType: 'HASH' },
          { AttributeName: g.sortKey, KeyType: 'RANGE' },
        ],
        Projection: g.projection === 'ALL' ? { ProjectionType: 'ALL' } : { ProjectionType: 'INCLUDE', NonKeyAttributes: [SUMMARY_ATTRIBUTE] },
      })),
    );
    const attributes = table.Properties.AttributeDefinitions as Array<{ AttributeName: string; AttributeType: string }>;
    const expected = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey, ...GLOBAL_INDEXES.flatMap((g) => [g.partitionKey, g.sortKey])];
    expect(attributes.map((a) => a.AttributeName).sort()).toEqual([...new Set(expected)].sort());
    expect(new Set(attributes.map((a) => a.AttributeType))).toEqual(new Set(['S']));
  });

  it('projects whole cases only on the reconciler, customer and day indexes, and only the case summary on the queue indexes', () => {
    const indexes = only('AWS::DynamoDB::Table', 'Table').Properties.GlobalSecondaryIndexes as Array<{ IndexName: string; Projection: { ProjectionType: string; NonKeyAttributes?: string[] } }>;
    expect(indexes.filter((i) => i.Projection.ProjectionType === 'ALL').map((i) => i.IndexName).sort()).toEqual(['GSI2', 'GSI3', 'GSI4']);
    const rest = indexes.filter((i) => i.Projection.ProjectionType !== 'ALL');
    expect(rest.length).toBe(12);
    for (const i of rest) expect(i.Projection).toEqual({ ProjectionType: 'INCLUDE', NonKeyAttributes: ['summary'] });
  });

  it('creates the table with point-in-time recovery over the longest window (M7.2 / C4.3)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 35 },
    });
  });

  it('expires items through TTL on expiresAt (M7.2 / C4.3 retention)', () => {
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
    });
  });

  it('streams new and old images for the outbox consumer', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
  });

  it('encrypts the table with the customer-managed key (M5.1 / C6.1)', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] } },
    });
  });

  it('survives stack deletion and accidental deletes (M7.2 / C4.3)', () => {
    const table = only('AWS::DynamoDB::Table', 'Table');
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
    expect(table.Properties.DeletionProtectionEnabled).toBe(true);
  });
});

describe('the stateful stack', () => {
  it('has termination protection, so an accidental destroy stops before touching the data', () => {
    expect(terminationProtection).toBe(true);
  });
});

describe('the customer-managed key', () => {
  it('rotates automatically and is retained (M5.1 / C6.1)', () => {
    const key = only('AWS::KMS::Key', 'DataKey');
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
  });
});

describe('the inbound and archive buckets', () => {
  it('exist, encrypted with the customer-managed key (M5.1 / C6.1)', () => {
    expect(dataBuckets()).toHaveLength(2);
    for (const [, bucket] of dataBuckets()) {
      expect(bucket.Properties.BucketEncryption).toEqual({
        ServerSideEncryptionConfiguration: [
          {
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^DataKey/), 'Arn'] } },
          },
        ],
      });
    }
  });

  it('block all public access, keep versions, log access and are retained', () => {
    for (const [, bucket] of dataBuckets()) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties.LoggingConfiguration).toMatchObject({ DestinationBucketName: { Ref: expect.stringMatching(/^AccessLogsBucket/) } });
      expect(bucket.DeletionPolicy).toBe('Retain');
    }
  });

  it('refuse requests without TLS', () => {
    const policies = Object.values(template.findResources('AWS::S3::BucketPolicy')) as Resource[];
    for (const [id] of dataBuckets()) {
      const policy = policies.find((p) => JSON.stringify(p.Properties.Bucket) === JSON.stringify({ Ref: id }));
      expect(policy?.Properties.PolicyDocument).toMatchObject({
        Statement: expect.arrayContaining([
          expect.objectContaining({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      });
    }
  });

  it('never expire current objects by a timer, but for the privacy exports, and drop old versions after 30 days (M7.2 / C4.3, M5.1 / C6.1)', () => {
    for (const [, bucket] of dataBuckets()) {
      const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
      expect(rules.every((r) => r.Status === 'Enabled')).toBe(true);
      expect(rules.some((r) => ('ExpirationInDays' in r || 'ExpirationDate' in r) && r.Prefix !== 'privacy-exports/')).toBe(false);
      expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 30 } })]));
      expect(rules).toEqual(expect.arrayContaining([expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } })]));
    }
  });
});

describe('the privacy exports (M5.1 / C6.1)', () => {
  it('expire from the archive bucket seven days after they are written, their old version a day later, and nothing else expires with them', () => {
    const [[, archive]] = dataBuckets().filter(([id]) => id.startsWith('ArchiveBucket')) as [[string, Resource]];
    const rules = (archive.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules;
    expect(rules.filter((r) => 'ExpirationInDays' in r)).toEqual([
      { Id: 'expire-privacy-exports', Prefix: 'privacy-exports/', Status: 'Enabled', ExpirationInDays: 7, NoncurrentVersionExpiration: { NoncurrentDays: 1 } },
    ]);
    const [[, inbound]] = dataBuckets().filter(([id]) => id.startsWith('InboundBucket')) as [[string, Resource]];
    expect((inbound.Properties.LifecycleConfiguration as { Rules: Array<Record<string, unknown>> }).Rules.filter((r) => 'ExpirationInDays' in r)).toEqual([]);
  });
});

describe('the access log bucket', () => {
  it('accepts S3 server access logs by bucket policy, keeps them a year and refuses plain HTTP', () => {
    const [[id, bucket]] = Object.entries(buckets()).filter(([logicalId]) => logicalId.startsWith('AccessLogsBucket')) as [[string, Resource]];
    expect(bucket.Properties.BucketEncryption).toEqual({ ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] });
    expect(bucket.Properties.LifecycleConfiguration).toMatchObject({ Rules: expect.arrayContaining([expect.objectContaining({ ExpirationInDays: 365 })]) });
    const statements = [
      Match.objectLike({ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject' }),
      Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    ];
    for (const statement of statements) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', { Bucket: { Ref: id }, PolicyDocument: { Statement: Match.arrayWith([statement]) } });
    }
  });
});
