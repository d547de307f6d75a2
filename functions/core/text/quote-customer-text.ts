import { cleanLine } from './normalise-text';

/**
 * Customer-supplied text in outbound mail (docs/email-templates.md). Anyone can open a case naming
 * someone else's address, so whatever caseflow quotes back is written to defeat the two uses a
 * stranger has for it: a working link (web address, email address, phone number that a mail client
 * or phone makes tappable) and a message that reads as the company's own. The quote is shortened,
 * folded to plain characters and "defanged"; the case itself keeps the text as received.
 */

/** Every quote of customer text is at most this many characters, before defanging (plus "…"). */
export const QUOTE_MAX = 80;

/** A first name in a greeting: at most this many characters. */
const GREETING_NAME_MAX = 30;

/** Phone-like runs with at least this many digits are regrouped. Five-digit postcodes and years are left alone. */
const PHONE_MIN_DIGITS = 6;

/** The digit groups of a regrouped number are at most this long: shorter than any national phone number. */
const PHONE_GROUP_MAX = 4;

/**
 * Between digit groups: MIDDLE DOT, which is no phone-number punctuation (libphonenumber, behind
 * Android's and Gmail's detection, accepts spaces, dashes, dots, slashes, brackets and tildes).
 */
const PHONE_GROUP_SEPARATOR = '\u00B7';

/** Schemes that make a link without "//" (mail, calls, messaging, script); not after a letter, so "hotel:" stays. */
const BARE_SCHEME =
  /(?<![a-z])(mailto|tel|sms|smsto|mms|callto|facetime|facetime-audio|skype|whatsapp|tg|viber|sip|sips|xmpp|im|javascript|vbscript|data|file|geo|maps|market|intent|bitcoin|news|webcal|magnet):(?=\S)/giu;

/** Every "://", with the http or https before it (whatever precedes that: "_http://" is a link to some clients). */
const SCHEME_SEPARATOR = /(https?|hxxps?)?:\/\//giu;

/**
 * Folds the text to what a link detector would see: one clean line (normalise-text.ts), NFKC so that
 * fullwidth and other compatibility forms of letters, digits, "." and "@" become plain ones, the
 * ideographic full stops that IDNA treats as dots become ".", and invisible format characters
 * (soft hyphen, zero-width joiners, tag characters: \p{Cf}) go, so none can hide a link from the defanging.
 */
function fold(s: string): string {
  return cleanLine(s).normalize('NFKC').replace(/[\u3002\uFF61\uFF0E]/g, '.').replace(/\p{Cf}/gu, '').replace(/\s+/g, ' ').trim();
}

/** At most `max` characters (code points, so no emoji is split), with "…" when shortened. */
export function shorten(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('').trimEnd()}…`;
}

/** A phone-like run: digits (any script) with the punctuation phone numbers are written with, an optional leading "+" or "(". */
const PHONE_RUN = /[+(]?\p{Nd}(?:[\s()./~[\]\-\u2010-\u2015\u2212]*\p{Nd})*/gu;

/** A dotted IPv4 address (one with 6 or more digits is a phone-like run first, and loses its dots there). */
const IPV4 = /\b\d{1,3}(?:\.\d{1,3}){3}\b/g;

function regroupDigits(run: string): string {
  const digits = run.match(/\p{Nd}/gu) ?? [];
  if (digits.length < PHONE_MIN_DIGITS) return run;
  const groups = (run.match(/\p{Nd}+/gu) ?? []).flatMap((g) => {
    const chars = Array.from(g);
    const out: string[] = [];
    for (let i = 0; i < chars.length; i += PHONE_GROUP_MAX) out.push(chars.slice(i, i + PHONE_GROUP_MAX).join(''));
    return out;
  });
  return `${run.startsWith('+') ? '+' : ''}${groups.join(PHONE_GROUP_SEPARATOR)}`;
}

/**
 * Breaks everything a mail client or phone could turn into a link, in the conventional defanged
 * forms security teams use:
 * - `http://` and `https://` become `hxxp://` and `hxxps://`; any other `://` becomes `[:]//`;
 *   `mailto:`, `tel:`, `sms:` and the like become `mailto[:]`;
 * - `@` becomes ` [at] ` (`name [at] example[.]com`);
 * - a run of 6 or more digits written as a phone number is regrouped into groups of at most 4
 *   joined by `·` (`+1·555·0100`), so no detector finds a whole number in it;
 * - a `.` between a character and a letter becomes `[.]`: every domain ends in a dot and a letter
 *   (its top-level domain), so this breaks every domain and `www.` (`www[.]example[.]com`), while
 *   "£1,234.50" and "v1.2" stay as written; the dots of an IPv4 address become `[.]` too.
 */
export function defang(s: string): string {
  return s
    .replace(SCHEME_SEPARATOR, (_m, scheme: string | undefined) => {
      const lower = scheme?.toLowerCase();
      if (lower === 'http' || lower === 'https') return `${lower.replace('tt', 'xx')}://`;
      // Already defanged by the customer (security people write like this): left as it is.
      return lower === 'hxxp' || lower === 'hxxps' ? `${scheme}://` : '[:]//';
    })
    .replace(BARE_SCHEME, '$1[:]')
    .replace(/@/g, ' [at] ')
    .replace(PHONE_RUN, regroupDigits)
    .replace(IPV4, (ip) => ip.replaceAll('.', '[.]'))
    .replace(/(?<=[^\s.])\.(?=[\p{L}\p{M}])/gu, '[.]')
    .replace(/ {2,}/g, ' ')
    .trim();
}

export interface QuotedText {
  /** The text as it may appear in mail: folded, shortened, defanged. Still plain text: escape it for HTML. */
  text: string;
  /** Whether defanging changed it, so the template can say why the text looks broken up. */
  defanged: boolean;
}

/** Customer text (a subject, a name) for quoting in outbound mail. */
export function quoteCustomerText(s: string, max = QUOTE_MAX): QuotedText {
  const short = shorten(fold(s), max);
  const text = defang(short);
  return { text, defanged: text !== short };
}

/** A name's first word if it is a plausible given name: letters (and marks), with inner hyphens or apostrophes. */
const GIVEN_NAME = /^\p{L}\p{M}*(?:['\u2019-]?\p{L}\p{M}*)*$/u;

/**
 * The first given name for a greeting ("Ann" from "Ann Smith"), or undefined when the name does not
 * start with one ("Urgent: your account…", "Dr. Smith", a 40-letter word): letters only, bounded, so
 * a greeting can carry no message, link or number.
 */
export function greetingName(name: string): string | undefined {
  const first = fold(name).split(' ')[0] ?? '';
  if (first === '' || Array.from(first).length > GREETING_NAME_MAX) return undefined;
  return GIVEN_NAME.test(first) ? first : undefined;
}
