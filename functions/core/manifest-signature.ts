import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

/**
 * What an export manifest's signature is (the ManifestSigner port, export-ports.ts): ECDSA on
 * P-256 with SHA-256 (KMS's ECDSA_SHA_256) over the manifest's canonical bytes, DER-encoded, in
 * base64. The hash is part of the algorithm: the KMS signer computes the SHA-256 of the bytes
 * itself and has KMS sign that digest (MessageType DIGEST), node's `sign('sha256', bytes)` hashes
 * the bytes and signs the same digest, so one verification here holds for both signers.
 */

/** The key as a P-256 public key; anything else is refused (an RSA or Ed25519 key is not this scheme's). */
function p256PublicKey(publicKeyPem: string): KeyObject {
  const key = createPublicKey(publicKeyPem);
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error('manifest signature: the public key is not an ECDSA P-256 key');
  }
  return key;
}

/** Canonical base64 only: node's decoder skips characters it does not know, so two texts could name one signature. */
function decodeBase64(text: string): Buffer | undefined {
  const bytes = Buffer.from(text, 'base64');
  return bytes.length > 0 && bytes.toString('base64') === text ? bytes : undefined;
}

/**
 * Whether `signatureBase64` is this public key's ECDSA_SHA_256 signature of `data`. A signature
 * that is not canonical base64 or not DER, or that verifies another text, is `false`; a public key
 * that is not a P-256 key (SPKI PEM) throws, since that is the caller's mistake, not the manifest's.
 */
export function verifyManifestSignature(data: Uint8Array, signatureBase64: string, publicKeyPem: string): boolean {
  const key = p256PublicKey(publicKeyPem);
  const signature = decodeBase64(signatureBase64);
  if (!signature) return false;
  try {
    return verify('sha256', data, { key, dsaEncoding: 'der' }, signature);
  } catch {
    // OpenSSL refuses some malformed DER outright instead of answering false.
    return false;
  }
}

/** The SHA-256 (hex) of the public key's SPKI DER encoding: names a key whatever its PEM's line breaks. */
export function publicKeyFingerprint(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex');
}
