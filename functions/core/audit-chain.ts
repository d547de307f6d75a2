import { createHash, randomBytes } from 'node:crypto';
import { canonicalize } from './canonical-json';
import type { CaseEvent, EventDraft } from './case-event';
import { onlyPlaceholders, personalPathsOf, pick, without } from './personal-data';

/**
 * Tamper-evident timeline (M5.3, M7.3): each event carries the SHA-256 of its predecessor's hash
 * and its own content. Changing, removing or reordering any stored event breaks every hash after
 * it, which `verifyChain` reports.
 *
 * An event's hash covers its public part in clear and its personal data (personal-data.ts) through
 * a digest salted with the event's own random `salt`:
 *   personalDigest = SHA-256(salt "\n" canonical({ path: value } of the personal paths present))
 *   hash           = SHA-256(prevHash "\n" canonical({ ...event without personal paths, salt and hash, personalDigest }))
 * An erasure (redactEvent) replaces the personal values with placeholders, drops the salt and keeps
 * the digest: the chain still verifies, every public field is still checked, and the digest can
 * no longer be tested against a guess. Events written before salts existed hash their canonical
 * JSON whole (`legacyHash`).
 */
export const GENESIS_HASH = '0'.repeat(64);

const sha256 = (...parts: string[]) => {
  const h = createHash('sha256');
  parts.forEach((p, i) => h.update(i === 0 ? p : `\n${p}`));
  return h.digest('hex');
};

/** The whole canonical JSON after the previous hash: events without a salt. */
function legacyHash(event: Omit<CaseEvent, 'hash'>): string {
  return sha256(event.prevHash, canonicalize(event));
}

/** The salted digest of an event's personal data. */
export function personalDigestOf(event: Omit<CaseEvent, 'hash'>, salt: string): string {
  return sha256(salt, canonicalize(pick(event as Record<string, unknown>, personalPathsOf(event))));
}

export function hashEvent(event: Omit<CaseEvent, 'hash'>): string {
  if (event.salt === undefined && event.redaction === undefined) return legacyHash(event);
  const personalDigest = event.redaction?.personalDigest ?? personalDigestOf(event, event.salt ?? '');
  const { salt: _salt, redaction: _redaction, ...rest } = event;
  const publicPart = without(rest as Record<string, unknown>, personalPathsOf(event));
  return sha256(event.prevHash, canonicalize({ ...publicPart, personalDigest }));
}

/** A fresh salt for an event: 16 random bytes, hex. */
export const randomSalt = () => randomBytes(16).toString('hex');

export interface ChainHead {
  caseId: string;
  version: number;
  lastEventHash: string;
}

/** Places drafts on the chain after `head`, returning the sealed events and the new head. */
export function chainEvents(head: ChainHead, drafts: readonly EventDraft[], salt: () => string = randomSalt): { events: CaseEvent[]; head: ChainHead } {
  let { version, lastEventHash } = head;
  const events: CaseEvent[] = [];
  for (const draft of drafts) {
    version += 1;
    const unsealed = { ...draft, caseId: head.caseId, seq: version, prevHash: lastEventHash, salt: salt() } as Omit<CaseEvent, 'hash'>;
    const hash = hashEvent(unsealed);
    events.push({ ...unsealed, hash } as CaseEvent);
    lastEventHash = hash;
  }
  return { events, head: { caseId: head.caseId, version, lastEventHash } };
}

export class UnredactableEventError extends Error {
  override name = 'UnredactableEventError';
}

/**
 * The event with its personal data erased (M5.1, C6.1): each personal value replaced by a
 * placeholder of its own shape (the schema still holds), the salt dropped, and a redaction marker
 * keeping the personal digest, the request and when. Its hash is unchanged and still verifies.
 * An event already erased is returned as it is; one written before salts existed cannot be erased
 * this way (its hash covers the personal data itself) and throws.
 */
export function redactEvent(event: CaseEvent, requestId: string, at: string): CaseEvent {
  if (event.redaction) return event;
  if (event.salt === undefined) throw new UnredactableEventError(`event ${event.seq} of case ${event.caseId} predates salted hashing: it cannot be erased in place`);
  const { hash, salt, ...unsealed } = event;
  const personalDigest = personalDigestOf({ ...unsealed, salt } as Omit<CaseEvent, 'hash'>, salt);
  const erased = without(unsealed as Record<string, unknown>, personalPathsOf(event), true);
  return { ...erased, hash, redaction: { personalDigest, requestId, at } } as CaseEvent;
}

export type ChainVerdict = { valid: true; length: number } | { valid: false; brokenAtSeq: number; reason: string };

export function verifyChain(events: readonly CaseEvent[]): ChainVerdict {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  for (const event of events) {
    if (event.seq !== expectedSeq) return { valid: false, brokenAtSeq: expectedSeq, reason: 'missing or reordered event' };
    if (event.prevHash !== prevHash) return { valid: false, brokenAtSeq: event.seq, reason: 'link to previous event broken' };
    const { hash, ...unsealed } = event;
    if (hashEvent(unsealed) !== hash) return { valid: false, brokenAtSeq: event.seq, reason: 'event content changed' };
    // The digest of an erased event stands for its personal data: nothing else may sit in its place.
    if (event.redaction && !onlyPlaceholders(event as Record<string, unknown>, personalPathsOf(event))) {
      return { valid: false, brokenAtSeq: event.seq, reason: 'an erased event carries content where its personal data was' };
    }
    prevHash = hash;
    expectedSeq += 1;
  }
  return { valid: true, length: events.length };
}
