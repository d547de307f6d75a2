import { domainToASCII } from 'node:url';
import * as z from 'zod';

/**
 * Customers' email addresses. An ASCII address must pass zod's strict check. An internationalised
 * one (RFC 6531/6532: `jdöe@mächine.example`, which SES receives over SMTPUTF8) must have non-ASCII
 * characters, a dotted domain that converts to Punycode, and none of the characters that would
 * make it more than one address or carry a display name (`<>()[],;:"\` and spaces), nor a control
 * or bidi character. Both are kept as written, lower-cased.
 */
const strict = z.email();
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are refused
const FORBIDDEN_IN_ADDRESS = /[\s<>()[\],;:"\\\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/u;

export function isEmailAddress(value: string): boolean {
  if (strict.safeParse(value).success) return true;
  if (!/[^\p{ASCII}]/u.test(value) || FORBIDDEN_IN_ADDRESS.test(value)) return false;
  const at = value.lastIndexOf('@');
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (at < 1 || local.length > 64 || local.includes('@') || /^\.|\.$|\.\./.test(local)) return false;
  const ascii = domainToASCII(domain);
  return ascii !== '' && strict.safeParse(`x@${ascii}`).success;
}

export const emailAddress = (message = 'Enter a valid email address') => z.string().refine(isEmailAddress, message);

/**
 * The one form of an address that rate limits count by: lower case, the domain in Punycode, a
 * `+tag` dropped (`Victim+1@Example.com` and `victim@example.com` are one inbox to a relay limit).
 */
export function mailboxKey(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at < 1) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  const domain = lower.slice(at + 1);
  return `${plus > 0 ? local.slice(0, plus) : local}@${domainToASCII(domain) || domain}`;
}

/**
 * Whether Amazon SES can send to the address. SES does not support SMTPUTF8: the part before the
 * @ must be ASCII (an internationalised domain is sent as Punycode, which the mailer writes). Mail
 * caseflow cannot send is not attempted; the case says so and staff reach the customer otherwise.
 */
export const canSendTo = (address: string): boolean => /^[\x21-\x7e]+@/.test(address) && isEmailAddress(address);

export const UNSENDABLE_REASON = 'the address has non-ASCII characters before the @, which Amazon SES cannot send to';
