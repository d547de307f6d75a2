/**
 * The open cases the staff and console benchmarks load: a busy week's mix (benchCase), a case with a
 * long history (longCase), written straight into a table with BatchWriteItem (batchWrite) as the case
 * store writes them (the real caseItem / eventItem).
 */
import { randomUUID } from 'node:crypto';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { caseItem, eventItem, REFERENCE_SK, referencePk } from '../../functions/adapters/dynamo/keys';
import { chainEvents, GENESIS_HASH } from '../../functions/core/audit-chain';
import type { Case, CaseStatus, Priority } from '../../functions/core/case';
import type { CaseEvent, EventDraft } from '../../functions/core/case-event';
import { computeDeadlines, slaPolicy } from '../../functions/core/sla-policy';

const MIN = 60_000;
const HOUR = 60 * MIN;
export const AGENTS = 20;

/** A seeded generator: the same mix of cases on every run. */
export function seeded(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function pick<T>(rand: () => number, weighted: readonly (readonly [T, number])[]): T {
  let r = rand() * weighted.reduce((n, [, w]) => n + w, 0);
  for (const [value, w] of weighted) if ((r -= w) < 0) return value;
  const last = weighted.at(-1);
  if (!last) throw new Error('nothing to pick from');
  return last[0];
}

export const reference = (n: number) => `CS-${n.toString(36).toUpperCase().padStart(6, '0')}`;

/**
 * An open case as the queues see them in a busy week: received over the last 14 days, a quarter
 * complaints, mostly normal priority, 30% unassigned, 5% escalated (1% to the managers), a repeat
 * customer for one case in ten, a phone number on one in five.
 */
export interface BenchCaseOptions {
  /** How far back the cases were received (default 14 days). */
  receivedWithinMs?: number;
  /** Whether some cases are still new, with their acknowledgement due (default true). */
  includeNew?: boolean;
}

export function benchCase(n: number, rand: () => number, nowMs: number, opts: BenchCaseOptions = {}): { case: Case; events: CaseEvent[] } {
  const receivedMs = Math.floor(nowMs - rand() * (opts.receivedWithinMs ?? 14 * 24 * HOUR));
  const receivedAt = new Date(receivedMs);
  const type = rand() < 0.25 ? 'complaint' : 'inquiry';
  const status = pick<CaseStatus>(rand, [['new', opts.includeNew === false ? 0 : 15], ['acknowledged', 20], ['in_progress', 45], ['pending_customer', 20]]);
  const priority = pick<Priority>(rand, [['low', 10], ['normal', 60], ['high', 20], ['urgent', 10]]);
  const at = (ms: number) => new Date(receivedMs + ms).toISOString();
  const customerNo = rand() < 0.1 ? Math.floor(rand() * 50) : 1000 + n;
  const sla = computeDeadlines(type, receivedAt, slaPolicy());
  const escalation = rand() < 0.05 ? (rand() < 0.2 ? 2 : 1) : undefined;
  const assigned = rand() >= 0.3;
  const draft: EventDraft = { type: 'case_received', at: receivedAt.toISOString(), actor: { kind: 'customer' }, data: { channel: 'web', caseType: type, sla } };
  const { events, head } = chainEvents({ caseId: randomUUID(), version: 0, lastEventHash: GENESIS_HASH }, [draft]);
  const c: Case = {
    caseId: head.caseId,
    reference: reference(n),
    type,
    channel: 'web',
    priority,
    status,
    customer: { name: `Bench Customer ${customerNo}`, email: `bench.customer.${customerNo}@example.com`, ...(rand() < 0.2 ? { phone: `+44 20 7946 ${String(customerNo % 10_000).padStart(4, '0')}` } : {}) },
    subject: `Question about order ${100_000 + n}`,
    message: 'Hello, I ordered a pair of walking boots two weeks ago and the tracking page has not changed since it was dispatched. Could you tell me where the parcel is?',
    privacyConsentAt: receivedAt.toISOString(),
    receivedAt: receivedAt.toISOString(),
    updatedAt: at(HOUR),
    sla: { ...sla, ...(status === 'pending_customer' ? { pausedSince: at(2 * HOUR) } : {}) },
    ...(status !== 'new' ? { acknowledgedAt: at(5 * MIN) } : {}),
    ...(status === 'in_progress' || status === 'pending_customer' ? { firstRespondedAt: at(HOUR) } : {}),
    ...(assigned ? { assignee: { id: `agent-${String(Math.floor(rand() * AGENTS)).padStart(2, '0')}`, name: 'Bench Agent' } } : {}),
    ...(escalation
      ? { escalation: { number: escalation, level: escalation, escalatedAt: at(2 * HOUR), responsibleParty: escalation === 1 ? 'supervisor@caseflow.local' : 'manager@caseflow.local', respondBy: at(26 * HOUR + Math.floor(rand() * HOUR)) } }
      : {}),
    version: head.version,
    lastEventHash: head.lastEventHash,
  };
  return { case: c, events };
}

/** A case with a long history: its opening and `count - 1` notes of a few hundred characters. */
export function longCase(count: number, nowMs: number): { case: Case; events: CaseEvent[] } {
  const base = benchCase(0, seeded(7), nowMs).case;
  const drafts: EventDraft[] = [{ type: 'case_received', at: base.receivedAt, actor: { kind: 'customer' }, data: { channel: 'web', caseType: base.type, sla: base.sla } }];
  for (let i = 1; i < count; i += 1) {
    drafts.push({ type: 'note_added', at: new Date(Date.parse(base.receivedAt) + i * MIN).toISOString(), actor: { kind: 'agent', id: 'agent-00' }, data: { text: `Note ${i}: called the courier, who confirmed the parcel is at the depot and will be delivered on the next round. `.repeat(3) } });
  }
  const { events, head } = chainEvents({ caseId: randomUUID(), version: 0, lastEventHash: GENESIS_HASH }, drafts);
  return { case: { ...base, caseId: head.caseId, reference: 'CS-LONG01', version: head.version, lastEventHash: head.lastEventHash }, events };
}

/** Writes items 25 at a time, several batches in flight, retrying what DynamoDB leaves unprocessed. */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[], inFlight = 8): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  let next = 0;
  const worker = async () => {
    for (let b = next++; b < batches.length; b = next++) {
      let requests = (batches[b] ?? []).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 10) throw new Error('BatchWriteItem kept leaving items unprocessed');
        const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }));
        requests = (out.UnprocessedItems?.[table] ?? []) as typeof requests;
        if (requests.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

/** Every item of the given cases, as the case store writes them: the case, its events, its reference. */
export function caseItems(cases: { case: Case; events: CaseEvent[] }[]): Record<string, unknown>[] {
  return cases.flatMap(({ case: c, events }) => [caseItem(c), ...events.map(eventItem), { PK: referencePk(c.reference), SK: REFERENCE_SK, entity: 'reference', caseId: c.caseId }]);
}
