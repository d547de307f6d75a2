import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { publicKeyFingerprint, verifyManifestSignature } from '../../../functions/core/manifest-signature';

/** A P-256 key pair and its public key as SPKI PEM, as a signer hands it out. */
function p256() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
/** ECDSA_SHA_256 over the bytes, DER, base64: what either signer writes into a manifest. */
const signed = (data: Uint8Array, key: KeyObject) => sign('sha256', data, { key, dsaEncoding: 'der' }).toString('base64');

const manifest = new TextEncoder().encode('{"files":[{"name":"events-2025-01-01.parquet","sha256":"ab12"}],"previousManifestSha256":"cd34"}');

describe('verifying an export manifest’s signature', () => {
  it('accepts the signature of the manifest’s bytes by the key whose public key it is given', () => {
    const { privateKey, pem } = p256();
    expect(verifyManifestSignature(manifest, signed(manifest, privateKey), pem)).toBe(true);
  });

  it('refuses the signature once a single byte of the manifest has changed', () => {
    const { privateKey, pem } = p256();
    const signature = signed(manifest, privateKey);
    const altered = Uint8Array.from(manifest);
    altered[10] = altered[10]! ^ 0x01;
    expect(verifyManifestSignature(altered, signature, pem)).toBe(false);
  });

  it('refuses a signature made by another key', () => {
    const ours = p256();
    const theirs = p256();
    expect(verifyManifestSignature(manifest, signed(manifest, theirs.privateKey), ours.pem)).toBe(false);
  });

  it('refuses a signature that is not DER (a raw r‖s pair) or not canonical base64, without throwing', () => {
    const { privateKey, pem } = p256();
    const raw = sign('sha256', manifest, { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
    const good = signed(manifest, privateKey);
    expect(verifyManifestSignature(manifest, raw, pem)).toBe(false);
    expect(verifyManifestSignature(manifest, `${good.slice(0, 8)}!${good.slice(8)}`, pem)).toBe(false);
    expect(verifyManifestSignature(manifest, '', pem)).toBe(false);
    expect(verifyManifestSignature(manifest, 'bm90IGEgc2lnbmF0dXJl', pem)).toBe(false);
  });

  it('will not verify with a key of another scheme: an RSA key or a P-384 key is refused', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaSignature = sign('sha256', manifest, rsa.privateKey).toString('base64');
    expect(() => verifyManifestSignature(manifest, rsaSignature, rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow(/not an ECDSA P-256 key/);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
    expect(() => verifyManifestSignature(manifest, signed(manifest, p384.privateKey), p384.publicKey.export({ type: 'spki', format: 'pem' }).toString())).toThrow(/not an ECDSA P-256 key/);
  });
});

describe('a public key’s fingerprint', () => {
  it('is the SHA-256, in hex, of the key’s SPKI DER encoding, whatever the line endings of its PEM', () => {
    const { pem } = p256();
    // The DER, read from the PEM's base64 body independently of the code under test.
    const der = Buffer.from(pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
    const expected = createHash('sha256').update(der).digest('hex');
    expect(publicKeyFingerprint(pem)).toBe(expected);
    expect(publicKeyFingerprint(pem.replace(/\n/g, '\r\n'))).toBe(expected);
  });

  it('differs between two keys', () => {
    expect(publicKeyFingerprint(p256().pem)).not.toBe(publicKeyFingerprint(p256().pem));
  });
});
