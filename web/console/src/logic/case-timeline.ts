import type { CaseEvent, StoredAttachment } from '../api/types';

/** The timeline oldest first, newest last, as the chain orders it (by sequence number; the time breaks no tie). */
export function orderedTimeline(events: readonly CaseEvent[]): CaseEvent[] {
  return [...events].sort((a, b) => a.seq - b.seq);
}

/** Every attachment the customer sent on the case, once each (the same file sent twice is one download), in the order they came. */
export function caseAttachments(events: readonly { attachments: readonly StoredAttachment[] }[]): StoredAttachment[] {
  const seen = new Set<string>();
  const all: StoredAttachment[] = [];
  for (const e of events) {
    for (const a of e.attachments) {
      if (seen.has(a.sha256)) continue;
      seen.add(a.sha256);
      all.push(a);
    }
  }
  return all;
}

/**
 * caseflow's own bookkeeping, which moves a case's version without changing what anyone may do
 * with it: the mail service's delivery receipts, acknowledgements and notices sent, SLA warnings
 * and breaches recorded.
 */
const BOOKKEEPING = new Set(['reply_sent', 'acknowledgement_sent', 'acknowledgement_suppressed', 'notification_sent', 'sla_warning', 'sla_breached']);

const isBookkeeping = (e: CaseEvent) => e.actor.kind === 'system' && BOOKKEEPING.has(e.type);

/**
 * Whether everything that happened on the case since `version` (the version a change was sent
 * with; a case's version is the sequence number of its last event) is caseflow's bookkeeping (a
 * reply's delivery receipt lands a moment after the reply). A change refused for such a version
 * alone is retried on the new version; a change by anyone else is a conflict the person must see.
 */
export function onlyBookkeepingSince(version: number, now: readonly CaseEvent[]): boolean {
  const newer = now.filter((e) => e.seq > version);
  return newer.length > 0 && newer.every(isBookkeeping);
}

/** The changes made to the case since `version` other than caseflow's bookkeeping: what a person typing against `version` has not seen. */
export function changesSince(version: number, now: readonly CaseEvent[]): CaseEvent[] {
  return now.filter((e) => e.seq > version && !isBookkeeping(e));
}
