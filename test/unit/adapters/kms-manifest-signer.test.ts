import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { GetPublicKeyCommand, KMSClient, SignCommand, type GetPublicKeyCommandOutput, type SignCommandOutput } from '@aws-sdk/client-kms';
import { KmsManifestSigner } from '../../../functions/adapters/kms-manifest-signer';
import { verifyManifestSignature } from '../../../functions/core/manifest-signature';

/**
 * KMS has no local stand-in (the local stack signs with a key file instead), so the client's `send`
 * is replaced by a fake that answers Sign and GetPublicKey as KMS documents them, with a real P-256
 * key. Node cannot ECDSA-sign a digest it is handed (its `sign` always hashes the message, and
 * @noble/curves is not installed), so the fake is honest another way: it is told the messages
 * caseflow will sign, accepts a DIGEST only if it is exactly the SHA-256 of one of them, and then
 * signs that message with ECDSA_SHA_256 — the very signature KMS returns for that digest, since
 * ECDSA signs the hash. Anything KMS would refuse (a RAW message over 4096 bytes, a digest of the
 * wrong length, another key or algorithm) it refuses too.
 */
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

class FakeKms {
  readonly calls: Array<SignCommand | GetPublicKeyCommand> = [];
  private readonly messages = new Map<string, Uint8Array>();
  readonly key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  keySpec = 'ECC_NIST_P256';
  keyUsage = 'SIGN_VERIFY';

  /** The messages the test will have signed (the fake KMS can only sign digests of these). */
  knows(message: Uint8Array): void {
    this.messages.set(createHash('sha256').update(message).digest('hex'), message);
  }

  client(): KMSClient {
    const client = new KMSClient({ region: 'eu-west-1' });
    jest.spyOn(client, 'send').mockImplementation(((command: unknown) => this.send(command)) as never);
    return client;
  }

  async send(command: unknown): Promise<SignCommandOutput | GetPublicKeyCommandOutput> {
    if (command instanceof SignCommand) {
      this.calls.push(command);
      return { $metadata: {}, KeyId: KEY_ARN, SigningAlgorithm: 'ECDSA_SHA_256', Signature: this.sign(command.input) };
    }
    if (command instanceof GetPublicKeyCommand) {
      this.calls.push(command);
      this.expectKey(command.input.KeyId);
      return {
        $metadata: {},
        KeyId: KEY_ARN,
        KeySpec: this.keySpec as never,
        KeyUsage: this.keyUsage as never,
        SigningAlgorithms: ['ECDSA_SHA_256'],
        PublicKey: this.key.publicKey.export({ type: 'spki', format: 'der' }),
      };
    }
    throw new Error('the fake KMS answers Sign and GetPublicKey only');
  }

  private sign(input: SignCommand['input']): Uint8Array {
    this.expectKey(input.KeyId);
    if (input.SigningAlgorithm !== 'ECDSA_SHA_256') throw new Error(`ValidationException: ${String(input.SigningAlgorithm)} is not valid for this key`);
    const message = input.Message ?? new Uint8Array();
    if (input.MessageType === 'DIGEST') {
      if (message.length !== 32) throw new Error('ValidationException: a digest for ECDSA_SHA_256 is 32 bytes');
      const original = this.messages.get(Buffer.from(message).toString('hex'));
      if (!original) throw new Error('fake KMS: that digest is not the SHA-256 of any message the test gave');
      return derSign(original, this.key.privateKey);
    }
    if (message.length > 4096) throw new Error('ValidationException: Message must have length less than or equal to 4096');
    return derSign(message, this.key.privateKey);
  }

  private expectKey(keyId: string | undefined): void {
    if (keyId !== KEY_ARN) throw new Error('NotFoundException: no such key');
  }
}

const derSign = (message: Uint8Array, key: KeyObject) => sign('sha256', message, { key, dsaEncoding: 'der' });

/** A manifest past KMS's 4096-byte message limit: a long file list. */
const longManifest = new TextEncoder().encode(
  JSON.stringify({ files: Array.from({ length: 200 }, (_, i) => ({ name: `events-${i}.parquet`, sha256: createHash('sha256').update(String(i)).digest('hex') })) }),
);

describe('the KMS manifest signer', () => {
  it('signs a manifest longer than KMS’s 4096-byte message limit, and the public key KMS gives verifies it', async () => {
    expect(longManifest.length).toBeGreaterThan(4096);
    const kms = new FakeKms();
    kms.knows(longManifest);
    const signer = new KmsManifestSigner(kms.client(), KEY_ARN);
    const signature = await signer.sign(longManifest);
    expect(verifyManifestSignature(longManifest, signature, await signer.publicKeyPem())).toBe(true);
    const altered = Uint8Array.from(longManifest);
    altered[100] = altered[100]! ^ 0x01;
    expect(verifyManifestSignature(altered, signature, await signer.publicKeyPem())).toBe(false);
  });

  it('asks KMS to sign the SHA-256 of the manifest, as a digest, with ECDSA_SHA_256 under the configured key', async () => {
    const kms = new FakeKms();
    kms.knows(longManifest);
    await new KmsManifestSigner(kms.client(), KEY_ARN).sign(longManifest);
    const [call] = kms.calls;
    expect(call).toBeInstanceOf(SignCommand);
    expect({ ...call!.input, Message: Buffer.from((call as SignCommand).input.Message ?? []).toString('hex') }).toEqual({
      KeyId: KEY_ARN,
      Message: createHash('sha256').update(longManifest).digest('hex'),
      MessageType: 'DIGEST',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
  });

  it('gives the signature as base64 of the DER that KMS returns, the same form the local signer writes', async () => {
    const kms = new FakeKms();
    kms.knows(longManifest);
    const signature = Buffer.from(await new KmsManifestSigner(kms.client(), KEY_ARN).sign(longManifest), 'base64');
    // A DER ECDSA-Sig-Value: SEQUENCE { INTEGER r, INTEGER s }.
    expect(signature[0]).toBe(0x30);
    expect(signature[1]).toBe(signature.length - 2);
    expect(signature[2]).toBe(0x02);
  });

  it('names the configured key ARN, and reads the public key from KMS once, as SPKI PEM', async () => {
    const kms = new FakeKms();
    const signer = new KmsManifestSigner(kms.client(), KEY_ARN);
    expect(await signer.keyId()).toBe(KEY_ARN);
    const pems = await Promise.all([signer.publicKeyPem(), signer.publicKeyPem()]);
    expect(await signer.publicKeyPem()).toBe(pems[0]);
    expect(pems[0]).toBe(kms.key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    expect(kms.calls.filter((c) => c instanceof GetPublicKeyCommand)).toHaveLength(1);
  });

  it('refuses a key that is not an ECC_NIST_P256 signing key, naming what KMS reports', async () => {
    const kms = new FakeKms();
    kms.keySpec = 'RSA_2048';
    const signer = new KmsManifestSigner(kms.client(), KEY_ARN);
    await expect(signer.publicKeyPem()).rejects.toThrow(/ECC_NIST_P256 SIGN_VERIFY.*RSA_2048 SIGN_VERIFY/);
    // A failed read is not kept: once the key is right, the next call succeeds.
    kms.keySpec = 'ECC_NIST_P256';
    await expect(signer.publicKeyPem()).resolves.toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });
});
