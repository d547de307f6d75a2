import { canonicalize } from 'json-canonicalize';
import { createHash } from 'node:crypto';
import { verifyAuditTrail } from '../../../functions/core/audit-verification';
import { addNote } from '../../../functions/core/actions/add-note';
import { closeCase } from '../../../functions/core/actions/close';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { archiveClosedCase, buildCaseArchive, caseArchiveKey, recordArchive, verifyCaseArchive, type CaseArchive } from '../../../functions/core/case-archive';
import { memoryArchives } from '../../support/memory-case-archives';
import { memorySubjectKeys } from '../../support/memory-subject-keys';
import { subjectIdOf } from '../../../functions/core/subject-keys';
import { isWholeSnapshot, itemDigest, type CaseItemImages } from '../../../functions/core/item-images';
import { SYSTEM } from '../../../functions/core/case';
import { changeCase } from '../../../functions/core/change-case';
import type { CaseEvent } from '../../../functions/core/case-event';
import { CaseStateError, ConcurrentUpdateError } from '../../../functions/core/errors';
import { agent, DAY, opened } from './actions/support';

/** A case opened, worked, resolved and closed, with an escalation record and an outbox message on it. */
async function closedCase() {
  const setup = await opened();
  const { caseId, deps, clock } = setup;
  await addNote(caseId, { text: 'Called the courier' }, { actor: agent }, deps);
  await resolveCase(caseId, { summary: 'Parcel redelivered' }, { actor: agent }, deps);
  clock.advance(DAY);
  await closeCase(caseId, {}, { actor: agent }, deps);
  return setup;
}

type Store = Awaited<ReturnType<typeof opened>>['store'];

/** The table items of a case in the in-memory store, keyed as the table keys them. */
function memoryItemImages(store: Store): CaseItemImages {
  const images: CaseItemImages = {
    recordsOf: async (caseId) => {
      const c = await store.getCase(caseId);
      if (!c) return undefined;
      const [timeline, escalations, outbox] = await Promise.all([store.getTimeline(caseId), store.getEscalations(caseId), store.getOutboxHistory(caseId)]);
      return { case: c, timeline, escalations, outbox, items: (await images.imagesOf(c, timeline, outbox)).items };
    },
    imagesOf: async (c) => {
      const current = (await store.getCase(c.caseId))!;
      const items = [
        { pk: `CASE#${c.caseId}`, sk: 'CASE', image: { entity: 'case', ...current } },
        ...(await store.getTimeline(c.caseId)).map((e) => ({ pk: `CASE#${c.caseId}`, sk: `EVT#${String(e.seq).padStart(8, '0')}`, image: { entity: 'event', ...e } })),
        ...(await store.getOutboxHistory(c.caseId)).map((m) => ({ pk: `CASE#${c.caseId}`, sk: `OUTBOX#${m.id}`, image: { entity: 'outbox', ...m } })),
        { pk: `REF#${c.reference}`, sk: 'REF', image: { caseId: c.caseId } },
      ];
      return { items, caseVersion: current.version };
    },
  };
  return images;
}

async function sourceOf(store: Store, caseId: string) {
  const c = await store.getCase(caseId);
  const timeline = await store.getTimeline(caseId);
  const outbox = await store.getOutboxHistory(caseId);
  const { items } = await memoryItemImages(store).imagesOf(c!, timeline, outbox);
  return { case: c!, timeline, escalations: await store.getEscalations(caseId), outbox, items };
}

/** The same document with its keys in reverse order, at every level. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
  return value;
}

const key = { keyId: 'key-1', key: new Uint8Array(32).fill(7) };
const otherKey = { keyId: 'key-2', key: new Uint8Array(32).fill(9) };

describe('the archive of a closed case (M7.2, M7.3)', () => {
  it('holds the case, every chained event with its hash, the audit head, the escalation log, the outbox history and the files, locked until the case expires', async () => {
    const { store, caseId } = await closedCase();
    const source = await sourceOf(store, caseId);
    const built = buildCaseArchive(source, key);

    expect(built.document).toMatchObject({
      format: 'caseflow.case-archive/3',
      caseId,
      subject: { id: subjectIdOf(source.case.customer), keyId: 'key-1' },
      auditHead: { version: source.case.version, lastEventHash: source.case.lastEventHash },
      attachments: [],
    });
    expect(built.document.timeline.map((e) => [e.seq, e.type, e.hash])).toEqual(source.timeline.map((e) => [e.seq, e.type, e.hash]));
    expect(built.document.timeline.at(-1)).toMatchObject({ type: 'status_changed', data: { to: 'closed' } });
    expect(built.document.outbox.map((m) => m.id)).toEqual(['acknowledgement']);
    expect(built.retainUntil.getTime()).toBe(source.case.expiresAt! * 1000);
    expect(built.document.retainUntil).toBe(built.retainUntil.toISOString());
    expect(built.sha256).toBe(createHash('sha256').update(built.json).digest('hex'));
    expect(caseArchiveKey(caseId)).toBe(`records/${caseId}/case-archive.json.gz`);
    // With the customer's key, the whole record opens, as it was, and verifies.
    const opened = verifyCaseArchive(built.json, built.sha256, key);
    expect(opened).toMatchObject({ verified: true, problems: [], personalData: 'opened' });
    expect(opened.record).toEqual({ case: source.case, timeline: source.timeline, escalations: source.escalations, outbox: source.outbox, attachments: [] });
  });

  it('keeps no personal data in clear: the customer’s name, address, subject, message and notes are sealed with their key (M5.1, C6.1)', async () => {
    const { store, caseId } = await closedCase();
    const source = await sourceOf(store, caseId);
    const built = buildCaseArchive(source, key);
    const text = new TextDecoder().decode(built.json);
    for (const value of [source.case.customer.name, source.case.customer.email!, source.case.subject, source.case.message, 'Called the courier', 'Parcel redelivered']) {
      expect({ value, inClear: text.includes(value) }).toEqual({ value, inClear: false });
    }
    expect(built.document.case).toMatchObject({ customer: { name: '[erased]' }, subject: '[erased]', status: 'closed', type: source.case.type, channel: source.case.channel, sla: source.case.sla });
  });

  it('verifies its clear part without the key: after the key is destroyed the non-personal record still verifies, and nothing of the customer opens (M5.1, M7.3)', async () => {
    const { store, caseId } = await closedCase();
    const built = buildCaseArchive(await sourceOf(store, caseId), key);
    expect(verifyCaseArchive(built.json, built.sha256)).toMatchObject({ verified: true, problems: [], personalData: 'sealed' });
    expect(verifyCaseArchive(built.json, built.sha256)).not.toHaveProperty('record');
    expect(verifyCaseArchive(built.json, built.sha256, otherKey)).toMatchObject({ verified: false, problems: [expect.stringContaining('does not open')] });
  });

  it('lists every table item of the case with the digest of its image, in key order, so expiry can check each one (M7.2)', async () => {
    const { store, caseId } = await closedCase();
    const source = await sourceOf(store, caseId);
    const { items } = buildCaseArchive(source, key).document;
    expect(items).toHaveLength(source.items.length);
    expect(items.map((i) => `${i.pk} ${i.sk}`)).toEqual(source.items.map((i) => `${i.pk} ${i.sk}`).sort());
    const caseItem = source.items.find((i) => i.sk === 'CASE')!;
    expect(items).toContainEqual({ pk: caseItem.pk, sk: 'CASE', sha256: itemDigest(caseItem.image) });
    // The expiry attribute, stamped after archiving, does not change an item's digest; any other attribute does.
    expect(itemDigest({ ...caseItem.image, expiresAt: 1_900_000_000 })).toBe(itemDigest(caseItem.image));
    expect(itemDigest({ ...caseItem.image, status: 'resolved' })).not.toBe(itemDigest(caseItem.image));
  });

  it('lists the files of the trail in the manifest with their SHA-256 and key, the names sealed (C4.1)', async () => {
    const { store, caseId } = await closedCase();
    const source = await sourceOf(store, caseId);
    const file = { filename: 'receipt.pdf', contentType: 'application/pdf', size: 3, sha256: 'ab'.repeat(32), inline: false, key: `cases/${caseId}/attachments/${'ab'.repeat(32)}` };
    const received = source.timeline[0] as Extract<CaseEvent, { type: 'case_received' }>;
    const withFile = { ...source, timeline: [{ ...received, data: { ...received.data, email: { rawObjectKey: 'raw/1', subject: 's', attachments: [file] } } }, ...source.timeline.slice(1)] };
    const { inline: _inline, ...entry } = file;
    const built = buildCaseArchive(withFile, key);
    expect(built.document.attachments).toEqual([{ ...entry, filename: '[erased]' }]);
    expect(verifyCaseArchive(built.json, undefined, key).record?.attachments).toEqual([entry]);
  });

  it('has a checksum that does not depend on key order, and the same case archived twice gives the same bytes', async () => {
    const { store, caseId } = await closedCase();
    const source = await sourceOf(store, caseId);
    const built = buildCaseArchive(source, key);
    const shuffled = reversedKeys(built.document) as CaseArchive;
    expect(JSON.stringify(shuffled)).not.toBe(JSON.stringify(built.document));
    expect(buildCaseArchive(reversedKeys(source) as typeof source, key).sha256).toBe(built.sha256);
    expect(verifyCaseArchive(shuffled, built.sha256)).toMatchObject({ verified: true, sha256: built.sha256 });
  });

  it('is refused for a case that is not closed', async () => {
    const { store, caseId } = await opened();
    const open = (await store.getCase(caseId))!;
    expect(() => buildCaseArchive({ case: open, timeline: [], escalations: [], outbox: [], items: [] }, key)).toThrow(CaseStateError);
  });

  describe('verification finds tampering', () => {
    async function archived() {
      const { store, caseId } = await closedCase();
      const built = buildCaseArchive(await sourceOf(store, caseId), key);
      return { built, doc: structuredClone(built.document) };
    }
    const reencoded = (doc: CaseArchive) => new TextEncoder().encode(canonicalize(doc));

    it('text written into an erased event of the clear part', async () => {
      const { built, doc } = await archived();
      const note = doc.timeline.find((e) => e.type === 'note_added');
      if (note?.type !== 'note_added') throw new Error('no note');
      note.data.text = 'Nothing happened';
      expect(verifyCaseArchive(doc)).toMatchObject({ verified: false, problems: [expect.stringContaining(`at event ${note.seq}: an erased event carries content`)] });
      const verdict = verifyCaseArchive(reencoded(doc), built.sha256);
      expect(verdict.verified).toBe(false);
      expect(verdict.problems).toContain('the archive checksum differs from the one recorded on the case');
    });

    it('an edited public field of an event', async () => {
      const { doc } = await archived();
      const closed = doc.timeline.at(-1)!;
      closed.at = '2020-01-01T00:00:00.000Z';
      expect(verifyCaseArchive(doc)).toMatchObject({ verified: false, problems: [expect.stringContaining(`at event ${closed.seq}: event content changed`)] });
    });

    it('a dropped event', async () => {
      const { doc } = await archived();
      doc.timeline.splice(1, 1);
      expect(verifyCaseArchive(doc)).toMatchObject({ verified: false, problems: [expect.stringContaining('at event 2: missing or reordered event')] });
    });

    it('the last event dropped, which leaves a shorter chain that links', async () => {
      const { doc } = await archived();
      doc.timeline.pop();
      expect(verifyCaseArchive(doc).problems.join()).toContain('missing: the case head says');
    });

    it('an edited case field: against the trail where it changed, against the sealed record where it never did', async () => {
      const { doc } = await archived();
      doc.case.status = 'resolved';
      expect(verifyCaseArchive(doc)).toMatchObject({ verified: false, problems: [expect.stringContaining('the case item differs from its trail')] });
      const { doc: other } = await archived();
      other.case.priority = other.case.priority === 'high' ? 'low' : 'high';
      expect(verifyCaseArchive(other, undefined, key).problems).toContain('the clear part of the archive is not the non-personal form of its sealed record');
    });

    it('personal data put back in clear', async () => {
      const { doc } = await archived();
      doc.case.customer = { name: 'Someone Else', email: 'someone@example.com' };
      expect(verifyCaseArchive(doc).problems).toContain('the clear part of the archive holds personal data');
    });

    it('an altered sealed record', async () => {
      const { doc } = await archived();
      const bytes = Buffer.from(doc.sealed.ciphertext, 'base64');
      bytes[0] = (bytes[0] ?? 0) ^ 1;
      doc.sealed.ciphertext = bytes.toString('base64');
      expect(verifyCaseArchive(doc, undefined, key).problems).toContain('the sealed record does not open with the customer’s key: it was altered, or sealed for another case');
    });

    it('an item list out of order, or naming an item twice', async () => {
      const { doc } = await archived();
      doc.items.push(doc.items[0]!);
      expect(verifyCaseArchive(doc).problems).toContain('the item list is not in key order or names an item twice');
    });

    it('bytes changed after the checksum was recorded', async () => {
      const { built } = await archived();
      const bytes = Uint8Array.from(built.json);
      bytes[bytes.length - 2] = 0x20;
      expect(verifyCaseArchive(bytes, built.sha256)).toMatchObject({ verified: false });
    });
  });
});

describe('recording the archive on the case (M7.2)', () => {
  const location = (sha256: string) => ({ key: 'records/x/case-archive.json.gz', sha256, versionId: 'v1', bytes: 1234, retainUntil: '2031-03-03T09:00:00.000Z' });

  it('sets the case’s archive with a chained case_archived event by the system, once for the same checksum', async () => {
    const { store, caseId, deps } = await closedCase();
    const before = (await store.getCase(caseId))!;
    expect(await recordArchive(caseId, location('aa'), deps)).toEqual({ recorded: true });
    expect(await recordArchive(caseId, location('aa'), deps)).toEqual({ recorded: false });

    const after = (await store.getCase(caseId))!;
    expect(after.archive).toEqual({ ...location('aa'), archivedAt: deps.clock.now().toISOString() });
    expect(after.version).toBe(before.version + 1);
    const events = await store.getTimeline(caseId);
    expect(events.filter((e) => e.type === 'case_archived')).toEqual([
      expect.objectContaining({ seq: before.version + 1, actor: expect.objectContaining({ kind: 'system' }), data: { key: 'records/x/case-archive.json.gz', sha256: 'aa', versionId: 'v1', bytes: 1234, retainUntil: '2031-03-03T09:00:00.000Z' } }),
    ]);
    // The recorded archive is part of the audited state: the item still follows from its trail.
    expect(verifyAuditTrail(events, after, [], [], after)).toMatchObject({ valid: true });
  });

  it('refuses to record an archive for a case that is not closed', async () => {
    const { caseId, deps } = await opened();
    await expect(recordArchive(caseId, location('aa'), deps)).rejects.toThrow(CaseStateError);
  });
});

describe('archiving a closed case (M7.2)', () => {
  it('writes the archive once, locked until the case expires, indexes it by reference and records it on the case; a redelivery writes nothing', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, versions, index } = memoryArchives();
    expect(await archiveClosedCase(caseId, { ...deps, archives, itemImages: memoryItemImages(store), keys: memorySubjectKeys().subjectKeys })).toBe('archived');
    expect(await archiveClosedCase(caseId, { ...deps, archives, itemImages: memoryItemImages(store), keys: memorySubjectKeys().subjectKeys })).toBe('archived-already');

    expect(versions).toHaveLength(1);
    const c = (await store.getCase(caseId))!;
    expect(versions[0]!.retainUntil.getTime()).toBe(c.expiresAt! * 1000);
    const verdict = verifyCaseArchive(versions[0]!.json, c.archive?.sha256);
    expect(verdict).toMatchObject({ verified: true });
    // Every event but the one that records the archive itself.
    expect(verdict.document?.timeline.map((e) => e.seq)).toEqual((await store.getTimeline(caseId)).slice(0, -1).map((e) => e.seq));
    expect((await store.getTimeline(caseId)).filter((e) => e.type === 'case_archived')).toHaveLength(1);
    // Found by reference once the table has forgotten the case.
    expect(index.get(c.reference)).toEqual({ reference: c.reference, caseId, key: c.archive!.key, versionId: c.archive!.versionId, sha256: c.archive!.sha256, retainUntil: c.archive!.retainUntil });
  });

  it('indexes the archive by the digest of the customer’s address, never the address, so that an access request finds it after the case expires (M5.1)', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, subjects } = memoryArchives();
    await archiveClosedCase(caseId, { ...deps, archives, itemImages: memoryItemImages(store), keys: memorySubjectKeys().subjectKeys });
    const c = (await store.getCase(caseId))!;
    const digest = createHash('sha256').update('pat@example.com').digest('hex');
    expect(await archives.subjectIndex(digest)).toEqual([
      { subjectDigest: digest, caseId, reference: c.reference, key: c.archive!.key, versionId: c.archive!.versionId, sha256: c.archive!.sha256, retainUntil: c.archive!.retainUntil },
    ]);
    expect([...subjects.keys()]).toEqual([`${digest}/${caseId}`]);
    expect(JSON.stringify([...subjects.values()])).not.toContain('pat@');
  });

  it('builds the archive again when the case changed while it was written, so that it lacks no event', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, versions } = memoryArchives();
    const put = archives.put;
    let raced = false;
    archives.put = async (...args) => {
      if (!raced) {
        raced = true;
        // Staff cannot change a closed case; a system change (as the archive's own record is) can land meanwhile.
        await changeCase(store, caseId, (c) => ({ next: c, drafts: [{ type: 'note_added', at: c.updatedAt, actor: SYSTEM, data: { text: 'system note' } }], result: undefined }));
      }
      return put(...args);
    };
    expect(await archiveClosedCase(caseId, { ...deps, archives, itemImages: memoryItemImages(store), keys: memorySubjectKeys().subjectKeys })).toBe('archived');
    const c = (await store.getCase(caseId))!;
    expect(versions).toHaveLength(2);
    const recorded = versions.at(-1)!;
    expect(verifyCaseArchive(recorded.json).document?.timeline.at(-1)).toMatchObject({ type: 'note_added' });
    expect(verifyCaseArchive(recorded.json, c.archive?.sha256).document?.auditHead.version).toBe(c.version - 1);
  });

  it('reads the case and all its records in one read of its items, and records the archive without reading the case again', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, versions } = memoryArchives();
    const images = memoryItemImages(store);
    let partitionReads = 0;
    const itemImages: CaseItemImages = { ...images, recordsOf: (id) => ((partitionReads += 1), images.recordsOf(id)) };
    const storeReads: string[] = [];
    const counted = new Proxy(store, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string' || !name.startsWith('get')) return value;
        return (...args: unknown[]) => (storeReads.push(name), (value as (...a: unknown[]) => unknown).apply(target, args));
      },
    });
    expect(await archiveClosedCase(caseId, { ...deps, store: counted, archives, itemImages, keys: memorySubjectKeys().subjectKeys })).toBe('archived');
    expect(partitionReads).toBe(1);
    expect(storeReads).toEqual([]);
    const c = (await store.getCase(caseId))!;
    expect(verifyCaseArchive(versions[0]!.json, c.archive?.sha256)).toMatchObject({ verified: true });
  });

  it('reads again when a change landed halfway through the read, so that the archive holds the whole trail up to its head', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, versions } = memoryArchives();
    const images = memoryItemImages(store);
    let reads = 0;
    const itemImages: CaseItemImages = {
      ...images,
      recordsOf: async (id) => {
        reads += 1;
        if (reads > 1) return images.recordsOf(id);
        // The case item read before a system change committed, its events after it.
        const before = (await images.recordsOf(id))!;
        await changeCase(store, caseId, (c) => ({ next: c, drafts: [{ type: 'note_added', at: c.updatedAt, actor: SYSTEM, data: { text: 'system note' } }], result: undefined }));
        return { ...before, timeline: await store.getTimeline(caseId) };
      },
    };
    expect(await archiveClosedCase(caseId, { ...deps, archives, itemImages, keys: memorySubjectKeys().subjectKeys })).toBe('archived');
    expect(reads).toBe(2);
    expect(versions).toHaveLength(1);
    const c = (await store.getCase(caseId))!;
    const document = verifyCaseArchive(versions[0]!.json, c.archive?.sha256).document!;
    expect(document.auditHead.version).toBe(c.version - 1);
    expect(document.timeline.at(-1)).toMatchObject({ type: 'note_added' });
  });

  it('writes nothing when every read of the case catches it changing, and says it kept changing', async () => {
    const { store, caseId, deps } = await closedCase();
    const { archives, versions } = memoryArchives();
    const images = memoryItemImages(store);
    // The events as read lack the last one: the case item was read after a change, its events before it.
    const itemImages: CaseItemImages = { ...images, recordsOf: async (id) => images.recordsOf(id).then((r) => r && { ...r, timeline: r.timeline.slice(0, -1) }) };
    await expect(archiveClosedCase(caseId, { ...deps, archives, itemImages, keys: memorySubjectKeys().subjectKeys })).rejects.toThrow(ConcurrentUpdateError);
    expect(versions).toHaveLength(0);
    expect((await store.getCase(caseId))!.archive).toBeUndefined();
  });

  it('takes a read whose events end at another hash than the case’s head for one caught mid-change', async () => {
    const { store, caseId } = await closedCase();
    const c = (await store.getCase(caseId))!;
    const timeline = await store.getTimeline(caseId);
    expect(isWholeSnapshot({ case: c, timeline })).toBe(true);
    expect(isWholeSnapshot({ case: { ...c, lastEventHash: 'f'.repeat(64) }, timeline })).toBe(false);
  });

  it('leaves a case that is not closed alone', async () => {
    const { store, caseId, deps } = await opened();
    const { archives, versions } = memoryArchives();
    expect(await archiveClosedCase(caseId, { ...deps, archives, itemImages: memoryItemImages(store), keys: memorySubjectKeys().subjectKeys })).toBe('not-closed');
    expect(versions).toHaveLength(0);
  });
});
