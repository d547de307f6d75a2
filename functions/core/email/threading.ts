import { findReference } from '../reference';
import type { InboundEmail } from './inbound-email';

/**
 * Which case an inbound email belongs to (C4.1: the CRM keeps email threads).
 * Pure helpers: the ingestion looks the candidates up in order and takes the first that
 * names a case it knows.
 */

export type ThreadingCandidate =
  /** A case reference, from the subject tag or a plus-address. */
  | { kind: 'reference'; reference: string; source: 'subject' | 'plus_address' }
  /**
   * A Message-ID, normalised (lower case, no angle brackets). For `<id@…amazonses.com>` a second
   * candidate with `form: 'ses'` carries the bare SES message id, which is what SES returns on
   * send and what caseflow stores.
   */
  | { kind: 'message_id'; messageId: string; source: 'in_reply_to' | 'references'; form: 'full' | 'ses' };

export interface ThreadingOptions {
  /** caseflow's support addresses (without plus tags): plus-addresses of these carry references. */
  supportAddresses: string[];
}

/** SES's Message-ID domains: `email.amazonses.com` and the regional `<region>.amazonses.com`. */
const SES_DOMAIN = /^(?:[a-z0-9-]+\.)*amazonses\.com$/;

/** `<ABC@Example.COM>` -> `abc@example.com`; undefined for an empty value. */
export function normaliseMessageId(value: string): string | undefined {
  const trimmed = value.trim().replace(/^<+|>+$/g, '').trim().toLowerCase();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** The SES message id inside an SES Message-ID (`<id@email.amazonses.com>` -> `id`). */
export function sesMessageId(normalised: string): string | undefined {
  const at = normalised.lastIndexOf('@');
  if (at <= 0) return undefined;
  return SES_DOMAIN.test(normalised.slice(at + 1)) ? normalised.slice(0, at) : undefined;
}

/** Every key a stored Message-ID may be found under: the normalised id and, for SES ids, the SES id. */
export function messageIdKeys(value: string): string[] {
  const id = normaliseMessageId(value);
  if (!id) return [];
  const ses = sesMessageId(id);
  return ses ? [id, ses] : [id];
}

/** The Message-IDs in an In-Reply-To or References value, in the order written. */
export function messageIdsIn(value: string): string[] {
  const bracketed = [...value.matchAll(/<([^<>]+)>/g)].map((m) => m[1] ?? '');
  // Some mailers drop the brackets: fall back to the words that look like ids.
  const ids = bracketed.length > 0 ? bracketed : value.split(/[\s,]+/).filter((w) => w.includes('@'));
  return ids.map((id) => normaliseMessageId(id)).filter((id): id is string => id !== undefined);
}

/** Every case reference in a text, in order. */
export function referencesIn(text: string): string[] {
  const found: string[] = [];
  let rest = text;
  for (let ref = findReference(rest); ref !== undefined; ref = findReference(rest)) {
    if (!found.includes(ref)) found.push(ref);
    rest = rest.slice(rest.toUpperCase().indexOf(ref) + ref.length);
  }
  return found;
}

/** `support+CS-7K3M9Q@example.com` -> `CS-7K3M9Q` when `support@example.com` is a support address. */
export function plusAddressReference(address: string, supportAddresses: string[]): string | undefined {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const plus = lower.indexOf('+');
  if (at <= 0 || plus <= 0 || plus > at) return undefined;
  const base = `${lower.slice(0, plus)}${lower.slice(at)}`;
  if (!supportAddresses.some((s) => s.trim().toLowerCase() === base)) return undefined;
  return findReference(lower.slice(plus + 1, at));
}

/**
 * Threading candidates in priority order: (a) case references in the subject, (b) Message-IDs
 * from In-Reply-To, then References nearest ancestor first, each followed by its SES form,
 * (c) references in plus-addresses of the recipients. Duplicates are dropped.
 */
export function threadingCandidates(email: InboundEmail, options: ThreadingOptions): ThreadingCandidate[] {
  const out: ThreadingCandidate[] = [];
  const seen = new Set<string>();
  const add = (candidate: ThreadingCandidate) => {
    const key = candidate.kind === 'reference' ? `r:${candidate.reference}` : `m:${candidate.messageId}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(candidate);
  };
  const addIds = (ids: string[], source: 'in_reply_to' | 'references') => {
    for (const id of ids) {
      add({ kind: 'message_id', messageId: id, source, form: 'full' });
      const ses = sesMessageId(id);
      if (ses) add({ kind: 'message_id', messageId: ses, source, form: 'ses' });
    }
  };

  for (const reference of referencesIn(email.subject)) add({ kind: 'reference', reference, source: 'subject' });
  addIds(email.inReplyTo ? messageIdsIn(email.inReplyTo) : [], 'in_reply_to');
  addIds(email.references.flatMap((r) => messageIdsIn(r)).reverse(), 'references');
  const recipients = [...email.to.map((m) => m.address), ...email.cc.map((m) => m.address), ...email.deliveredTo, ...email.envelopeRecipients];
  for (const address of recipients) {
    const reference = plusAddressReference(address, options.supportAddresses);
    if (reference) add({ kind: 'reference', reference, source: 'plus_address' });
  }
  return out;
}

/**
 * Reply and forward prefixes in the languages mail clients localise them to, with the
 * counted forms (`Re[2]:`, `Re(3):`) and full-width colons.
 */
const REPLY_PREFIX =
  /^\s*(?:re|aw|sv|vs|antw|antwort|wg|fw|fwd|tr|rv|rif|r|enc|odp|pd|ynt|ref|réf|res|doorst|vl|vb|atb|bls|fs|vá|πρθ|σχετ|отв|ответ|пересл|回复|回覆|答复|答覆|转发|轉寄|転送|返信)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/iu;
const REFERENCE_TAG = /\[\s*CS-[0-9A-Z]{6}\s*\]/gi;

/** A subject without reply/forward prefixes and caseflow's `[CS-…]` tag, for display and comparison. */
export function normaliseSubject(subject: string): string {
  let s = subject.replace(REFERENCE_TAG, ' ');
  for (let previous = ''; previous !== s; ) {
    previous = s;
    s = s.replace(REPLY_PREFIX, '');
  }
  return s.replace(/\s+/g, ' ').trim();
}
