import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import { chainEvents, GENESIS_HASH } from './audit-chain';
import { auditedState, stateSha256 } from './case-state';
import { SYSTEM, type Actor, type Assignee, type Case, type CaseType, type Channel, type Customer, type Priority } from './case';
import type { EventDraft } from './case-event';
import type { Clock } from './clock';
import { AckRateLimitedError, ConcurrentUpdateError, IdempotencyKeyReuseError, NotFoundError, RateLimitedError, ReferenceTakenError } from './errors';
import type { OutboxMessage } from './outbox';
import type { InboundRecord, MessageIdLink } from './email/ports';
import type { AckLogWrite, CaseStore, RateLimiter } from './ports';
import { retryAfterSeconds, submissionWindow } from './rate-limit';
import { newReference, type RandomBytes } from './reference';
import { computeDeadlines, type SlaPolicy } from './sla-policy';
import { canSendTo, mailboxKey, UNSENDABLE_REASON } from './email-address';
import type { CaseSubmission } from './submission';
import { cleanBody, cleanLine } from './text/normalise-text';

/**
 * Opening a case, the one path for every channel (web form, email, and the staff channels to
 * come): the case, its `case_received` event, the owed acknowledgement and the channel's own
 * records (idempotency key, inbound message) are written in one transaction. SLA deadlines are
 * computed from the receipt time under the current policy (M3.1, M3.2).
 *
 * The acknowledgement goes to an address nobody has verified, so it is limited per recipient
 * across every channel (default 3 an hour): a stranger cannot use the form or a forged email to
 * make caseflow mail someone else freely. Past the limit the case still opens, and its timeline
 * says why no acknowledgement went out.
 */

export interface OpenCaseDeps {
  store: CaseStore;
  clock: Clock;
  newCaseId: () => string;
  random: RandomBytes;
  policy: SlaPolicy;
  acknowledgements?: AcknowledgementPolicy;
}

export interface AcknowledgementPolicy {
  /** Send the automatic acknowledgement (default). Off, an agent must acknowledge within the window. */
  automatic: boolean;
  /** Acknowledgements to one address per clock hour, over every channel (default 3). */
  limitPerHour: number;
}

export const DEFAULT_ACKNOWLEDGEMENTS: AcknowledgementPolicy = { automatic: true, limitPerHour: 3 };

/** What every channel knows of a new case. Free text is normalised here, whatever the channel did before. */
export interface CaseDraft {
  channel: Channel;
  type: CaseType;
  customer: Customer;
  subject: string;
  message: string;
  orderReference?: string;
  privacyConsentAt?: string;
  /** SES judged the opening email spam: kept, flagged for staff. */
  spam?: boolean;
  /** The opening message needed repairs to be read (see its event). */
  mailProblems?: boolean;
  /** The earlier case this one follows up. */
  relatedCaseId?: string;
  /** The channel's details for the `case_received` event (the email's message data, why it is a complaint). */
  receivedData?: Record<string, unknown>;
  /** Who opened it: the customer (default), or the staff member who took their call. */
  openedBy?: Actor;
  /** The staff member the case starts with (the agent who took the call). */
  assignee?: Assignee;
  /** Default: high for complaints, normal for inquiries. */
  priority?: Priority;
  /** What else happened as the case opened (the call itself), written in the same transaction. */
  then?: (opened: Case, at: Date) => { next: Case; drafts: EventDraft[] };
}

export interface OpenCaseCommand {
  draft: CaseDraft;
  /** Client-supplied key: a retry with the same key returns the same case. */
  idempotency?: { key: string; requestHash: string };
  /** Email intake: the inbound record (written only if absent) and the Message-IDs that thread to the case. */
  inbound?: InboundRecord;
  messageIds?: MessageIdLink[];
  /** The recipient's acknowledgement log, when the caller read it already (email intake reads it with its other keys). */
  acknowledgementLog?: { read: number[] | undefined };
  /** Why no acknowledgement may go to this sender at all (mail that failed DMARC or SES's spam check: the From may be forged). */
  withholdAcknowledgement?: string;
}

export interface OpenCaseResult {
  case: Case;
  /** True when an earlier request with the same Idempotency-Key created the case. */
  replayed: boolean;
  /** True when an acknowledgement is owed (written to the outbox with the case). */
  acknowledged: boolean;
}

/** How long an Idempotency-Key is remembered. Clients retry within minutes; a day is generous. */
export const IDEMPOTENCY_WINDOW_SECONDS = 24 * 60 * 60;
const MAX_REFERENCE_ATTEMPTS = 5;
/** The acknowledgement limit holds in every hour (a sliding window over the log of send times). */
const ACK_WINDOW_SECONDS = 60 * 60;
/** Rereads of a recipient's log changed by concurrent cases before this one goes unacknowledged. */
const MAX_LOG_REREADS = 3;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function requestHash(value: unknown): string {
  return createHash('sha256').update(canonicalize(value)).digest('hex');
}

/** The acknowledgement log of an address: the same key for every channel and every spelling of the inbox. */
export const acknowledgementLogKey = (address: string) => ({ recipientHash: sha256(mailboxKey(address)) });

const defaultPriority = (type: CaseType): Priority => (type === 'complaint' ? 'high' : 'normal');

/** The web form's submission (or any JSON client's) as a case draft. */
function draftFromSubmission(submission: CaseSubmission, channel: Channel, at: Date): CaseDraft {
  return {
    channel,
    type: submission.type,
    customer: { name: submission.name, email: submission.email, ...(submission.phone ? { phone: submission.phone } : {}) },
    subject: submission.subject,
    message: submission.message,
    ...(submission.orderReference ? { orderReference: submission.orderReference } : {}),
    privacyConsentAt: at.toISOString(),
  };
}

/** Opens a case: see the module comment. Throws IdempotencyKeyReuseError, DuplicateInboundError, ReferenceTakenError (after retries). */
export async function openCase(cmd: OpenCaseCommand, deps: OpenCaseDeps): Promise<OpenCaseResult> {
  const receivedAt = deps.clock.now();
  const iso = receivedAt.toISOString();
  const policy = deps.acknowledgements ?? DEFAULT_ACKNOWLEDGEMENTS;
  const { draft } = cmd;
  const caseId = deps.newCaseId();
  // The policy picks the calendar by type and priority; the case keeps it (M8.3).
  const sla = computeDeadlines(draft.type, receivedAt, deps.policy, { priority: draft.priority ?? defaultPriority(draft.type) });
  const recipient = draft.customer.email;
  const rateLimited = `acknowledgement rate limit reached: ${policy.limitPerHour} per recipient per hour`;
  const { recipientHash } = acknowledgementLogKey(recipient ?? '');
  const nowS = Math.floor(receivedAt.getTime() / 1000);
  const withheld =
    cmd.withholdAcknowledgement ?? (recipient === undefined ? 'the customer gave no email address' : canSendTo(recipient) ? undefined : UNSENDABLE_REASON);
  // The log as read decides; the transaction writes it only if nobody changed it meanwhile.
  let log = !policy.automatic || withheld ? undefined : cmd.acknowledgementLog ? cmd.acknowledgementLog.read : await deps.store.readAckLog(recipientHash);
  let logRereads = 0;
  const plan = () => {
    const recent = (log ?? []).filter((t) => t > nowS - ACK_WINDOW_SECONDS);
    const allowed = policy.automatic && !withheld && recent.length < policy.limitPerHour;
    const write: AckLogWrite | undefined = allowed ? { recipientHash, expected: log, next: [...recent, nowS], expiresAt: nowS + ACK_WINDOW_SECONDS + 600 } : undefined;
    return { allowed, write };
  };
  let { allowed: acknowledge, write: ackLog } = plan();

  for (let attempt = 1; ; attempt += 1) {
    const draftCase: Case = {
      caseId,
      reference: newReference(deps.random),
      type: draft.type,
      channel: draft.channel,
      priority: draft.priority ?? defaultPriority(draft.type),
      status: 'new',
      customer: { ...draft.customer, name: cleanLine(draft.customer.name).slice(0, 200) || recipient || draft.customer.phone || '(no name)' },
      subject: cleanLine(draft.subject).slice(0, 200) || '(no subject)',
      message: cleanBody(draft.message).trim() || '(no text)',
      ...(draft.orderReference ? { orderReference: cleanLine(draft.orderReference) } : {}),
      ...(draft.privacyConsentAt ? { privacyConsentAt: draft.privacyConsentAt } : {}),
      receivedAt: iso,
      updatedAt: iso,
      sla,
      version: 0,
      lastEventHash: GENESIS_HASH,
      ...(draft.spam ? { spam: true } : {}),
      ...(draft.mailProblems ? { mailProblems: true } : {}),
      ...(draft.relatedCaseId ? { relatedCaseId: draft.relatedCaseId } : {}),
      ...(draft.assignee ? { assignee: draft.assignee } : {}),
    };
    const drafts: EventDraft[] = [
      {
        type: 'case_received',
        at: iso,
        actor: draft.openedBy ?? { kind: 'customer' },
        data: { channel: draft.channel, caseType: draft.type, sla, ...draft.receivedData, ...(draft.relatedCaseId ? { relatedCaseId: draft.relatedCaseId } : {}) },
      },
    ];
    if (policy.automatic && !acknowledge) drafts.push({ type: 'acknowledgement_suppressed', at: iso, actor: SYSTEM, data: { reason: withheld ?? rateLimited } });
    let opened = draftCase;
    if (draft.then) {
      const more = draft.then(draftCase, receivedAt);
      opened = more.next;
      drafts.push(...more.drafts);
    }
    // The opening state, hashed on the first event: the case item is checked against the trail (case-state.ts).
    const [received, ...rest] = drafts;
    if (received?.type === 'case_received') drafts.splice(0, drafts.length, { ...received, data: { ...received.data, stateSha256: stateSha256(auditedState(opened)) } }, ...rest);
    const { events, head } = chainEvents(opened, drafts);
    const created: Case = { ...opened, version: head.version, lastEventHash: head.lastEventHash };
    const owed: OutboxMessage = { caseId, id: 'acknowledgement', kind: 'acknowledgement', status: 'pending', createdAt: iso, attempts: 0 };

    try {
      const result = await deps.store.createCase({
        case: created,
        events,
        outbox: acknowledge ? [owed] : [],
        ...(acknowledge && ackLog ? { ackLog } : {}),
        ...(cmd.idempotency
          ? { idempotency: { ...cmd.idempotency, expiresAt: Math.floor(receivedAt.getTime() / 1000) + IDEMPOTENCY_WINDOW_SECONDS } }
          : {}),
        ...(cmd.inbound ? { inbound: cmd.inbound } : {}),
        ...(cmd.messageIds ? { messageIds: cmd.messageIds } : {}),
      });
      if (result.created) return { case: created, replayed: false, acknowledged: acknowledge };
      if (result.existing.requestHash !== cmd.idempotency?.requestHash) throw new IdempotencyKeyReuseError();
      const existing = await deps.store.getCase(result.existing.caseId);
      if (!existing) throw new NotFoundError('The case recorded for this Idempotency-Key no longer exists');
      return { case: existing, replayed: true, acknowledged: false };
    } catch (error) {
      if (error instanceof AckRateLimitedError && acknowledge) {
        // Another acknowledgement to the same inbox went out meanwhile: read its log again and decide anew.
        logRereads += 1;
        log = logRereads <= MAX_LOG_REREADS ? await deps.store.readAckLog(recipientHash) : Array<number>(policy.limitPerHour).fill(nowS);
        ({ allowed: acknowledge, write: ackLog } = plan());
        continue;
      }
      if ((error instanceof ReferenceTakenError || error instanceof ConcurrentUpdateError) && attempt < MAX_REFERENCE_ATTEMPTS) continue;
      throw error;
    }
  }
}

/** Anonymous submissions per client network per hour (default 20; 0: no limit). */
export interface SubmissionLimit {
  limiter: RateLimiter;
  perHour: number;
}

/**
 * A submission of the web form (or any JSON client): the draft and its Idempotency-Key, through
 * openCase. An anonymous client past its hourly limit gets RateLimitedError and nothing is written.
 */
export async function openCaseFromSubmission(
  cmd: { submission: CaseSubmission; channel: Channel; idempotencyKey?: string; clientAddress?: string },
  deps: OpenCaseDeps & { submissionLimit?: SubmissionLimit },
): Promise<OpenCaseResult> {
  const now = deps.clock.now();
  const limit = deps.submissionLimit;
  const hash = requestHash({ channel: cmd.channel, submission: cmd.submission });
  if (limit && limit.perHour > 0 && cmd.clientAddress !== undefined) {
    if (!(await limit.limiter.consume(submissionWindow(cmd.clientAddress, now, limit.perHour)))) {
      // A retry of a submission that opened its case gets the case, not a 429.
      const replay = cmd.idempotencyKey ? await deps.store.findIdempotent(cmd.idempotencyKey) : undefined;
      const existing = replay?.requestHash === hash ? await deps.store.getCase(replay.caseId) : undefined;
      if (existing) return { case: existing, replayed: true, acknowledged: false };
      throw new RateLimitedError(retryAfterSeconds(now));
    }
  }
  const draft = draftFromSubmission(cmd.submission, cmd.channel, now);
  return openCase({ draft, ...(cmd.idempotencyKey ? { idempotency: { key: cmd.idempotencyKey, requestHash: hash } } : {}) }, deps);
}
