import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { GenerateMacCommand, KMSInvalidMacException, VerifyMacCommand, type GenerateMacCommandOutput, type VerifyMacCommandOutput } from '@aws-sdk/client-kms';
import { KmsSurveyLinks, parseKmsSurveyKeyring } from '../../../functions/adapters/kms-survey-link-signer';

/**
 * KMS has no local stand-in (the local stack signs with a key file), so the client is a fake whose
 * `send` answers GenerateMac and VerifyMac as KMS documents them: HMAC_SHA_256 under a secret of
 * each HMAC key it holds (by alias), NotFoundException for a key it lacks, and
 * KMSInvalidMacException (not MacValid false) for a MAC that does not match.
 */
class FakeKms {
  readonly secrets = new Map<string, Buffer>();
  readonly calls: string[] = [];

  holds(...aliases: string[]): this {
    for (const alias of aliases) this.secrets.set(alias, randomBytes(32));
    return this;
  }

  async send(command: unknown): Promise<GenerateMacCommandOutput | VerifyMacCommandOutput> {
    if (command instanceof GenerateMacCommand) {
      const { KeyId = '', Message, MacAlgorithm } = command.input;
      this.calls.push(`GenerateMac ${KeyId}`);
      return { $metadata: {}, KeyId, MacAlgorithm, Mac: this.mac(KeyId, MacAlgorithm, Message) };
    }
    if (command instanceof VerifyMacCommand) {
      const { KeyId = '', Message, MacAlgorithm, Mac } = command.input;
      this.calls.push(`VerifyMac ${KeyId}`);
      const expected = this.mac(KeyId, MacAlgorithm, Message);
      const given = Buffer.from(Mac ?? new Uint8Array());
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new KMSInvalidMacException({ message: 'invalid MAC', $metadata: {} });
      return { $metadata: {}, KeyId, MacAlgorithm, MacValid: true };
    }
    throw new Error('the fake KMS answers GenerateMac and VerifyMac only');
  }

  private mac(keyId: string, algorithm: string | undefined, message: Uint8Array | undefined): Buffer {
    const secret = this.secrets.get(keyId);
    if (!secret) throw Object.assign(new Error(`Key '${keyId}' does not exist`), { name: 'NotFoundException' });
    if (algorithm !== 'HMAC_SHA_256') throw Object.assign(new Error('wrong MAC algorithm'), { name: 'InvalidKeyUsageException' });
    return createHmac('sha256', secret).update(message ?? new Uint8Array()).digest();
  }
}

const K1 = 'alias/caseflow-prod-survey-link-k1';
const K2 = 'alias/caseflow-prod-survey-link-k2';
const ref = { caseId: '44444444-4444-4444-8444-000000000001', surveyId: '0123456789abcdef0123456789abcdef', expiresAt: '2026-03-31T09:00:00.000Z' };
const before = Date.parse('2026-03-03T09:00:00.000Z');
const base = 'https://abc123.execute-api.eu-west-1.amazonaws.com/';
const tokenOf = (link: string) => link.slice(`${base}survey/`.length);

describe('survey links signed by KMS HMAC keys in AWS (M8.1, C7.1)', () => {
  it('makes a link with the current key that the same keyring verifies, naming the case and survey', async () => {
    const kms = new FakeKms().holds(K1);
    const links = new KmsSurveyLinks(kms, `k1=${K1}`, base);
    const link = await links.linkFor(ref);
    expect(link.startsWith(`${base}survey/v1.k1.${ref.caseId}.${ref.surveyId}.`)).toBe(true);
    expect(await links.verify(tokenOf(link), before)).toEqual({ ok: true, ref });
    expect(kms.calls).toEqual([`GenerateMac ${K1}`, `VerifyMac ${K1}`]);
  });

  it('signs with the first key after a rotation and still verifies a link signed by an older key it lists, by that key', async () => {
    const kms = new FakeKms().holds(K1, K2);
    const mailed = tokenOf(await new KmsSurveyLinks(kms, `k1=${K1}`, base).linkFor(ref));
    const rotated = new KmsSurveyLinks(kms, `k2=${K2},k1=${K1}`, base);
    expect(tokenOf(await rotated.linkFor(ref)).split('.')[1]).toBe('k2');
    kms.calls.length = 0;
    expect(await rotated.verify(mailed, before)).toEqual({ ok: true, ref });
    expect(kms.calls).toEqual([`VerifyMac ${K1}`]);
  });

  it('refuses a link signed by a key the keyring no longer lists, without asking KMS', async () => {
    const kms = new FakeKms().holds(K1, K2);
    const mailed = tokenOf(await new KmsSurveyLinks(kms, `k1=${K1}`, base).linkFor(ref));
    kms.calls.length = 0;
    expect(await new KmsSurveyLinks(kms, `k2=${K2}`, base).verify(mailed, before)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(kms.calls).toEqual([]);
  });

  it('refuses an altered link (another survey, a later expiry, a changed MAC) and one signed by another key under the same id', async () => {
    const kms = new FakeKms().holds(K1, K2);
    const links = new KmsSurveyLinks(kms, `k1=${K1}`, base);
    const parts = tokenOf(await links.linkFor(ref)).split('.');
    const swap = (i: number, v: string) => parts.map((p, j) => (j === i ? v : p)).join('.');
    expect(await links.verify(swap(3, 'f'.repeat(32)), before)).toEqual({ ok: false, reason: 'bad-signature' });
    expect(await links.verify(swap(4, String(Number(parts[4]) + 86_400)), before)).toEqual({ ok: false, reason: 'bad-signature' });
    const mac = parts[5] ?? '';
    expect(await links.verify(swap(5, `${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`), before)).toEqual({ ok: false, reason: 'bad-signature' });
    const stranger = tokenOf(await new KmsSurveyLinks(kms, `k1=${K2}`, base).linkFor(ref));
    expect(await links.verify(stranger, before)).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a link at its expiry', async () => {
    const links = new KmsSurveyLinks(new FakeKms().holds(K1), `k1=${K1}`, base);
    expect(await links.verify(tokenOf(await links.linkFor(ref)), Date.parse(ref.expiresAt))).toEqual({ ok: false, reason: 'expired' });
  });

  it('passes on a KMS failure other than a MAC that does not match (a denied or missing key is not a bad link)', async () => {
    const links = new KmsSurveyLinks(new FakeKms().holds(K1), `k1=${K1}`, base);
    const token = tokenOf(await links.linkFor(ref));
    await expect(new KmsSurveyLinks(new FakeKms(), `k1=${K1}`, base).verify(token, before)).rejects.toThrow(/does not exist/);
  });

  it('reads the page address when it makes a link, and says the address is missing when the deployment has none yet', async () => {
    const setting: { address?: string } = {};
    const links = new KmsSurveyLinks(new FakeKms().holds(K1), `k1=${K1}`, async () => setting.address);
    await expect(links.linkFor(ref)).rejects.toThrow(/survey page's address/);
    setting.address = base;
    expect((await links.linkFor(ref)).startsWith(`${base}survey/v1.k1.`)).toBe(true);
  });

  it('reads the keyring newest first and refuses a malformed one', () => {
    expect(parseKmsSurveyKeyring(`k2=${K2},k1=${K1}`)).toEqual({ current: 'k2', keys: new Map([['k2', K2], ['k1', K1]]) });
    expect(() => parseKmsSurveyKeyring('')).toThrow(/SURVEY_LINK_KMS_KEYS/);
    expect(() => parseKmsSurveyKeyring(`k1.x=${K1}`)).toThrow(/SURVEY_LINK_KMS_KEYS/);
    expect(() => parseKmsSurveyKeyring(`k1=${K1},k1=${K2}`)).toThrow(/twice/);
  });
});
