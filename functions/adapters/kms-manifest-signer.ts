import { createHash, createPublicKey } from 'node:crypto';
import { GetPublicKeyCommand, SignCommand, type KMSClient } from '@aws-sdk/client-kms';
import type { ManifestSigner } from '../core/export-ports';

/**
 * Signs export manifests with the export-signing KMS key (an ECC_NIST_P256 SIGN_VERIFY key;
 * infra/stateful-stack.ts). KMS `Sign` takes at most 4096 bytes of message, and a manifest can be
 * longer: caseflow computes the SHA-256 of the manifest's bytes and KMS signs that digest
 * (MessageType DIGEST, ECDSA_SHA_256). That is the same signature as ECDSA_SHA_256 over the bytes
 * themselves, which is what manifest-signature.ts verifies and the local signer makes. The private
 * key never leaves KMS; the public key is read once (GetPublicKey) and kept.
 */
export class KmsManifestSigner implements ManifestSigner {
  private publicKey: Promise<string> | undefined;

  /** `keyId` is the key's ARN as configured (EXPORT_SIGNING_KEY_ID): it is what each manifest names. */
  constructor(
    private readonly kms: KMSClient,
    private readonly signingKeyId: string,
  ) {}

  async keyId(): Promise<string> {
    return this.signingKeyId;
  }

  async sign(data: Uint8Array): Promise<string> {
    const digest = createHash('sha256').update(data).digest();
    const out = await this.kms.send(new SignCommand({ KeyId: this.signingKeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' }));
    if (!out.Signature) throw new Error('KMS returned no signature');
    // KMS gives ECDSA signatures DER-encoded (ANS X9.62), as the port's are.
    return Buffer.from(out.Signature).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    this.publicKey ??= this.readPublicKey().catch((error: unknown) => {
      this.publicKey = undefined; // the next call asks again
      throw error;
    });
    return this.publicKey;
  }

  private async readPublicKey(): Promise<string> {
    const out = await this.kms.send(new GetPublicKeyCommand({ KeyId: this.signingKeyId }));
    if (!out.PublicKey) throw new Error('KMS returned no public key');
    // A key of another kind (the symmetric subject-key key, an RSA key) would sign nothing a verifier accepts: say so at once.
    if (out.KeySpec !== 'ECC_NIST_P256' || out.KeyUsage !== 'SIGN_VERIFY') {
      throw new Error(`the export-signing key must be an ECC_NIST_P256 SIGN_VERIFY key; KMS reports ${String(out.KeySpec)} ${String(out.KeyUsage)}`);
    }
    return createPublicKey({ key: Buffer.from(out.PublicKey), format: 'der', type: 'spki' }).export({ type: 'spki', format: 'pem' }).toString();
  }
}
