import type { CaseEvent, StoredAttachment } from './case-event';

/**
 * The files a case holds (C4.1): the attachments and inline images of the email that opened it
 * and of every customer reply, as their events list them, first received first. A file sent twice
 * is stored once (its key is its SHA-256), so it is listed once.
 */
export function caseAttachments(events: readonly CaseEvent[]): StoredAttachment[] {
  const seen = new Map<string, StoredAttachment>();
  for (const e of events) {
    const listed = e.type === 'case_received' ? (e.data.email?.attachments ?? []) : e.type === 'customer_replied' ? e.data.attachments : [];
    for (const a of listed) if (!seen.has(a.sha256)) seen.set(a.sha256, a);
  }
  return [...seen.values()];
}

/** The case's file with this SHA-256 (lower-case hex), if it has one. */
export const findCaseAttachment = (events: readonly CaseEvent[], sha256: string): StoredAttachment | undefined =>
  caseAttachments(events).find((a) => a.sha256.toLowerCase() === sha256.toLowerCase());
