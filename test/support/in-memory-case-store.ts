import type { Case, CaseSummary } from '../../functions/core/case';
import { isOpen, summarize } from '../../functions/core/case';
import type { CaseEvent } from '../../functions/core/case-event';
import { ConcurrentUpdateError, ReferenceTakenError } from '../../functions/core/errors';
import type { EscalationRecord } from '../../functions/core/escalation';
import type { OutboxMessage } from '../../functions/core/outbox';
import type { CaseChange, CaseStore, CreateCaseResult, ListCasesQuery, NewCaseRecord } from '../../functions/core/ports';

/** A CaseStore fake with the same atomicity and conflict rules as the DynamoDB adapter. */
export class InMemoryCaseStore implements CaseStore {
  readonly cases = new Map<string, Case>();
  readonly events = new Map<string, CaseEvent[]>();
  readonly outbox = new Map<string, OutboxMessage>();
  readonly references = new Set<string>();
  readonly escalations = new Map<string, EscalationRecord>();
  readonly idempotency = new Map<string, { caseId: string; requestHash: string }>();
  /** References that count as taken, to exercise collision handling. */
  readonly takenReferences = new Set<string>();

  async createCase(record: NewCaseRecord): Promise<CreateCaseResult> {
    const key = record.idempotency?.key;
    const existing = key ? this.idempotency.get(key) : undefined;
    if (existing) return { created: false, existing };
    if (this.references.has(record.case.reference) || this.takenReferences.has(record.case.reference)) {
      throw new ReferenceTakenError(record.case.reference);
    }
    this.cases.set(record.case.caseId, structuredClone(record.case));
    this.references.add(record.case.reference);
    this.events.set(record.case.caseId, structuredClone(record.events));
    for (const m of record.outbox) this.outbox.set(`${m.caseId}/${m.id}`, structuredClone(m));
    if (record.idempotency) this.idempotency.set(record.idempotency.key, { caseId: record.case.caseId, requestHash: record.idempotency.requestHash });
    return { created: true };
  }

  async applyChange(change: CaseChange): Promise<void> {
    const current = this.cases.get(change.case.caseId);
    if (!current || current.version !== change.expectedVersion) throw new ConcurrentUpdateError('stale');
    this.cases.set(change.case.caseId, structuredClone(change.case));
    this.events.get(change.case.caseId)?.push(...structuredClone(change.events));
    for (const m of [...(change.outboxInserts ?? []), ...(change.outboxUpdates ?? [])]) this.outbox.set(`${m.caseId}/${m.id}`, structuredClone(m));
    for (const e of change.escalations ?? []) this.escalations.set(`${e.caseId}/${e.level}`, structuredClone(e));
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const c = this.cases.get(caseId);
    return c ? structuredClone(c) : undefined;
  }

  async getTimeline(caseId: string): Promise<CaseEvent[]> {
    return structuredClone(this.events.get(caseId) ?? []);
  }

  async getEscalations(caseId: string): Promise<EscalationRecord[]> {
    return [...this.escalations.values()].filter((e) => e.caseId === caseId).sort((a, b) => a.level - b.level);
  }

  async getOutbox(caseId: string, id: string): Promise<OutboxMessage | undefined> {
    const m = this.outbox.get(`${caseId}/${id}`);
    return m ? structuredClone(m) : undefined;
  }

  async recordOutboxFailure(caseId: string, id: string, error: string): Promise<void> {
    const m = this.outbox.get(`${caseId}/${id}`);
    if (m && m.status === 'pending') this.outbox.set(`${caseId}/${id}`, { ...m, attempts: m.attempts + 1, lastError: error });
  }

  async *openCases(): AsyncIterable<Case> {
    for (const c of this.cases.values()) if (isOpen(c.status)) yield structuredClone(c);
  }

  async listCases(query: ListCasesQuery): Promise<{ items: CaseSummary[]; cursor?: string }> {
    const items = [...this.cases.values()]
      .filter((c) => query.statuses.includes(c.status) && query.types.includes(c.type))
      .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt))
      .slice(0, query.limit)
      .map(summarize);
    return { items };
  }
}
