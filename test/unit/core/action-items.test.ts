import { createActionItem, isOverdue, listActionItems, updateActionItem, UpdateActionItemSchema, type ActionItem, type ActionItemDeps, type ActionItemStore } from '../../../functions/core/action-items';
import type { Case } from '../../../functions/core/case';
import type { NonComplianceRecord } from '../../../functions/core/non-compliance';
import { fixedClock } from '../../../functions/core/clock';
import { ConcurrentUpdateError, ForbiddenError, InvalidInputError } from '../../../functions/core/errors';
import { staffDirectory } from '../../support/staff-directory';

/** The table's conditional PutItem, in memory. */
class MemoryItems implements ActionItemStore {
  readonly rows = new Map<string, ActionItem>();
  async create(item: ActionItem) {
    if (this.rows.has(item.itemId)) throw new Error('exists');
    this.rows.set(item.itemId, item);
  }
  async get(id: string) {
    return this.rows.get(id);
  }
  async replace(item: ActionItem, expected: number) {
    if (this.rows.get(item.itemId)?.version !== expected) return false;
    this.rows.set(item.itemId, item);
    return true;
  }
  async list() {
    return [...this.rows.values()];
  }
}

const ANSWERED = '00000000-0000-4000-8000-000000000001';
const UNANSWERED = '00000000-0000-4000-8000-000000000002';
const fay = { kind: 'feedback' as const, id: 'fb-fay' };
const ana = { kind: 'agent' as const, id: 'agent-ana' };
const ben = { kind: 'agent' as const, id: 'agent-ben' };

let ids = 0;
function deps(items: MemoryItems, at: string): ActionItemDeps {
  const cases = new Map<string, Partial<Case>>([
    [ANSWERED, { caseId: ANSWERED, survey: { answeredAt: '2026-03-01T10:00:00.000Z' } as Case['survey'] }],
    [UNANSWERED, { caseId: UNANSWERED }],
  ]);
  return {
    items,
    staff: staffDirectory(),
    cases: { getCase: async (id) => cases.get(id) as Case | undefined },
    nonCompliance: { get: async (id) => (id === 'nc-known' ? ({ id } as NonComplianceRecord) : undefined) },
    clock: fixedClock(at),
    newId: () => `00000000-0000-4000-8000-${String((ids += 1)).padStart(12, '0')}`,
  };
}

const create = (items: MemoryItems, dueOn: string, at = '2026-03-02T09:00:00.000Z') =>
  createActionItem({ recommendation: 'Answer refund requests within a day', theme: 'billing', owner: 'agent-ana', dueOn, links: { feedback: [ANSWERED], cases: [], nonCompliance: [] } }, fay, deps(items, at));

describe('the overdue rule of action items (M8.2, C7.2)', () => {
  const at = new Date('2026-03-10T12:00:00.000Z');

  it('is overdue once its due day (UTC) has ended while open or in progress, not on the day itself', () => {
    expect(isOverdue({ status: 'open', dueOn: '2026-03-10' }, at)).toBe(false);
    expect(isOverdue({ status: 'open', dueOn: '2026-03-09' }, at)).toBe(true);
    expect(isOverdue({ status: 'in_progress', dueOn: '2026-03-09' }, at)).toBe(true);
    expect(isOverdue({ status: 'open', dueOn: '2026-03-09' }, new Date('2026-03-09T23:59:59.999Z'))).toBe(false);
  });

  it('never counts a done or dropped item as overdue', () => {
    expect(isOverdue({ status: 'done', dueOn: '2026-01-01' }, at)).toBe(false);
    expect(isOverdue({ status: 'dropped', dueOn: '2026-01-01' }, at)).toBe(false);
  });

  it('lists the overdue items alone when asked, overdue first otherwise (M8.2)', async () => {
    const items = new MemoryItems();
    const late = await create(items, '2026-03-05');
    const later = await create(items, '2026-03-20');
    const done = await create(items, '2026-03-04');
    await updateActionItem(done.itemId, { status: 'done' }, 1, fay, deps(items, '2026-03-03T09:00:00.000Z'));
    const list = (q: Parameters<typeof listActionItems>[0]) => listActionItems(q, deps(items, at.toISOString()));
    expect((await list({ overdue: true })).map((i) => i.itemId)).toEqual([late.itemId]);
    expect((await list({})).map((i) => [i.itemId, i.overdue])).toEqual([
      [late.itemId, true],
      [done.itemId, false],
      [later.itemId, false],
    ]);
    expect((await list({ status: 'done' })).map((i) => i.itemId)).toEqual([done.itemId]);
  });
});

describe('action item changes (M8.2, C7.2)', () => {
  it('records every change in the history with who made it, and needs a reason to drop an item', async () => {
    const items = new MemoryItems();
    expect(UpdateActionItemSchema.safeParse({ status: 'dropped' }).error?.issues.map((i) => i.path.join('.'))).toEqual(['reason']);
    const item = await create(items, '2026-03-20');
    expect(item).toMatchObject({ status: 'open', version: 1, owner: 'agent-ana', createdBy: { id: 'fb-fay', kind: 'feedback' } });
    const started = await updateActionItem(item.itemId, { status: 'in_progress' }, 1, ana, deps(items, '2026-03-03T09:00:00.000Z'));
    const moved = await updateActionItem(item.itemId, { owner: 'agent-ben', dueOn: '2026-03-25' }, 2, fay, deps(items, '2026-03-04T09:00:00.000Z'));
    const dropped = await updateActionItem(item.itemId, { status: 'dropped', reason: 'Refunds move to the billing team' }, 3, fay, deps(items, '2026-03-05T09:00:00.000Z'));
    expect([started.version, moved.version, dropped.version]).toEqual([2, 3, 4]);
    expect(dropped).toMatchObject({ status: 'dropped', droppedReason: 'Refunds move to the billing team', owner: 'agent-ben', dueOn: '2026-03-25' });
    expect(dropped.history.map((h) => [h.by.id, h.status, h.owner, h.dueOn])).toEqual([
      ['fb-fay', { from: null, to: 'open' }, { from: null, to: 'agent-ana' }, { from: null, to: '2026-03-20' }],
      ['agent-ana', { from: 'open', to: 'in_progress' }, undefined, undefined],
      ['fb-fay', undefined, { from: 'agent-ana', to: 'agent-ben' }, { from: '2026-03-20', to: '2026-03-25' }],
      ['fb-fay', { from: 'in_progress', to: 'dropped' }, undefined, undefined],
    ]);
  });

  it('refuses a change on a version the item has moved past (409), and a representative who does not own it (403)', async () => {
    const items = new MemoryItems();
    const item = await create(items, '2026-03-20');
    await updateActionItem(item.itemId, { status: 'in_progress' }, 1, ana, deps(items, '2026-03-03T09:00:00.000Z'));
    await expect(updateActionItem(item.itemId, { status: 'done' }, 1, fay, deps(items, '2026-03-03T10:00:00.000Z'))).rejects.toThrow(ConcurrentUpdateError);
    await expect(updateActionItem(item.itemId, { status: 'done' }, 2, ben, deps(items, '2026-03-03T10:00:00.000Z'))).rejects.toThrow(ForbiddenError);
  });

  it('refuses an owner outside the directory’s case workers and feedback team, a past due day, a feedback link with no answer and an unknown record', async () => {
    const items = new MemoryItems();
    const d = deps(items, '2026-03-02T09:00:00.000Z');
    const base = { recommendation: 'x', owner: 'agent-ana', dueOn: '2026-03-20', links: { feedback: [ANSWERED], cases: [], nonCompliance: [] } };
    await expect(createActionItem({ ...base, owner: 'aud-abe' }, fay, d)).rejects.toThrow(InvalidInputError);
    await expect(createActionItem({ ...base, dueOn: '2026-03-01' }, fay, d)).rejects.toThrow(InvalidInputError);
    await expect(createActionItem({ ...base, links: { feedback: [UNANSWERED], cases: [], nonCompliance: [] } }, fay, d)).rejects.toMatchObject({ issues: [{ path: 'links.feedback.0', message: 'No survey answer of that case' }] });
    await expect(createActionItem({ ...base, links: { feedback: [], cases: [], nonCompliance: ['nc-known', 'nc-unknown'] } }, fay, d)).rejects.toMatchObject({ issues: [{ path: 'links.nonCompliance.1', message: 'No such non-compliance record' }] });
    expect(items.rows.size).toBe(0);
    await createActionItem({ ...base, links: { feedback: [], cases: [], nonCompliance: ['nc-known'] } }, fay, d);
    expect(items.rows.size).toBe(1);
  });
});
