import type { Case } from '../../../functions/core/case';
import { fixedClock } from '../../../functions/core/clock';
import { reconcileSlaWorkflows } from '../../../functions/core/reconcile-sla';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const DAY = 24 * 3_600_000;
const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();

function stored(store: InMemoryCaseStore, n: number, overrides: Partial<Case>): string {
  const caseId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  store.cases.set(caseId, {
    caseId,
    reference: `CS-00000${n}`,
    type: 'inquiry',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    customer: { name: 'Ada', email: 'ada@example.com' },
    subject: 'Where is my order?',
    message: 'Hello',
    receivedAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    sla: computeDeadlines('inquiry', T0, slaPolicy()),
    version: 1,
    lastEventHash: 'f'.repeat(64),
    ...overrides,
  });
  return caseId;
}

describe('the SLA reconciler', () => {
  it('restarts the workflow of a resolved case waiting for its automatic closure, as well as open cases, and leaves closed ones (M7.2)', async () => {
    const store = new InMemoryCaseStore();
    const open = stored(store, 1, {});
    const resolved = stored(store, 2, { status: 'resolved', acknowledgedAt: iso(60_000), firstRespondedAt: iso(DAY / 2), resolvedAt: iso(DAY), autoCloseAt: iso(8 * DAY) });
    stored(store, 3, { status: 'closed', acknowledgedAt: iso(60_000), firstRespondedAt: iso(DAY / 2), closedAt: iso(DAY) });
    const started: string[] = [];
    const result = await reconcileSlaWorkflows({
      store,
      workflows: { ensureRunning: async (caseId) => (started.push(caseId), 'started') },
      clock: fixedClock(iso(2 * DAY)),
    });
    expect(started.sort()).toEqual([open, resolved].sort());
    expect(result).toEqual({ checked: 2, started: 2 });
  });
});
