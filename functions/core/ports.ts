import type { Case, CaseStatus, CaseSummary, CaseType } from './case';
import type { CaseEvent } from './case-event';
import type { EscalationRecord } from './escalation';
import type { OutboxMessage } from './outbox';

/** A case created together with its first events and owed messages, atomically. */
export interface NewCaseRecord {
  case: Case;
  events: CaseEvent[];
  outbox: OutboxMessage[];
  idempotency?: { key: string; requestHash: string; expiresAt: number };
}

export type CreateCaseResult =
  | { created: true }
  | { created: false; existing: { caseId: string; requestHash: string } };

/** A change to an existing case: applied only if the case is still at `expectedVersion`. */
export interface CaseChange {
  expectedVersion: number;
  case: Case;
  events: CaseEvent[];
  /** New owed messages (their INSERT triggers delivery). */
  outboxInserts?: OutboxMessage[];
  /** Owed messages whose state changed (sent). */
  outboxUpdates?: OutboxMessage[];
  /** New or updated escalation records. */
  escalations?: EscalationRecord[];
}

export interface ListCasesQuery {
  statuses: readonly CaseStatus[];
  types: readonly CaseType[];
  limit: number;
  cursor?: string;
}

export interface CaseStore {
  /** Throws ReferenceTakenError if the reference exists; reports an existing idempotency record. */
  createCase(record: NewCaseRecord): Promise<CreateCaseResult>;
  /** Throws ConcurrentUpdateError when the case moved on since it was read. */
  applyChange(change: CaseChange): Promise<void>;
  getCase(caseId: string): Promise<Case | undefined>;
  getTimeline(caseId: string): Promise<CaseEvent[]>;
  getOutbox(caseId: string, messageId: string): Promise<OutboxMessage | undefined>;
  recordOutboxFailure(caseId: string, messageId: string, error: string): Promise<void>;
  getEscalations(caseId: string): Promise<EscalationRecord[]>;
  listCases(query: ListCasesQuery): Promise<{ items: CaseSummary[]; cursor?: string }>;
  /** Every open case, soonest deadline first within each status (the SLA reconciler's sweep). */
  openCases(): AsyncIterable<Case>;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** RFC 3834: automatic messages say so, so that auto-responders do not answer them. */
  autoSubmitted?: 'auto-replied' | 'auto-generated';
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Returns the provider's message id. */
  send(email: OutgoingEmail): Promise<{ messageId: string }>;
}
