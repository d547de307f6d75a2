import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileManifestSigner, LOCAL_SIGNING_KEY_FILE } from '../../../functions/adapters/file-manifest-signer';
import { publicKeyFingerprint, verifyManifestSignature } from '../../../functions/core/manifest-signature';

const manifest = new TextEncoder().encode('{"files":[{"name":"cases-2025-01-01.jsonl","sha256":"ab12"}]}');

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'caseflow-manifest-signer-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('the local manifest signer', () => {
  it('signs so that its public key verifies the manifest, and not a changed one', async () => {
    const signer = new FileManifestSigner(join(root, 'export-signing'));
    const signature = await signer.sign(manifest);
    const pem = await signer.publicKeyPem();
    expect(verifyManifestSignature(manifest, signature, pem)).toBe(true);
    expect(verifyManifestSignature(new TextEncoder().encode('{"files":[]}'), signature, pem)).toBe(false);
  });

  it('signs with a key of its own directory: another directory’s key does not verify its signatures', async () => {
    const ours = new FileManifestSigner(join(root, 'a'));
    const theirs = new FileManifestSigner(join(root, 'b'));
    expect(verifyManifestSignature(manifest, await ours.sign(manifest), await theirs.publicKeyPem())).toBe(false);
    expect(await ours.keyId()).not.toBe(await theirs.keyId());
  });

  it('names its key local: and the first 16 hex of the public key’s fingerprint', async () => {
    const signer = new FileManifestSigner(join(root, 'export-signing'));
    const fingerprint = publicKeyFingerprint(await signer.publicKeyPem());
    expect(await signer.keyId()).toBe(`local:${fingerprint.slice(0, 16)}`);
  });

  it('makes its key once, readable by its owner alone, and a second signer on the directory uses that same key', async () => {
    const dir = join(root, 'export-signing');
    const first = new FileManifestSigner(dir);
    const signature = await first.sign(manifest);
    const file = join(dir, LOCAL_SIGNING_KEY_FILE);
    const written = readFileSync(file, 'utf8');
    expect(written).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(dir).mode & 0o777).toBe(0o700);

    const second = new FileManifestSigner(dir);
    expect(await second.keyId()).toBe(await first.keyId());
    expect(await second.publicKeyPem()).toBe(await first.publicKeyPem());
    expect(verifyManifestSignature(manifest, signature, await second.publicKeyPem())).toBe(true);
    expect(verifyManifestSignature(manifest, await second.sign(manifest), await first.publicKeyPem())).toBe(true);
    expect(readFileSync(file, 'utf8')).toBe(written);
    // Nothing is left beside the key (no temporary files).
    expect(readdirSync(dir)).toEqual([LOCAL_SIGNING_KEY_FILE]);
  });

  it('refuses a key file that holds a key of another scheme instead of signing with it', async () => {
    const dir = join(root, 'export-signing');
    mkdirSync(dir);
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(join(dir, LOCAL_SIGNING_KEY_FILE), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await expect(new FileManifestSigner(dir).sign(manifest)).rejects.toThrow(/not an ECDSA P-256 key/);
  });
});
