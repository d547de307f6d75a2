import { AuditAnchorIntegrityError, markersOf, verifyDayDigest, verifyDigestChain, type DayDigest, type DigestHead } from '../../../functions/core/audit-anchor';
import { anchorAuditHeads, type AnchorArchive, type CaseHeads } from '../../../functions/core/anchor-audit-heads';

const A = '0a6c7a52-8d43-4a43-9a59-3f1c6f0a0001';
const B = '0a6c7a52-8d43-4a43-9a59-3f1c6f0a0002';

/** Heads by day, as the by-day index would list them. */
function headsOf(byDay: Record<string, DigestHead[]>): CaseHeads {
  return {
    async *changedOn(day) {
      for (const head of byDay[day] ?? []) yield head;
    },
  };
}

/** The archive in memory; `failMarkersOf` makes one day's marker writing fail once. */
function memoryArchive(failMarkersOf?: string) {
  const digests = new Map<string, unknown>();
  const markers = new Map<string, unknown>();
  const written = new Set<string>();
  let writes = 0;
  let failing = failMarkersOf;
  const archive: AnchorArchive = {
    async anchoredDays() {
      return { digests: [...digests.keys()].sort(), markersWritten: [...written].sort() };
    },
    async readDigest(day) {
      const verdict = verifyDayDigest(digests.get(day));
      if (!verdict.valid) throw new AuditAnchorIntegrityError(`the digest of ${day} ${verdict.reason}`);
      return verdict.digest;
    },
    async writeDigest(digest) {
      if (digests.has(digest.day)) return archive.readDigest(digest.day);
      writes += 1;
      digests.set(digest.day, JSON.parse(JSON.stringify(digest)));
      return digest;
    },
    async writeMarkers(digest: DayDigest) {
      if (failing === digest.day) {
        failing = undefined;
        throw new Error('S3 is unavailable');
      }
      for (const m of markersOf(digest)) markers.set(`${m.caseId}/${m.day}`, m);
      written.add(digest.day);
    },
  };
  return { archive, digests, markers, writes: () => writes };
}

const heads = headsOf({
  '2026-03-01': [{ caseId: A, seq: 2, hash: 'a'.repeat(64) }],
  '2026-03-02': [{ caseId: B, seq: 1, hash: 'b'.repeat(64) }, { caseId: A, seq: 4, hash: 'c'.repeat(64) }],
});

describe('the daily anchoring run (M5.3, M7.3)', () => {
  it('anchors yesterday on its first run, then every missed day, chained, and a case marker for each anchored head', async () => {
    const store = memoryArchive();
    expect(await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-02T00:15:00Z'))).toEqual({
      anchored: [{ day: '2026-03-01', cases: 1 }],
      markersCompleted: [],
      remaining: 0,
    });
    const second = await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-04T00:15:00Z'));
    expect(second.anchored).toEqual([
      { day: '2026-03-02', cases: 2 },
      { day: '2026-03-03', cases: 0 },
    ]);
    expect(verifyDigestChain([...store.digests.values()])).toMatchObject({ valid: true, days: 3 });
    expect([...store.markers.keys()].sort()).toEqual([`${A}/2026-03-01`, `${A}/2026-03-02`, `${B}/2026-03-02`].sort());
  });

  it('writes nothing when run again for days already anchored', async () => {
    const store = memoryArchive();
    await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-03T00:15:00Z'));
    const writes = store.writes();
    expect(await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-03T00:20:00Z'))).toEqual({ anchored: [], markersCompleted: [], remaining: 0 });
    expect(store.writes()).toBe(writes);
  });

  it("finishes the markers of a day whose run stopped after writing its digest, from the digest as stored", async () => {
    const store = memoryArchive('2026-03-01');
    await expect(anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-02T00:15:00Z'))).rejects.toThrow('S3 is unavailable');
    expect(store.markers.size).toBe(0);
    const next = await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-02T01:15:00Z'));
    expect(next).toEqual({ anchored: [], markersCompleted: ['2026-03-01'], remaining: 0 });
    expect([...store.markers.values()]).toEqual([expect.objectContaining({ caseId: A, day: '2026-03-01', digestSha256: (store.digests.get('2026-03-01') as DayDigest).sha256 })]);
  });

  it('stops, naming the day, rather than chain onto a stored digest that does not verify', async () => {
    const store = memoryArchive();
    await anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-02T00:15:00Z'));
    const stored = store.digests.get('2026-03-01') as DayDigest;
    store.digests.set('2026-03-01', { ...stored, heads: [{ ...stored.heads[0], seq: 1 }] });
    await expect(anchorAuditHeads({ heads, archive: store.archive }, new Date('2026-03-03T00:15:00Z'))).rejects.toThrow(
      new AuditAnchorIntegrityError('the digest of 2026-03-01 does not hash to its own sha256: its content was altered'),
    );
    expect(store.digests.has('2026-03-02')).toBe(false);
  });
});
