import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { Customer } from './case';

/**
 * Whom a privacy request is about (M5.1, C6.1): a customer's email address or phone number, kept
 * only as the SHA-256 of its normal form. The digests are those the table's customer indexes are
 * keyed by (dynamo/keys.ts `customerPartition`, `phonePartition`), and those the archive's subject
 * index is named by, so a request finds a customer's cases without anyone storing the address.
 */
export const SubjectKindSchema = z.enum(['email', 'phone']);
export type SubjectKind = z.infer<typeof SubjectKindSchema>;

export const PrivacySubjectSchema = z.object({
  kind: SubjectKindSchema,
  /** SHA-256 (lower-case hex) of the normalised address or number: never the value itself. */
  digest: z.string().regex(/^[0-9a-f]{64}$/),
});
export type PrivacySubject = z.infer<typeof PrivacySubjectSchema>;

/** An email address as the customer index keys it: trimmed, lower case. */
export const normaliseEmail = (email: string) => email.trim().toLowerCase();
/** A phone number as the phone index keys it: its digits and a leading +. */
export const normalisePhone = (phone: string) => phone.replace(/[^0-9+]/g, '');

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');

export function subjectOf(value: { email: string } | { phone: string }): PrivacySubject {
  return 'email' in value ? { kind: 'email', digest: sha256Hex(normaliseEmail(value.email)) } : { kind: 'phone', digest: sha256Hex(normalisePhone(value.phone)) };
}

/** Every subject a case's customer is found by: their address and their number, each they gave. */
export function subjectsOfCustomer(customer: Pick<Customer, 'email' | 'phone'>): PrivacySubject[] {
  return [...(customer.email !== undefined ? [subjectOf({ email: customer.email })] : []), ...(customer.phone !== undefined ? [subjectOf({ phone: customer.phone })] : [])];
}
