import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import type { CaseEvent, EventDraft } from './case-event';

/**
 * Tamper-evident timeline (M5.3, M7.3): each event carries the SHA-256 of its predecessor's hash
 * and its own canonical (RFC 8785) JSON. Changing, removing or reordering any stored event breaks
 * every hash after it, which `verifyChain` reports.
 */
export const GENESIS_HASH = '0'.repeat(64);

export function hashEvent(event: Omit<CaseEvent, 'hash'>): string {
  const canonical = canonicalize(event);
  return createHash('sha256').update(event.prevHash).update('\n').update(canonical).digest('hex');
}

export interface ChainHead {
  caseId: string;
  version: number;
  lastEventHash: string;
}

/** Places drafts on the chain after `head`, returning the sealed events and the new head. */
export function chainEvents(head: ChainHead, drafts: readonly EventDraft[]): { events: CaseEvent[]; head: ChainHead } {
  let { version, lastEventHash } = head;
  const events: CaseEvent[] = [];
  for (const draft of drafts) {
    version += 1;
    const unsealed = { ...draft, caseId: head.caseId, seq: version, prevHash: lastEventHash } as Omit<CaseEvent, 'hash'>;
    const hash = hashEvent(unsealed);
    events.push({ ...unsealed, hash } as CaseEvent);
    lastEventHash = hash;
  }
  return { events, head: { caseId: head.caseId, version, lastEventHash } };
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
    prevHash = hash;
    expectedSeq += 1;
  }
  return { valid: true, length: events.length };
}
