import { fixedClock } from '../../../functions/core/clock';
import { verifyChain } from '../../../functions/core/audit-chain';
import { IdempotencyKeyReuseError, ReferenceTakenError } from '../../../functions/core/errors';
import { openCaseFromSubmission, type OpenCaseDeps } from '../../../functions/core/open-case';
import type { RateWindow } from '../../../functions/core/rate-limit';
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
    const { case: c, replayed } = await openCaseFromSubmission({ submission: submission(), channel: 'web' }, d);
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
    const { case: c } = await openCaseFromSubmission({ submission: submission({ type: 'complaint' }), channel: 'web' }, deps());
    expect(c.priority).toBe('high');
    expect(c.sla.escalationDueAt).toBe('2026-03-03T09:00:00.000Z');
  });

  it('returns the same case for a retry with the same Idempotency-Key', async () => {
    const d = deps();
    const first = await openCaseFromSubmission({ submission: submission(), channel: 'web', idempotencyKey: 'k-1' }, d);
    const retry = await openCaseFromSubmission({ submission: submission(), channel: 'web', idempotencyKey: 'k-1' }, d);
    expect(retry).toEqual({ case: first.case, replayed: true, acknowledged: false });
    expect(d.store.cases.size).toBe(1);
  });

  it('refuses an Idempotency-Key reused for a different submission', async () => {
    const d = deps();
    await openCaseFromSubmission({ submission: submission(), channel: 'web', idempotencyKey: 'k-2' }, d);
    await expect(openCaseFromSubmission({ submission: submission({ subject: 'Something else' }), channel: 'web', idempotencyKey: 'k-2' }, d)).rejects.toThrow(
      IdempotencyKeyReuseError,
    );
    expect(d.store.cases.size).toBe(1);
  });

  it('draws another reference when the first one is taken', async () => {
    const store = new InMemoryCaseStore();
    store.takenReferences.add(newReference(seededRandom(5)));
    const { case: c } = await openCaseFromSubmission({ submission: submission(), channel: 'web' }, deps(store, 5));
    expect(store.takenReferences.has(c.reference)).toBe(false);
    expect(store.cases.size).toBe(1);
  });

  it('gives up after repeated reference collisions rather than looping', async () => {
    const store = new InMemoryCaseStore();
    const r = seededRandom(9);
    for (let i = 0; i < 5; i += 1) store.takenReferences.add(newReference(r));
    await expect(openCaseFromSubmission({ submission: submission(), channel: 'web' }, deps(store, 9))).rejects.toThrow(ReferenceTakenError);
    expect(store.cases.size).toBe(0);
  });
});

describe('the relay limits (M3.1)', () => {
  const victim = 'victim@example.com';

  it('counts acknowledgements per recipient over the web form and email alike: the fourth in an hour is suppressed and says why', async () => {
    const d = deps();
    const web = await openCaseFromSubmission({ submission: submission({ email: victim }), channel: 'web' }, d);
    const { ingestEmail } = await import('../../../functions/core/email/ingest-email');
    const { emailLike } = await import('../email/fixture-email');
    const { parseInboundRules } = await import('../../../functions/core/email/inbound-rules');
    const { SUPPORT } = await import('../../fixtures/email/build-fixtures');
    const mailDeps = {
      ...d,
      cases: d.store,
      inbound: d.store,
      blobs: { put: async () => undefined },
      config: { supportAddresses: [SUPPORT], ownAddresses: [SUPPORT], rules: parseInboundRules({}), reopenWindowDays: 14, ackRateLimitPerHour: 3 },
    };
    const outcomes = [];
    for (const n of [1, 2, 3]) {
      const email = await emailLike('plain-inquiry', { messageId: `<relay-${n}@example.net>`, from: { address: victim, name: 'Victim' }, subject: `Message ${n}` });
      outcomes.push(await ingestEmail({ email, attachments: [], rawObjectKey: `inbound/relay-${n}` }, mailDeps));
    }
    expect(web.acknowledged).toBe(true);
    expect(outcomes.map((o) => (o.outcome === 'case_opened' ? o.acknowledged : o.outcome))).toEqual([true, true, false]);
    const fourth = outcomes[2];
    if (fourth?.outcome !== 'case_opened') throw new Error('the fourth message opened no case');
    expect(await d.store.getOutbox(fourth.caseId, 'acknowledgement')).toBeUndefined();
    expect((await d.store.getTimeline(fourth.caseId)).find((e) => e.type === 'acknowledgement_suppressed')?.data).toEqual({ reason: 'acknowledgement rate limit reached: 3 per recipient per hour' });
    // Another spelling of the same inbox is the same recipient.
    expect((await openCaseFromSubmission({ submission: submission({ email: 'Victim+relay@EXAMPLE.com' }), channel: 'web' }, d)).acknowledged).toBe(false);
    // The limit is the recipient's, not the channel's: another address is acknowledged as usual.
    expect((await openCaseFromSubmission({ submission: submission({ email: 'someone.else@example.com' }), channel: 'web' }, d)).acknowledged).toBe(true);
  });

  it('holds the limit in every hour, not per clock hour: three at 10:59:59 leave none for 11:00:01 nor 11:59:58, and one again an hour after them (M3.1)', async () => {
    let now = new Date('2026-03-02T10:59:59.000Z');
    const d = { ...deps(), clock: { now: () => new Date(now) } };
    const open = async () => (await openCaseFromSubmission({ submission: submission({ email: victim }), channel: 'web' }, d)).acknowledged;
    expect([await open(), await open(), await open()]).toEqual([true, true, true]);
    now = new Date('2026-03-02T11:00:01.000Z');
    expect(await open()).toBe(false);
    now = new Date('2026-03-02T11:59:58.000Z');
    expect(await open()).toBe(false);
    now = new Date('2026-03-02T11:59:59.000Z');
    expect(await open()).toBe(true);
  });

  it('refuses an anonymous client past its hourly submissions, counting an IPv6 /64 as one client, before anything is written', async () => {
    const counts = new Map<string, number>();
    const limiter = {
      consume: async (w: RateWindow) => {
        const key = `${w.scope}/${w.subjectHash}/${w.window}`;
        if ((counts.get(key) ?? 0) >= w.limit) return false;
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return true;
      },
    };
    const d = { ...deps(), submissionLimit: { limiter, perHour: 2 } };
    const from = (clientAddress: string, n: number) => openCaseFromSubmission({ submission: submission({ email: `c${n}@example.com` }), channel: 'web', clientAddress }, d);
    await from('2001:db8:1:2::10', 1);
    await from('2001:db8:1:2:ffff:ffff:ffff:ffff', 2);
    await expect(from('2001:db8:1:2::99', 3)).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterSeconds: 3600 });
    expect(d.store.cases.size).toBe(2);
    await from('2001:db8:1:3::10', 4);
    await from('::ffff:198.51.100.7', 5);
    await from('198.51.100.7', 6);
    await expect(from('198.51.100.7', 7)).rejects.toMatchObject({ name: 'RateLimitedError' });
    // The hex form of an IPv4-mapped address is the same client.
    await expect(from('::ffff:c633:6407', 8)).rejects.toMatchObject({ name: 'RateLimitedError' });
  });

  it('answers a retry of a submission that opened its case with the case, even past the client\'s limit', async () => {
    const counts = new Map<string, number>();
    const limiter = { consume: async (w: RateWindow) => (counts.set(w.subjectHash, (counts.get(w.subjectHash) ?? 0) + 1), (counts.get(w.subjectHash) ?? 0) <= w.limit) };
    const d = { ...deps(), submissionLimit: { limiter, perHour: 1 } };
    const first = await openCaseFromSubmission({ submission: submission(), channel: 'web', clientAddress: '198.51.100.8', idempotencyKey: 'k-retry' }, d);
    const retry = await openCaseFromSubmission({ submission: submission(), channel: 'web', clientAddress: '198.51.100.8', idempotencyKey: 'k-retry' }, d);
    expect(retry).toMatchObject({ case: { caseId: first.case.caseId }, replayed: true });
    await expect(openCaseFromSubmission({ submission: submission({ subject: 'Another' }), channel: 'web', clientAddress: '198.51.100.8', idempotencyKey: 'k-other' }, d)).rejects.toMatchObject({ name: 'RateLimitedError' });
  });
});
