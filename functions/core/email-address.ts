import * as z from 'zod';

/**
 * Customers' email addresses. An ASCII address must pass zod's strict check; an internationalised
 * one (RFC 6531/6532: `jdöe@mächine.example`, which SES receives over SMTPUTF8) must have the
 * shape zod's Unicode check gives and a dotted domain. Both are kept as written, lower-cased.
 */
const strict = z.email();
const unicode = z.email({ pattern: z.regexes.unicodeEmail });

export function isEmailAddress(value: string): boolean {
  if (strict.safeParse(value).success) return true;
  return unicode.safeParse(value).success && /@[^@.]+(?:\.[^@.]+)+$/.test(value);
}

export const emailAddress = (message = 'Enter a valid email address') => z.string().refine(isEmailAddress, message);

/**
 * Whether Amazon SES can send to the address. SES does not support SMTPUTF8: the part before the
 * @ must be ASCII (an internationalised domain is sent as Punycode, which nodemailer writes). Mail
 * caseflow cannot send is not attempted; the case says so and staff reach the customer otherwise.
 */
export const canSendTo = (address: string): boolean => /^[\x21-\x7e]+@/.test(address);

export const UNSENDABLE_REASON = 'the address has non-ASCII characters before the @, which Amazon SES cannot send to';
