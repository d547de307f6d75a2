import type { ErasureBlocker, ErasureTally, LegalHoldBasis, PrivacyRequest, PrivacyRequestKind, PrivacyRequestStatus } from '../api/types';
import { formatBytes } from './format';
import { isCaseId } from './router';

/**
 * The privacy-requests screen's words and checks (M5.1, C6.1; docs/privacy.md): what the admin
 * typed, checked before it is sent; a request's record told in words. The records hold the
 * subject's digest, never an address, so nothing here can show one.
 */
export type SubjectKind = 'email' | 'phone';

export const SUBJECT_FIELD_LABEL: Readonly<Record<SubjectKind, string>> = { email: 'Email address', phone: 'Phone number' };
export const SUBJECT_KIND_LABEL: Readonly<Record<SubjectKind, string>> = { email: 'Email', phone: 'Phone' };
export const REQUEST_KIND_LABEL: Readonly<Record<PrivacyRequestKind, string>> = { access: 'Access', erasure: 'Erasure' };
export const REQUEST_STATUS_LABEL: Readonly<Record<PrivacyRequestStatus, string>> = { completed: 'Completed', refused: 'Refused', failed: 'Failed' };
export const BLOCKER_LABEL: Readonly<Record<ErasureBlocker['reason'], string>> = { 'legal-hold': 'Legal hold', open: 'Not closed', archiving: 'Archive being written' };

export const HOLD_BASES: readonly LegalHoldBasis[] = ['litigation', 'regulatory-inquiry', 'complaint-investigation', 'law-enforcement', 'other'];
export const HOLD_BASIS_LABEL: Readonly<Record<LegalHoldBasis, string>> = {
  litigation: 'Litigation',
  'regulatory-inquiry': 'Regulatory inquiry',
  'complaint-investigation': 'Complaint investigation',
  'law-enforcement': 'Law enforcement',
  other: 'Other',
};

/** The API's checks (functions/core/privacy-access.ts `AccessRequestInputSchema`), said with the field's name. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9 ().-]{6,32}$/;

export type SubjectCheck = { ok: true; terms: { email: string } | { phone: string } } | { ok: false; message: string };

export function checkSubject(kind: SubjectKind, input: string): SubjectCheck {
  const value = input.trim();
  const field = SUBJECT_FIELD_LABEL[kind];
  if (value === '') return { ok: false, message: `${field}: enter the customer's ${kind === 'email' ? 'email address' : 'phone number'}` };
  if (kind === 'email') return EMAIL.test(value) ? { ok: true, terms: { email: value.toLowerCase() } } : { ok: false, message: `${field}: enter a whole address, like name@example.com` };
  return PHONE.test(value) ? { ok: true, terms: { phone: value } } : { ok: false, message: `${field}: enter 6 to 32 digits; spaces, a leading +, brackets, dots and dashes may be used` };
}

/** The first 12 characters of a subject's digest: enough to tell requests apart, and never the address. */
export const shortDigest = (digest: string): string => digest.slice(0, 12);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What an access request found and exported: "2 cases, 14 events, 1 message, 2 attachments, 0 archives (3.4 KB)". */
export function describeCounts(r: Pick<PrivacyRequest, 'counts'>): string {
  const c = r.counts;
  return `${plural(c.cases, 'case')}, ${plural(c.events, 'event')}, ${plural(c.messages, 'message')}, ${plural(c.attachments, 'attachment')}, ${plural(c.archives, 'archive')} (${formatBytes(c.bytes)})`;
}

/** What an erasure did, one sentence a line, none for what did not happen. */
export function describeErasure(t: ErasureTally): string[] {
  const lines = [`${plural(t.casesErased, 'case')} put in erased form${t.archivedOnly > 0 ? `, and ${plural(t.archivedOnly, 'case')} known only from ${t.archivedOnly === 1 ? 'its archive' : 'their archives'}` : ''}.`];
  lines.push(`${plural(t.recordsRewritten, 'record')} (timeline events, outbox messages, escalation records) rewritten without personal data.`);
  const deleted = [
    t.rawMessagesDeleted > 0 ? plural(t.rawMessagesDeleted, 'raw message') : '',
    t.filesDeleted > 0 ? plural(t.filesDeleted, 'file') : '',
    t.exportsDeleted > 0 ? plural(t.exportsDeleted, 'earlier access export') : '',
    t.indexEntriesDeleted > 0 ? plural(t.indexEntriesDeleted, 'archive index entry', 'archive index entries') : '',
  ].filter(Boolean);
  if (deleted.length > 0) lines.push(`Deleted, every version: ${deleted.join(', ')}.`);
  if (t.keysDestroyed > 0) lines.push(`${plural(t.keysDestroyed, 'data key')} destroyed: the personal data sealed in the archives can no longer be read.`);
  if (t.eventsNotErasable > 0) lines.push(`${plural(t.eventsNotErasable, 'event')} written before salted hashing could not be erased in place; ${t.eventsNotErasable === 1 ? 'it stays' : 'they stay'} until the case expires.`);
  return lines;
}

/** A request's counts for the list: an access request's export, an erasure's cases (and what it erased). */
export function summariseRequest(r: PrivacyRequest): string {
  if (r.kind === 'access') return r.status === 'completed' ? describeCounts(r) : plural(r.caseIds.length, 'case');
  if (r.status === 'refused') return `${plural(r.caseIds.length, 'case')}, ${plural(r.blockedBy?.length ?? 0, 'blocking')}`;
  if (r.erased) return `${plural(r.erased.casesErased + r.erased.archivedOnly, 'case')} erased, ${plural(r.erased.keysDestroyed, 'key')} destroyed`;
  return plural(r.caseIds.length, 'case');
}

export interface HoldDraft {
  caseId: string;
  basis: LegalHoldBasis | '';
  matter: string;
  note: string;
}

export type HoldCheck<T> = { ok: true; caseId: string; body: T } | { ok: false; field: 'caseId' | 'basis' | 'matter' | 'note'; message: string };

const checkCaseId = (value: string): string | undefined =>
  value === '' ? 'Case id: enter the case id (a UUID such as 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d)' : isCaseId(value) ? undefined : 'Case id: this is not a case id (a UUID such as 0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d); a reference like CS-7K3M9Q will not do';

/** The hold to place (PUT …/legal-hold), with the API's limits (functions/core/actions/legal-hold.ts). */
export function checkHold(d: HoldDraft): HoldCheck<{ basis: LegalHoldBasis; matter?: string; note?: string }> {
  const caseId = d.caseId.trim().toLowerCase();
  const idProblem = checkCaseId(caseId);
  if (idProblem) return { ok: false, field: 'caseId', message: idProblem };
  if (d.basis === '') return { ok: false, field: 'basis', message: 'Basis: choose why the case is held' };
  const matter = d.matter.trim();
  if (matter.length > 100) return { ok: false, field: 'matter', message: 'Matter: at most 100 characters' };
  const note = d.note.trim();
  if (note.length > 2000) return { ok: false, field: 'note', message: 'Note: at most 2,000 characters' };
  return { ok: true, caseId, body: { basis: d.basis, ...(matter ? { matter } : {}), ...(note ? { note } : {}) } };
}

/** The release (DELETE …/legal-hold): the case id, and a note if one was written. */
export function checkRelease(d: Pick<HoldDraft, 'caseId' | 'note'>): HoldCheck<{ note?: string }> {
  const caseId = d.caseId.trim().toLowerCase();
  const idProblem = checkCaseId(caseId);
  if (idProblem) return { ok: false, field: 'caseId', message: idProblem };
  const note = d.note.trim();
  if (note.length > 2000) return { ok: false, field: 'note', message: 'Note: at most 2,000 characters' };
  return { ok: true, caseId, body: note ? { note } : {} };
}
