import { createHash } from 'node:crypto';
import { customerPartition, phonePartition } from '../../../functions/adapters/dynamo/keys';
import { closeCase } from '../../../functions/core/actions/close';
import { openCaseFromCall } from '../../../functions/core/actions/open-case-from-call';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { summarize, type Actor, type Case } from '../../../functions/core/case';
import { archiveClosedCase } from '../../../functions/core/case-archive';
import { changeCase } from '../../../functions/core/change-case';
import type { CaseItemImages } from '../../../functions/core/item-images';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import {
  AccessRequestInputSchema,
  exportAvailable,
  ExportManifestSchema,
  runAccessRequest,
  sanitiseFilename,
  type AccessRequestDeps,
  type ExportedFile,
  type ExportEntry,
  type ExportManifest,
  type PrivacyExportWriter,
  type PrivacyRequest,
  type StoredFiles,
} from '../../../functions/core/privacy-access';
import { normaliseEmail, subjectOf, subjectsOfCustomer } from '../../../functions/core/privacy-subject';
import type { CaseQueues, QueueSelection } from '../../../functions/core/queues';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { applySla } from '../../../functions/core/apply-sla';
import { answerSurvey } from '../../../functions/core/survey-answer';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { memoryArchives } from '../../support/memory-case-archives';
import { staffDirectory } from '../../support/staff-directory';
import { agent, DAY, movingClock } from './actions/support';
import { memorySubjectKeys } from '../../support/memory-subject-keys';

const admin: Actor = { kind: 'admin', id: 'admin-ada' };
const A = 'Anna.Access@Example.com';
const B = 'bert.bystander@example.com';
const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

/** The customer and phone indexes over the in-memory store: one case a page, so that every page is read. */
function memoryQueues(store: InMemoryCaseStore): Pick<CaseQueues, 'listQueue'> {
  return {
    listQueue: async (selection: QueueSelection, page) => {
      if (selection.queue !== 'customer') throw new Error('only the customer indexes');
      const key = (c: Case) =>
        c.erasure === undefined &&
        ('subject' in selection
          ? subjectsOfCustomer(c.customer).some((x) => x.kind === selection.subject.kind && x.digest === selection.subject.digest)
          : 'email' in selection
            ? customerPartition(c.customer.email ?? '') === customerPartition(selection.email)
            : c.customer.phone !== undefined && phonePartition(c.customer.phone) === phonePartition(selection.phone));
      const all = [...store.cases.values()].filter(key).sort((a, b) => (a.receivedAt < b.receivedAt ? 1 : -1));
      const from = Number(page.cursor ?? 0);
      const next = from + 1;
      return { items: all.slice(from, next).map(summarize), ...(next < all.length ? { cursor: String(next) } : {}) };
    },
  };
}

const memoryFiles = (objects: Map<string, Uint8Array>): StoredFiles => ({
  open: async (key) => {
    const bytes = objects.get(key);
    return bytes ? (async function* () { yield bytes.subarray(0, 3); yield bytes.subarray(3); })() : undefined;
  },
  exists: async (key) => objects.has(key),
});

/** A writer that keeps the export's files in a map, as the zip writer hashes them. */
function memoryWriter() {
  const written = { files: new Map<string, Buffer>(), manifest: undefined as ExportManifest | undefined, key: '', filename: '', calls: 0 };
  const writer: PrivacyExportWriter = {
    async write(target, entries, manifest) {
      written.calls += 1;
      written.key = target.key;
      written.filename = target.filename;
      const files: ExportedFile[] = [];
      const missing: ExportEntry[] = [];
      for await (const entry of entries) {
        const body = await entry.open();
        if (!body) {
          missing.push(entry);
          continue;
        }
        const chunks: Uint8Array[] = [];
        if (body instanceof Uint8Array) chunks.push(body);
        else for await (const chunk of body) chunks.push(chunk);
        const bytes = Buffer.concat(chunks);
        written.files.set(entry.path, bytes);
        files.push({ path: entry.path, sha256: sha256(bytes), bytes: bytes.length });
      }
      const manifestBytes = manifest(files, missing);
      written.manifest = ExportManifestSchema.parse(JSON.parse(Buffer.from(manifestBytes).toString('utf8')));
      return { key: target.key, bytes: 4096, sha256: sha256(manifestBytes) };
    },
  };
  return { writer, written };
}

/** The table items of a case in the in-memory store (the archive's item list). */
function memoryItemImages(store: InMemoryCaseStore): CaseItemImages {
  const images: CaseItemImages = {
    imagesOf: async (c) => {
      const current = (await store.getCase(c.caseId))!;
      return { items: [{ pk: `CASE#${c.caseId}`, sk: 'CASE', image: { entity: 'case', ...current } }], caseVersion: current.version };
    },
    recordsOf: async (caseId) => {
      const c = await store.getCase(caseId);
      if (!c) return undefined;
      const [timeline, escalations, outbox] = await Promise.all([store.getTimeline(caseId), store.getEscalations(caseId), store.getOutboxHistory(caseId)]);
      return { case: c, timeline, escalations, outbox, items: (await images.imagesOf(c, timeline, outbox)).items };
    },
  };
  return images;
}

/**
 * Customer A: a web case (open), an email case with a file and its raw message (closed and archived,
 * still in the table), and a case closed, archived and expired from the table (its archive alone).
 * Customer B: one case. A caller who gave a phone number alone: one case.
 */
async function world() {
  const store = new InMemoryCaseStore();
  const clock = movingClock();
  const bucket = memoryArchives();
  const attachments = new Map<string, Uint8Array>();
  const inbound = new Map<string, Uint8Array>();
  let n = 0;
  const ids = () => `44444444-4444-4444-8444-${String(++n).padStart(12, '0')}`;
  const deps = { store, clock, staff: staffDirectory() };
  const open = async (email: string, subject: string) =>
    (await openCaseFromSubmission({ submission: submission({ email, subject }), channel: 'web' }, { store, clock, newCaseId: ids, random: seededRandom(n + 1), policy: slaPolicy() })).case;
  /** The customer writes again with a file: the reply's raw message and the file stored. */
  const reply = async (c: Case, file: { name: string; content: string }) => {
    const content = Buffer.from(file.content);
    const hash = sha256(content);
    const raw = `inbound/raw-${c.caseId}`;
    attachments.set(`cases/${c.caseId}/attachments/${hash}`, content);
    inbound.set(raw, Buffer.from(`From: ${c.customer.email}\r\nSubject: Re: ${c.subject}\r\n\r\nSee attached.\r\n`));
    await changeCase(store, c.caseId, (current) => ({
      next: current,
      drafts: [
        {
          type: 'customer_replied',
          at: clock.now().toISOString(),
          actor: { kind: 'customer' },
          data: {
            rawObjectKey: raw,
            subject: `Re: ${c.subject}`,
            text: 'See attached.',
            attachments: [{ filename: file.name, contentType: 'application/pdf', size: content.length, sha256: hash, inline: false, key: `cases/${c.caseId}/attachments/${hash}` }],
            matchedBy: 'reference',
          },
        },
      ],
      result: undefined,
    }));
    return hash;
  };
  const { subjectKeys } = memorySubjectKeys();
  const closeAndArchive = async (c: Case) => {
    await resolveCase(c.caseId, { summary: 'Sorted' }, { actor: agent }, deps);
    clock.advance(DAY);
    await closeCase(c.caseId, {}, { actor: agent }, deps);
    expect(await archiveClosedCase(c.caseId, { store, clock, archives: bucket.archives, itemImages: memoryItemImages(store), keys: subjectKeys })).toBe('archived');
  };

  const web = await open(A, 'Where is my order?');
  clock.advance(DAY);
  const mail = await open(A.toLowerCase(), 'Invoice charged twice');
  const invoiceHash = await reply(mail, { name: '../Rechnung März.pdf', content: 'invoice bytes' });
  await closeAndArchive(mail);
  clock.advance(DAY);
  const old = await open(A, 'An old complaint');
  const oldHash = await reply(old, { name: 'photo.jpg', content: 'old photo bytes' });
  await closeAndArchive(old);
  // Retention ended: TTL took the case's items from the table; its archive remains.
  store.cases.delete(old.caseId);
  const other = await open(B, 'Not Anna’s case');
  await reply(other, { name: 'bert.pdf', content: 'bert bytes' });
  const caller = (
    await openCaseFromCall(
      { type: 'inquiry', customer: { name: 'Pat Caller', phone: '+44 20 7946 0000' }, subject: 'Opening hours', message: 'When are you open?', call: { direction: 'inbound', durationSeconds: 60, transcript: 'Caller: when do you open?' } },
      { actor: agent, requestHash: 'h' },
      { ...deps, newCaseId: ids, random: seededRandom(9), policy: slaPolicy() },
    )
  ).case;

  const { writer, written } = memoryWriter();
  const records: PrivacyRequest[] = [];
  const accessDeps: AccessRequestDeps = {
    store,
    queues: memoryQueues(store),
    archives: bucket.archives,
    keys: subjectKeys,
    attachments: memoryFiles(attachments),
    inboundMail: memoryFiles(inbound),
    writer,
    requests: { put: async (r) => void records.push(r) },
    feedback: { ofCases: async (keys) => keys.flatMap((k) => store.feedback.get(k.caseId) ?? []) },
    newRequestId: () => '99999999-9999-4999-8999-999999999999',
  };
  return { store, clock, bucket, attachments, inbound, accessDeps, written, records, cases: { web, mail, old, other, caller }, hashes: { invoiceHash, oldHash } };
}

describe('an access request (M5.1, C6.1)', () => {
  it('exports every case of the customer — in the table, and expired into its archive — and none of anyone else’s', async () => {
    const w = await world();
    const record = await runAccessRequest({ subject: { email: 'anna.access@example.com' }, requestedBy: admin }, w.accessDeps, w.clock);
    const { web, mail, old, other } = w.cases;

    expect(record).toMatchObject({ status: 'completed', kind: 'access', requestedBy: admin, exportKey: 'privacy-exports/99999999-9999-4999-8999-999999999999.zip' });
    expect([...record.caseIds].sort()).toEqual([web.caseId, mail.caseId, old.caseId].sort());
    expect(record.counts).toEqual({ cases: 3, events: expect.any(Number), messages: 2, attachments: 2, archives: 2, bytes: 4096 });
    expect([...w.written.files.keys()].sort()).toEqual(
      [
        `cases/${web.reference}/case.json`,
        `cases/${mail.reference}/case.json`,
        `archives/${mail.reference}.json`,
        `cases/${mail.reference}/attachments/${w.hashes.invoiceHash}-_Rechnung März.pdf`,
        `cases/${mail.reference}/messages/1.eml`,
        `archives/${old.reference}.json`,
        `cases/${old.reference}/attachments/${w.hashes.oldHash}-photo.jpg`,
        `cases/${old.reference}/messages/1.eml`,
      ].sort(),
    );
    // The files are the very bytes stored, and the manifest's checksums are theirs.
    expect(w.written.files.get(`cases/${mail.reference}/attachments/${w.hashes.invoiceHash}-_Rechnung März.pdf`)?.toString()).toBe('invoice bytes');
    for (const f of w.written.manifest!.files) expect(f.sha256).toBe(sha256(w.written.files.get(f.path)!));
    const byReference = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(w.written.manifest!.cases.map((c) => [c.reference, c.foundThrough, c.inTable, c.archived, c.archiveVerified ?? null]).sort(byReference)).toEqual(
      [
        [web.reference, 'customer-index', true, false, null],
        [mail.reference, 'customer-index', true, true, true],
        [old.reference, 'archive-index', false, true, true],
      ].sort(byReference),
    );
    // Nothing of B's: no case, no file, no byte of their mail.
    const everything = [...w.written.files.values()].map((b) => b.toString()).join('\n') + JSON.stringify(w.written.manifest);
    expect(everything).not.toContain(other.reference);
    expect(everything).not.toContain(B);
    expect(everything).not.toContain('bert bytes');
    const caseRecord = JSON.parse(w.written.files.get(`cases/${mail.reference}/case.json`)!.toString()) as { case: Case; timeline: unknown[]; escalations: unknown[]; outbox: unknown[] };
    expect(caseRecord.case.caseId).toBe(mail.caseId);
    expect(caseRecord.timeline.length).toBeGreaterThan(0);
    expect(caseRecord.outbox.length).toBeGreaterThan(0);
  });

  it('says in the manifest which categories hold data and which are empty, exports survey answers with their comments from the feedback log (C4.2), and what it leaves out', async () => {
    const w = await world();
    // The web case is resolved, surveyed a day later, and answered.
    await resolveCase(w.cases.web.caseId, { summary: 'Found it' }, { actor: agent }, { store: w.store, clock: w.clock, staff: staffDirectory() });
    w.clock.advance(DAY);
    await applySla(w.cases.web.caseId, { store: w.store, clock: w.clock, contacts: { teamInbox: 't@example.com', supervisor: 's@example.com', manager: 'm@example.com' } });
    const survey = (await w.store.getCase(w.cases.web.caseId))?.survey;
    await answerSurvey({ caseId: w.cases.web.caseId, surveyId: survey?.surveyId ?? '', expiresAt: survey?.expiresAt ?? '' }, { rating: 2, solved: false, comment: 'Anna says: too slow' }, { store: w.store, clock: w.clock });
    await runAccessRequest({ subject: { email: A }, requestedBy: admin }, w.accessDeps, w.clock);
    const categories = Object.fromEntries(w.written.manifest!.categories.map((c) => [c.category, c]));
    expect(categories['survey-answers']).toMatchObject({ count: 1, included: true });
    const webRecord = JSON.parse(w.written.files.get(`cases/${w.cases.web.reference}/case.json`)!.toString()) as { feedback?: { comment?: string; rating: number }[] };
    expect(webRecord.feedback).toEqual([expect.objectContaining({ rating: 2, comment: 'Anna says: too slow' })]);
    expect(categories['call-transcripts']).toMatchObject({ count: 0, included: false });
    expect(categories.attachments).toMatchObject({ count: 2, included: true });
    expect(categories.archives).toMatchObject({ count: 2, included: true });
    expect(w.written.manifest!.notIncluded.map((n) => n.what)).toEqual(expect.arrayContaining(['Quarantined inbound mail', 'Logs']));
  });

  it('keeps the request as a record of its own: the subject’s digest and never the address, who asked and when, what was found', async () => {
    const w = await world();
    const record = await runAccessRequest({ subject: { email: A }, requestedBy: admin }, w.accessDeps, w.clock);
    expect(w.records).toEqual([record]);
    expect(record.subject).toEqual({ kind: 'email', digest: sha256(normaliseEmail(A)) });
    // The same digest as the customer index's key: the request names the customer as the table does, and no more.
    expect(customerPartition(A)).toBe(`CUST#${record.subject.digest}`);
    expect(JSON.stringify(record).toLowerCase()).not.toContain('anna');
    expect(JSON.stringify(record)).not.toContain('example.com');
    expect(record.requestedAt).toBe(w.clock.now().toISOString());
    expect(record.exportExpiresAt).toBe(new Date(w.clock.ms() + 7 * DAY).toISOString());
  });

  it('records the export on the audit trail of every case still in the table, by the admin, with the request id alone; the expired case is named on the request instead (M7.3)', async () => {
    const w = await world();
    const record = await runAccessRequest({ subject: { email: A }, requestedBy: admin }, w.accessDeps, w.clock);
    for (const c of [w.cases.web, w.cases.mail]) {
      const last = (await w.store.getTimeline(c.caseId)).at(-1);
      expect(last).toMatchObject({ type: 'privacy_access_exported', actor: admin, data: { requestId: record.requestId } });
      expect(Object.keys(last!.data)).toEqual(['requestId']);
    }
    // A closed case takes the event too (closed is final for staff actions, not for the system's record of who saw it).
    expect((await w.store.getCase(w.cases.mail.caseId))?.status).toBe('closed');
    expect(record.notRecordedOn).toEqual([{ caseId: w.cases.old.caseId, reason: expect.stringContaining('expired from the table') }]);
    // Nobody else's trail moved.
    expect((await w.store.getTimeline(w.cases.other.caseId)).some((e) => e.type === 'privacy_access_exported')).toBe(false);
  });

  it('finds a caller who gave a phone number alone through the phone index, however the number is written', async () => {
    const w = await world();
    const record = await runAccessRequest({ subject: { phone: '+44 (20) 7946-0000' }, requestedBy: admin }, w.accessDeps, w.clock);
    expect(record).toMatchObject({ status: 'completed', caseIds: [w.cases.caller.caseId], subject: subjectOf({ phone: '+442079460000' }) });
    expect(phonePartition('+44 20 7946 0000')).toBe(`CUST#tel:${record.subject.digest}`);
    expect([...w.written.files.keys()]).toEqual([`cases/${w.cases.caller.reference}/case.json`]);
    expect(w.written.manifest!.categories.find((c) => c.category === 'call-transcripts')).toMatchObject({ count: 1, included: true });
  });

  it('lists a file that storage no longer has as missing, and exports the rest', async () => {
    const w = await world();
    w.inbound.delete(`inbound/raw-${w.cases.mail.caseId}`);
    const record = await runAccessRequest({ subject: { email: A }, requestedBy: admin }, w.accessDeps, w.clock);
    expect(record).toMatchObject({ status: 'completed', missingFiles: 1, counts: { messages: 1 } });
    expect(w.written.manifest!.missing).toEqual([{ path: `cases/${w.cases.mail.reference}/messages/1.eml`, category: 'raw-message' }]);
  });

  it('exports nothing, and still keeps a record, for an address caseflow has no case of', async () => {
    const w = await world();
    const record = await runAccessRequest({ subject: { email: 'nobody@example.org' }, requestedBy: admin }, w.accessDeps, w.clock);
    expect(record).toMatchObject({ status: 'completed', caseIds: [], counts: { cases: 0, events: 0, messages: 0, attachments: 0, archives: 0 } });
    expect([...w.written.files.keys()]).toEqual([]);
    expect(w.written.manifest!.categories.every((c) => !c.included)).toBe(true);
  });

  it('keeps a failed request as failed, with why, and records no export on any trail', async () => {
    const w = await world();
    w.accessDeps.writer = { write: async () => Promise.reject(Object.assign(new Error('bucket unreachable: anna.access@example.com'), { name: 'S3ServiceException' })) };
    const record = await runAccessRequest({ subject: { email: A }, requestedBy: admin }, w.accessDeps, w.clock);
    expect(record).toMatchObject({ status: 'failed', failure: 'S3ServiceException', counts: { cases: 0, bytes: 0 } });
    expect(record.exportKey).toBeUndefined();
    expect(record.caseIds).toHaveLength(3);
    // An error's message may quote personal data: only its name is kept.
    expect(JSON.stringify(record)).not.toContain('anna');
    expect(w.records).toEqual([record]);
    expect((await w.store.getTimeline(w.cases.web.caseId)).some((e) => e.type === 'privacy_access_exported')).toBe(false);
  });
});

describe('the request’s input', () => {
  it('takes an email address or a phone number, not both, not neither, nothing else', () => {
    expect(AccessRequestInputSchema.parse({ email: ' Anna@Example.COM ' })).toEqual({ email: 'anna@example.com' });
    expect(AccessRequestInputSchema.safeParse({ phone: '+44 20 7946 0000' }).success).toBe(true);
    expect(AccessRequestInputSchema.safeParse({}).success).toBe(false);
    expect(AccessRequestInputSchema.safeParse({ email: 'a@example.com', phone: '+44 20 7946 0000' }).success).toBe(false);
    expect(AccessRequestInputSchema.safeParse({ email: 'a@example.com', name: 'Anna' }).success).toBe(false);
    expect(AccessRequestInputSchema.safeParse({ email: 'not an address' }).success).toBe(false);
  });
});

describe('the export', () => {
  it('names files without a path, control or reserved characters, and never with an empty name', () => {
    expect(sanitiseFilename('../../etc/passwd')).toBe('_.._etc_passwd');
    expect(sanitiseFilename('Rechnung März.pdf')).toBe('Rechnung März.pdf');
    expect(sanitiseFilename('a\u0000b:c?.pdf')).toBe('a_b_c_.pdf');
    expect(sanitiseFilename('...')).toBe('file');
    expect(sanitiseFilename('x'.repeat(300))).toHaveLength(100);
  });

  it('can be linked to until it expires, and only when the request completed', () => {
    const completed = { status: 'completed', exportKey: 'privacy-exports/x.zip', exportExpiresAt: '2026-03-09T09:00:00.000Z' } as PrivacyRequest;
    expect(exportAvailable(completed, new Date('2026-03-09T08:59:59.999Z'))).toBe(true);
    expect(exportAvailable(completed, new Date('2026-03-09T09:00:00.000Z'))).toBe(false);
    expect(exportAvailable({ ...completed, status: 'failed' }, new Date('2026-03-02T09:00:00.000Z'))).toBe(false);
  });
});
