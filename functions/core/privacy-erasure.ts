import type { FeedbackLog } from './feedback-log';
import { eraseCaseReviews, type QualityReviewStore } from './quality-review-records';
import type { Actor, Case } from './case';
import { archiveSubjectOf, verifyCaseArchive } from './case-archive';
import type { CaseEvent } from './case-event';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { eraseCase, eraseEscalationRecord, eraseOutboxMessage } from './erased-form';
import { redactEvent } from './audit-chain';
import type { EscalationRecord } from './escalation';
import type { OutboxMessage } from './outbox';
import type { CaseArchives, CaseStore } from './ports';
import {
  AccessRequestInputSchema,
  findSubjectCases,
  PrivacyRequestSchema,
  rawMessageKeys,
  type AccessRequestInput,
  type ErasureBlocker,
  type ErasureTally,
  type FoundCase,
  type PrivacyRequest,
  type PrivacyRequestStore,
} from './privacy-access';
import { subjectOf, subjectsOfCustomer, type PrivacySubject } from './privacy-subject';
import type { CaseQueues } from './queues';
import type { SubjectKeys } from './subject-keys';
import { DomainError } from './errors';

/**
 * GDPR erasure requests (M5.1, C6.1; docs/privacy.md). An admin names a customer by email address
 * or phone number; caseflow erases what it holds of them and keeps the non-personal record the
 * five-year audit needs (M7.2, C4.3):
 *
 * 1. **Whom**: the cases of the subject (customer index, phone index, archive subject index; never
 *    a Scan), and then of every other address or number those cases name (in the table, or in an
 *    expired case's sealed record), until no new one turns up: a customer's key seals the archives
 *    of all their cases, so all of them are erased together.
 * 2. **Refused, whole**, when a case found is under a legal hold, still open, or closed and not yet
 *    archived: nothing is changed and the record says which cases and why. An erasure never
 *    leaves a customer half erased on purpose.
 * 3. **Per case in the table**: its stored files and raw mail are deleted (every version); the case
 *    is put in erased form with a chained `personal_data_erased` event (out of the customer indexes);
 *    then every event, outbox message and escalation record is rewritten in erased form: events are
 *    redacted (audit-chain.ts), so the chain still verifies.
 * 4. **Archives** (Object Lock: never rewritten) are crypto-shredded: the customer's data keys are
 *    destroyed, so their sealed records and expiry receipts can no longer be opened; their clear
 *    part was non-personal from the start (case-archive.ts).
 * 5. **Indexes and copies**: the archive's subject-index entries and earlier access requests'
 *    exports of this customer are deleted.
 *
 * Every step is idempotent, in an order that lets a failed request be run again to completion
 * (files before the records that name them; the subject index, by which a half-erased case is
 * still found, last). The request's record is kept without expiry and holds no personal data:
 * the subjects' digests, the case ids, counts.
 */
export const ErasureRequestInputSchema = AccessRequestInputSchema;
export type ErasureRequestInput = AccessRequestInput;

/** How many addresses and numbers one erasure may reach through its cases before it stops: a loop over shared contacts is an error, not a purge. */
export const MAX_ERASURE_SUBJECTS = 20;

/** Rewrites a case's records in the table (not the case item): the adapter keeps each item's storage attributes and its expiry. */
export interface CaseRecordEraser {
  rewriteRecords(
    caseId: string,
    rewrite: { event(e: CaseEvent): CaseEvent; outbox(m: OutboxMessage): OutboxMessage; escalation(r: EscalationRecord): EscalationRecord },
  ): Promise<{ rewritten: number; unchanged: number }>;
}

/** Stored objects an erasure deletes, every version of each (a versioned bucket keeps old ones otherwise). */
export interface ErasableFiles {
  /** Deletes the object; false when there was none. */
  delete(key: string): Promise<boolean>;
  /** Deletes every object under the prefix; how many there were. */
  deletePrefix(prefix: string): Promise<number>;
}

/** Where a case's stored files are in the attachments bucket (attachment-spool.ts writes them there). */
export const caseFilesPrefix = (caseId: string) => `cases/${caseId}/`;

export interface ErasureDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange' | 'getTimeline'>;
  queues: Pick<CaseQueues, 'listQueue'>;
  archives: Pick<CaseArchives, 'get' | 'subjectIndex' | 'deleteSubjectIndexEntry'>;
  /** Opens an expired case's archive to learn whom it names, then destroys the keys. */
  keys: Pick<SubjectKeys, 'existing' | 'destroy'>;
  records: CaseRecordEraser;
  /** The attachments bucket: the cases' files, and access requests' exports. */
  attachments: ErasableFiles;
  /** The inbound bucket: raw mail. */
  inboundMail: ErasableFiles;
  requests: Pick<PrivacyRequestStore, 'put' | 'list'>;
  /** The feedback log: the comment of the customer's survey answer is erased there too (C4.2). */
  feedback: Pick<FeedbackLog, 'eraseComment'>;
  /** Quality reviews of the case's replies: their comments are erased too (quality-review-records.ts). */
  qualityReviews?: Pick<QualityReviewStore, 'get' | 'replace'>;
  newRequestId: () => string;
}

export interface ErasureRequestRun {
  subject: ErasureRequestInput;
  requestedBy: Actor;
}

/** A data subject's key id (subject-keys.ts `subjectIdOf`) and the privacy subject it is the digest of: the same SHA-256. */
export function subjectOfKeyId(subjectId: string): PrivacySubject | undefined {
  const m = /^(email|tel):([0-9a-f]{64})$/.exec(subjectId);
  if (!m?.[1] || !m[2]) return undefined;
  return { kind: m[1] === 'email' ? 'email' : 'phone', digest: m[2] };
}

export const keyIdOfSubject = (s: PrivacySubject) => `${s.kind === 'email' ? 'email' : 'tel'}:${s.digest}`;

const subjectKey = (s: PrivacySubject) => `${s.kind}:${s.digest}`;

interface Reached {
  subjects: PrivacySubject[];
  cases: Map<string, FoundCase & { live?: Case }>;
}

/** The subject's cases, and those of every address or number they name (see the module comment). */
async function reachCases(first: PrivacySubject, deps: ErasureDeps): Promise<Reached> {
  const subjects = new Map<string, PrivacySubject>();
  const cases = new Map<string, FoundCase & { live?: Case }>();
  const queue: PrivacySubject[] = [first];
  while (queue.length > 0) {
    const subject = queue.shift() as PrivacySubject;
    if (subjects.has(subjectKey(subject))) continue;
    if (subjects.size >= MAX_ERASURE_SUBJECTS) throw new ErasureScopeError(`the erasure reached more than ${MAX_ERASURE_SUBJECTS} addresses and numbers through the customer's cases`);
    subjects.set(subjectKey(subject), subject);
    for (const found of await findSubjectCases(subject, deps)) {
      if (cases.has(found.caseId)) continue;
      const live = await deps.store.getCase(found.caseId);
      cases.set(found.caseId, { ...found, ...(live ? { live } : {}) });
      // An erased case names nobody any more; a case gone from the table names its key's subject.
      const named = live ? (live.erasure ? [] : subjectsOfCustomer(live.customer)) : await archivedSubjects(found, deps);
      queue.push(...named);
    }
  }
  return { subjects: [...subjects.values()], cases };
}

/**
 * Whom a case known only from its archive names: the subject its record is sealed for and, while
 * that key exists, the address and number of the customer in the sealed record (a web case's
 * number reaches the calls under it even after the web case has expired from the table).
 */
async function archivedSubjects(found: FoundCase, deps: ErasureDeps): Promise<PrivacySubject[]> {
  if (!found.indexEntry) return [];
  const bytes = await deps.archives.get(found.caseId, found.indexEntry.versionId);
  const sealedFor = bytes ? archiveSubjectOf(bytes) : undefined;
  if (!bytes || !sealedFor) return [];
  const subject = subjectOfKeyId(sealedFor.id);
  const key = await deps.keys.existing(sealedFor.id);
  const customer = key ? verifyCaseArchive(bytes, found.indexEntry.sha256, key).record?.case.customer : undefined;
  return [...(subject ? [subject] : []), ...(customer ? subjectsOfCustomer(customer) : [])];
}

export class ErasureScopeError extends DomainError {
  override name = 'ErasureScopeError';
}

/** Why a case may not be erased now, if it may not. */
export function erasureBlocker(c: Case): ErasureBlocker | undefined {
  if (c.erasure) return undefined;
  const base = { caseId: c.caseId, reference: c.reference };
  if (c.legalHold) {
    const { basis, matter, placedBy, placedAt } = c.legalHold;
    return {
      ...base,
      reason: 'legal-hold',
      detail: `${c.reference} is under a legal hold (${basis}${matter ? `, ${matter}` : ''}) placed by ${placedBy} on ${placedAt.slice(0, 10)}: its data must be kept until the hold is released (GDPR art. 17(3)(e))`,
      hold: { basis, ...(matter ? { matter } : {}), placedBy, placedAt },
    };
  }
  if (c.status !== 'closed') return { ...base, reason: 'open', detail: `${c.reference} is ${c.status.replace('_', ' ')}: resolve and close it first, then erase` };
  if (!c.archive) return { ...base, reason: 'archiving', detail: `${c.reference} is closed and its archive is being written: try again in a few minutes` };
  return undefined;
}

const emptyTally = (): ErasureTally => ({
  casesErased: 0,
  archivedOnly: 0,
  recordsRewritten: 0,
  eventsNotErasable: 0,
  rawMessagesDeleted: 0,
  filesDeleted: 0,
  exportsDeleted: 0,
  keysDestroyed: 0,
  indexEntriesDeleted: 0,
});

/** Erases one case in the table (steps 3 of the module comment); safe to run again on a case erased before. */
async function eraseLiveCase(caseId: string, requestId: string, actor: Actor, deps: ErasureDeps, clock: Clock, tally: ErasureTally): Promise<void> {
  // Files first: the timeline names them, and is erased after.
  const timeline = await deps.store.getTimeline(caseId);
  for (const key of rawMessageKeys(timeline)) if (await deps.inboundMail.delete(key)) tally.rawMessagesDeleted += 1;
  tally.filesDeleted += await deps.attachments.deletePrefix(caseFilesPrefix(caseId));

  // The survey answer's comment in the feedback log (the timeline's copy is redacted with the events below).
  const firstAnsweredAt = (await deps.store.getCase(caseId))?.survey?.firstAnsweredAt;
  if (firstAnsweredAt && (await deps.feedback.eraseComment({ caseId, firstAnsweredAt }, requestId))) tally.recordsRewritten += 1;
  // The quality reviews of the case's replies: supervisors' comments may quote the customer.
  if (deps.qualityReviews) tally.recordsRewritten += await eraseCaseReviews(timeline, requestId, deps.qualityReviews);

  await changeCase(deps.store, caseId, (current) => {
    if (current.erasure) return undefined;
    const at = clock.now().toISOString();
    // The event's `changes` carry the personal values before; the rewrite below redacts it with the rest.
    return { next: { ...eraseCase(current), erasure: { requestId, erasedAt: at }, updatedAt: at }, drafts: [{ type: 'personal_data_erased', at, actor, data: { requestId } }], result: true };
  });
  const at = clock.now().toISOString();
  let notErasable = 0;
  const outcome = await deps.records.rewriteRecords(caseId, {
    event: (e) => {
      if (e.salt === undefined && !e.redaction) {
        notErasable += 1;
        return e;
      }
      return redactEvent(e, requestId, at);
    },
    outbox: eraseOutboxMessage,
    escalation: eraseEscalationRecord,
  });
  tally.recordsRewritten += outcome.rewritten;
  tally.eventsNotErasable += notErasable;
  tally.casesErased += 1;
}

/** Deletes the exports earlier access requests made of these subjects (they are copies of everything erased). */
async function deleteEarlierExports(subjects: readonly PrivacySubject[], deps: ErasureDeps): Promise<number> {
  const digests = new Set(subjects.map(subjectKey));
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.requests.list({ limit: 100, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) {
      if (r.kind === 'access' && r.exportKey && digests.has(subjectKey(r.subject)) && (await deps.attachments.delete(r.exportKey))) deleted += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return deleted;
}

const describeFailure = (error: unknown) => (error instanceof DomainError ? `${error.name}: ${error.message}` : error instanceof Error ? error.name : 'unknown error');

/**
 * Runs an erasure request (see the module comment). Returns its record — completed, refused with
 * the cases that stopped it, or failed with why (run it again: every step is idempotent); throws
 * only when the record itself cannot be kept.
 */
export async function runErasureRequest(input: ErasureRequestRun, deps: ErasureDeps, clock: Clock): Promise<PrivacyRequest> {
  const requestId = deps.newRequestId();
  const subject = subjectOf(input.subject.email !== undefined ? { email: input.subject.email } : { phone: input.subject.phone ?? '' });
  const base = { requestId, kind: 'erasure' as const, subject, requestedBy: input.requestedBy, requestedAt: clock.now().toISOString() };
  const tally = emptyTally();
  let reached: Reached = { subjects: [subject], cases: new Map() };
  let record: PrivacyRequest;
  try {
    reached = await reachCases(subject, deps);
    const found = [...reached.cases.values()];
    const blockedBy = found.flatMap((f) => (f.live ? (erasureBlocker(f.live) ?? []) : []));
    if (blockedBy.length > 0) {
      record = { ...base, status: 'refused', completedAt: clock.now().toISOString(), caseIds: found.map((f) => f.caseId), counts: counts(found.length), subjects: reached.subjects, blockedBy };
    } else {
      for (const f of found) {
        if (f.live) await eraseLiveCase(f.caseId, requestId, input.requestedBy, deps, clock, tally);
        else tally.archivedOnly += 1;
      }
      // Crypto-shredding: what the archives and receipts sealed with these keys is unreadable from now on.
      for (const s of reached.subjects) if ((await deps.keys.destroy(keyIdOfSubject(s))) === 'destroyed') tally.keysDestroyed += 1;
      tally.exportsDeleted = await deleteEarlierExports(reached.subjects, deps);
      for (const s of reached.subjects) {
        for (const entry of await deps.archives.subjectIndex(s.digest)) {
          await deps.archives.deleteSubjectIndexEntry(entry.subjectDigest, entry.caseId);
          tally.indexEntriesDeleted += 1;
        }
      }
      record = { ...base, status: 'completed', completedAt: clock.now().toISOString(), caseIds: found.map((f) => f.caseId), counts: counts(found.length), subjects: reached.subjects, erased: tally };
    }
  } catch (error) {
    record = {
      ...base,
      status: 'failed',
      completedAt: clock.now().toISOString(),
      caseIds: [...reached.cases.keys()],
      counts: counts(0),
      subjects: reached.subjects,
      erased: tally,
      failure: describeFailure(error),
    };
  }
  const parsed = PrivacyRequestSchema.parse(record);
  await deps.requests.put(parsed);
  return parsed;
}

const counts = (cases: number) => ({ cases, events: 0, messages: 0, attachments: 0, archives: 0, bytes: 0 });
