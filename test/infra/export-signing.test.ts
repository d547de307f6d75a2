import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { grantManifestSigning, grantManifestVerifying } from '../../infra/constructs/export-signing-grants';
import type { CaseflowStatefulStack } from '../../infra/stateful-stack';
import { deployedFunctions, statementsOfFunction } from './support/functions';
import { grantsOf, statementsOfRole, type Statement } from './support/iam';
import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * The key compliance exports' manifests are signed with (docs/exports.md): an asymmetric P-256
 * signing key that outlives the stacks, so signatures stay verifiable for as long as the exports
 * are kept, and export-step (the exports stack) the only function allowed to sign with it.
 */
let synthesized: SynthesizedApp;
let statefulTemplate: Template;
let stateful: CaseflowStatefulStack;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
  ({ statefulTemplate, stateful } = synthesized);
});

const EXPORT = 'caseflow-dev-export-signing-key-arn';
type Resource = { Properties: Record<string, unknown>; DeletionPolicy?: string; UpdateReplacePolicy?: string };
const keyId = () => stateful.getLogicalId(stateful.exportSigningKey.node.defaultChild as never);
const key = () => (statefulTemplate.toJSON() as { Resources: Record<string, Resource> }).Resources[keyId()] as Resource;

describe('the export-signing key', () => {
  it('is an ECC P-256 key for signing and verifying only, named after the stage', () => {
    expect(key().Properties).toMatchObject({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY', Description: expect.stringMatching(/signs compliance exports' manifests/) });
    // KMS cannot rotate an asymmetric key: asking would fail the deploy.
    expect(key().Properties.EnableKeyRotation ?? false).toBe(false);
    statefulTemplate.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/caseflow-dev-export-signing', TargetKeyId: { 'Fn::GetAtt': [keyId(), 'Arn'] } });
  });

  it('outlives the stack, with the longest wait before a scheduled deletion, so old manifests stay verifiable', () => {
    expect(key().DeletionPolicy).toBe('Retain');
    expect(key().UpdateReplacePolicy).toBe('Retain');
    expect(key().Properties.PendingWindowInDays).toBe(30);
  });

  it('is a key of its own, neither the data key nor the subject-key wrapping key', () => {
    const others = [stateful.dataKey, stateful.subjectKeyWrappingKey].map((k) => stateful.getLogicalId(k.node.defaultChild as never));
    expect(others).not.toContain(keyId());
  });

  it('is exported by ARN under a stage name for the stateless stack, and output', () => {
    const outputs = statefulTemplate.toJSON().Outputs as Record<string, { Value: unknown; Export?: { Name: string } }>;
    expect(Object.values(outputs).filter((o) => o.Export?.Name === EXPORT).map((o) => o.Value)).toEqual([{ 'Fn::GetAtt': [keyId(), 'Arn'] }]);
    expect(stateful.resolve(stateful.exportSigningKeyArnImport)).toEqual({ 'Fn::ImportValue': EXPORT });
    statefulTemplate.hasOutput('ExportSigningKeyArn', { Value: { 'Fn::GetAtt': [keyId(), 'Arn'] } });
  });
});

describe('use of the export-signing key', () => {
  it('is granted to no function of the stateless and workers stacks: none may sign with any KMS key or touch this one (export-step alone signs: test/infra/compliance-exports.test.ts)', () => {
    for (const [handler, deployed] of deployedFunctions(synthesized)) {
      if (handler === 'export-step') continue;
      const grants = grantsOf(statementsOfFunction(deployed));
      expect({ handler, stray: grants.filter((g) => /^kms:(Sign|\*)/.test(g) || g.includes(EXPORT)) }).toEqual({ handler, stray: [] });
    }
  });

  /** The statements a grant gives a role on the key, in a stack of their own. */
  function statementsAfter(grant: (role: iam.IGrantable, keyArn: string) => void): Statement[] {
    const stack = new Stack();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    grant(role, 'arn:aws:kms:eu-west-1:111122223333:key/export-signing');
    return statementsOfRole(Template.fromStack(stack), stack, role);
  }

  it('lets a signer sign only ECDSA_SHA_256 digests with that key, and read its public key', () => {
    const statements = statementsAfter(grantManifestSigning);
    expect(grantsOf(statements).sort()).toEqual(['kms:GetPublicKey arn:aws:kms:eu-west-1:111122223333:key/export-signing', 'kms:Sign arn:aws:kms:eu-west-1:111122223333:key/export-signing']);
    expect(statements.find((s) => s.Action === 'kms:Sign')?.Condition).toEqual({ StringEquals: { 'kms:SigningAlgorithm': 'ECDSA_SHA_256', 'kms:MessageType': 'DIGEST' } });
  });

  it('lets a verifier read the public key and nothing else', () => {
    const statements = statementsAfter(grantManifestVerifying);
    expect(grantsOf(statements)).toEqual(['kms:GetPublicKey arn:aws:kms:eu-west-1:111122223333:key/export-signing']);
    expect(statements[0]?.Condition).toBeUndefined();
  });
});
