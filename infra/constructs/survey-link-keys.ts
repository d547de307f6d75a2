import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import type { EnvironmentOf } from '../../functions/adapters/function-config';

/**
 * The satisfaction survey links' KMS HMAC keys (M8.1, C7.1; docs/surveys.md). One HMAC_256
 * GENERATE_VERIFY_MAC key for each id of caseflow:surveyLinkKeys (newest first), each with the
 * alias `alias/caseflow-<stage>-survey-link-<id>`. The functions name the keys by alias and their
 * grants name them by alias (kms:ResourceAliases), not by a cross-stack reference: a key dropped
 * from the list after a rotation then leaves no export another stack still imports.
 */
/** caseflow:surveyLinkKeys's default: one key. */
export const DEFAULT_SURVEY_LINK_KEYS: readonly string[] = ['k1'];

export const surveyLinkKeyAlias = (stage: string, id: string) => `alias/caseflow-${stage}-survey-link-${id}`;

/** The stateful stack's keys, RETAINed: a key dropped from the list stays until an operator schedules its deletion. */
export function createSurveyLinkKeys(scope: Construct, stage: string, ids: readonly string[]): kms.Key[] {
  return ids.map(
    (id) =>
      new kms.Key(scope, `SurveyLinkKey-${id}`, {
        description: `caseflow ${stage}: signs and checks the satisfaction survey links (HMAC-SHA256), key ${id}`,
        keySpec: kms.KeySpec.HMAC_256,
        keyUsage: kms.KeyUsage.GENERATE_VERIFY_MAC,
        alias: surveyLinkKeyAlias(stage, id),
        // HMAC keys have no automatic rotation: caseflow rotates by adding a key (docs/surveys.md).
        pendingWindow: Duration.days(30),
        removalPolicy: RemovalPolicy.RETAIN,
      }),
  );
}

/** SURVEY_LINK_KMS_KEYS of a function that makes or checks survey links: `<id>=<alias>`, the signing key first. */
export const surveyLinkEnvironment = (stage: string, ids: readonly string[]): Pick<EnvironmentOf<'outbox-stream'>, 'SURVEY_LINK_KMS_KEYS'> => ({
  SURVEY_LINK_KMS_KEYS: ids.map((id) => `${id}=${surveyLinkKeyAlias(stage, id)}`).join(','),
});

/** cdk-nag's finding for the grants below: every key of the account, narrowed by the alias condition. */
export const SURVEY_LINK_KEY_FINDING = 'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:kms:<AWS::Region>:<AWS::AccountId>:key/*]';

/**
 * kms:GenerateMac (the function mails surveys: it signs with the first key only) or kms:VerifyMac
 * (the survey page: every listed key), HMAC_SHA_256 only, on the keys with those aliases only.
 */
export function grantSurveyLinks(role: iam.IRole, use: 'sign' | 'verify', stage: string, ids: readonly string[]): void {
  const stack = Stack.of(role);
  // kms:ResourceAliases compares alias names (alias/…), not ARNs.
  const aliases = (use === 'sign' ? ids.slice(0, 1) : ids).map((id) => surveyLinkKeyAlias(stage, id));
  iam.Grant.addToPrincipal({
    grantee: role,
    actions: [use === 'sign' ? 'kms:GenerateMac' : 'kms:VerifyMac'],
    resourceArns: [stack.formatArn({ service: 'kms', resource: 'key', resourceName: '*' })],
    conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': aliases }, StringEquals: { 'kms:MacAlgorithm': 'HMAC_SHA_256' } },
  });
  Validations.of(role).acknowledge({
    id: SURVEY_LINK_KEY_FINDING,
    reason: `kms:${use === 'sign' ? 'GenerateMac' : 'VerifyMac'} only on the keys whose alias is a survey link key of this stage (condition kms:ResourceAliases), HMAC_SHA_256 only: the keys are named by alias so that a rotation never removes an export another stack imports.`,
  });
}
