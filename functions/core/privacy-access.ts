import * as z from 'zod';
import { ActorSchema, LegalHoldSchema, type Actor, type Case } from './case';
import { caseAttachments } from './case-attachments';
import { archiveSubjectOf, verifyCaseArchive } from './case-archive';
import type { FeedbackLog } from './feedback-log';
import type { SubjectKeys } from './subject-keys';
import type { CaseEvent } from './case-event';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { emailAddress } from './email-address';
import { DomainError } from './errors';
import type { CaseArchives, CaseStore, SubjectIndexEntry } from './ports';
import { PrivacySubjectSchema, subjectOf, type PrivacySubject } from './privacy-subject';
import type { CaseQueues, QueueSelection } from './queues';

/**
 * GDPR access requests (M5.1, C6.1): everything caseflow holds about a customer, found by their
 * email address or phone number, as one export an admin downloads. The request is itself an audit
 * record (`PrivacyRequest`): who asked, when, about whom (a digest, never the address), which cases
 * it found and what the export holds. It is kept in the table without an expiry: it is the
 * accountability record, and survives the erasure requests that come later.
 *
 * The cases are found through the customer indexes (the customer index for an address, the phone
 * index for a number: never a Scan) and, for cases that have expired from the table, through the
 * archive's subject index (`index/subjects/<digest>/`, written with each archive). Each case found
 * gives its record (case, timeline, escalations, outbox), its stored files, the raw mail it came
 * with and its archive. Every case still in the table gets a chained `privacy_access_exported`
 * event by the admin, so its audit trail shows who exported it and when.
 */

/** Both kinds of request share one record and one list. */
export const PrivacyRequestKindSchema = z.enum(['access', 'erasure']);
export type PrivacyRequestKind = z.infer<typeof PrivacyRequestKindSchema>;

/** POST /v1/privacy/access-requests: the customer's address or number, in the body (never in a URL). */
export const AccessRequestInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(emailAddress()).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,32}$/, 'Enter a valid phone number').optional(),
  })
  .strict()
  .refine((q) => (q.email === undefined) !== (q.phone === undefined), { message: 'Give either an email address or a phone number', path: ['email'] });
export type AccessRequestInput = z.infer<typeof AccessRequestInputSchema>;

/** How long the export stays in the bucket (its lifecycle rule deletes `privacy-exports/` then: infra/stateful-stack.ts). */
export const PRIVACY_EXPORT_DAYS = 7;
/** How long one download link works: enough to start the download, short enough that a forwarded link soon dies. */
export const EXPORT_LINK_SECONDS = 15 * 60;
/** Where an export is written in the attachments bucket: the request id only, no personal data. */
export const PRIVACY_EXPORT_PREFIX = 'privacy-exports/';
export const privacyExportKey = (requestId: string) => `${PRIVACY_EXPORT_PREFIX}${requestId}.zip`;
/** The name the download is saved under. */
export const privacyExportFilename = (requestId: string) => `caseflow-access-${requestId}.zip`;
export const MANIFEST_PATH = 'manifest.json';
export const EXPORT_FORMAT = 'caseflow.privacy-access-export/1';

const CountsSchema = z.object({
  cases: z.number().int().nonnegative(),
  events: z.number().int().nonnegative(),
  /** Raw inbound messages (.eml). */
  messages: z.number().int().nonnegative(),
  attachments: z.number().int().nonnegative(),
  archives: z.number().int().nonnegative(),
  /** The export's size (the zip). */
  bytes: z.number().int().nonnegative(),
});
export type PrivacyRequestCounts = z.infer<typeof CountsSchema>;

export const ErasureBlockerSchema = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  /** `legal-hold`: held (LegalHold); `open`: not closed yet; `archiving`: closed, its archive not yet recorded. */
  reason: z.enum(['legal-hold', 'open', 'archiving']),
  /** In words, for the admin: what to do about it. */
  detail: z.string(),
  hold: LegalHoldSchema.pick({ basis: true, matter: true, placedBy: true, placedAt: true }).optional(),
});
export type ErasureBlocker = z.infer<typeof ErasureBlockerSchema>;

export const ErasureTallySchema = z.object({
  /** Cases in the table put in erased form. */
  casesErased: z.number().int().nonnegative(),
  /** Cases known only from their archive (expired from the table): their archives are shredded with the key. */
  archivedOnly: z.number().int().nonnegative(),
  /** Timeline events, outbox messages and escalation records rewritten in erased form. */
  recordsRewritten: z.number().int().nonnegative(),
  /** Events written before salted hashing: their hash covers the personal data, so they cannot be erased in place. */
  eventsNotErasable: z.number().int().nonnegative(),
  /** Raw inbound messages deleted (every version). */
  rawMessagesDeleted: z.number().int().nonnegative(),
  /** The cases' stored files deleted (attachments, inline images; every version). */
  filesDeleted: z.number().int().nonnegative(),
  /** Earlier access requests' exports of this customer deleted. */
  exportsDeleted: z.number().int().nonnegative(),
  /** Customers' data keys destroyed: what their archives and receipts sealed can no longer be read. */
  keysDestroyed: z.number().int().nonnegative(),
  /** Entries of the archive's subject index deleted. */
  indexEntriesDeleted: z.number().int().nonnegative(),
});
export type ErasureTally = z.infer<typeof ErasureTallySchema>;

/** The request record: the accountability record of one privacy request. `.strict()`: it has no field for an address or a number. */
export const PrivacyRequestSchema = z
  .object({
    requestId: z.uuid(),
    kind: PrivacyRequestKindSchema,
    subject: PrivacySubjectSchema,
    /** The admin who asked. */
    requestedBy: ActorSchema,
    requestedAt: z.iso.datetime(),
    /** `refused`: an erasure that found a case it may not touch (blockedBy says which and why); nothing was changed. */
    status: z.enum(['completed', 'refused', 'failed']),
    completedAt: z.iso.datetime(),
    /** Every case found: those in the table and those only in the archive. */
    caseIds: z.array(z.uuid()),
    counts: CountsSchema,
    /** The export in the attachments bucket (a completed access request). */
    exportKey: z.string().optional(),
    exportSha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    /**
     * When the export stops being downloadable: the bucket's lifecycle deletes it then (AWS; s3rver
     * keeps it). Not `expiresAt`: that is the table's TTL attribute, and the record never expires.
     */
    exportExpiresAt: z.iso.datetime().optional(),
    /** Cases whose audit trail could not take the `privacy_access_exported` event, and why. */
    notRecordedOn: z.array(z.object({ caseId: z.uuid(), reason: z.string() })).optional(),
    /** Files the cases name that storage did not have, by their path in the export (the manifest lists them too). */
    missingFiles: z.number().int().nonnegative().optional(),
    /** Why a failed request failed (an error's name and, for the core's own errors, its message: ids, never content). */
    failure: z.string().optional(),
    /** Every subject an erasure covered: the one asked about and the address or number its cases also named (privacy-erasure.ts). */
    subjects: z.array(PrivacySubjectSchema).optional(),
    /** The cases that stopped an erasure, and why (a legal hold's basis and matter, never its note). */
    blockedBy: z.array(ErasureBlockerSchema).optional(),
    /** What an erasure did. */
    erased: ErasureTallySchema.optional(),
  })
  .strict();
export type PrivacyRequest = z.infer<typeof PrivacyRequestSchema>;

/** A completed request's export can be linked to until it expires. */
export const exportAvailable = (record: PrivacyRequest, now: Date): record is PrivacyRequest & { exportKey: string; exportExpiresAt: string } =>
  record.status === 'completed' && record.exportKey !== undefined && record.exportExpiresAt !== undefined && now.getTime() < Date.parse(record.exportExpiresAt);

// ---- ports ----

/** The request records (the table: PK `PRIVACY`, no expiry). */
export interface PrivacyRequestStore {
  /** Writes a request's record once. */
  put(record: PrivacyRequest): Promise<void>;
  get(requestId: string): Promise<PrivacyRequest | undefined>;
  /** Newest first. A cursor not made by this store is an InvalidInputError naming `cursor`. */
  list(page: { limit: number; cursor?: string }): Promise<{ items: PrivacyRequest[]; cursor?: string }>;
}

/** Stored objects read as streams (the attachments and inbound buckets): undefined when there is no such object. */
export interface StoredFiles {
  open(key: string): Promise<AsyncIterable<Uint8Array> | undefined>;
  /** Whether the object is there (an export an erasure deleted is not). */
  exists(key: string): Promise<boolean>;
}

export const ExportCategorySchema = z.enum(['case-record', 'attachment', 'raw-message', 'archive']);
export type ExportCategory = z.infer<typeof ExportCategorySchema>;

/** One file of the export, opened only when the writer gets to it (one at a time): undefined when storage has no such object. */
export interface ExportEntry {
  path: string;
  category: ExportCategory;
  open(): Promise<Uint8Array | AsyncIterable<Uint8Array> | undefined>;
}

/** A file as written into the export: its SHA-256 and size, computed from the bytes written. */
export interface ExportedFile {
  path: string;
  sha256: string;
  bytes: number;
}

export interface WrittenExport {
  key: string;
  bytes: number;
  sha256: string;
}

/**
 * Writes an export (a zip, zip-export-writer.ts) to storage: the entries in order, each streamed
 * and hashed as it is written (never all of them in memory), then `manifest.json`, made by
 * `manifest` from what was written and what storage lacked. Entries carry the time given.
 */
export interface PrivacyExportWriter {
  write(
    target: { key: string; filename: string },
    entries: AsyncIterable<ExportEntry>,
    manifest: (files: readonly ExportedFile[], missing: readonly ExportEntry[]) => Uint8Array,
    at: Date,
  ): Promise<WrittenExport>;
}

// ---- the manifest ----

const ManifestCategorySchema = z.object({
  category: z.string(),
  description: z.string(),
  count: z.number().int().nonnegative(),
  included: z.boolean(),
  note: z.string().optional(),
});

export const ExportManifestSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  requestId: z.uuid(),
  subject: PrivacySubjectSchema,
  generatedAt: z.iso.datetime(),
  requestedBy: ActorSchema,
  cases: z.array(
    z.object({
      reference: z.string(),
      caseId: z.uuid(),
      /** How it was found: the customer (or phone) index of the table, or the archive's subject index (expired from the table). */
      foundThrough: z.enum(['customer-index', 'archive-index']),
      status: z.string().optional(),
      inTable: z.boolean(),
      archived: z.boolean(),
      /** The archive read back verifies (checksum against the one recorded, hash chain: case-archive.ts). */
      archiveVerified: z.boolean().optional(),
    }),
  ),
  categories: z.array(ManifestCategorySchema),
  files: z.array(z.object({ path: z.string(), category: ExportCategorySchema, sha256: z.string(), bytes: z.number().int().nonnegative() })),
  /** Files a case names that storage did not have. */
  missing: z.array(z.object({ path: z.string(), category: ExportCategorySchema })),
  /** What caseflow holds that the export leaves out, and why. */
  notIncluded: z.array(z.object({ what: z.string(), why: z.string() })),
});
export type ExportManifest = z.infer<typeof ExportManifestSchema>;

const NOT_INCLUDED: ExportManifest['notIncluded'] = [
  {
    what: 'Quarantined inbound mail',
    why: 'Mail that could not be processed is not linked to a customer; a supervisor reviews it (GET /v1/quarantine) and can add what is theirs to this export.',
  },
  {
    what: 'Short-lived technical records (acknowledgement log, rate counters, idempotency records, failure counts)',
    why: 'Keyed by hashes, holding times and counts only, and deleted within 14 days.',
  },
  {
    what: 'Message-ID links and inbound-mail records',
    why: 'Ids and hashes of the messages listed on each case’s timeline; the messages themselves are included.',
  },
  { what: 'Logs', why: 'caseflow writes no personal data to its logs.' },
];

/** A file name as it can stand in a zip entry: no path, no control or reserved characters, not too long. */
export function sanitiseFilename(name: string): string {
  const cleaned = name
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex -- control characters are what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]/g, '_')
    .replace(/^[.\s]+|[.\s]+$/g, '')
    .slice(0, 100);
  return cleaned === '' ? 'file' : cleaned;
}

const hasRawMessage = (e: CaseEvent): e is Extract<CaseEvent, { type: 'case_received' | 'customer_replied' | 'delivery_failed' }> =>
  e.type === 'customer_replied' || e.type === 'delivery_failed' || (e.type === 'case_received' && e.data.email !== undefined);

/** The raw messages of a timeline, in order: the customer's mail (opening and replies) and bounces of mail sent to them. */
export function rawMessageKeys(timeline: readonly CaseEvent[]): string[] {
  const keys: string[] = [];
  for (const e of timeline) {
    if (!hasRawMessage(e)) continue;
    const key = e.type === 'case_received' ? e.data.email?.rawObjectKey : e.data.rawObjectKey;
    if (key !== undefined && !keys.includes(key)) keys.push(key);
  }
  return keys;
}

// ---- the use case ----

export interface AccessRequestDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange' | 'getTimeline' | 'getEscalations' | 'getOutboxHistory'>;
  queues: Pick<CaseQueues, 'listQueue'>;
  archives: Pick<CaseArchives, 'get' | 'subjectIndex'>;
  /** Customers' data keys: an archive's record is sealed with its customer's (subject-keys.ts). */
  keys: Pick<SubjectKeys, 'existing'>;
  /** The cases' stored files (the attachments bucket). */
  attachments: StoredFiles;
  /** The raw inbound mail (the inbound bucket). */
  inboundMail: StoredFiles;
  writer: PrivacyExportWriter;
  requests: Pick<PrivacyRequestStore, 'put'>;
  /** The feedback log: the customer's survey answers, comments included (C4.2). */
  feedback: Pick<FeedbackLog, 'ofCases'>;
  newRequestId: () => string;
}

export interface AccessRequestRun {
  subject: AccessRequestInput;
  /** The admin asking. */
  requestedBy: Actor;
}

export interface FoundCase {
  caseId: string;
  reference: string;
  foundThrough: 'customer-index' | 'archive-index';
  indexEntry?: SubjectIndexEntry;
}

/** The customer's cases: every page of their customer (or phone) index, then the archive's subject index for those gone from the table. */
export async function findSubjectCases(subject: PrivacySubject, deps: { queues: Pick<CaseQueues, 'listQueue'>; archives: Pick<CaseArchives, 'subjectIndex'> }): Promise<FoundCase[]> {
  const selection: QueueSelection = { queue: 'customer', subject };
  const found = new Map<string, FoundCase>();
  let cursor: string | undefined;
  do {
    const page = await deps.queues.listQueue(selection, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const s of page.items) if (!found.has(s.caseId)) found.set(s.caseId, { caseId: s.caseId, reference: s.reference, foundThrough: 'customer-index' });
    cursor = page.cursor;
  } while (cursor);
  const archived = [...(await deps.archives.subjectIndex(subject.digest))].sort((a, b) => (a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0));
  for (const entry of archived) {
    const listed = found.get(entry.caseId);
    if (listed) listed.indexEntry = entry;
    else found.set(entry.caseId, { caseId: entry.caseId, reference: entry.reference, foundThrough: 'archive-index', indexEntry: entry });
  }
  return [...found.values()];
}

const encode = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

interface Tally {
  cases: ExportManifest['cases'];
  events: number;
  calls: number;
  escalations: number;
  outbox: number;
  /** Survey answers: the feedback-log entries exported with their cases. */
  surveyAnswers: number;
  categories: Map<string, ExportCategory>;
}

/** The export's entries, case by case: each case is read when the writer reaches it, its files opened one at a time. */
async function* exportEntries(found: readonly FoundCase[], deps: AccessRequestDeps, tally: Tally): AsyncGenerator<ExportEntry> {
  const entry = (path: string, category: ExportCategory, open: ExportEntry['open']): ExportEntry => {
    tally.categories.set(path, category);
    return { path, category, open };
  };
  for (const f of found) {
    const live = await deps.store.getCase(f.caseId);
    const folder = `cases/${f.reference}`;
    let timeline: CaseEvent[] = [];
    if (live) {
      const [events, escalations, outbox] = await Promise.all([deps.store.getTimeline(f.caseId), deps.store.getEscalations(f.caseId), deps.store.getOutboxHistory(f.caseId)]);
      timeline = events;
      tally.escalations += escalations.length;
      tally.outbox += outbox.length;
      const firstAnsweredAt = live.survey?.firstAnsweredAt;
      const feedback = firstAnsweredAt ? await deps.feedback.ofCases([{ caseId: f.caseId, firstAnsweredAt }]) : [];
      tally.surveyAnswers += feedback.length;
      const record = encode({ case: live, timeline: events, escalations, outbox, ...(feedback.length ? { feedback } : {}) });
      yield entry(`${folder}/case.json`, 'case-record', async () => record);
    }
    const archive = live?.archive ? { versionId: live.archive.versionId, sha256: live.archive.sha256 } : f.indexEntry ? { versionId: f.indexEntry.versionId, sha256: f.indexEntry.sha256 } : undefined;
    let archiveVerified: boolean | undefined;
    if (archive) {
      const bytes = await deps.archives.get(f.caseId, archive.versionId);
      let exported: Uint8Array | undefined = bytes;
      if (bytes) {
        // The record is sealed with the customer's key: opened, it is what the customer gets.
        const subject = archiveSubjectOf(bytes);
        const key = subject ? await deps.keys.existing(subject.id) : undefined;
        const verdict = verifyCaseArchive(bytes, archive.sha256, key);
        archiveVerified = verdict.verified;
        if (verdict.record) exported = encode({ archive: { format: verdict.document?.format, caseId: f.caseId, sha256: verdict.sha256, verified: verdict.verified }, record: verdict.record });
        // A case gone from the table is known from its archive alone.
        if (!live) timeline = verdict.record?.timeline ?? verdict.document?.timeline ?? [];
      }
      yield entry(`archives/${f.reference}.json`, 'archive', async () => exported);
    }
    if (!live && !archive) continue;
    tally.events += timeline.length;
    tally.calls += timeline.filter((e) => e.type === 'call_logged').length;
    tally.cases.push({
      reference: f.reference,
      caseId: f.caseId,
      foundThrough: f.foundThrough,
      ...(live ? { status: live.status } : {}),
      inTable: live !== undefined,
      archived: archive !== undefined,
      ...(archiveVerified !== undefined ? { archiveVerified } : {}),
    });
    for (const a of caseAttachments(timeline)) {
      yield entry(`${folder}/attachments/${a.sha256}-${sanitiseFilename(a.filename)}`, 'attachment', () => deps.attachments.open(a.key));
    }
    let n = 0;
    for (const key of rawMessageKeys(timeline)) {
      n += 1;
      yield entry(`${folder}/messages/${n}.eml`, 'raw-message', () => deps.inboundMail.open(key));
    }
  }
}

function manifestOf(
  base: Pick<ExportManifest, 'requestId' | 'subject' | 'generatedAt' | 'requestedBy'>,
  tally: Tally,
  files: readonly ExportedFile[],
  missing: readonly ExportEntry[],
): ExportManifest {
  const count = (category: ExportCategory) => files.filter((f) => tally.categories.get(f.path) === category).length;
  const category = (name: string, description: string, n: number, note?: string) => ({ category: name, description, count: n, included: n > 0, ...(note ? { note } : {}) });
  return {
    format: EXPORT_FORMAT,
    ...base,
    cases: tally.cases,
    categories: [
      category('case-records', 'Each case as the table holds it: the case, its timeline, escalation log and outbox (cases/<reference>/case.json)', count('case-record')),
      category('timeline-events', 'Every interaction and change on the cases, hash-chained (in case.json, and in the archives)', tally.events),
      category('call-transcripts', 'Phone calls with their transcripts: the call_logged events of the timelines', tally.calls),
      category('messages-to-the-customer', 'Mail caseflow sent or owed the customer: the outbox of each case (in case.json)', tally.outbox),
      category('escalations', 'The escalation records of the cases (in case.json)', tally.escalations),
      category('attachments', 'Files the customer sent (cases/<reference>/attachments/<sha256>-<name>)', count('attachment')),
      category('raw-messages', 'The customer’s email as received, and bounces of mail sent to them (cases/<reference>/messages/<n>.eml)', count('raw-message')),
      category('archives', 'Closed cases’ archives, as kept for the retention period (archives/<reference>.json)', count('archive')),
      category('survey-answers', 'Answers to customer satisfaction surveys: the feedback-log entry of each case answered (in case.json, `feedback`), and the survey_answered events', tally.surveyAnswers),
    ],
    files: files.map((f) => ({ path: f.path, category: tally.categories.get(f.path) ?? 'case-record', sha256: f.sha256, bytes: f.bytes })),
    missing: missing.map((m) => ({ path: m.path, category: m.category })),
    notIncluded: NOT_INCLUDED,
  };
}

/** Appends `privacy_access_exported` (the admin, the request) to each case still in the table; says why for the others. */
async function recordAccess(found: readonly FoundCase[], requestId: string, actor: Actor, deps: AccessRequestDeps, clock: Clock): Promise<NonNullable<PrivacyRequest['notRecordedOn']>> {
  const notRecorded: NonNullable<PrivacyRequest['notRecordedOn']> = [];
  for (const f of found) {
    const done = await changeCase(deps.store, f.caseId, (current: Case) => {
      const at = clock.now().toISOString();
      // updatedAt moves, so the day's audit anchoring (by-day index) takes in the new chain head.
      return { next: { ...current, updatedAt: at }, drafts: [{ type: 'privacy_access_exported', at, actor, data: { requestId } }], result: true };
    });
    if (!done) notRecorded.push({ caseId: f.caseId, reason: 'expired from the table: only its archive remains, and an archive is never rewritten' });
  }
  return notRecorded;
}

const describeFailure = (error: unknown) => (error instanceof DomainError ? `${error.name}: ${error.message}` : error instanceof Error ? error.name : 'unknown error');

/**
 * Runs an access request: finds the subject's cases, writes the export (files streamed one at a
 * time), records the access on each case's audit trail, and keeps the request record — completed,
 * or failed with why. The export is written before the trails are, and the link to it is given
 * only after (by the caller): no data leaves without its record. Returns the record; throws only
 * when the record itself cannot be kept.
 */
export async function runAccessRequest(input: AccessRequestRun, deps: AccessRequestDeps, clock: Clock): Promise<PrivacyRequest> {
  const requestId = deps.newRequestId();
  const requestedAt = clock.now().toISOString();
  const subject = subjectOf(input.subject.email !== undefined ? { email: input.subject.email } : { phone: input.subject.phone ?? '' });
  const base = { requestId, kind: 'access' as const, subject, requestedBy: input.requestedBy, requestedAt };
  let found: FoundCase[] = [];
  let record: PrivacyRequest;
  try {
    found = await findSubjectCases(subject, deps);
    const tally: Tally = { cases: [], events: 0, calls: 0, escalations: 0, outbox: 0, surveyAnswers: 0, categories: new Map() };
    let written: { files: readonly ExportedFile[]; missing: readonly ExportEntry[] } = { files: [], missing: [] };
    const generatedAt = clock.now();
    const stored = await deps.writer.write(
      { key: privacyExportKey(requestId), filename: privacyExportFilename(requestId) },
      exportEntries(found, deps, tally),
      (files, missing) => {
        written = { files, missing };
        return encode(ExportManifestSchema.parse(manifestOf({ requestId, subject, generatedAt: generatedAt.toISOString(), requestedBy: base.requestedBy }, tally, files, missing)));
      },
      generatedAt,
    );
    const notRecordedOn = await recordAccess(found, requestId, base.requestedBy, deps, clock);
    const completedAt = clock.now();
    const count = (category: ExportCategory) => written.files.filter((f) => tally.categories.get(f.path) === category).length;
    record = {
      ...base,
      status: 'completed',
      completedAt: completedAt.toISOString(),
      caseIds: found.map((f) => f.caseId),
      counts: { cases: tally.cases.length, events: tally.events, messages: count('raw-message'), attachments: count('attachment'), archives: count('archive'), bytes: stored.bytes },
      exportKey: stored.key,
      exportSha256: stored.sha256,
      exportExpiresAt: new Date(completedAt.getTime() + PRIVACY_EXPORT_DAYS * 86_400_000).toISOString(),
      ...(notRecordedOn.length > 0 ? { notRecordedOn } : {}),
      ...(written.missing.length > 0 ? { missingFiles: written.missing.length } : {}),
    };
  } catch (error) {
    record = {
      ...base,
      status: 'failed',
      completedAt: clock.now().toISOString(),
      caseIds: found.map((f) => f.caseId),
      counts: { cases: 0, events: 0, messages: 0, attachments: 0, archives: 0, bytes: 0 },
      failure: describeFailure(error),
    };
  }
  const parsed = PrivacyRequestSchema.parse(record);
  await deps.requests.put(parsed);
  return parsed;
}
