import { fixedClock } from '../../../functions/core/clock';
import { verifyChain } from '../../../functions/core/audit-chain';
import { IdempotencyKeyReuseError, ReferenceTakenError } from '../../../functions/core/errors';
import { openCase, type OpenCaseDeps } from '../../../functions/core/open-case';
import { newReference } from '../../../functions/core/reference';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

let ids = 0;
function deps(store = new InMemoryCaseStore(), seed = 1): OpenCaseDeps & { store: InMemoryCaseStore } {
  return {
    store,
    clock: fixedClock('2026-03-02T09:00:00.000Z'),
    newCaseId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
    random: seededRandom(seed),
    policy: slaPolicy(),
  };
}

describe('opening a case', () => {
  it('stores a new case with its deadlines, a case_received event and an owed acknowledgement (M3.1, M7.1)', async () => {
    const d = deps();
    const { case: c, replayed } = await openCase({ submission: submission(), channel: 'web' }, d);
    expect(replayed).toBe(false);
    expect(c).toMatchObject({ status: 'new', type: 'inquiry', channel: 'web', priority: 'normal', version: 1 });
    expect(c.sla).toEqual({
      policyVersion: '2026-11',
      acknowledgementDueAt: '2026-03-02T09:15:00.000Z',
      initialResponseDueAt: '2026-03-03T09:00:00.000Z',
    });
    const timeline = await d.store.getTimeline(c.caseId);
    expect(timeline.map((e) => e.type)).toEqual(['case_received']);
    expect(verifyChain(timeline).valid).toBe(true);
    expect(c.lastEventHash).toBe(timeline[0]?.hash);
    expect(await d.store.getOutbox(c.caseId, 'acknowledgement')).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('opens complaints at high priority with an escalation deadline (M3.2)', async () => {
    const { case: c } = await openCase({ submission: submission({ type: 'complaint' }), channel: 'web' }, deps());
    expect(c.priority).toBe('high');
    expect(c.sla.escalationDueAt).toBe('2026-03-03T09:00:00.000Z');
  });

  it('returns the same case for a retry with the same Idempotency-Key', async () => {
    const d = deps();
    const first = await openCase({ submission: submission(), channel: 'web', idempotencyKey: 'k-1' }, d);
    const retry = await openCase({ submission: submission(), channel: 'web', idempotencyKey: 'k-1' }, d);
    expect(retry).toEqual({ case: first.case, replayed: true });
    expect(d.store.cases.size).toBe(1);
  });

  it('refuses an Idempotency-Key reused for a different submission', async () => {
    const d = deps();
    await openCase({ submission: submission(), channel: 'web', idempotencyKey: 'k-2' }, d);
    await expect(openCase({ submission: submission({ subject: 'Something else' }), channel: 'web', idempotencyKey: 'k-2' }, d)).rejects.toThrow(
      IdempotencyKeyReuseError,
    );
    expect(d.store.cases.size).toBe(1);
  });

  it('draws another reference when the first one is taken', async () => {
    const store = new InMemoryCaseStore();
    store.takenReferences.add(newReference(seededRandom(5)));
    const { case: c } = await openCase({ submission: submission(), channel: 'web' }, deps(store, 5));
    expect(store.takenReferences.has(c.reference)).toBe(false);
    expect(store.cases.size).toBe(1);
  });

  it('gives up after repeated reference collisions rather than looping', async () => {
    const store = new InMemoryCaseStore();
    const r = seededRandom(9);
    for (let i = 0; i < 5; i += 1) store.takenReferences.add(newReference(r));
    await expect(openCase({ submission: submission(), channel: 'web' }, deps(store, 9))).rejects.toThrow(ReferenceTakenError);
    expect(store.cases.size).toBe(0);
  });
});
