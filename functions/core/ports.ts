import type { Case, CaseStatus, CaseSummary, CaseType } from './case';
import type { CaseEvent } from './case-event';
import type { OutboxKind, OutboxMessage } from './outbox';

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
  outboxUpdates?: OutboxMessage[];
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
  getOutbox(caseId: string, kind: OutboxKind): Promise<OutboxMessage | undefined>;
  recordOutboxFailure(caseId: string, kind: OutboxKind, error: string): Promise<void>;
  listCases(query: ListCasesQuery): Promise<{ items: CaseSummary[]; cursor?: string }>;
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
