import { GenerateMacCommand, VerifyMacCommand, type KMSClient } from '@aws-sdk/client-kms';
import { SURVEY_KEY_ID, SurveyLinkTokens, type SurveyBaseUrl } from './survey-link-signer';

/**
 * The survey-link keyring in AWS (SURVEY_LINK_KMS_KEYS): `<key id>=<KMS key>` pairs, comma
 * separated, newest first, e.g. `k2=alias/caseflow-prod-survey-link-k2,k1=alias/caseflow-prod-survey-link-k1`.
 * The first signs, every one verifies. The key id is what a token names (as the local keyring's);
 * the KMS key is its alias, ARN or id (an HMAC_256 GENERATE_VERIFY_MAC key, infra/stateful-stack.ts).
 */
export function parseKmsSurveyKeyring(value: string): { current: string; keys: ReadonlyMap<string, string> } {
  const pairs = value.split(',').map((pair) => {
    const at = pair.indexOf('=');
    const id = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (at <= 0 || !SURVEY_KEY_ID.test(id) || key === '') throw new Error('caseflow configuration error: SURVEY_LINK_KMS_KEYS is a comma list of <key id>=<KMS key>, the signing key first');
    return [id, key] as const;
  });
  const keys = new Map(pairs);
  if (keys.size !== pairs.length) throw new Error('caseflow configuration error: SURVEY_LINK_KMS_KEYS names a key id twice');
  return { current: pairs[0]?.[0] ?? '', keys };
}

/**
 * Survey links signed by KMS HMAC keys (M8.1, C7.1): the same token as the local keyring's
 * (survey-link-signer.ts), its MAC an HMAC_SHA_256 that KMS computes (GenerateMac) and checks
 * (VerifyMac), so the secret never leaves KMS and never sits in a Lambda's environment. A function
 * that mails surveys needs only kms:GenerateMac, the survey page only kms:VerifyMac.
 */
export class KmsSurveyLinks extends SurveyLinkTokens {
  protected readonly currentKeyId: string;
  private readonly keys: ReadonlyMap<string, string>;

  constructor(
    private readonly kms: Pick<KMSClient, 'send'>,
    keyring: string,
    baseUrl?: SurveyBaseUrl,
  ) {
    super(baseUrl);
    const ring = parseKmsSurveyKeyring(keyring);
    this.currentKeyId = ring.current;
    this.keys = ring.keys;
  }

  protected knows(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  protected async macOf(keyId: string, payload: string): Promise<Buffer> {
    const out = await this.kms.send(new GenerateMacCommand({ KeyId: this.kmsKey(keyId), Message: Buffer.from(payload), MacAlgorithm: 'HMAC_SHA_256' }));
    if (!out.Mac) throw new Error('KMS returned no MAC');
    return Buffer.from(out.Mac);
  }

  protected async macMatches(keyId: string, payload: string, mac: Buffer): Promise<boolean> {
    try {
      const out = await this.kms.send(new VerifyMacCommand({ KeyId: this.kmsKey(keyId), Message: Buffer.from(payload), Mac: mac, MacAlgorithm: 'HMAC_SHA_256' }));
      return out.MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not match with this error, not with MacValid false.
      if (error instanceof Error && error.name === 'KMSInvalidMacException') return false;
      throw error;
    }
  }

  private kmsKey(keyId: string): string {
    const key = this.keys.get(keyId);
    if (!key) throw new Error(`no survey link key ${keyId}`);
    return key;
  }
}
