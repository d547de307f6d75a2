import { verifyChain } from './audit-chain';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import type { EscalationRecord } from './escalation';
import { checkEscalationLog, type EscalationLogProblem } from './escalation-log-check';
import { checkCaseState, type StateProblem } from './case-state';

/**
 * A case's chain head as it was anchored outside the table (the daily head digest in S3,
 * audit-anchor.ts): on `day`, event `seq` of the case had hash `hash`.
 */
export interface AnchoredHead {
  caseId: string;
  day: string;
  seq: number;
  hash: string;
}

/** Where the anchored heads of a case are read from (S3 in AWS, s3rver locally). */
export interface AuditAnchors {
  /** Every anchored head of the case, oldest day first. A digest that does not verify is an error, not an empty list. */
  anchorsFor(caseId: string): Promise<AnchoredHead[]>;
}

export interface AuditVerdict {
  valid: boolean;
  /** Escalation records that differ from the trail (the log is checked against its events). */
  escalationLog?: EscalationLogProblem[];
  /** Fields of the case item that do not follow from the trail (case-state.ts). */
  caseState?: StateProblem[];
  /** Events read. */
  length: number;
  anchorsChecked: number;
  /** The first broken link: the lowest sequence number at which the trail stops being trustworthy. */
  brokenAtSeq?: number;
  reason?: string;
}

/**
 * Verifies a case's audit trail (M5.3, M7.3), three ways:
 * - the chain itself: every event links to its predecessor's hash and hashes to what it says
 *   (an edited, removed or reordered event breaks it);
 * - the head the case item carries (sequence and hash, written in the same transaction as every
 *   event): events deleted from the end, which leave a valid shorter chain, are caught here;
 * - the heads anchored outside the table each day: a chain rewritten and re-hashed whole, with the
 *   case head updated to match, no longer has the hashes anchored before;
 * - the escalation log, when given: every record must be what the trail's escalation events say;
 * - the case item, when given: its fields must follow from its opening state and the changes since.
 * The earliest failure is reported.
 */
export function verifyAuditTrail(
  events: readonly CaseEvent[],
  head: { version: number; lastEventHash: string },
  anchors: readonly AnchoredHead[],
  escalations?: readonly EscalationRecord[],
  current?: Case,
  options: { erased?: boolean } = {},
): AuditVerdict {
  const failures: { seq: number; reason: string }[] = [];
  const chain = verifyChain(events);
  if (!chain.valid) failures.push({ seq: chain.brokenAtSeq, reason: chain.reason });

  if (events.length < head.version) {
    failures.push({ seq: events.length + 1, reason: `events ${events.length + 1} to ${head.version} are missing: the case head says the trail has ${head.version} events` });
  } else if (events.length > head.version) {
    failures.push({ seq: head.version + 1, reason: `events after ${head.version}, the case head, are on the trail: they were added outside a change of the case` });
  } else {
    const last = events[events.length - 1];
    if (last && last.hash !== head.lastEventHash) failures.push({ seq: last.seq, reason: 'the last event does not hash to the head the case carries' });
  }

  for (const anchor of anchors) {
    const event = events[anchor.seq - 1];
    if (!event || event.seq !== anchor.seq) {
      failures.push({ seq: anchor.seq, reason: `event ${anchor.seq}, anchored on ${anchor.day}, is missing` });
    } else if (event.hash !== anchor.hash) {
      failures.push({ seq: anchor.seq, reason: `event ${anchor.seq} does not match its hash anchored on ${anchor.day}: the trail was rewritten` });
    }
  }

  const first = failures.sort((a, b) => a.seq - b.seq)[0];
  // The escalation log is checked against a trail that verifies: against a broken one it proves nothing.
  const log = escalations && !first ? checkEscalationLog(escalations, events) : [];
  const state = current && !first ? checkCaseState(current, events, options) : [];
  const reasons = [
    ...(state.length > 0 ? [`the case item differs from its trail: ${state.map((p) => p.problem).join('; ')}`] : []),
    ...(log.length > 0 ? [`the escalation log differs from the trail: ${log.map((p) => `${p.escalationId}: ${p.problem}`).join('; ')}`] : []),
  ];
  return {
    valid: !first && reasons.length === 0,
    length: events.length,
    anchorsChecked: anchors.length,
    ...(first ? { brokenAtSeq: first.seq, reason: first.reason } : reasons.length > 0 ? { reason: reasons.join('. ') } : {}),
    ...(log.length > 0 ? { escalationLog: log } : {}),
    ...(state.length > 0 ? { caseState: state } : {}),
  };
}

/**
 * A case and its trail as of one moment: the case head is read first, then the events (a
 * change landing in between only adds events). More events than the head counts is either such a
 * change — the head read again then matches the last event — or events added behind the API's
 * back, which verification reports. Read again a few times before concluding.
 */
export async function readAuditTrail(
  store: { getCase(caseId: string): Promise<Case | undefined>; getTimeline(caseId: string): Promise<CaseEvent[]> },
  caseId: string,
  attempts = 3,
): Promise<{ case: Case; events: CaseEvent[] } | undefined> {
  for (let attempt = 1; ; attempt += 1) {
    const head = await store.getCase(caseId);
    if (!head) return undefined;
    const events = await store.getTimeline(caseId);
    if (events.length <= head.version) return { case: head, events };
    const again = await store.getCase(caseId);
    if (again && again.version === events.length && events[events.length - 1]?.hash === again.lastEventHash) return { case: again, events };
    if (attempt >= attempts) return { case: head, events };
  }
}
