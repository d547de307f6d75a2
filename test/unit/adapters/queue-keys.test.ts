import { caseItem, queueRead, stripKeys } from '../../../functions/adapters/dynamo/keys';
import { subjectsOfCustomer } from '../../../functions/core/privacy-subject';
import { GLOBAL_INDEXES, SUMMARY_ATTRIBUTE } from '../../../functions/adapters/table-design';
import { CaseStatusSchema, CaseTypeSchema, OPEN_STATUSES, PrioritySchema, type Case } from '../../../functions/core/case';
import type { QueueSelection } from '../../../functions/core/queues';
import { StatusFilterSchema } from '../../../functions/core/queues';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(T0 + ms).toISOString();

/** A case of every combination the queues tell apart: status, type, priority, assignee, escalation, customer contact. */
function caseNo(n: number): Case {
  const status = CaseStatusSchema.options[n % 6] ?? 'new';
  const type = CaseTypeSchema.options[Math.floor(n / 6) % 2] ?? 'inquiry';
  const priority = PrioritySchema.options[Math.floor(n / 12) % 4] ?? 'normal';
  const assignee = [undefined, { id: 'agent-1' }, { id: 'agent-2', name: 'Bo' }][n % 3];
  const escalation = [
    undefined,
    { number: 1, level: 1, escalatedAt: iso(HOUR), responsibleParty: 'sup@example.com', respondBy: iso(25 * HOUR - n * 1000) },
    { number: 2, level: 2, escalatedAt: iso(HOUR), responsibleParty: 'mgr@example.com', respondBy: iso(26 * HOUR - n * 1000) },
    { number: 1, level: 1, escalatedAt: iso(HOUR), responsibleParty: 'sup@example.com', respondBy: iso(25 * HOUR), endedAt: iso(2 * HOUR), ending: 'resolved' as const },
  ][n % 4];
  const customer = [{ name: 'A', email: 'a@example.com' }, { name: 'B', phone: '+44 20 7946 0000' }, { name: 'C', email: 'c@example.com', phone: '+44 20 7946 0001' }][n % 3] ?? { name: 'A', email: 'a@example.com' };
  const receivedAt = new Date(T0 + n * 60_000);
  return {
    caseId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    reference: `CS-${String(n).padStart(6, '0')}`,
    type,
    channel: 'web',
    priority,
    status,
    customer,
    subject: `Case ${n}`,
    message: 'Hello',
    receivedAt: receivedAt.toISOString(),
    updatedAt: receivedAt.toISOString(),
    sla: computeDeadlines(type, receivedAt, slaPolicy()),
    ...(n % 5 === 0 ? { acknowledgedAt: receivedAt.toISOString() } : {}),
    ...(assignee ? { assignee } : {}),
    ...(escalation ? { escalation } : {}),
    ...(status === 'resolved' && n % 2 === 0 ? { autoCloseAt: iso(7 * 24 * HOUR) } : {}),
    version: 1,
    lastEventHash: 'f'.repeat(64),
  };
}

const CASES = Array.from({ length: 144 }, (_, n) => caseNo(n));
const isOpen = (c: Case) => OPEN_STATUSES.includes(c.status);

/** Who belongs in which queue, in the words of core/queues.ts, independently of the keys. */
function belongs(c: Case, s: QueueSelection): boolean {
  switch (s.queue) {
    case 'all':
      return (s.status === 'open' ? isOpen(c) : c.status === s.status) && (s.type === undefined || c.type === s.type) && (s.priority === undefined || c.priority === s.priority);
    case 'mine':
      return isOpen(c) && c.assignee?.id === s.staffId;
    case 'unassigned':
      return isOpen(c) && c.assignee === undefined;
    case 'breaching':
      return isOpen(c);
    case 'escalated':
      return isOpen(c) && c.escalation !== undefined && c.escalation.endedAt === undefined && (c.escalation.level === 1 ? 'supervisors' : 'managers') === s.role;
    case 'customer':
      if (c.erasure) return false;
      if ('subject' in s) return subjectsOfCustomer(c.customer).some((x) => x.kind === s.subject.kind && x.digest === s.subject.digest);
      return 'email' in s ? c.customer.email === s.email : c.customer.phone !== undefined && c.customer.phone.replace(/[^0-9+]/g, '') === s.phone.replace(/[^0-9+]/g, '');
  }
}

const SELECTIONS: QueueSelection[] = [
  ...StatusFilterSchema.options.flatMap((status) =>
    [undefined, ...CaseTypeSchema.options].flatMap((type) =>
      [undefined, ...PrioritySchema.options].map((priority): QueueSelection => ({ queue: 'all', status, ...(type ? { type } : {}), ...(priority ? { priority } : {}) })),
    ),
  ),
  { queue: 'mine', staffId: 'agent-1' },
  { queue: 'mine', staffId: 'agent-2' },
  { queue: 'mine', staffId: 'agent-3' },
  { queue: 'unassigned' },
  { queue: 'breaching' },
  { queue: 'escalated', role: 'supervisors' },
  { queue: 'escalated', role: 'managers' },
  { queue: 'customer', email: 'a@example.com' },
  { queue: 'customer', email: 'c@example.com' },
  { queue: 'customer', phone: '+442079460000' },
  { queue: 'customer', phone: '+44 20 7946 0001' },
];

describe('queue keys', () => {
  it('puts every case in exactly the queue partitions it belongs to, and in no other', () => {
    for (const c of CASES) {
      const item = caseItem(c);
      for (const s of SELECTIONS) {
        const read = queueRead(s);
        expect({ case: c.reference, selection: s, inPartition: item[read.index.partitionKey] === read.partition }).toEqual({ case: c.reference, selection: s, inPartition: belongs(c, s) });
      }
    }
  });

  it('orders each queue as core/queues.ts says: all newest first, work queues by nearest deadline, escalations by respond-by', () => {
    const order = (s: QueueSelection) => {
      const read = queueRead(s);
      const members = CASES.map(caseItem).filter((item) => item[read.index.partitionKey] === read.partition);
      const keys = members.map((item) => String(item[read.index.sortKey])).sort();
      if (!read.ascending) keys.reverse();
      const byKey = new Map(members.map((item) => [String(item[read.index.sortKey]), item]));
      return keys.map((k) => byKey.get(k)?.[SUMMARY_ATTRIBUTE] as { receivedAt: string; nextDueAt?: string; escalation?: { respondBy: string } });
    };
    const received = order({ queue: 'all', status: 'open' }).map((s) => s.receivedAt);
    expect(received.length).toBeGreaterThan(10);
    expect(received).toEqual([...received].sort().reverse());
    const due = order({ queue: 'breaching' }).map((s) => s.nextDueAt ?? '9999');
    expect(due).toEqual([...due].sort());
    const respondBy = order({ queue: 'escalated', role: 'supervisors' }).map((s) => s.escalation?.respondBy ?? '');
    expect(respondBy.length).toBeGreaterThan(3);
    expect(respondBy).toEqual([...respondBy].sort());
  });

  it('keys no personal data: no customer address, phone number or staff id appears in a key', () => {
    for (const c of CASES) {
      const item = caseItem(c);
      const keys = GLOBAL_INDEXES.flatMap((g) => [item[g.partitionKey], item[g.sortKey]]).filter((v) => v !== undefined).join(' ');
      for (const secret of [c.customer.email, c.customer.phone, c.customer.phone?.replace(/[^0-9+]/g, ''), c.assignee?.id]) if (secret) expect(keys).not.toContain(secret);
    }
  });

  it('gives the SLA reconciler every open case and every resolved case awaiting automatic closure (M7.2)', () => {
    const timers = GLOBAL_INDEXES.find((g) => g.indexName === 'GSI2');
    for (const c of CASES) {
      const item = caseItem(c);
      const expected = isOpen(c) || (c.status === 'resolved' && c.autoCloseAt !== undefined);
      expect({ case: c.reference, status: c.status, indexed: timers !== undefined && item[timers.partitionKey] !== undefined }).toEqual({ case: c.reference, status: c.status, indexed: expected });
    }
  });

  it('strips every storage attribute, the queue summary included, giving back the case as it was', () => {
    for (const c of CASES.slice(0, 24)) expect(stripKeys(caseItem(c))).toEqual(c);
  });

  it('stays within DynamoDB limits: at most 20 indexes, at most 100 projected non-key attributes', () => {
    expect(GLOBAL_INDEXES.length).toBeLessThanOrEqual(20);
    expect(GLOBAL_INDEXES.filter((g) => g.projection === 'SUMMARY').length).toBeLessThanOrEqual(100);
    expect(new Set(GLOBAL_INDEXES.map((g) => g.indexName)).size).toBe(GLOBAL_INDEXES.length);
  });
});
