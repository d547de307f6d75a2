import { randomUUID } from 'node:crypto';
import { DynamoCaseQueues, type QueueReadStats } from '../../functions/adapters/dynamo/case-queues';
import { customerPartition, phonePartition } from '../../functions/adapters/dynamo/keys';
import { cryptoRandom } from '../../functions/adapters/ids';
import { acknowledgeCase } from '../../functions/core/actions/acknowledge';
import { assignCase, claimCase, unassignCase } from '../../functions/core/actions/assignment';
import { closeCase } from '../../functions/core/actions/close';
import { escalateCase, resolveEscalation } from '../../functions/core/actions/escalation-handling';
import { resolveCase } from '../../functions/core/actions/resolve';
import { setPriority } from '../../functions/core/actions/set-priority';
import { OPEN_STATUSES, type Actor, type Case, type CaseSummary, type Priority } from '../../functions/core/case';
import { InvalidInputError } from '../../functions/core/errors';
import { openCaseFromSubmission } from '../../functions/core/open-case';
import type { QueueSelection } from '../../functions/core/queues';
import { slaPolicy } from '../../functions/core/sla-policy';
import type { StaffMember } from '../../functions/core/staff';
import type { CasePage } from '../../web/console/src/api/types';
import { readBoard, type ReadEscalationPage } from '../../web/console/src/logic/escalation-board';
import { submission } from '../support/fixtures';
import { apiEvent, freshTable, invoke, staffToken } from '../support/stand-ins';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const MIN = 60_000;
let now = T0;
const clock = { now: () => new Date(now) };

const ROSTER: StaffMember[] = [
  { id: 'agent-1', name: 'Agent One', email: 'agent-1@staff.example', roles: ['agents'] },
  { id: 'agent-2', name: 'Agent Two', email: 'agent-2@staff.example', roles: ['agents'] },
];
const staff = { find: async (id: string) => ROSTER.find((m) => m.id === id), list: async () => ROSTER };
const contacts = { teamInbox: 'team@caseflow.local', supervisor: 'supervisor@caseflow.local', manager: 'manager@caseflow.local' };
const agent1: Actor = { kind: 'agent', id: 'agent-1' };
const supervisor: Actor = { kind: 'supervisor', id: 'sup-1' };
const manager: Actor = { kind: 'manager', id: 'mgr-1' };

let env: Awaited<ReturnType<typeof freshTable>>;
let queues: DynamoCaseQueues;
const reads: QueueReadStats[] = [];
const ids: string[] = [];
let deps: { store: Awaited<ReturnType<typeof freshTable>>['store']; clock: typeof clock; staff: typeof staff; contacts: typeof contacts };
let listCases: unknown;

/** Twelve cases a minute apart: inquiries and complaints, four priorities, two customers with a phone. */
beforeAll(async () => {
  env = await freshTable();
  queues = new DynamoCaseQueues(env.doc, env.tableName, { observe: (s) => reads.push(s) });
  deps = { store: env.store, clock, staff, contacts };
  ({ handler: listCases } = await import('../../functions/handlers/list-cases'));
  const priorities: Priority[] = ['normal', 'urgent', 'low', 'high'];
  for (let i = 0; i < 12; i += 1) {
    now = T0 + i * MIN;
    const { case: c } = await openCaseFromSubmission(
      {
        submission: submission({
          type: i % 3 === 0 ? 'complaint' : 'inquiry',
          email: i < 4 ? 'repeat.customer@example.com' : `customer${i}@example.com`,
          ...(i % 4 === 1 ? { phone: `+44 20 7946 00${String(i).padStart(2, '0')}` } : {}),
          subject: `Case ${i}`,
        }),
        channel: 'web',
      },
      { store: env.store, clock, newCaseId: randomUUID, random: cryptoRandom, policy: slaPolicy(), acknowledgements: { automatic: false, limitPerHour: 100 } },
    );
    ids.push(c.caseId);
    const priority = priorities[i % 4] ?? 'normal';
    if (priority !== c.priority) await setPriority(c.caseId, { priority }, { actor: agent1 }, deps);
  }
  now = T0 + 20 * MIN;
});

/** Every page of a queue, checking that each page was one Query that read no more items than it served. */
async function pages(selection: QueueSelection, limit = 3): Promise<{ items: CaseSummary[]; pages: number }> {
  const items: CaseSummary[] = [];
  let cursor: string | undefined;
  let count = 0;
  do {
    const before = reads.length;
    const page = await queues.listQueue(selection, { limit, ...(cursor ? { cursor } : {}) });
    const made = reads.slice(before);
    expect(made.map((r) => r.operation)).toEqual(['Query']);
    expect(made[0]?.scannedCount).toBe(page.items.length);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    items.push(...page.items);
    cursor = page.cursor;
    count += 1;
  } while (cursor && count < 50);
  expect(new Set(items.map((i) => i.caseId)).size).toBe(items.length);
  return { items, pages: count };
}

const idsOf = (items: { caseId: string }[]) => items.map((i) => i.caseId);
const allCases = async (): Promise<Case[]> => (await Promise.all(ids.map((id) => env.store.getCase(id)))).filter((c): c is Case => c !== undefined);
const isOpen = (c: Case) => OPEN_STATUSES.includes(c.status);
const newestFirst = (cases: Case[]) => [...cases].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt));
const soonestFirst = (cases: Case[], at: (c: Case) => string) => [...cases].sort((a, b) => at(a).localeCompare(at(b)) || a.caseId.localeCompare(b.caseId));

describe('the all queue', () => {
  it('lists one status, or every open case, newest first, with type and priority filters, each case exactly once across pages (M4.1)', async () => {
    const cases = await allCases();
    const selections: QueueSelection[] = [
      { queue: 'all', status: 'open' },
      { queue: 'all', status: 'new' },
      { queue: 'all', status: 'open', type: 'complaint' },
      { queue: 'all', status: 'open', priority: 'urgent' },
      { queue: 'all', status: 'new', type: 'inquiry', priority: 'low' },
      { queue: 'all', status: 'open', type: 'inquiry', priority: 'high' },
    ];
    for (const s of selections) {
      if (s.queue !== 'all') continue;
      const expected = newestFirst(cases.filter((c) => (s.status === 'open' ? isOpen(c) : c.status === s.status) && (!s.type || c.type === s.type) && (!s.priority || c.priority === s.priority)));
      expect(expected.length).toBeGreaterThan(0);
      const { items, pages: n } = await pages(s, 2);
      expect({ selection: s, ids: idsOf(items) }).toEqual({ selection: s, ids: idsOf(expected) });
      expect(n).toBeGreaterThanOrEqual(Math.ceil(expected.length / 2));
    }
  });

  it('shows a queue item as the case summary with its nearest open deadline, without the customer’s contact details', async () => {
    const { items } = await queues.listQueue({ queue: 'all', status: 'open' }, { limit: 1 });
    const c = await env.store.getCase(ids.at(-1) ?? '');
    expect(items[0]).toMatchObject({ caseId: c?.caseId, reference: c?.reference, status: 'new', subject: 'Case 11', nextDueAt: c?.sla.acknowledgementDueAt });
    expect(JSON.stringify(items[0])).not.toContain('@example.com');
  });
});

describe('the work queues', () => {
  it('moves a case from unassigned to mine when claimed, to another agent’s when assigned, and back when unassigned (M4.2)', async () => {
    const id = ids[5] ?? '';
    const inQueue = async (s: QueueSelection) => idsOf((await pages(s, 5)).items).includes(id);
    expect(await inQueue({ queue: 'unassigned' })).toBe(true);
    await claimCase(id, {}, { actor: agent1 }, deps);
    expect([await inQueue({ queue: 'unassigned' }), await inQueue({ queue: 'mine', staffId: 'agent-1' })]).toEqual([false, true]);
    await assignCase(id, { assigneeId: 'agent-2' }, { actor: supervisor }, deps);
    expect([await inQueue({ queue: 'mine', staffId: 'agent-1' }), await inQueue({ queue: 'mine', staffId: 'agent-2' })]).toEqual([false, true]);
    await unassignCase(id, {}, { actor: supervisor }, deps);
    expect([await inQueue({ queue: 'unassigned' }), await inQueue({ queue: 'mine', staffId: 'agent-2' })]).toEqual([true, false]);
  });

  it('orders mine, unassigned and breaching by nearest open deadline: unacknowledged cases before acknowledged ones (M3.1)', async () => {
    for (const id of [ids[0], ids[2], ids[7]]) await acknowledgeCase(id ?? '', {}, { actor: agent1 }, deps);
    for (const id of [ids[2], ids[3], ids[8]]) await claimCase(id ?? '', {}, { actor: agent1 }, deps);
    const cases = await allCases();
    // Acknowledged, the next deadline is initial assistance (a complaint's escalation falls at the same 24 h).
    const due = (c: Case) => (c.acknowledgedAt ? c.sla.initialResponseDueAt : c.sla.acknowledgementDueAt);
    const breaching = await pages({ queue: 'breaching' }, 4);
    expect(idsOf(breaching.items)).toEqual(idsOf(soonestFirst(cases.filter(isOpen), due)));
    expect(breaching.items.map((i) => i.nextDueAt)).toEqual(soonestFirst(cases.filter(isOpen), due).map(due));
    const mine = await pages({ queue: 'mine', staffId: 'agent-1' }, 2);
    expect(idsOf(mine.items)).toEqual(idsOf(soonestFirst(cases.filter((c) => isOpen(c) && c.assignee?.id === 'agent-1'), due)));
    expect(idsOf(mine.items).at(-1)).toBe(ids[2]);
    const unassigned = await pages({ queue: 'unassigned' }, 4);
    expect(idsOf(unassigned.items)).toEqual(idsOf(soonestFirst(cases.filter((c) => isOpen(c) && !c.assignee), due)));
  });
});

describe('the escalated queue', () => {
  it('holds an escalation for the supervisors at level 1 and for the managers at level 2, soonest respond-by first, until it ends (M3.3)', async () => {
    const [first, second] = [ids[9] ?? '', ids[10] ?? ''];
    const escalated = async (role: 'supervisors' | 'managers') => idsOf((await pages({ queue: 'escalated', role }, 1)).items);
    expect(await escalated('supervisors')).toEqual([]);
    now = T0 + 30 * MIN;
    await escalateCase(first, { reason: 'Needs a refund approval' }, { actor: agent1 }, deps);
    now = T0 + 31 * MIN;
    await escalateCase(second, { reason: 'Customer asks for a supervisor' }, { actor: agent1 }, deps);
    expect(await escalated('supervisors')).toEqual([first, second]);
    expect(await escalated('managers')).toEqual([]);
    now = T0 + 40 * MIN;
    await escalateCase(first, { reason: 'Above my authority' }, { actor: supervisor }, deps);
    expect(await escalated('supervisors')).toEqual([second]);
    expect(await escalated('managers')).toEqual([first]);
    await resolveEscalation(first, { outcome: 'Refund approved' }, { actor: manager }, deps);
    expect(await escalated('managers')).toEqual([]);
    const page = await queues.listQueue({ queue: 'escalated', role: 'supervisors' }, { limit: 5 });
    expect(page.items[0]?.escalation).toMatchObject({ level: 1, respondBy: expect.any(String) });
  });
});

describe('resolution and the SLA reconciler', () => {
  it('takes a resolved case out of every open queue, lists it under resolved with its automatic closure time, and gives it to the reconciler (M7.2)', async () => {
    const id = ids[4] ?? '';
    await claimCase(id, {}, { actor: agent1 }, deps);
    now = T0 + 50 * MIN;
    await resolveCase(id, { summary: 'Parcel found' }, { actor: agent1 }, deps);
    const resolved = await env.store.getCase(id);
    for (const s of [{ queue: 'all', status: 'open' }, { queue: 'breaching' }, { queue: 'mine', staffId: 'agent-1' }, { queue: 'unassigned' }] as QueueSelection[]) {
      expect({ s, listed: idsOf((await pages(s, 6)).items).includes(id) }).toEqual({ s, listed: false });
    }
    const listed = (await pages({ queue: 'all', status: 'resolved' })).items;
    expect(listed).toEqual([expect.objectContaining({ caseId: id, status: 'resolved', autoCloseAt: resolved?.autoCloseAt })]);
    expect(listed[0]?.nextDueAt).toBeUndefined();

    const closed = ids[7] ?? '';
    await resolveCase(closed, { summary: 'Answered' }, { actor: agent1 }, deps);
    await closeCase(closed, {}, { actor: supervisor }, deps);
    const swept: string[] = [];
    for await (const c of env.store.casesWithTimers()) swept.push(c.caseId);
    const cases = await allCases();
    expect(swept.sort()).toEqual(cases.filter((c) => isOpen(c) || (c.status === 'resolved' && c.autoCloseAt)).map((c) => c.caseId).sort());
    expect(swept).toContain(id);
    expect(swept).not.toContain(closed);
    expect(idsOf((await pages({ queue: 'all', status: 'closed' })).items)).toEqual([closed]);
  });
});

describe('search', () => {
  it('finds a customer’s cases by email address or phone number, newest first, through hashed keys', async () => {
    const byEmail = await pages({ queue: 'customer', email: 'Repeat.Customer@example.com'.toLowerCase() }, 3);
    expect(idsOf(byEmail.items)).toEqual(ids.slice(0, 4).reverse());
    const byPhone = await pages({ queue: 'customer', phone: '+44 (20) 7946-0005' }, 3);
    expect(idsOf(byPhone.items)).toEqual([ids[5]]);
    // The case with a phone and an email address is found by either.
    expect(idsOf((await pages({ queue: 'customer', email: 'customer5@example.com' })).items)).toEqual([ids[5]]);
    expect(customerPartition('repeat.customer@example.com')).not.toContain('repeat');
    expect(phonePartition('+44 20 7946 0005')).not.toContain('7946');
  });

  it('finds a case by its reference with two reads, and nothing for an unknown one', async () => {
    const c = await env.store.getCase(ids[3] ?? '');
    const before = reads.length;
    expect(await queues.findByReference(c?.reference ?? '')).toMatchObject({ caseId: ids[3], reference: c?.reference });
    expect(reads.slice(before).map((r) => r.operation)).toEqual(['GetItem', 'GetItem']);
    expect(await queues.findByReference('CS-ZZZZZZ')).toBeUndefined();
  });
});

describe('paging', () => {
  it('reads at most the page size with one Query per page, whatever the queue’s length (capacity measured)', async () => {
    const small = reads.length;
    await queues.listQueue({ queue: 'all', status: 'open' }, { limit: 2 });
    await queues.listQueue({ queue: 'breaching' }, { limit: 2 });
    const big = reads.length;
    await queues.listQueue({ queue: 'all', status: 'open' }, { limit: 10 });
    const smallReads = reads.slice(small, big);
    const bigRead = reads[big];
    expect(smallReads.map((r) => [r.operation, r.scannedCount])).toEqual([['Query', 2], ['Query', 2]]);
    expect(bigRead?.scannedCount).toBeLessThanOrEqual(10);
    for (const r of [...smallReads, bigRead]) expect(r?.capacityUnits).toBeGreaterThan(0);
  });

  it('refuses a cursor made for another staff member’s queue, or altered, with a 400 naming cursor', async () => {
    const mine = async (token: string, cursor?: string) =>
      invoke(listCases, apiEvent({ method: 'GET', path: '/v1/cases', query: { queue: 'mine', limit: '1', ...(cursor ? { cursor } : {}) }, headers: { authorization: `Bearer ${token}` } }));
    const first = await mine(await staffToken(['agents'], 'agent-1'));
    expect(first.status).toBe(200);
    const cursor = String(first.body?.nextCursor);
    expect((await mine(await staffToken(['agents'], 'agent-1'), cursor)).status).toBe(200);
    const foreign = await mine(await staffToken(['agents'], 'agent-2'), cursor);
    expect(foreign.status).toBe(400);
    expect(foreign.body).toMatchObject({ issues: [{ path: 'cursor' }] });
    const altered = await mine(await staffToken(['agents'], 'agent-1'), `${cursor.slice(0, -2)}AA`);
    expect(altered.status).toBe(400);
    await expect(queues.listQueue({ queue: 'unassigned' }, { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('the escalated queue at a level, as the escalations board reads it', () => {
  /** GET /v1/cases?queue=escalated with this token, one escalation a page, as the board's pages. */
  const escalatedPages = (token: string): ReadEscalationPage => async (level, cursor) => {
    const res = await invoke(
      listCases,
      apiEvent({ method: 'GET', path: '/v1/cases', query: { queue: 'escalated', limit: '1', ...(level ? { level } : {}), ...(cursor ? { cursor } : {}) }, headers: { authorization: `Bearer ${token}` } }),
    );
    expect(res.status).toBe(200);
    return res.body as unknown as CasePage;
  };
  const respondBys = (page: CasePage['items']) => page.map((c) => c.escalation?.respondBy ?? '');

  it('gives a supervisor who names level=managers the level-2 escalations, and the board every page of both levels, soonest respond-by first (M3.3, M4.2, M9.3)', async () => {
    now = T0 + 60 * MIN;
    for (const id of [ids[0], ids[1], ids[3], ids[6], ids[8]]) await escalateCase(id ?? '', { reason: 'Needs a supervisor' }, { actor: agent1 }, deps);
    now = T0 + 70 * MIN;
    for (const id of [ids[0], ids[3], ids[6]]) await escalateCase(id ?? '', { reason: 'Above my authority' }, { actor: supervisor }, deps);
    const atLevel2 = [ids[0], ids[3], ids[6]].sort();
    const atLevel1 = [ids[1], ids[8], ids[10]].sort();
    const supervisorToken = await staffToken(['supervisors'], 'sup-1');

    const managersLevel = await invoke(listCases, apiEvent({ method: 'GET', path: '/v1/cases', query: { queue: 'escalated', level: 'managers' }, headers: { authorization: `Bearer ${supervisorToken}` } }));
    expect(managersLevel.status).toBe(200);
    const items = (managersLevel.body as unknown as CasePage).items;
    expect(idsOf(items).sort()).toEqual(atLevel2);
    expect(items.every((c) => (c.escalation?.level ?? 0) >= 2)).toBe(true);

    // One escalation a page: the board reads past the first page of each level.
    const team = await readBoard('team', escalatedPages(supervisorToken), new Set());
    expect(idsOf(team.rows).sort()).toEqual([...atLevel1, ...atLevel2].sort());
    expect(respondBys(team.rows)).toEqual([...respondBys(team.rows)].sort());
    expect(team.incomplete).toBe(false);
    const mine = await readBoard('mine', escalatedPages(supervisorToken), new Set());
    expect(idsOf(mine.rows).sort()).toEqual(atLevel1);
    const managersOwn = await readBoard('mine', escalatedPages(await staffToken(['managers'], 'mgr-1')), new Set());
    expect(idsOf(managersOwn.rows).sort()).toEqual(atLevel2);
  });

  it('lets every role that reads the escalated queue name either level, and refuses level with another queue with a 400 naming level', async () => {
    for (const role of ['agents', 'supervisors', 'managers', 'feedback', 'auditors']) {
      const token = await staffToken([role], `reader-${role}`);
      for (const level of ['supervisors', 'managers']) {
        const res = await invoke(listCases, apiEvent({ method: 'GET', path: '/v1/cases', query: { queue: 'escalated', level }, headers: { authorization: `Bearer ${token}` } }));
        expect({ role, level, status: res.status }).toEqual({ role, level, status: 200 });
      }
    }
    const refused = await invoke(listCases, apiEvent({ method: 'GET', path: '/v1/cases', query: { queue: 'breaching', level: 'managers' }, headers: { authorization: `Bearer ${await staffToken(['supervisors'], 'sup-1')}` } }));
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ issues: [{ path: 'level' }] });
  });
});
