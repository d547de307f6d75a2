import * as z from 'zod';
import type { CaseType } from '../case';
import { parseInput } from '../validation';
import type { InboundEmail } from './inbound-email';

/**
 * The type of a case opened by email (M1.2/C1.2: inquiries and complaints):
 * a complaint when the mail was sent to a complaints address or a keyword rule matches,
 * otherwise an inquiry. Agents can reclassify later.
 */

const address = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'must be an email address' }));

export const KeywordRuleSchema = z
  .object({
    /** Shown as the reason on the case: say what the rule is for. */
    name: z.string().trim().min(1).max(100),
    /** Words or phrases, matched case-insensitively as whole words (`refund` does not match `refunded`). */
    anyOf: z.array(z.string().trim().min(1).max(100)).min(1).max(100),
    /** Where to look. */
    in: z.array(z.enum(['subject', 'text'])).min(1).default(['subject', 'text']),
  })
  .strict();
export type KeywordRule = z.infer<typeof KeywordRuleSchema>;

export const InboundRulesSchema = z
  .object({
    /** Mail to any of these (To, Cc, Delivered-To or the envelope; plus tags ignored) is a complaint. */
    complaintAddresses: z.array(address).max(50).default([]),
    /** Complaint keyword rules, tried in order. */
    complaintRules: z.array(KeywordRuleSchema).max(100).default([]),
    /** How much of the body text the keyword rules read (a long quoted thread is not the customer's words). */
    textScanLimit: z.number().int().positive().max(100_000).default(10_000),
  })
  .strict();
export type InboundRules = z.infer<typeof InboundRulesSchema>;
export type InboundRulesInput = z.input<typeof InboundRulesSchema>;

/** Validates rules from configuration; an InvalidInputError names each bad field (`complaintRules.0.anyOf`). */
export function parseInboundRules(input: unknown): InboundRules {
  return parseInput(InboundRulesSchema, input ?? {});
}

export interface CaseTypeDecision {
  type: CaseType;
  reason: string;
}

export function caseTypeFor(email: InboundEmail, rules: InboundRules): CaseTypeDecision {
  const complaintAddresses = new Set(rules.complaintAddresses.map(baseAddress));
  const recipients = [...email.to.map((m) => m.address), ...email.cc.map((m) => m.address), ...email.deliveredTo, ...email.envelopeRecipients];
  const hit = recipients.find((r) => complaintAddresses.has(baseAddress(r)));
  if (hit) return { type: 'complaint', reason: 'sent to a complaints address' };

  const subject = normalise(email.subject);
  const text = normalise(email.text.slice(0, rules.textScanLimit));
  for (const rule of rules.complaintRules) {
    const phrase = rule.anyOf.find((p) => (rule.in.includes('subject') && containsPhrase(subject, p)) || (rule.in.includes('text') && containsPhrase(text, p)));
    if (phrase !== undefined) return { type: 'complaint', reason: `complaint rule "${rule.name}"` };
  }
  return { type: 'inquiry', reason: 'no complaint rule matched' };
}

function normalise(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ');
}

/** Whole-word, Unicode-aware phrase match without building a regular expression from configuration. */
function containsPhrase(haystack: string, phrase: string): boolean {
  const needle = normalise(phrase).trim();
  if (!needle) return false;
  // Scripts written without spaces between words (Chinese, Japanese) match anywhere.
  const isWordChar = (ch: string | undefined) =>
    ch !== undefined && /[\p{L}\p{N}_]/u.test(ch) && !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(ch);
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) {
    const before = i > 0 ? haystack[i - 1] : undefined;
    const after = haystack[i + needle.length];
    const startsWord = !isWordChar(needle[0]) || !isWordChar(before);
    const endsWord = !isWordChar(needle[needle.length - 1]) || !isWordChar(after);
    if (startsWord && endsWord) return true;
  }
  return false;
}

function baseAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0) return lower;
  const local = lower.slice(0, at);
  const plus = local.indexOf('+');
  return `${plus > 0 ? local.slice(0, plus) : local}${lower.slice(at)}`;
}
