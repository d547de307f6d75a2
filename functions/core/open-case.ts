import { createHash } from 'node:crypto';
import { canonicalize } from 'json-canonicalize';
import { chainEvents, GENESIS_HASH } from './audit-chain';
import type { Case, Channel, Priority } from './case';
import type { Clock } from './clock';
import { IdempotencyKeyReuseError, NotFoundError, ReferenceTakenError } from './errors';
import type { OutboxMessage } from './outbox';
import type { CaseStore } from './ports';
import { newReference, type RandomBytes } from './reference';
import { computeDeadlines, type SlaPolicy } from './sla-policy';
import type { CaseSubmission } from './submission';

export interface OpenCaseDeps {
  store: CaseStore;
  clock: Clock;
  newCaseId: () => string;
  random: RandomBytes;
  policy: SlaPolicy;
  /** Send the automatic acknowledgement (default). Off, an agent must acknowledge within the window. */
  autoAcknowledge?: boolean;
}

export interface OpenCaseCommand {
  submission: CaseSubmission;
  channel: Channel;
  /** Client-supplied key: a retry with the same key returns the same case. */
  idempotencyKey?: string;
}

export interface OpenCaseResult {
  case: Case;
  /** True when an earlier request with the same Idempotency-Key created the case. */
  replayed: boolean;
}

/** How long an Idempotency-Key is remembered. Clients retry within minutes; a day is generous. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;
const MAX_REFERENCE_ATTEMPTS = 5;

export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalize(value)).digest('hex');
}

const defaultPriority = (type: Case['type']): Priority => (type === 'complaint' ? 'high' : 'normal');

/**
 * Opens a case from a customer submission: the case, its `case_received` event, the owed
 * acknowledgement (outbox) and the idempotency record are written in one transaction.
 * SLA deadlines are computed here from the receipt time under the current policy (M3.1, M3.2).
 */
export async function openCase(cmd: OpenCaseCommand, deps: OpenCaseDeps): Promise<OpenCaseResult> {
  const receivedAt = deps.clock.now();
  const iso = receivedAt.toISOString();
  const { submission } = cmd;
  const caseId = deps.newCaseId();
  const sla = computeDeadlines(submission.type, receivedAt, deps.policy);
  const hash = requestHash({ channel: cmd.channel, submission });

  for (let attempt = 1; ; attempt += 1) {
    const draftCase: Case = {
      caseId,
      reference: newReference(deps.random),
      type: submission.type,
      channel: cmd.channel,
      priority: defaultPriority(submission.type),
      status: 'new',
      customer: {
        name: submission.name,
        email: submission.email,
        ...(submission.phone ? { phone: submission.phone } : {}),
      },
      subject: submission.subject,
      message: submission.message,
      ...(submission.orderReference ? { orderReference: submission.orderReference } : {}),
      privacyConsentAt: iso,
      receivedAt: iso,
      updatedAt: iso,
      sla,
      version: 0,
      lastEventHash: GENESIS_HASH,
    };
    const { events, head } = chainEvents(draftCase, [
      {
        type: 'case_received',
        at: iso,
        actor: { kind: 'customer' },
        data: { channel: cmd.channel, caseType: submission.type, sla },
      },
    ]);
    const created: Case = { ...draftCase, version: head.version, lastEventHash: head.lastEventHash };
    const acknowledgement: OutboxMessage = { caseId, id: 'acknowledgement', kind: 'acknowledgement', status: 'pending', createdAt: iso, attempts: 0 };

    try {
      const result = await deps.store.createCase({
        case: created,
        events,
        outbox: deps.autoAcknowledge === false ? [] : [acknowledgement],
        ...(cmd.idempotencyKey
          ? {
              idempotency: {
                key: cmd.idempotencyKey,
                requestHash: hash,
                expiresAt: Math.floor(receivedAt.getTime() / 1000) + IDEMPOTENCY_WINDOW_SECONDS,
              },
            }
          : {}),
      });
      if (result.created) return { case: created, replayed: false };
      if (result.existing.requestHash !== hash) throw new IdempotencyKeyReuseError();
      const existing = await deps.store.getCase(result.existing.caseId);
      if (!existing) throw new NotFoundError('The case recorded for this Idempotency-Key no longer exists');
      return { case: existing, replayed: true };
    } catch (error) {
      if (error instanceof ReferenceTakenError && attempt < MAX_REFERENCE_ATTEMPTS) continue;
      throw error;
    }
  }
}

