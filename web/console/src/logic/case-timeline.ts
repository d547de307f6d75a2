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
