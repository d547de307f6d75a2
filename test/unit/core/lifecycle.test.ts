import { CaseStatusSchema, type Case, type CaseStatus } from '../../../functions/core/case';
import { IllegalTransitionError } from '../../../functions/core/errors';
import { canTransition, transition } from '../../../functions/core/lifecycle';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { fixedClock } from '../../../functions/core/clock';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { seededRandom, submission } from '../../support/fixtures';

const agent = { kind: 'agent' as const, id: 'agent-1' };
const at = new Date('2026-03-02T10:00:00.000Z');

async function aCase(status: CaseStatus = 'new'): Promise<Case> {
  const store = new InMemoryCaseStore();
  const { case: c } = await openCaseFromSubmission(
    { submission: submission(), channel: 'web' },
    { store, clock: fixedClock('2026-03-02T09:00:00.000Z'), newCaseId: () => '6f1c2a8e-1d2b-4c3d-8e4f-5a6b7c8d9e0f', random: seededRandom(), policy: slaPolicy() },
  );
  return { ...c, status };
}

describe('case lifecycle', () => {
  it('follows new -> acknowledged -> in_progress -> pending_customer -> resolved -> closed', async () => {
    let c = await aCase();
    for (const to of ['acknowledged', 'in_progress', 'pending_customer', 'in_progress', 'resolved', 'closed'] as const) {
      c = transition(c, to, at, agent).next;
      expect(c.status).toBe(to);
    }
  });

  it('reopens a resolved case and forgets its resolution time', async () => {
    const resolved = transition(await aCase('in_progress'), 'resolved', at, agent).next;
    expect(resolved.resolvedAt).toBe(at.toISOString());
    const reopened = transition(resolved, 'in_progress', at, { kind: 'customer' }, 'customer replied').next;
    expect(reopened.status).toBe('in_progress');
    expect(reopened.resolvedAt).toBeUndefined();
  });

  it('rejects every move out of closed: a closed case is final', () => {
    for (const to of CaseStatusSchema.options) expect(canTransition('closed', to)).toBe(false);
  });

  it('rejects skipping back to new or jumping from new to closed', async () => {
    const c = await aCase('in_progress');
    expect(() => transition(c, 'new', at, agent)).toThrow(IllegalTransitionError);
    const fresh = await aCase('new');
    expect(() => transition(fresh, 'closed', at, agent)).toThrow(/cannot move from new to closed/);
  });

  it('records a status_changed event with who, when and why (M7.1)', async () => {
    const { draft } = transition(await aCase('acknowledged'), 'pending_customer', at, agent, 'asked for the order number');
    expect(draft).toEqual({
      type: 'status_changed',
      at: at.toISOString(),
      actor: agent,
      data: { from: 'acknowledged', to: 'pending_customer', reason: 'asked for the order number' },
    });
  });

  it('starts the five-year retention clock when a case closes, not before (M7.2, C4.3)', async () => {
    const open = await aCase('resolved');
    expect(open.expiresAt).toBeUndefined();
    const closed = transition(open, 'closed', at, agent).next;
    expect(closed.expiresAt).toBe(Math.floor(Date.UTC(2031, 2, 2, 10) / 1000));
  });
});
