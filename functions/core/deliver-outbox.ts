import { changeCase } from './change-case';
import { SYSTEM, type Case } from './case';
import type { EventDraft } from './case-event';
import type { Clock } from './clock';
import { transition } from './lifecycle';
import { renderOutboxMessage, surveyRefOf } from './notification-templates';
import type { OutboxMessage } from './outbox';
import { normaliseMessageId } from './email/threading';
import type { CaseStore, Mailer } from './ports';
import type { Presentation } from './text/human-date';
import { SurveyLinksNotConfiguredError, type SurveyLinks } from './survey';

export interface DeliverOutboxDeps {
  store: CaseStore;
  mailer: Mailer;
  clock: Clock;
  /**
   * The support address customers answer to. Customer mail gets `Reply-To: <local>+<reference>@<domain>`,
   * so a reply threads back even when the subject is changed.
   */
  replyAddress?: string;
  /** How dates are shown in the mail (time zone, locale); default UTC, en-GB. */
  presentation?: Presentation;
  /** Signs the links of satisfaction surveys (survey.ts); survey mail fails without it. */
  surveyLinks?: Pick<SurveyLinks, 'linkFor'>;
}

const CUSTOMER_KINDS: ReadonlySet<OutboxMessage['kind']> = new Set(['acknowledgement', 'agent_reply', 'survey', 'survey_reminder']);

/** `support@example.com` + `CS-7K3M9Q` -> `support+CS-7K3M9Q@example.com`. */
export function plusAddress(address: string, reference: string): string {
  const at = address.lastIndexOf('@');
  return at > 0 ? `${address.slice(0, at)}+${reference}${address.slice(at)}` : address;
}

export type DeliveryOutcome = 'sent' | 'already-sent' | 'no-such-message' | 'not-configured';

const SURVEY_KINDS: ReadonlySet<OutboxMessage['kind']> = new Set(['survey', 'survey_reminder']);


/** What sending a message means for the case: its timeline event(s) and new state. */
function recordSending(current: Case, m: OutboxMessage, messageId: string, recipient: string, at: Date): { next: Case; drafts: EventDraft[] } {
  const iso = at.toISOString();
  let next: Case = { ...current, updatedAt: iso };
  if (m.kind === 'acknowledgement') {
    const drafts: EventDraft[] = [{ type: 'acknowledgement_sent', at: iso, actor: SYSTEM, data: { messageId, template: m.kind, recipient } }];
    if (current.status === 'new') {
      const moved = transition(next, 'acknowledged', at, SYSTEM, 'automatic acknowledgement sent');
      next = moved.next;
      drafts.push(moved.draft);
    } else {
      next.acknowledgedAt ??= iso;
    }
    return { next, drafts };
  }
  if (m.kind === 'agent_reply') {
    // The reply's text is on its `agent_replied` event; this chains the delivery with SES's Message-ID (C4.1: the thread).
    return { next, drafts: [{ type: 'reply_sent', at: iso, actor: SYSTEM, data: { outboxId: m.id, messageId, recipient } }] };
  }
  return { next, drafts: [{ type: 'notification_sent', at: iso, actor: SYSTEM, data: { messageId, template: m.kind, recipient } }] };
}

/**
 * Delivers an owed message and records it on the timeline. Safe to run again for the same
 * message (stream redelivery): a message already marked sent is not sent twice.
 * Sending the acknowledgement meets the 15-minute acknowledgement milestone (M3.1).
 */
export async function deliverOutbox(caseId: string, messageId: string, deps: DeliverOutboxDeps): Promise<DeliveryOutcome> {
  const outbox = await deps.store.getOutbox(caseId, messageId);
  if (!outbox) return 'no-such-message';
  if (outbox.status === 'sent') return 'already-sent';
  const initial = await deps.store.getCase(caseId);
  if (!initial) return 'no-such-message';

  if (SURVEY_KINDS.has(outbox.kind) && !deps.surveyLinks) {
    // A deployment without survey links cannot make the mail: the message waits, its error says why,
    // and the stream moves on (throwing would hold up the acknowledgements behind it on the shard).
    await deps.store.recordOutboxFailure(caseId, messageId, 'SurveyLinksNotConfigured');
    return 'not-configured';
  }
  // The link is signed now, at delivery (the port may ask KMS), so no token waits in the table.
  let surveyLink: string | undefined;
  try {
    surveyLink = SURVEY_KINDS.has(outbox.kind) && deps.surveyLinks ? await deps.surveyLinks.linkFor(surveyRefOf(initial, outbox)) : undefined;
  } catch (error) {
    if (!(error instanceof SurveyLinksNotConfiguredError)) throw error;
    // The page's address is not there yet (in AWS the API's stack writes it when it deploys): the message waits, as above.
    await deps.store.recordOutboxFailure(caseId, messageId, 'SurveyLinksNotConfigured');
    return 'not-configured';
  }
  const rendered = renderOutboxMessage(initial, outbox, deps.presentation, surveyLink);
  const email = deps.replyAddress && CUSTOMER_KINDS.has(outbox.kind) ? { ...rendered, replyTo: plusAddress(deps.replyAddress, initial.reference) } : rendered;
  let providerId: string;
  try {
    ({ messageId: providerId } = await deps.mailer.send(email));
  } catch (error) {
    await deps.store.recordOutboxFailure(caseId, messageId, error instanceof Error ? error.name : 'SendFailed');
    throw error;
  }

  // The mail is out: record it (changeCase re-reads the case if someone changed it meanwhile).
  const sentId = normaliseMessageId(providerId);
  const sentIds = sentId ? [{ messageId: sentId, caseId }] : [];
  const done = await changeCase(deps.store, caseId, (current) => {
    const at = deps.clock.now();
    const { next, drafts } = recordSending(current, outbox, providerId, email.to, at);
    return {
      next,
      drafts,
      with: {
        outboxUpdates: [{ ...outbox, status: 'sent', sentAt: at.toISOString(), messageId: providerId, attempts: outbox.attempts + 1 }],
        // Replies quote the Message-ID SES gave the mail (`<id@email.amazonses.com>`): remember its id for threading.
        messageIds: sentIds,
      },
      result: 'sent' as const,
    };
  });
  return done ? done.result : 'no-such-message';
}
