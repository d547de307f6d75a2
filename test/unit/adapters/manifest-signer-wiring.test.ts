import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileManifestSigner } from '../../../functions/adapters/file-manifest-signer';
import { KmsManifestSigner } from '../../../functions/adapters/kms-manifest-signer';
import { wiring } from '../../../functions/adapters/wiring';

const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';

describe('the manifest signer a function is wired with', () => {
  it('is the KMS signer of the configured key when EXPORT_SIGNING_KEY_ID is set, even with a local directory too', async () => {
    const signer = wiring({ EXPORT_SIGNING_KEY_ID: KEY_ARN, EXPORT_SIGNING_KEY_DIR: '/nonexistent' }).manifestSigner;
    expect(signer).toBeInstanceOf(KmsManifestSigner);
    expect(await signer.keyId()).toBe(KEY_ARN);
  });

  it('is the local key-file signer of EXPORT_SIGNING_KEY_DIR otherwise, built once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'caseflow-wiring-signer-'));
    try {
      const app = wiring({ EXPORT_SIGNING_KEY_DIR: dir });
      expect(app.manifestSigner).toBeInstanceOf(FileManifestSigner);
      expect(app.manifestSigner).toBe(app.manifestSigner);
      expect(await app.manifestSigner.keyId()).toMatch(/^local:[0-9a-f]{16}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails when neither is set, naming both variables', () => {
    expect(() => wiring({}).manifestSigner).toThrow('caseflow configuration error: the manifest signer needs EXPORT_SIGNING_KEY_ID or EXPORT_SIGNING_KEY_DIR');
  });
});
