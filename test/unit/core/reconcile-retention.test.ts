import { closeCase } from '../../../functions/core/actions/close';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { utcDay } from '../../../functions/core/audit-anchor';
import type { Case } from '../../../functions/core/case';
import { archiveClosedCase, verifyCaseArchive } from '../../../functions/core/case-archive';
import type { CaseItemImages, ItemImage } from '../../../functions/core/item-images';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { daysInReach, reconcileRetention, SETTLE_MS, type ClosedCaseEntry, type ReconcileRetentionDeps } from '../../../functions/core/reconcile-retention';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { memoryArchives } from '../../support/memory-case-archives';
import { staffDirectory } from '../../support/staff-directory';
import { agent, DAY, HOUR, MIN, movingClock } from './actions/support';
import { memorySubjectKeys } from '../../support/memory-subject-keys';

/**
 * The table as the reconciler sees it: the in-memory case store, each item's TTL attribute kept
 * beside it (what the stamper writes), the by-day index read from the cases' last change, and the
 * archive bucket as maps.
 */
function table() {
  const store = new InMemoryCaseStore();
  const clock = movingClock();
  const { archives, versions } = memoryArchives();
  /** `expiresAt` of the items outside the case record, by item key. */
  const ttl = new Map<string, number>();
  const stampedCases: string[] = [];
  let n = 0;

  const itemsOf = async (c: Case): Promise<ItemImage[]> => {
    const current = (await store.getCase(c.caseId))!;
    const keyed = [
      ...(await store.getTimeline(c.caseId)).map((e) => ({ pk: `CASE#${c.caseId}`, sk: `EVT#${String(e.seq).padStart(8, '0')}`, image: { entity: 'event', ...e } as Record<string, unknown> })),
      ...(await store.getOutboxHistory(c.caseId)).map((m) => ({ pk: `CASE#${c.caseId}`, sk: `OUTBOX#${m.id}`, image: { entity: 'outbox', ...m } as Record<string, unknown> })),
      { pk: `REF#${c.reference}`, sk: 'REF', image: { entity: 'reference', caseId: c.caseId } as Record<string, unknown> },
    ].map((i) => {
      const expiresAt = ttl.get(`${i.pk}|${i.sk}`);
      return expiresAt === undefined ? i : { ...i, image: { ...i.image, expiresAt } };
    });
    // The case item carries its expiry as the TTL attribute once archived (keys.ts caseItem).
    const { expiresAt, ...rest } = current;
    const caseImage = { entity: 'case', ...rest, ...(current.archive && expiresAt !== undefined ? { expiresAt } : {}) };
    return [{ pk: `CASE#${c.caseId}`, sk: 'CASE', image: caseImage }, ...keyed];
  };
  const itemImages: CaseItemImages = {
    imagesOf: async (c) => ({ items: await itemsOf(c), caseVersion: (await store.getCase(c.caseId))?.version }),
    recordsOf: async (caseId) => {
      const c = await store.getCase(caseId);
      if (!c) return undefined;
      const [timeline, escalations, outbox] = await Promise.all([store.getTimeline(caseId), store.getEscalations(caseId), store.getOutboxHistory(caseId)]);
      return { case: c, timeline, escalations, outbox, items: await itemsOf(c) };
    },
  };

  const deps: ReconcileRetentionDeps = {
    store,
    clock,
    keys: memorySubjectKeys().subjectKeys,
    archives,
    itemImages,
    closedCases: {
      async *closedOn(day): AsyncIterable<ClosedCaseEntry> {
        for (const c of store.cases.values()) {
          if (c.status === 'closed' && utcDay(new Date(c.updatedAt)) === day) yield { caseId: c.caseId, updatedAt: c.updatedAt, archived: c.archive !== undefined };
        }
      },
    },
    stamper: {
      stampCase: async (c) => {
        stampedCases.push(c.caseId);
        let stamped = 0;
        for (const item of await itemsOf(c)) {
          if (item.sk === 'CASE' || item.image.expiresAt === c.expiresAt) continue;
          ttl.set(`${item.pk}|${item.sk}`, c.expiresAt!);
          stamped += 1;
        }
        return { stamped };
      },
    },
  };
  const actionDeps = { store, clock, staff: staffDirectory() };

  /** Opens a case now, resolves it, and closes it a day later (the clock moves on). */
  async function closedCase(): Promise<string> {
    const { case: c } = await openCaseFromSubmission(
      { submission: submission({ email: `customer${n}@example.com` }), channel: 'web' },
      { store, clock, newCaseId: () => `55555555-5555-4555-8555-${String(++n).padStart(12, '0')}`, random: seededRandom(n), policy: slaPolicy() },
    );
    await resolveCase(c.caseId, { summary: 'Parcel redelivered' }, { actor: agent }, actionDeps);
    clock.advance(DAY);
    await closeCase(c.caseId, {}, { actor: agent }, actionDeps);
    return c.caseId;
  }

  /** Whether every item of the case carries the case's expiry (what TTL reads). */
  const allStamped = async (caseId: string) => {
    const c = (await store.getCase(caseId))!;
    return (await itemsOf(c)).every((i) => i.image.expiresAt === c.expiresAt);
  };

  return { store, clock, deps, archives, versions, ttl, stampedCases, closedCase, allStamped };
}

describe('the days a reconciliation reads', () => {
  it('are today and the days before it, oldest first, as many as its reach', () => {
    expect(daysInReach(new Date('2026-03-02T00:45:00Z'), 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    expect(() => daysInReach(new Date('2026-03-02T00:45:00Z'), 0)).toThrow(RangeError);
  });
});

describe('the retention reconciliation (M7.2, C4.3: every closed case archived, every item of it expiring with it)', () => {
  it('archives a closed case the archiver missed, and stamps its items in the same pass', async () => {
    const t = table();
    const caseId = await t.closedCase();
    t.clock.advance(2 * HOUR);
    expect(await t.allStamped(caseId)).toBe(false);

    const run = await reconcileRetention(t.deps, t.clock.now());

    expect(run).toMatchObject({ checked: 1, settling: 0, archived: 1, stamped: 1, failed: [], unfinished: false });
    const c = (await t.store.getCase(caseId))!;
    expect(c.archive).toBeDefined();
    expect(t.versions).toHaveLength(1);
    expect(verifyCaseArchive(t.versions[0]!.json, c.archive?.sha256)).toMatchObject({ verified: true });
    expect(await t.allStamped(caseId)).toBe(true);
    expect(run.itemsStamped).toBe((await t.deps.itemImages.imagesOf(c, [], [])).items.length - 1);
  });

  it('stamps an archived case an item of which lacks the case’s expiry, and leaves a fully stamped one alone', async () => {
    const t = table();
    const [lacking, complete] = [await t.closedCase(), await t.closedCase()];
    for (const caseId of [lacking, complete]) {
      await archiveClosedCase(caseId, t.deps);
      await t.deps.stamper.stampCase((await t.store.getCase(caseId))!);
    }
    // An item that lost its expiry (or was never stamped).
    const c = (await t.store.getCase(lacking))!;
    t.ttl.delete(`REF#${c.reference}|REF`);
    t.stampedCases.length = 0;
    t.clock.advance(2 * HOUR);

    const run = await reconcileRetention(t.deps, t.clock.now());

    expect(run).toMatchObject({ checked: 2, archived: 0, stamped: 1, itemsStamped: 1, failed: [] });
    expect(t.stampedCases).toEqual([lacking]);
    expect(await t.allStamped(lacking)).toBe(true);
  });

  it('writes nothing when run again: no second archive, no stamping', async () => {
    const t = table();
    await t.closedCase();
    t.clock.advance(2 * HOUR);
    await reconcileRetention(t.deps, t.clock.now());
    t.stampedCases.length = 0;
    t.clock.advance(2 * HOUR);

    expect(await reconcileRetention(t.deps, t.clock.now())).toMatchObject({ checked: 1, archived: 0, stamped: 0, itemsStamped: 0 });
    expect(t.versions).toHaveLength(1);
    expect(t.stampedCases).toEqual([]);
  });

  it('leaves a case that closed within the settle period to the stream consumers, and takes it on the next run', async () => {
    const t = table();
    const caseId = await t.closedCase();
    t.clock.advance(10 * MIN);

    expect(await reconcileRetention(t.deps, t.clock.now())).toMatchObject({ checked: 0, settling: 1, archived: 0 });
    expect(t.versions).toHaveLength(0);

    t.clock.advance(SETTLE_MS);
    expect(await reconcileRetention(t.deps, t.clock.now())).toMatchObject({ checked: 1, archived: 1 });
    expect(await t.allStamped(caseId)).toBe(true);
  });

  it('does not reach a case whose last change is older than its days: it stays unarchived', async () => {
    const t = table();
    const caseId = await t.closedCase();
    t.clock.advance(14 * DAY);

    expect(await reconcileRetention(t.deps, t.clock.now(), { days: 14 })).toMatchObject({ checked: 0, archived: 0 });
    expect((await t.store.getCase(caseId))?.archive).toBeUndefined();
    expect(await reconcileRetention(t.deps, t.clock.now(), { days: 15 })).toMatchObject({ checked: 1, archived: 1 });
  });

  it('goes on past a case it cannot archive, naming that case by id and error only', async () => {
    const t = table();
    const [failing, fine] = [await t.closedCase(), await t.closedCase()];
    t.clock.advance(2 * HOUR);
    const put = t.archives.put;
    t.archives.put = async (caseId, ...rest) => {
      if (caseId === failing) throw Object.assign(new Error('S3 is unavailable'), { name: 'ServiceUnavailable' });
      return put(caseId, ...rest);
    };

    const run = await reconcileRetention(t.deps, t.clock.now());

    expect(run).toMatchObject({ checked: 2, archived: 1, failed: [{ caseId: failing, error: 'ServiceUnavailable' }] });
    expect((await t.store.getCase(fine))?.archive).toBeDefined();
    expect((await t.store.getCase(failing))?.archive).toBeUndefined();
  });

  it('stops when its time is up and says the run is unfinished', async () => {
    const t = table();
    await t.closedCase();
    await t.closedCase();
    t.clock.advance(2 * HOUR);

    // Time is up once the first case is archived.
    const run = await reconcileRetention(t.deps, t.clock.now(), { concurrency: 1, shouldStop: () => t.versions.length > 0 });

    expect(run).toMatchObject({ checked: 1, archived: 1, unfinished: true });
  });
});
