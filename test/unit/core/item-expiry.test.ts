import { closeCase } from '../../../functions/core/actions/close';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { archiveClosedCase } from '../../../functions/core/case-archive';
import type { CaseItemImages, ItemImage } from '../../../functions/core/item-images';
import { itemDigest } from '../../../functions/core/item-images';
import { ArchiveIntegrityError, ArchiveMissingError, causeOfDeletion, incidentSealContext, receiptSealContext, verifyRemovedItem, type RemovedItem } from '../../../functions/core/item-expiry';
import { memoryArchives } from '../../support/memory-case-archives';
import { memorySubjectKeys } from '../../support/memory-subject-keys';
import { openJson, SealError, subjectIdOf } from '../../../functions/core/subject-keys';
import type { Case } from '../../../functions/core/case';
import { agent, DAY, opened } from './actions/support';

const TTL_IDENTITY = { type: 'Service', principalId: 'dynamodb.amazonaws.com' };

/** A closed, archived case, and the images of its items as the table held them when it was archived. */
async function archivedCase() {
  const setup = await opened();
  const { store, caseId, deps, clock } = setup;
  await resolveCase(caseId, { summary: 'Done' }, { actor: agent }, deps);
  clock.advance(DAY);
  await closeCase(caseId, {}, { actor: agent }, deps);
  let snapshot: ItemImage[] = [];
  const itemImages: CaseItemImages = {
    recordsOf: async (id) => {
      const c = await store.getCase(id);
      if (!c) return undefined;
      const [timeline, escalations, outbox] = await Promise.all([store.getTimeline(id), store.getEscalations(id), store.getOutboxHistory(id)]);
      return { case: c, timeline, escalations, outbox, items: (await itemImages.imagesOf(c, timeline, outbox)).items };
    },
    imagesOf: async (c) => {
      const current = (await store.getCase(c.caseId))!;
      snapshot = [
        { pk: `CASE#${caseId}`, sk: 'CASE', image: { PK: `CASE#${caseId}`, SK: 'CASE', entity: 'case', ...current } },
        ...(await store.getTimeline(caseId)).map((e) => ({ pk: `CASE#${caseId}`, sk: `EVT#${e.seq}`, image: { PK: `CASE#${caseId}`, SK: `EVT#${e.seq}`, entity: 'event', ...e } })),
        { pk: `REF#${current.reference}`, sk: 'REF', image: { PK: `REF#${current.reference}`, SK: 'REF', caseId } },
      ];
      return { items: snapshot, caseVersion: current.version };
    },
  };
  const archives = memoryArchives();
  const keys = memorySubjectKeys();
  expect(await archiveClosedCase(caseId, { ...deps, archives: archives.archives, itemImages, keys: keys.subjectKeys })).toBe('archived');
  const c = (await store.getCase(caseId))!;
  // What the verifier is given: the bucket and the key service; the test reads the maps behind them.
  const bucket = { ...archives, keys: keys.subjectKeys, keyMap: keys.keys };
  return { ...setup, c, bucket, snapshot };
}

/** The stream's REMOVE record of an item, as TTL makes it a while after the item's expiry. */
function removal(item: ItemImage, expiresAt: number, over: Partial<RemovedItem> = {}): RemovedItem {
  const caseId = item.pk.startsWith('CASE#') ? item.pk.slice(5) : (item.image.caseId as string | undefined);
  return {
    eventId: `evt-${item.pk}-${item.sk}`,
    pk: item.pk,
    sk: item.sk,
    oldImage: { ...item.image, expiresAt },
    deletedAt: new Date((expiresAt + 3600) * 1000),
    userIdentity: TTL_IDENTITY,
    ...(caseId ? { caseId } : {}),
    ...(item.sk === 'CASE' ? { caseReference: item.image.reference as string } : {}),
    ...over,
  };
}

describe('telling TTL deletions from others (M7.2)', () => {
  const at = new Date('2031-03-03T10:00:00Z');
  const expired = { expiresAt: at.getTime() / 1000 - 60 };

  it('takes the stream record’s word when it names DynamoDB’s TTL service', () => {
    expect(causeOfDeletion({ userIdentity: TTL_IDENTITY, oldImage: {}, deletedAt: at })).toBe('ttl');
  });

  it('falls back to the item’s expiry having passed when the record names nobody (DynamoDB Local)', () => {
    expect(causeOfDeletion({ oldImage: expired, deletedAt: at })).toBe('ttl-by-expiry');
  });

  it('calls any other deletion not TTL’s: no expiry, an expiry still to come, or another principal', () => {
    expect(causeOfDeletion({ oldImage: {}, deletedAt: at })).toBe('not-ttl');
    expect(causeOfDeletion({ oldImage: { expiresAt: at.getTime() / 1000 + 3600 }, deletedAt: at })).toBe('not-ttl');
    expect(causeOfDeletion({ userIdentity: { type: 'Service', principalId: 'someone.amazonaws.com' }, oldImage: {}, deletedAt: at })).toBe('not-ttl');
  });
});

describe('verifying an item TTL deleted against its case’s archive (M7.2, C4.3)', () => {
  it('finds an item the archive holds as it was, and writes one receipt for it; a redelivery writes nothing', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    const event = snapshot.find((i) => i.sk === 'EVT#1')!;
    const record = removal(event, c.expiresAt!);
    expect(await verifyRemovedItem(record, bucket)).toEqual({ outcome: 'in-archive', caseId: c.caseId });
    expect(await verifyRemovedItem(record, bucket)).toEqual({ outcome: 'receipt-exists', caseId: c.caseId });
    const receipts = await bucket.archives.receiptsOf(c.caseId);
    expect(receipts).toEqual([expect.objectContaining({ pk: event.pk, sk: 'EVT#1', verdict: 'in-archive', cause: 'ttl', archive: expect.objectContaining({ sha256: c.archive!.sha256 }) })]);
    expect(receipts[0]).not.toHaveProperty('sealedImage');
  });

  it('writes an item the archive lacks from its old image: the case item as changed since, and the event that recorded the archive', async () => {
    const { c, bucket, store } = await archivedCase();
    const caseItem = { pk: `CASE#${c.caseId}`, sk: 'CASE', image: { PK: `CASE#${c.caseId}`, SK: 'CASE', entity: 'case', ...c } };
    const archived = (await store.getTimeline(c.caseId)).at(-1)!;
    const recordEvent = { pk: `CASE#${c.caseId}`, sk: `EVT#${archived.seq}`, image: { PK: `CASE#${c.caseId}`, SK: `EVT#${archived.seq}`, entity: 'event', ...archived } };
    expect(await verifyRemovedItem(removal(caseItem, c.expiresAt!), bucket)).toMatchObject({ outcome: 'written-from-old-image' });
    expect(await verifyRemovedItem(removal(recordEvent, c.expiresAt!), bucket)).toMatchObject({ outcome: 'written-from-old-image' });
    const receipts = await bucket.archives.receiptsOf(c.caseId);
    expect(receipts.map((r) => [r.sk, r.verdict])).toEqual([
      ['CASE', 'written-from-old-image'],
      [`EVT#${archived.seq}`, 'written-from-old-image'],
    ]);
    // Kept sealed with the customer's key, as the archive's record is: nothing of the customer in clear.
    expect(JSON.stringify(receipts)).not.toContain(c.customer.email);
    const key = bucket.keyMap.get(subjectIdOf(c.customer))!;
    expect(openJson(key, receipts[0]!.sealedImage!, receiptSealContext(c.caseId))).toMatchObject({ reference: c.reference, archive: c.archive, customer: c.customer });
  });

  it('keeps only the digest of an item the archive lacks once the customer’s key is destroyed by an erasure (M5.1)', async () => {
    const { c, bucket } = await archivedCase();
    await bucket.keys.destroy(subjectIdOf(c.customer));
    const caseItem = { pk: `CASE#${c.caseId}`, sk: 'CASE', image: { entity: 'case', ...c } };
    expect(await verifyRemovedItem(removal(caseItem, c.expiresAt!), bucket)).toEqual({ outcome: 'subject-erased', caseId: c.caseId });
    const [receipt] = await bucket.archives.receiptsOf(c.caseId);
    expect(receipt).toMatchObject({ verdict: 'subject-erased' });
    expect(receipt).not.toHaveProperty('sealedImage');
  });

  it('records on the reference’s archive index when the case item expired, so auditors still find the archive', async () => {
    const { c, bucket } = await archivedCase();
    const caseItem = { pk: `CASE#${c.caseId}`, sk: 'CASE', image: { entity: 'case', ...c } };
    const record = removal(caseItem, c.expiresAt!);
    await verifyRemovedItem(record, bucket);
    expect(bucket.index.get(c.reference)).toMatchObject({ caseId: c.caseId, expiredAt: record.deletedAt.toISOString() });
  });

  it('checks an item that changed after archiving by its content, not its keys: a different image is written, not taken as archived', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    const event = snapshot.find((i) => i.sk === 'EVT#1')!;
    const edited = { ...event, image: { ...event.image, at: '2020-01-01T00:00:00.000Z' } };
    expect(await verifyRemovedItem(removal(edited, c.expiresAt!), bucket)).toMatchObject({ outcome: 'written-from-old-image' });
  });

  it('leaves alone an item of no case that TTL deleted (idempotency records, rate counters)', async () => {
    const { bucket } = await archivedCase();
    const item = { pk: 'RATE#web#abc#1', sk: 'RATE', image: { PK: 'RATE#web#abc#1', SK: 'RATE', count: 3 } };
    expect(await verifyRemovedItem(removal(item, 1_900_000_000), bucket)).toEqual({ outcome: 'not-a-case-item' });
    expect(bucket.incidents.size).toBe(0);
  });

  it('refuses an item of a case with no archive: TTL must never run first, so the record fails (to be dead-lettered)', async () => {
    const { bucket } = await archivedCase();
    const caseId = '55555555-5555-4555-8555-555555555555';
    const item = { pk: `CASE#${caseId}`, sk: 'EVT#1', image: { PK: `CASE#${caseId}`, SK: 'EVT#1', type: 'note_added' } };
    await expect(verifyRemovedItem(removal(item, 1_900_000_000), bucket)).rejects.toThrow(ArchiveMissingError);
    expect(await bucket.archives.receiptsOf(caseId)).toEqual([]);
  });

  it('refuses to trust an archive that does not verify: nothing is written and the record fails (to be dead-lettered)', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    const stored = bucket.versions.at(-1)!;
    const text = new TextDecoder().decode(stored.json).replace('"type":"status_changed"', '"type":"status_changed" ');
    stored.json = new TextEncoder().encode(text.replace(/"summary":"Done"/, '"summary":"Nothing"'));
    await expect(verifyRemovedItem(removal(snapshot[1]!, c.expiresAt!), bucket)).rejects.toThrow(ArchiveIntegrityError);
    expect(bucket.receipts.size).toBe(0);
  });
});

describe('a deletion that is not TTL’s (M7.2), kept without the customer’s data in clear (M5.1, C6.1)', () => {
  /** An item deleted by hand: no expiry passed, no TTL principal. */
  const byHand = (item: ItemImage, eventId: string): RemovedItem => ({ ...removal(item, 0), eventId, oldImage: item.image, userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE' } });
  const caseItemOf = (c: Case) => ({ pk: `CASE#${c.caseId}`, sk: 'CASE', image: { PK: `CASE#${c.caseId}`, SK: 'CASE', entity: 'case', ...c } });
  /** Whatever of the customer an incident must not hold in clear. */
  const personal = (c: Case) => [c.customer.email!, c.customer.name!, c.subject, c.message];

  it('seals a hand-deleted case item of an archived case with the customer’s key: it opens to exactly the item, and nothing of the customer is in clear', async () => {
    const { c, bucket } = await archivedCase();
    const item = caseItemOf(c);
    expect(await verifyRemovedItem(byHand(item, 'manual-case'), bucket)).toEqual({ outcome: 'unexpected-deletion', caseId: c.caseId });
    const incident = bucket.incidents.get('manual-case')!;
    expect(incident).toMatchObject({
      format: 'caseflow.deletion-incident/2',
      pk: item.pk,
      sk: 'CASE',
      caseId: c.caseId,
      entity: 'case',
      sha256: itemDigest(item.image),
      archive: { sha256: c.archive!.sha256 },
      userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLE' },
      imageSealed: true,
    });
    const text = JSON.stringify(incident);
    for (const value of personal(c)) expect(text).not.toContain(value);
    if (!incident.imageSealed) throw new Error('the incident is not sealed');
    const key = bucket.keyMap.get(subjectIdOf(c.customer))!;
    expect(openJson(key, incident.sealedImage, incidentSealContext('manual-case'))).toEqual(item.image);
    // Bound to its incident: the sealed image does not open as another's.
    expect(() => openJson(key, incident.sealedImage, incidentSealContext('manual-other'))).toThrow(SealError);
    expect(bucket.receipts.size).toBe(0);
  });

  it('keeps a hand-deleted event’s type, sequence and time in clear beside its sealed image, for whoever investigates', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    const event = snapshot.find((i) => i.sk === 'EVT#1')!;
    await verifyRemovedItem(byHand(event, 'manual-1'), bucket);
    const incident = bucket.incidents.get('manual-1')!;
    expect(incident).toMatchObject({ entity: 'event', event: { type: 'case_received', seq: 1, at: event.image.at }, sha256: itemDigest(event.image), imageSealed: true });
    expect(incident).not.toHaveProperty('image');
    if (!incident.imageSealed) throw new Error('the incident is not sealed');
    expect(openJson(bucket.keyMap.get(subjectIdOf(c.customer))!, incident.sealedImage, incidentSealContext('manual-1'))).toEqual(event.image);
  });

  it('keeps only the digest and the non-personal facts once an erasure has destroyed the customer’s key', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    await bucket.keys.destroy(subjectIdOf(c.customer));
    const event = snapshot.find((i) => i.sk === 'EVT#1')!;
    const record = byHand(event, 'manual-erased');
    await verifyRemovedItem(record, bucket);
    expect(bucket.incidents.get('manual-erased')).toEqual({
      format: 'caseflow.deletion-incident/2',
      eventId: 'manual-erased',
      pk: event.pk,
      sk: 'EVT#1',
      caseId: c.caseId,
      deletedAt: record.deletedAt.toISOString(),
      userIdentity: record.userIdentity,
      entity: 'event',
      event: { type: 'case_received', seq: 1, at: event.image.at },
      sha256: itemDigest(event.image),
      archive: { key: c.archive!.key, sha256: c.archive!.sha256 },
      imageSealed: false,
      why: 'no-key',
    });
    // The case item, which holds the customer's details, keeps none of them either.
    await verifyRemovedItem(byHand(caseItemOf(c), 'manual-erased-case'), bucket);
    const text = JSON.stringify(bucket.incidents.get('manual-erased-case'));
    for (const value of personal(c)) expect(text).not.toContain(value);
    expect(bucket.keyMap.has(subjectIdOf(c.customer))).toBe(false);
  });

  it('seals a hand-deleted case item of a case with no archive with the key its customer already has, and makes none for a customer who has none', async () => {
    const { store, caseId } = await opened();
    const c = (await store.getCase(caseId))!;
    const archives = memoryArchives();
    const keys = memorySubjectKeys();
    const deps = { archives: archives.archives, keys: keys.subjectKeys };
    const item = caseItemOf(c);
    await verifyRemovedItem(byHand(item, 'manual-open'), deps);
    expect(archives.incidents.get('manual-open')).toMatchObject({ entity: 'case', sha256: itemDigest(item.image), imageSealed: false, why: 'no-key' });
    expect(archives.incidents.get('manual-open')).not.toHaveProperty('archive');
    expect(keys.keys.size).toBe(0);
    for (const value of personal(c)) expect(JSON.stringify(archives.incidents.get('manual-open'))).not.toContain(value);

    // A customer with a key already (an earlier case of theirs was archived): the item says whose it is.
    const key = await keys.subjectKeys.keyFor(subjectIdOf(c.customer));
    await verifyRemovedItem(byHand(item, 'manual-open-2'), deps);
    const incident = archives.incidents.get('manual-open-2')!;
    if (!incident.imageSealed) throw new Error('the incident is not sealed');
    expect(openJson(key, incident.sealedImage, incidentSealContext('manual-open-2'))).toEqual(item.image);
  });

  it('writes the incident, without the image, when the case’s archive cannot be read or does not verify: the incident is the alarm', async () => {
    const { c, bucket, snapshot } = await archivedCase();
    const event = snapshot.find((i) => i.sk === 'EVT#1')!;
    const unreadable = { ...bucket, archives: { ...bucket.archives, get: () => Promise.reject(Object.assign(new Error('S3 is unavailable'), { name: 'ServiceUnavailable' })) } };
    expect(await verifyRemovedItem(byHand(event, 'manual-unreadable'), unreadable)).toEqual({ outcome: 'unexpected-deletion', caseId: c.caseId });
    expect(bucket.incidents.get('manual-unreadable')).toMatchObject({ sha256: itemDigest(event.image), event: { type: 'case_received' }, imageSealed: false, why: 'archive-unreadable' });

    const stored = bucket.versions.at(-1)!;
    // Altered after it was written: no longer canonical, so it does not verify.
    stored.json = new TextEncoder().encode(new TextDecoder().decode(stored.json).replace('"type":"status_changed"', '"type":"status_changed" '));
    expect(await verifyRemovedItem(byHand(caseItemOf(c), 'manual-unverified'), bucket)).toEqual({ outcome: 'unexpected-deletion', caseId: c.caseId });
    expect(bucket.incidents.get('manual-unverified')).toMatchObject({ entity: 'case', imageSealed: false, why: 'archive-unverified' });
    for (const value of personal(c)) expect(JSON.stringify(bucket.incidents.get('manual-unverified'))).not.toContain(value);
  });

  it('keeps only the digest of a hand-deleted item whose customer is unknown: an event of a case with no archive, an item of no case', async () => {
    const { store, caseId } = await opened();
    const [first] = await store.getTimeline(caseId);
    const archives = memoryArchives();
    const deps = { archives: archives.archives, keys: memorySubjectKeys().subjectKeys };
    const event = { pk: `CASE#${caseId}`, sk: 'EVT#00000001', image: { PK: `CASE#${caseId}`, SK: 'EVT#00000001', entity: 'event', ...first } };
    await verifyRemovedItem(byHand(event, 'manual-open-event'), deps);
    expect(archives.incidents.get('manual-open-event')).toMatchObject({ entity: 'event', event: { type: 'case_received', seq: 1 }, sha256: itemDigest(event.image), imageSealed: false, why: 'no-archive' });

    const request = { pk: 'PRIVACY', sk: 'REQ#2031-01-01#r1', image: { PK: 'PRIVACY', SK: 'REQ#2031-01-01#r1', entity: 'privacy_request', email: 'someone@example.com' } };
    expect(await verifyRemovedItem({ ...byHand(request, 'manual-no-case'), caseId: undefined }, deps)).toEqual({ outcome: 'unexpected-deletion' });
    expect(archives.incidents.get('manual-no-case')).toMatchObject({ entity: 'privacy_request', sha256: itemDigest(request.image), imageSealed: false, why: 'no-case' });
    expect(JSON.stringify(archives.incidents.get('manual-no-case'))).not.toContain('someone@example.com');
  });
});
