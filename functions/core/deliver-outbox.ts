import { chainEvents } from './audit-chain';
import { SYSTEM } from './case';
import type { EventDraft } from './case-event';
import { renderAcknowledgement } from './acknowledgement-template';
import type { Clock } from './clock';
import { ConcurrentUpdateError } from './errors';
import { canTransition, transition } from './lifecycle';
import type { OutboxKind } from './outbox';
import type { CaseStore, Mailer } from './ports';

export interface DeliverOutboxDeps {
  store: CaseStore;
  mailer: Mailer;
  clock: Clock;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'no-such-message';

const MAX_COMMIT_ATTEMPTS = 3;

/**
 * Delivers an owed message and records it on the timeline. Safe to run again for the same
 * message (stream redelivery): a message already marked sent is not sent twice.
 * Sending the acknowledgement meets the 15-minute acknowledgement milestone (M3.1).
 */
export async function deliverOutbox(caseId: string, kind: OutboxKind, deps: DeliverOutboxDeps): Promise<DeliveryOutcome> {
  const outbox = await deps.store.getOutbox(caseId, kind);
  if (!outbox) return 'no-such-message';
  if (outbox.status === 'sent') return 'already-sent';
  const initial = await deps.store.getCase(caseId);
  if (!initial) return 'no-such-message';

  const email = renderAcknowledgement(initial);
  let messageId: string;
  try {
    ({ messageId } = await deps.mailer.send(email));
  } catch (error) {
    await deps.store.recordOutboxFailure(caseId, kind, error instanceof Error ? error.name : 'SendFailed');
    throw error;
  }

  // The mail is out: record it, re-reading the case if someone changed it meanwhile.
  for (let attempt = 1; ; attempt += 1) {
    const current = attempt === 1 ? initial : await deps.store.getCase(caseId);
    if (!current) return 'no-such-message';
    const at = deps.clock.now();
    const iso = at.toISOString();
    const drafts: EventDraft[] = [
      { type: 'acknowledgement_sent', at: iso, actor: SYSTEM, data: { messageId, template: kind, recipient: email.to } },
    ];
    let next = { ...current, updatedAt: iso };
    if (current.status === 'new' && canTransition('new', 'acknowledged')) {
      const moved = transition(next, 'acknowledged', at, SYSTEM, 'automatic acknowledgement sent');
      next = moved.next;
      drafts.push(moved.draft);
    } else {
      next.acknowledgedAt ??= iso;
    }
    const { events, head } = chainEvents(current, drafts);
    try {
      await deps.store.applyChange({
        expectedVersion: current.version,
        case: { ...next, version: head.version, lastEventHash: head.lastEventHash },
        events,
        outboxUpdates: [{ ...outbox, status: 'sent', sentAt: iso, messageId, attempts: outbox.attempts + 1 }],
      });
      return 'sent';
    } catch (error) {
      if (error instanceof ConcurrentUpdateError && attempt < MAX_COMMIT_ATTEMPTS) continue;
      throw error;
    }
  }
}
