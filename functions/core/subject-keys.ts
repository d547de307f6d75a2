import { createCipheriv, createDecipheriv, createHash, createHmac } from 'node:crypto';
import { canonicalize } from './canonical-json';
import * as z from 'zod';
import type { Customer } from './case';

/**
 * Crypto-shredding (M5.1, C6.1): the personal data of a customer's archives is encrypted with a
 * data key of that customer alone (the data subject), and erasing the customer destroys the key.
 * Archives under Object Lock cannot be rewritten or deleted before their lock ends; without the
 * key, what they hold of the customer is unreadable, while their non-personal record stays.
 */

/** A data subject, by a digest of their normalised address or number: never the address itself. */
export function subjectIdOf(customer: Pick<Customer, 'email' | 'phone'>): string {
  if (customer.email !== undefined) return `email:${createHash('sha256').update(customer.email.trim().toLowerCase()).digest('hex')}`;
  return `tel:${createHash('sha256').update((customer.phone ?? '').replace(/[^0-9+]/g, '')).digest('hex')}`;
}

export interface SubjectKey {
  /** Names the key (the wrapped key's id), never the subject. */
  keyId: string;
  /** 32 bytes, AES-256. For this process only: never stored or logged in clear. */
  key: Uint8Array;
}

/** Where subjects' data keys are kept (KMS-wrapped in a table without backups in AWS; a local key service locally). */
export interface SubjectKeys {
  /** The subject's key, created on first use. */
  keyFor(subjectId: string): Promise<SubjectKey>;
  /** The subject's key, or undefined once destroyed (or never made). */
  existing(subjectId: string): Promise<SubjectKey | undefined>;
  /** Destroys the subject's key: whatever was sealed with it can no longer be read. */
  destroy(subjectId: string): Promise<'destroyed' | 'absent'>;
}

export const SealedSchema = z.object({
  alg: z.literal('A256GCM'),
  keyId: z.string(),
  iv: z.string(),
  tag: z.string(),
  ciphertext: z.string(),
});
export type Sealed = z.infer<typeof SealedSchema>;

/**
 * Seals a JSON value with the subject's key (AES-256-GCM; `context` is authenticated, not secret).
 * The IV is derived from the key and the plaintext (as AES-GCM-SIV would), so the same value sealed
 * twice gives the same bytes: an archive built twice is still the same archive.
 */
export function sealJson(key: SubjectKey, value: unknown, context: string): Sealed {
  const plaintext = Buffer.from(canonicalize(value), 'utf8');
  const iv = createHmac('sha256', key.key).update('caseflow.seal.iv\n').update(context).update('\n').update(plaintext).digest().subarray(0, 12);
  const cipher = createCipheriv('aes-256-gcm', key.key, iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { alg: 'A256GCM', keyId: key.keyId, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ciphertext: ciphertext.toString('base64') };
}

export class SealError extends Error {
  override name = 'SealError';
}

/** Opens a sealed value; a wrong key, context or altered bytes throw SealError. */
export function openJson(key: SubjectKey, sealed: Sealed, context: string): unknown {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(sealed.ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  } catch (error) {
    throw new SealError(`the sealed data does not open with key ${sealed.keyId}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
