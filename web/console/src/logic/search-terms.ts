/**
 * What a search box entry is: a case reference (looked up with GET ?reference=, which holds no
 * personal data), or a customer's email address or phone number (POST /v1/cases/search, the
 * terms in the body, never in a URL).
 */
export type SearchTerms = { kind: 'reference'; reference: string } | { kind: 'email'; email: string } | { kind: 'phone'; phone: string } | { kind: 'invalid'; message: string };

const REFERENCE = /^CS-?[0-9A-Z]{6}$/i;

export function classifySearch(input: string): SearchTerms {
  const value = input.trim();
  if (value === '') return { kind: 'invalid', message: 'Enter a case reference, an email address or a phone number' };
  if (REFERENCE.test(value)) {
    const compact = value.toUpperCase().replace(/^CS-?/, '');
    return { kind: 'reference', reference: `CS-${compact}` };
  }
  if (value.includes('@')) {
    return /^[^\s@]+@[^\s@]+$/.test(value) ? { kind: 'email', email: value.toLowerCase() } : { kind: 'invalid', message: 'That email address is not complete' };
  }
  if (/^\+?[0-9 ().-]{6,32}$/.test(value)) return { kind: 'phone', phone: value };
  return { kind: 'invalid', message: 'Enter a case reference (CS-7K3M9Q), an email address or a phone number' };
}
