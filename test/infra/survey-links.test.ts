import type { Template } from 'aws-cdk-lib/assertions';
import { deployedFunctions, functionResource, statementsOfFunction } from './support/functions';
import { asList, type Statement } from './support/iam';
import { synthesizeCaseflow, type SynthesizedApp } from './support/synth';

/**
 * The satisfaction survey's links in AWS (M8.1, C7.1; docs/surveys.md): KMS HMAC keys in the
 * stateful stack, named by alias; outbox-stream (workers) signs with the first, the survey page's
 * functions (quality) verify with each; the page's address reaches outbox-stream through the table.
 */
let synthesized: SynthesizedApp;
let rotated: SynthesizedApp;

beforeAll(() => {
  synthesized = synthesizeCaseflow();
  rotated = synthesizeCaseflow({ 'caseflow:surveyLinkKeys': 'k2,k1' });
});

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
const resources = (t: Template) => Object.entries((t.toJSON() as { Resources: Record<string, Resource> }).Resources);
const hmacKeys = (t: Template) => resources(t).filter(([, r]) => r.Type === 'AWS::KMS::Key' && r.Properties.KeySpec === 'HMAC_256');
const aliasesOf = (t: Template, keyId: string) =>
  resources(t)
    .filter(([, r]) => r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties.TargetKeyId) === JSON.stringify({ 'Fn::GetAtt': [keyId, 'Arn'] }))
    .map(([, r]) => r.Properties.AliasName);

/** Each KMS MAC action a function's role is allowed, with the aliases it is limited to. */
function macGrants(s: SynthesizedApp, handler: string): Array<{ action: string; resource: unknown; aliases: unknown; algorithm: unknown }> {
  const deployed = deployedFunctions(s).get(handler);
  if (!deployed) throw new Error(`no function ${handler}`);
  return statementsOfFunction(deployed)
    .filter((st: Statement) => st.Effect === 'Allow')
    .flatMap((st) =>
      asList(st.Action)
        .filter((a) => /^kms:(GenerateMac|VerifyMac)$/.test(a) || a === 'kms:*')
        .map((action) => {
          const c = (st.Condition ?? {}) as Record<string, Record<string, unknown>>;
          return { action, resource: st.Resource, aliases: c['ForAnyValue:StringEquals']?.['kms:ResourceAliases'], algorithm: c.StringEquals?.['kms:MacAlgorithm'] };
        }),
    );
}

const environmentOf = (s: SynthesizedApp, handler: string) => {
  const deployed = deployedFunctions(s).get(handler);
  if (!deployed) throw new Error(`no function ${handler}`);
  return ((functionResource(deployed).Properties.Environment as { Variables: Record<string, unknown> }).Variables ?? {});
};

const anyKey = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':key/*']] };

describe('the survey link keys (M8.1, C7.1)', () => {
  it('are KMS HMAC_256 keys for generating and verifying MACs only, one per listed id, each with its stage-named alias, kept when the stack goes', () => {
    const keys = hmacKeys(synthesized.statefulTemplate);
    expect(keys).toHaveLength(1);
    const [id, key] = keys[0] ?? ['', { Properties: {} } as Resource];
    expect(key.Properties).toMatchObject({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC', PendingWindowInDays: 30 });
    expect(key.DeletionPolicy).toBe('Retain');
    expect(aliasesOf(synthesized.statefulTemplate, id)).toEqual(['alias/caseflow-dev-survey-link-k1']);

    const both = hmacKeys(rotated.statefulTemplate);
    expect(both.flatMap(([keyId]) => aliasesOf(rotated.statefulTemplate, keyId)).sort()).toEqual(['alias/caseflow-dev-survey-link-k1', 'alias/caseflow-dev-survey-link-k2']);
    // The key k1 keeps its logical id when k2 is put before it: a rotation never replaces the key that signed mailed links.
    expect(both.map(([keyId]) => keyId)).toContain(id);
  });

  it('let outbox-stream generate MACs with the signing key only, and the survey page verify with every listed key only, HMAC_SHA_256', () => {
    expect(macGrants(synthesized, 'outbox-stream')).toEqual([{ action: 'kms:GenerateMac', resource: anyKey, aliases: ['alias/caseflow-dev-survey-link-k1'], algorithm: 'HMAC_SHA_256' }]);
    for (const handler of ['get-survey', 'answer-survey']) {
      expect(macGrants(synthesized, handler)).toEqual([{ action: 'kms:VerifyMac', resource: anyKey, aliases: ['alias/caseflow-dev-survey-link-k1'], algorithm: 'HMAC_SHA_256' }]);
    }
    // After a rotation: the new key signs; links signed by the old one still verify.
    expect(macGrants(rotated, 'outbox-stream')).toEqual([expect.objectContaining({ action: 'kms:GenerateMac', aliases: ['alias/caseflow-dev-survey-link-k2'] })]);
    expect(macGrants(rotated, 'get-survey')).toEqual([expect.objectContaining({ action: 'kms:VerifyMac', aliases: ['alias/caseflow-dev-survey-link-k2', 'alias/caseflow-dev-survey-link-k1'] })]);
  });

  it('are granted to no other function', () => {
    for (const [handler] of deployedFunctions(synthesized)) {
      if (['outbox-stream', 'get-survey', 'answer-survey'].includes(handler)) continue;
      expect({ handler, grants: macGrants(synthesized, handler) }).toEqual({ handler, grants: [] });
    }
  });

  it('reach the functions by alias, the signing key first, and no keyring secret is in any environment', () => {
    expect(environmentOf(synthesized, 'outbox-stream').SURVEY_LINK_KMS_KEYS).toBe('k1=alias/caseflow-dev-survey-link-k1');
    expect(environmentOf(rotated, 'outbox-stream').SURVEY_LINK_KMS_KEYS).toBe('k2=alias/caseflow-dev-survey-link-k2,k1=alias/caseflow-dev-survey-link-k1');
    expect(environmentOf(rotated, 'answer-survey').SURVEY_LINK_KMS_KEYS).toBe('k2=alias/caseflow-dev-survey-link-k2,k1=alias/caseflow-dev-survey-link-k1');
    for (const [handler] of deployedFunctions(synthesized)) {
      expect(Object.keys(environmentOf(synthesized, handler)).filter((v) => v === 'SURVEY_LINK_KEYS' || v === 'SURVEY_LINK_KEY_DIR')).toEqual([]);
    }
  });
});

describe('the survey page address (M8.1, C7.1)', () => {
  it('is written into the table by the quality stack, as the setting outbox-stream reads: the HTTP API address, from its stage-named export', () => {
    const writers = resources(synthesized.qualityTemplate).filter(([, r]) => r.Type === 'Custom::AWS');
    expect(writers).toHaveLength(1);
    // The call is a JSON string joined with the imports: read it as text, its quotes unescaped.
    const create = JSON.stringify(writers[0]?.[1].Properties.Create).replace(/\\"/g, '"');
    expect(create).toContain('"service":"DynamoDB","action":"putItem"');
    expect(create).toContain('"PK":{"S":"SETTING#survey-base-url"},"SK":{"S":"SETTING"}');
    expect(create).toContain('caseflow-dev-http-api-id');
    expect(create).toContain('.execute-api.');
  });

  it('is written with PutItem on that one item only', () => {
    const { qualityTemplate } = synthesized;
    const writerPolicies = resources(qualityTemplate)
      .filter(([, r]) => r.Type === 'AWS::IAM::Policy')
      .flatMap(([, r]) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement)
      .filter((st) => asList(st.Action).includes('dynamodb:PutItem') && JSON.stringify(st.Condition ?? {}).includes('SETTING#'));
    expect(writerPolicies).toEqual([expect.objectContaining({ Action: 'dynamodb:PutItem', Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['SETTING#survey-base-url'] } } })]);
  });

  it('is no variable of outbox-stream in AWS (the workers stack deploys before the API: it reads the setting)', () => {
    expect(environmentOf(synthesized, 'outbox-stream').SURVEY_BASE_URL).toBeUndefined();
    expect(environmentOf(synthesized, 'outbox-stream').TABLE_NAME).toBeDefined();
  });
});
