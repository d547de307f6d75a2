import type { FollowUpDue, FollowUpReminder } from '../../functions/core/follow-up';
import type { NonComplianceRecord } from '../../functions/core/non-compliance';
import type { Case } from '../../functions/core/case';
import { isOpen } from '../../functions/core/case';
import type { CaseEvent } from '../../functions/core/case-event';
import { AckRateLimitedError, ConcurrentUpdateError, DuplicateInboundError, ReferenceTakenError } from '../../functions/core/errors';
import type { EscalationRecord } from '../../functions/core/escalation';
import type { OutboxMessage } from '../../functions/core/outbox';
import type { FeedbackEntry } from '../../functions/core/feedback-log';
import type { CaseChange, CaseStore, CreateCaseResult, NewCaseRecord } from '../../functions/core/ports';
import type { InboundLookup, InboundLookupQuery, InboundMailStore, InboundRecord, QuarantineRecord } from '../../functions/core/email/ports';

/** A CaseStore fake with the same atomicity and conflict rules as the DynamoDB adapter. */
/** Both stores of the email intake in one fake (tests pass it as `cases` and `inbound`). */
export class InMemoryCaseStore implements CaseStore, InboundMailStore {
  readonly inbound = new Map<string, InboundRecord>();
  readonly messageIds = new Map<string, string>();
  readonly ackLogs = new Map<string, number[]>();
  readonly quarantined = new Map<string, QuarantineRecord>();
  readonly cases = new Map<string, Case>();
  readonly events = new Map<string, CaseEvent[]>();
  readonly outbox = new Map<string, OutboxMessage>();
  /** The feedback log's entries, by case. */
  readonly feedback = new Map<string, FeedbackEntry>();
  readonly references = new Set<string>();
  readonly escalations = new Map<string, EscalationRecord>();
  /** Non-compliance records the changes opened (an SLA breach's, C8.1): `MemoryNonComplianceStore` reads and writes them. */
  readonly nonCompliance = new Map<string, NonComplianceRecord>();
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
    if (record.inbound && this.inbound.has(record.inbound.key)) throw new DuplicateInboundError('seen');
    const log = record.ackLog;
    if (log && JSON.stringify(this.ackLogs.get(log.recipientHash)) !== JSON.stringify(log.expected)) throw new AckRateLimitedError('changed meanwhile');
    if (log) this.ackLogs.set(log.recipientHash, [...log.next]);
    if (record.inbound) this.inbound.set(record.inbound.key, structuredClone(record.inbound));
    for (const l of record.messageIds ?? []) this.messageIds.set(l.messageId.toLowerCase(), l.caseId);
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
    if (change.inbound && this.inbound.has(change.inbound.key)) throw new DuplicateInboundError('seen');
    if (change.inbound) this.inbound.set(change.inbound.key, structuredClone(change.inbound));
    for (const l of change.messageIds ?? []) this.messageIds.set(l.messageId.toLowerCase(), l.caseId);
    this.cases.set(change.case.caseId, structuredClone(change.case));
    this.events.get(change.case.caseId)?.push(...structuredClone(change.events));
    for (const m of [...(change.outboxInserts ?? []), ...(change.outboxUpdates ?? [])]) this.outbox.set(`${m.caseId}/${m.id}`, structuredClone(m));
    for (const e of change.escalations ?? []) this.escalations.set(`${e.caseId}/${e.number ?? e.level}`, structuredClone(e));
    for (const r of change.nonCompliance ?? []) if (!this.nonCompliance.has(r.id)) this.nonCompliance.set(r.id, structuredClone(r));
    if (change.feedback) this.feedback.set(change.feedback.caseId, structuredClone(change.feedback));
    for (const d of change.followUpsDone ?? []) this.followUps.delete(`${d.date}#${d.caseId}`);
    for (const f of change.followUpsDue ?? []) this.followUps.set(`${f.date}#${f.caseId}`, structuredClone(f));
  }

  /** The complaints' pending follow-ups (follow-up.ts's FollowUpStore), as the table's partition keeps them. */
  readonly followUps = new Map<string, FollowUpDue>();

  async dueBy(day: string): Promise<FollowUpDue[]> {
    return [...this.followUps.entries()].filter(([, f]) => f.date <= day).sort(([a], [b]) => a.localeCompare(b)).map(([, f]) => structuredClone(f));
  }

  async markReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder, at: Date): Promise<boolean> {
    const f = this.followUps.get(`${entry.date}#${entry.caseId}`);
    const mark = reminder === 'responsible' ? 'remindedAt' : 'supervisorRemindedAt';
    if (!f || f[mark]) return false;
    f[mark] = at.toISOString();
    return true;
  }

  async forgetReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder): Promise<void> {
    const f = this.followUps.get(`${entry.date}#${entry.caseId}`);
    if (f) delete f[reminder === 'responsible' ? 'remindedAt' : 'supervisorRemindedAt'];
  }

  async getOutboxHistory(caseId: string): Promise<OutboxMessage[]> {
    return [...this.outbox.values()].filter((m) => m.caseId === caseId).sort((a, b) => a.id.localeCompare(b.id)).map((m) => structuredClone(m));
  }

  async findIdempotent(key: string): Promise<{ caseId: string; requestHash: string } | undefined> {
    return this.idempotency.get(key);
  }

  async readAckLog(recipientHash: string): Promise<number[] | undefined> {
    const log = this.ackLogs.get(recipientHash);
    return log ? [...log] : undefined;
  }

  readonly ingestFailures = new Map<string, number>();

  async recordIngestFailure(rawObjectKey: string): Promise<number> {
    const attempts = (this.ingestFailures.get(rawObjectKey) ?? 0) + 1;
    this.ingestFailures.set(rawObjectKey, attempts);
    return attempts;
  }

  readonly lookups: InboundLookupQuery[] = [];

  async lookupInbound(query: InboundLookupQuery): Promise<InboundLookup> {
    this.lookups.push(structuredClone(query));
    const caseIdByReference = new Map<string, string>();
    for (const r of query.references) {
      const id = await this.caseIdByReference(r);
      if (id) caseIdByReference.set(r, id);
    }
    const caseIdByMessageId = new Map<string, string>();
    for (const m of query.messageIds) {
      const id = await this.caseIdByMessageId(m);
      if (id) caseIdByMessageId.set(m, id);
    }
    const inbound = (await this.getInbound(query.inboundKey)) ?? (query.legacyInboundKey ? await this.getInbound(query.legacyInboundKey) : undefined);
    return {
      ...(inbound ? { inbound } : {}),
      caseIdByReference,
      caseIdByMessageId,
      ...(query.ackLog && this.ackLogs.has(query.ackLog.recipientHash) ? { ackLog: [...(this.ackLogs.get(query.ackLog.recipientHash) ?? [])] } : {}),
    };
  }

  async getInbound(key: string): Promise<InboundRecord | undefined> {
    const r = this.inbound.get(key);
    return r ? structuredClone(r) : undefined;
  }

  async recordInbound(record: InboundRecord): Promise<boolean> {
    if (this.inbound.has(record.key)) return false;
    this.inbound.set(record.key, structuredClone(record));
    return true;
  }

  async caseIdByReference(reference: string): Promise<string | undefined> {
    return [...this.cases.values()].find((c) => c.reference === reference)?.caseId;
  }

  async caseIdByMessageId(messageId: string): Promise<string | undefined> {
    return this.messageIds.get(messageId.toLowerCase());
  }

  async quarantine(record: QuarantineRecord): Promise<void> {
    if (!this.quarantined.has(record.rawObjectKey)) this.quarantined.set(record.rawObjectKey, structuredClone(record));
  }

  async listQuarantine(limit: number): Promise<{ items: QuarantineRecord[]; cursor?: string }> {
    return { items: [...this.quarantined.values()].slice(0, limit) };
  }

  async getCase(caseId: string): Promise<Case | undefined> {
    const c = this.cases.get(caseId);
    return c ? structuredClone(c) : undefined;
  }

  async getTimeline(caseId: string): Promise<CaseEvent[]> {
    return structuredClone(this.events.get(caseId) ?? []);
  }

  async getEscalations(caseId: string): Promise<EscalationRecord[]> {
    return [...this.escalations.values()].filter((e) => e.caseId === caseId).sort((a, b) => (a.number ?? a.level) - (b.number ?? b.level));
  }

  async getEscalation(caseId: string, number: number): Promise<EscalationRecord | undefined> {
    const e = this.escalations.get(`${caseId}/${number}`);
    return e ? structuredClone(e) : undefined;
  }

  async getOutbox(caseId: string, id: string): Promise<OutboxMessage | undefined> {
    const m = this.outbox.get(`${caseId}/${id}`);
    return m ? structuredClone(m) : undefined;
  }

  async recordOutboxFailure(caseId: string, id: string, error: string): Promise<void> {
    const m = this.outbox.get(`${caseId}/${id}`);
    if (m && m.status === 'pending') this.outbox.set(`${caseId}/${id}`, { ...m, attempts: m.attempts + 1, lastError: error });
  }

  async *casesWithTimers(): AsyncIterable<Case> {
    for (const c of this.cases.values()) if (isOpen(c.status) || (c.status === 'resolved' && c.autoCloseAt)) yield structuredClone(c);
  }
}
