import { redactEvent } from './audit-chain';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import type { EscalationRecord } from './escalation';
import type { OutboxMessage } from './outbox';
import { ERASED } from './personal-data';

/**
 * The non-personal form of a case's records (M5.1, C6.1): what an erasure leaves in the table and
 * what an archive keeps in clear. Personal values become placeholders of their own shape, so every
 * record still satisfies its schema; timeline events are redacted (audit-chain.ts `redactEvent`), so
 * the chain still verifies.
 */

/** A customer erased: no name, no address, no number (the schema needs an address or a number). */
export const ERASED_CUSTOMER = { name: ERASED, phone: ERASED } as const;

export function eraseCase(c: Case): Case {
  return {
    ...c,
    customer: { ...ERASED_CUSTOMER },
    subject: ERASED,
    message: ERASED,
    ...(c.orderReference !== undefined ? { orderReference: ERASED } : {}),
    ...(c.resolution ? { resolution: { ...c.resolution, summary: ERASED } } : {}),
    ...(c.contactAccess ? { contactAccess: c.contactAccess.map((g) => ({ ...g, reason: ERASED })) } : {}),
    // The checklist's ticks and the follow-up's date stay (M9.2 evidence); what staff wrote goes.
    ...(c.complaintChecklist
      ? {
          complaintChecklist: {
            ...c.complaintChecklist,
            ...(c.complaintChecklist.solutionOffered !== undefined ? { solutionOffered: ERASED } : {}),
            ...(c.complaintChecklist.correctiveAction !== undefined ? { correctiveAction: ERASED } : {}),
            ...(c.complaintChecklist.followUp ? { followUp: { ...c.complaintChecklist.followUp, plan: ERASED } } : {}),
          },
        }
      : {}),
  };
}

export function eraseOutboxMessage(m: OutboxMessage): OutboxMessage {
  return {
    ...m,
    ...(m.data ? { data: Object.fromEntries(Object.keys(m.data).map((k) => [k, ERASED])) } : {}),
    ...(m.lastError !== undefined ? { lastError: ERASED } : {}),
  };
}

export function eraseEscalationRecord(r: EscalationRecord): EscalationRecord {
  return {
    ...r,
    reason: ERASED,
    actionsTaken: r.actionsTaken.map((a) => ({ ...a, action: ERASED })),
    ...(r.outcome !== undefined ? { outcome: ERASED } : {}),
  };
}

/** Every event redacted by one request at one time; events that cannot be (written before salts) are left and listed. */
export function eraseTimeline(events: readonly CaseEvent[], requestId: string, at: string): { events: CaseEvent[]; unredactable: number[] } {
  const unredactable: number[] = [];
  const out = events.map((e) => {
    if (e.salt === undefined && !e.redaction) {
      unredactable.push(e.seq);
      return e;
    }
    return redactEvent(e, requestId, at);
  });
  return { events: out, unredactable };
}
