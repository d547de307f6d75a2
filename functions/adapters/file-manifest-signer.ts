import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ManifestSigner } from '../core/export-ports';
import { publicKeyFingerprint } from '../core/manifest-signature';

/** The key pair's file in the signer's directory: the private key, PKCS#8 PEM (the public key is derived from it). */
export const LOCAL_SIGNING_KEY_FILE = 'manifest-signing-key.pem';

/**
 * The local manifest signer (the stand-in for the KMS export-signing key): an ECDSA P-256 key
 * pair made on first use in `<dir>/manifest-signing-key.pem` (directory 0700, file 0600), signing
 * as KMS's ECDSA_SHA_256 does (manifest-signature.ts). Its key id is `local:` and the first 16 hex
 * of the public key's fingerprint, so a manifest names which local key signed it.
 */
export class FileManifestSigner implements ManifestSigner {
  private loaded: { privateKey: KeyObject; publicKeyPem: string; keyId: string } | undefined;

  constructor(private readonly dir: string) {}

  async keyId(): Promise<string> {
    return this.key().keyId;
  }

  async sign(data: Uint8Array): Promise<string> {
    return sign('sha256', data, { key: this.key().privateKey, dsaEncoding: 'der' }).toString('base64');
  }

  async publicKeyPem(): Promise<string> {
    return this.key().publicKeyPem;
  }

  private key(): { privateKey: KeyObject; publicKeyPem: string; keyId: string } {
    if (this.loaded) return this.loaded;
    const privateKey = createPrivateKey(this.keyFile());
    if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`the local manifest-signing key in ${this.dir} is not an ECDSA P-256 key`);
    }
    const publicKeyPem = createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString();
    this.loaded = { privateKey, publicKeyPem, keyId: `local:${publicKeyFingerprint(publicKeyPem).slice(0, 16)}` };
    return this.loaded;
  }

  /**
   * The key file's PEM, made first if there is none. The new key is written whole to a file of
   * this process's ('wx'), then hard-linked to the key's name: the link appears complete or fails
   * with EEXIST, so two processes starting together agree on the first key and neither reads one
   * half written.
   */
  private keyFile(): string {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = join(this.dir, LOCAL_SIGNING_KEY_FILE);
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const temp = `${file}.${randomUUID()}.tmp`;
    writeFileSync(temp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    try {
      linkSync(temp, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(temp, { force: true });
    }
    return readFileSync(file, 'utf8');
  }
}
