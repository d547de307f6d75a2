import { chainEvents, GENESIS_HASH, verifyChain } from '../../../functions/core/audit-chain';
import type { CaseEvent, EventDraft } from '../../../functions/core/case-event';

const caseId = '6f1c2a8e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const drafts: EventDraft[] = [
  { type: 'status_changed', at: '2026-03-02T09:01:00.000Z', actor: { kind: 'system' }, data: { from: 'new', to: 'acknowledged' } },
  { type: 'status_changed', at: '2026-03-02T09:30:00.000Z', actor: { kind: 'agent', id: 'a1' }, data: { from: 'acknowledged', to: 'in_progress' } },
  { type: 'status_changed', at: '2026-03-02T11:00:00.000Z', actor: { kind: 'agent', id: 'a1' }, data: { from: 'in_progress', to: 'resolved' } },
];

/** Salts in order, so that two chains of the same drafts hash alike. */
const countingSalt = () => {
  let n = 0;
  return () => (n++).toString(16).padStart(32, '0');
};

function chain(): CaseEvent[] {
  return chainEvents({ caseId, version: 0, lastEventHash: GENESIS_HASH }, drafts, countingSalt()).events;
}

describe('the audit chain (M5.3, M7.3)', () => {
  it('links each event to the one before it and verifies', () => {
    const events = chain();
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(verifyChain(events)).toEqual({ valid: true, length: 3 });
  });

  it('continues an existing chain from its head', () => {
    const salt = countingSalt();
    const first = chainEvents({ caseId, version: 0, lastEventHash: GENESIS_HASH }, drafts.slice(0, 1), salt);
    const rest = chainEvents(first.head, drafts.slice(1), salt);
    expect(verifyChain([...first.events, ...rest.events])).toEqual({ valid: true, length: 3 });
    expect(rest.head.lastEventHash).toBe(chain()[2]?.hash);
  });

  it('detects an edited event', () => {
    const events = chain();
    const tampered = events.map((e) => (e.seq === 2 ? { ...e, actor: { kind: 'agent' as const, id: 'someone-else' } } : e));
    expect(verifyChain(tampered)).toEqual({ valid: false, brokenAtSeq: 2, reason: 'event content changed' });
  });

  it('detects a removed event', () => {
    const events = chain();
    expect(verifyChain([events[0]!, events[2]!])).toMatchObject({ valid: false, brokenAtSeq: 2 });
  });

  it('detects an event re-hashed after editing, at the link to the next one', () => {
    const events = chain();
    const forged = chainEvents({ caseId, version: 1, lastEventHash: events[0]!.hash }, [{ ...drafts[1]!, at: '2026-03-02T09:05:00.000Z' }]).events[0]!;
    expect(verifyChain([events[0]!, forged, events[2]!])).toEqual({ valid: false, brokenAtSeq: 3, reason: 'link to previous event broken' });
  });

  it('does not depend on the order of keys in stored events', () => {
    const reordered = chain().map((e) => JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(e).reverse()))) as CaseEvent);
    expect(verifyChain(reordered).valid).toBe(true);
  });
});
