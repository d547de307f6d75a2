import type { Template } from 'aws-cdk-lib/assertions';
import type { CaseflowStatefulStack } from '../../infra/stateful-stack';
import { deployedFunctions, functionResource, statementsOfFunction, type DeployedFunction } from './support/functions';
import { asList, grantsOf, type Statement } from './support/iam';
import { synthesizeCaseflow } from './support/synth';

/**
 * Where the customers' data keys are (crypto-shredding, M5.1 / C6.1; docs/privacy.md): a table no
 * backup can restore a destroyed key from, a wrapping key that is never deleted, and exactly the
 * functions that seal or open archives allowed to use them, each for what it does.
 */
let statefulTemplate: Template;
let stateful: CaseflowStatefulStack;
/** Every function of the app, whichever stack deploys it (the archivers are the workers stack's, the archive readers the API's). */
let deployed: Map<string, DeployedFunction>;

beforeAll(() => {
  const synthesized = synthesizeCaseflow();
  ({ statefulTemplate, stateful } = synthesized);
  deployed = deployedFunctions(synthesized);
});

type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const statefulResource = (construct: { node: { defaultChild?: unknown } }): Resource => {
  const id = stateful.getLogicalId(construct.node.defaultChild as never);
  return (statefulTemplate.toJSON() as { Resources: Record<string, Resource> }).Resources[id] as Resource;
};

/** Sealing an archive makes the customer's key on first use; reading one back, or verifying an expiry, only opens it; an erasure destroys it. */
const MAKERS = ['case-archiver', 'retention-reconciler'];
const OPENERS = ['get-case-archive', 'create-access-request', 'expiry-verifier', 'expiry-redrive'];
const DESTROYERS = ['create-erasure-request'];

const TABLE = 'caseflow-dev-subject-key-table-arn';
const KEY = 'caseflow-dev-subject-key-wrapping-key-arn';
const statementsOf = (handler: string): Statement[] => statementsOfFunction(deployed.get(handler)!);
/** A function's grants on the key table and the wrapping key (named by their exports), e.g. `dynamodb:GetItem table`. */
const subjectKeyGrants = (handler: string) =>
  grantsOf(statementsOf(handler))
    .filter((g) => g.endsWith(` ${TABLE}`) || g.endsWith(` ${KEY}`))
    .map((g) => g.replace(TABLE, 'table').replace(KEY, 'key'))
    .sort();

describe('the subject-key table', () => {
  it('keeps no point-in-time recovery, so a destroyed key never comes back from a restore (M5.1 / C6.1)', () => {
    const table = statefulResource(stateful.subjectKeyTable);
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: false });
    expect(table.Properties.StreamSpecification).toBeUndefined();
  });

  it('is keyed by the subject id alone, on demand, and outlives the stack and accidental deletes', () => {
    const table = statefulResource(stateful.subjectKeyTable);
    expect(table.Properties).toMatchObject({
      KeySchema: [{ AttributeName: 'subjectId', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'subjectId', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      DeletionProtectionEnabled: true,
      // DynamoDB's own key (SSEEnabled false is the AWS-owned key): the items are KMS ciphertext already.
      SSESpecification: { SSEEnabled: false },
    });
    expect(table.Properties.GlobalSecondaryIndexes).toBeUndefined();
    expect(table.DeletionPolicy).toBe('Retain');
    expect(table.UpdateReplacePolicy).toBe('Retain');
  });

  it('acknowledges the missing point-in-time recovery with the crypto-shredding reason, on that table alone', () => {
    const acknowledged = stateful.node.findAll().filter((c) => c.node.metadata.some((m) => JSON.stringify(m.data ?? '').includes('AwsSolutions-DDB3')));
    expect(acknowledged.map((c) => c.node.path)).toEqual([stateful.subjectKeyTable.node.path]);
    expect(JSON.stringify(acknowledged[0]?.node.metadata)).toMatch(/destroyed key back/);
  });
});

describe('the subject-key wrapping key', () => {
  it('is a symmetric key that rotates, is retained and is named after the stage', () => {
    const key = statefulResource(stateful.subjectKeyWrappingKey);
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.Properties.KeySpec ?? 'SYMMETRIC_DEFAULT').toBe('SYMMETRIC_DEFAULT');
    expect(key.DeletionPolicy).toBe('Retain');
    expect(key.UpdateReplacePolicy).toBe('Retain');
    statefulTemplate.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/caseflow-dev-subject-keys',
      TargetKeyId: { 'Fn::GetAtt': [stateful.getLogicalId(stateful.subjectKeyWrappingKey.node.defaultChild as never), 'Arn'] },
    });
  });

  it('is not the data key: each is its own key', () => {
    expect(stateful.getLogicalId(stateful.subjectKeyWrappingKey.node.defaultChild as never)).not.toBe(stateful.getLogicalId(stateful.dataKey.node.defaultChild as never));
  });
});

describe('the stateful stack’s subject-key exports and outputs', () => {
  it('exports the table’s name and ARN and the wrapping key’s ARN under stage names', () => {
    const exports = Object.values(statefulTemplate.toJSON().Outputs as Record<string, { Export?: { Name: string } }>).map((o) => o.Export?.Name);
    expect(exports).toEqual(expect.arrayContaining(['caseflow-dev-subject-key-table-name', TABLE, KEY]));
  });

  it('outputs the table name and the wrapping key ARN', () => {
    statefulTemplate.hasOutput('SubjectKeyTableName', { Value: { Ref: stateful.getLogicalId(stateful.subjectKeyTable.node.defaultChild as never) } });
    statefulTemplate.hasOutput('SubjectKeyWrappingKeyArn', {
      Value: { 'Fn::GetAtt': [stateful.getLogicalId(stateful.subjectKeyWrappingKey.node.defaultChild as never), 'Arn'] },
    });
  });
});

describe('access to the subjects’ keys (M5.1 / C6.1, least privilege)', () => {
  it('is granted to exactly the functions that seal or open archives, and to the erasure', () => {
    const users = [...deployed.keys()].filter((handler) => subjectKeyGrants(handler).length > 0);
    expect(users.sort()).toEqual([...MAKERS, ...OPENERS, ...DESTROYERS].sort());
  });

  it.each(MAKERS)('lets %s read and make a customer’s key, never delete or scan', (handler) => {
    expect(subjectKeyGrants(handler)).toEqual(['dynamodb:GetItem table', 'dynamodb:PutItem table', 'kms:Decrypt key', 'kms:GenerateDataKey key']);
  });

  it.each(OPENERS)('lets %s only read and unwrap a customer’s key', (handler) => {
    expect(subjectKeyGrants(handler)).toEqual(['dynamodb:GetItem table', 'kms:Decrypt key']);
  });

  it.each(DESTROYERS)('lets %s open and destroy a customer’s key (DeleteItem: crypto-shredding their archives, M5.1 / C6.1), never make one', (handler) => {
    // Opening: an expired case's sealed record names the customer's other addresses and numbers, read before the keys go.
    expect(subjectKeyGrants(handler)).toEqual(['dynamodb:DeleteItem table', 'dynamodb:GetItem table', 'kms:Decrypt key']);
  });

  it('lets the erasure alone delete a key, and no function scan the table or reach it other than by its ARN', () => {
    for (const handler of deployed.keys()) {
      const onTable = grantsOf(statementsOf(handler)).filter((g) => g.includes('subject-key-table'));
      const allowed = (g: string) => g.endsWith(` ${TABLE}`) && !/Scan|Query|BatchWrite|\*/.test(g) && (!g.includes('Delete') || (DESTROYERS.includes(handler) && g === `dynamodb:DeleteItem ${TABLE}`));
      expect({ handler, stray: onTable.filter((g) => !allowed(g)) }).toEqual({ handler, stray: [] });
    }
    const deleters = [...deployed.keys()].filter((handler) => grantsOf(statementsOf(handler)).includes(`dynamodb:DeleteItem ${TABLE}`));
    expect(deleters).toEqual(DESTROYERS);
  });

  it.each([...MAKERS, ...OPENERS, ...DESTROYERS])('lets %s use the wrapping key only with a subject as the whole encryption context, calling KMS directly', (handler) => {
    const keyStatements = statementsOf(handler).filter((s) => JSON.stringify(s.Resource).includes(KEY));
    expect(keyStatements.length).toBeGreaterThan(0);
    for (const s of keyStatements) {
      expect(s.Condition).toEqual({
        'ForAnyValue:StringEquals': { 'kms:EncryptionContextKeys': ['subject'] },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': ['subject'] },
      });
      expect(asList(s.Resource)).toEqual([{ 'Fn::ImportValue': KEY }]);
    }
  });

  it.each([...MAKERS, ...OPENERS, ...DESTROYERS])('deploys %s with the key table and the wrapping key, so it uses the KMS store in AWS', (handler) => {
    const resource = functionResource(deployed.get(handler)!);
    expect((resource.Properties.Environment as { Variables: Record<string, unknown> }).Variables).toMatchObject({
      SUBJECT_KEY_TABLE: { 'Fn::ImportValue': 'caseflow-dev-subject-key-table-name' },
      SUBJECT_KEY_ID: { 'Fn::ImportValue': KEY },
    });
  });
});
