/**
 * Human-readable case references such as `CS-7K3M9Q`.
 * Crockford base32 without I, L, O and U: nothing to misread on the phone, nothing that
 * spells a word, and safe in an email subject. 32^6 ≈ 1.07e9 values; uniqueness is
 * guaranteed by the store (a conditional write on the reference), not by chance.
 */
export const REFERENCE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const REFERENCE_LENGTH = 6;
export const REFERENCE_PATTERN = /\bCS-([0-9ABCDEFGHJKMNPQRSTVWXYZ]{6})\b/;

/** Source of random bytes (crypto in production, a seeded sequence in tests). */
export type RandomBytes = (size: number) => Uint8Array;

export function newReference(random: RandomBytes): string {
  const bytes = random(REFERENCE_LENGTH);
  let out = '';
  for (let i = 0; i < REFERENCE_LENGTH; i += 1) {
    // 256 is a multiple of 32, so taking the low five bits is unbiased.
    out += REFERENCE_ALPHABET[(bytes[i] ?? 0) & 31];
  }
  return `CS-${out}`;
}

/** Finds a case reference in free text (a subject line, a plus address), case-insensitively. */
export function findReference(text: string): string | undefined {
  const match = REFERENCE_PATTERN.exec(text.toUpperCase());
  return match ? `CS-${match[1]}` : undefined;
}
