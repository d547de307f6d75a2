import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import {
  anchoredHeadsOf,
  buildDayDigest,
  daysToAnchor,
  GENESIS_DIGEST,
  markersOf,
  verifyDayDigest,
  verifyDigestChain,
  type DayDigest,
} from '../../../functions/core/audit-anchor';
import { verifyAuditTrail } from '../../../functions/core/audit-verification';
import { chainEvents, GENESIS_HASH } from '../../../functions/core/audit-chain';
import type { EventDraft } from '../../../functions/core/case-event';

const A = '0a6c7a52-8d43-4a43-9a59-3f1c6f0a0001';
const B = '0a6c7a52-8d43-4a43-9a59-3f1c6f0a0002';
const C = '0a6c7a52-8d43-4a43-9a59-3f1c6f0a0003';
const h = (c: string) => c.repeat(64);

function threeDays(): DayDigest[] {
  const d1 = buildDayDigest('2026-03-01', [{ caseId: B, seq: 3, hash: h('b') }, { caseId: A, seq: 2, hash: h('a') }], undefined);
  const d2 = buildDayDigest('2026-03-02', [], d1);
  const d3 = buildDayDigest('2026-03-03', [{ caseId: C, seq: 1, hash: h('c') }], d2);
  return [d1, d2, d3];
}

describe('the daily head digest (M5.3, M7.3)', () => {
  it('lists each case once, by case id, and chains the first day to GENESIS and each later day to the one before', () => {
    const [d1, d2, d3] = threeDays() as [DayDigest, DayDigest, DayDigest];
    expect(d1.heads.map((x) => x.caseId)).toEqual([A, B]);
    expect(d1).toMatchObject({ previousDay: null, previousDigestSha256: GENESIS_DIGEST });
    expect(d2).toMatchObject({ previousDay: '2026-03-01', previousDigestSha256: d1.sha256, heads: [] });
    expect(d3).toMatchObject({ previousDay: '2026-03-02', previousDigestSha256: d2.sha256 });
  });

  it('keeps the highest sequence when the index lists a case twice', () => {
    const digest = buildDayDigest('2026-03-01', [{ caseId: A, seq: 2, hash: h('a') }, { caseId: A, seq: 5, hash: h('e') }, { caseId: A, seq: 4, hash: h('d') }], undefined);
    expect(digest.heads).toEqual([{ caseId: A, seq: 5, hash: h('e') }]);
  });

  it('hashes the canonical JSON of its content, so anyone can recompute it', () => {
    const [d1] = threeDays() as [DayDigest];
    const { sha256, ...content } = d1;
    expect(sha256).toBe(createHash('sha256').update(canonicalize(content)).digest('hex'));
    // The same heads in another order make the same digest.
    expect(buildDayDigest('2026-03-01', [...d1.heads].reverse(), undefined).sha256).toBe(sha256);
  });

  it('refuses to chain a day onto a digest that is not of the day before', () => {
    const [d1] = threeDays() as [DayDigest];
    expect(() => buildDayDigest('2026-03-03', [], d1)).toThrow(/must follow the digest of 2026-03-02/);
  });

  it('verifies a digest as stored and names what is wrong with an altered one', () => {
    const [d1] = threeDays() as [DayDigest];
    expect(verifyDayDigest(JSON.parse(JSON.stringify(d1)))).toEqual({ valid: true, digest: d1 });
    const altered = { ...d1, heads: d1.heads.map((x) => (x.caseId === A ? { ...x, hash: h('f') } : x)) };
    expect(verifyDayDigest(altered)).toEqual({ valid: false, reason: 'does not hash to its own sha256: its content was altered' });
    expect(verifyDayDigest({ ...d1, heads: [...d1.heads].reverse(), sha256: undefined })).toMatchObject({ valid: false, reason: expect.stringContaining('sha256') });
    expect(verifyDayDigest('not a digest')).toMatchObject({ valid: false, reason: expect.stringContaining('is not a day digest') });
  });

  it('refuses a digest re-hashed after its heads were put out of order or its link to the day before was cut', () => {
    const [d1, d2] = threeDays() as [DayDigest, DayDigest];
    const reordered = buildDayDigest('2026-03-01', d1.heads, undefined);
    const swapped = { ...reordered, heads: [...reordered.heads].reverse() };
    const { sha256: _s, ...swappedContent } = swapped;
    const rehash = (content: object) => ({ ...content, sha256: createHash('sha256').update(canonicalize(content)).digest('hex') });
    expect(verifyDayDigest(rehash(swappedContent))).toEqual({ valid: false, reason: 'lists its heads out of order or twice' });
    const { sha256: _t, ...d2Content } = d2;
    expect(verifyDayDigest(rehash({ ...d2Content, previousDay: '2026-02-27' }))).toEqual({ valid: false, reason: 'does not chain to the day before it' });
  });

  it('verifies a chain of digests from GENESIS, or from a digest already trusted', () => {
    const digests = threeDays();
    expect(verifyDigestChain(digests)).toEqual({ valid: true, days: 3, last: { day: '2026-03-03', sha256: digests[2]?.sha256 } });
    const [d1, ...rest] = digests as [DayDigest, ...DayDigest[]];
    expect(verifyDigestChain(rest, { day: d1.day, sha256: d1.sha256 })).toMatchObject({ valid: true, days: 2 });
    expect(verifyDigestChain(rest)).toMatchObject({ valid: false, day: '2026-03-02', reason: expect.stringContaining('not to GENESIS') });
  });

  it('detects a digest rewritten and re-hashed in place: the next day still names the original', () => {
    const [d1, d2, d3] = threeDays() as [DayDigest, DayDigest, DayDigest];
    // Someone replaces the anchored head of A on 03-01 and re-hashes the digest: it verifies alone…
    const forged = buildDayDigest('2026-03-01', [{ caseId: A, seq: 2, hash: h('9') }, d1.heads[1]!], undefined);
    expect(verifyDayDigest(forged).valid).toBe(true);
    // …but not in the chain.
    expect(verifyDigestChain([forged, d2, d3])).toEqual({ valid: false, day: '2026-03-02', reason: 'the digest of 2026-03-01 is not the one this digest chained to: it was rewritten' });
  });

  it('detects a missing day in the chain', () => {
    const [d1, , d3] = threeDays() as [DayDigest, DayDigest, DayDigest];
    expect(verifyDigestChain([d1, d3])).toMatchObject({ valid: false, day: '2026-03-03', reason: expect.stringContaining('a day is missing') });
  });

  it('gives the anchored heads of one case, and a marker naming the digest for each case', () => {
    const [d1] = threeDays() as [DayDigest];
    expect(anchoredHeadsOf(d1, B)).toEqual([{ caseId: B, day: '2026-03-01', seq: 3, hash: h('b') }]);
    expect(anchoredHeadsOf(d1, C)).toEqual([]);
    expect(markersOf(d1)).toEqual([
      { format: 'caseflow.audit-anchor.case-marker/1', caseId: A, day: '2026-03-01', digestSha256: d1.sha256 },
      { format: 'caseflow.audit-anchor.case-marker/1', caseId: B, day: '2026-03-01', digestSha256: d1.sha256 },
    ]);
  });

  it('lets verification detect a chain rewritten and re-hashed whole only through the anchored head (M7.3)', () => {
    const drafts: EventDraft[] = [1, 2, 3].map((n) => ({ type: 'note_added', at: `2026-03-01T0${n}:00:00.000Z`, actor: { kind: 'agent', id: 'a1' }, data: { text: `note ${n}` } }) as EventDraft);
    const original = chainEvents({ caseId: A, version: 0, lastEventHash: GENESIS_HASH }, drafts);
    const digest = buildDayDigest('2026-03-01', [{ caseId: A, seq: original.head.version, hash: original.head.lastEventHash }], undefined);
    const rewrittenDrafts = drafts.map((d, i) => (i === 0 ? ({ ...d, data: { text: 'something else' } } as EventDraft) : d));
    const rewritten = chainEvents({ caseId: A, version: 0, lastEventHash: GENESIS_HASH }, rewrittenDrafts);
    expect(verifyAuditTrail(rewritten.events, rewritten.head, [])).toMatchObject({ valid: true });
    expect(verifyAuditTrail(rewritten.events, rewritten.head, anchoredHeadsOf(digest, A))).toMatchObject({
      valid: false,
      brokenAtSeq: 3,
      reason: expect.stringContaining('the trail was rewritten'),
    });
  });
});

describe('the days a run anchors', () => {
  const at = (iso: string) => new Date(iso);

  it('anchors yesterday alone on the first run', () => {
    expect(daysToAnchor(undefined, at('2026-03-05T00:15:00Z'), 31)).toEqual({ days: ['2026-03-04'], remaining: 0 });
  });

  it('catches up every finished day after the last one anchored, and nothing when it is current', () => {
    expect(daysToAnchor('2026-03-01', at('2026-03-05T00:15:00Z'), 31)).toEqual({ days: ['2026-03-02', '2026-03-03', '2026-03-04'], remaining: 0 });
    expect(daysToAnchor('2026-03-04', at('2026-03-05T23:59:59Z'), 31)).toEqual({ days: [], remaining: 0 });
    expect(daysToAnchor('2026-03-04', at('2026-03-04T12:00:00Z'), 31)).toEqual({ days: [], remaining: 0 });
  });

  it('crosses month and leap-year ends in UTC', () => {
    expect(daysToAnchor('2028-02-27', at('2028-03-02T00:00:00Z'), 31).days).toEqual(['2028-02-28', '2028-02-29', '2028-03-01']);
  });

  it('leaves what exceeds one run for the next', () => {
    expect(daysToAnchor('2026-01-01', at('2026-03-05T00:15:00Z'), 31)).toMatchObject({ days: expect.arrayContaining(['2026-01-02', '2026-02-01']), remaining: 31 });
    expect(daysToAnchor('2026-01-01', at('2026-03-05T00:15:00Z'), 31).days).toHaveLength(31);
  });
});
