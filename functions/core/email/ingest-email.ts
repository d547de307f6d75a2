import { createHash } from 'node:crypto';
import { changeCase } from '../change-case';
import { isOpen, SYSTEM, type Case } from '../case';
import { isEmailAddress } from '../email-address';
import type { EmailMessageData, EventDraft, StoredAttachment } from '../case-event';
import type { Clock } from '../clock';
import { ConcurrentUpdateError, DuplicateInboundError } from '../errors';
import { transition } from '../lifecycle';
import type { BlobBody, BlobStore, CaseStore } from '../ports';
import type { InboundLookup, InboundMailStore, InboundRecord, MessageIdLink } from './ports';
import type { RandomBytes } from '../reference';
import { acknowledgementLogKey, openCase } from '../open-case';
import type { SlaPolicy } from '../sla-policy';
import { cleanBody, cleanLine } from '../text/normalise-text';
import { classifyInbound, type InboundClassification } from './classify';
import type { AttachmentMeta, InboundEmail } from './inbound-email';
import { caseTypeFor, type InboundRules } from './inbound-rules';
import { messageIdKeys, normaliseMessageId, normaliseSubject, threadingCandidates, type ThreadingCandidate } from './threading';

/**
 * Email-to-case (C4.1, M7.1): an inbound email becomes a new case, a reply on a case,
 * a recorded non-case (auto-reply, bounce, report) or a quarantine record. Every outcome is
 * written in one transaction with the message's inbound record, so a redelivery (same S3
 * object, same Message-ID, or the same bytes without one) never makes a second case or event.
 */

export interface IngestEmailConfig {
  /** Support addresses (plus-addresses of these carry case references). */
  supportAddresses: string[];
  /** caseflow's own addresses (its support addresses and sender): mail from them is never a case. */
  ownAddresses: string[];
  ownDomains?: string[];
  rules: InboundRules;
  /** A reply to a resolved case within this many days of resolvedAt reopens it (default 14). */
  reopenWindowDays: number;
  /** Acknowledgements per sender per hour (default 3). */
  ackRateLimitPerHour: number;
  autoAcknowledge?: boolean;
}

export interface IngestEmailDeps {
  /** The cases, and the inbound-mail records written with them. */
  cases: CaseStore;
  inbound: InboundMailStore;
  blobs: BlobStore;
  clock: Clock;
  newCaseId: () => string;
  random: RandomBytes;
  policy: SlaPolicy;
  config: IngestEmailConfig;
}

export interface InboundAttachment {
  meta: AttachmentMeta;
  /** The decoded bytes, in memory or spooled (large attachments are streamed, never held whole). */
  body: BlobBody;
}

export interface IngestEmailCommand {
  email: InboundEmail;
  attachments: InboundAttachment[];
  /** Key of the raw message in the inbound bucket: kept on every record (M7.1: nothing lost). */
  rawObjectKey: string;
}

export type IngestOutcome =
  | { outcome: 'case_opened'; caseId: string; reference: string; acknowledged: boolean; relatedCaseId?: string }
  | { outcome: 'reply'; caseId: string; reopened: boolean }
  | { outcome: 'recorded'; kind: string }
  | { outcome: 'bounce_recorded'; caseId: string }
  | { outcome: 'duplicate'; caseId?: string }
  | { outcome: 'quarantined'; reason: string };

const MAX_ATTEMPTS = 5;
/**
 * Body text kept on the case and its events: DynamoDB items are limited to 400 KB, and a body of
 * 100,000 CJK characters is 300 KB in UTF-8. Longer bodies are cut (`textCut` on the event); the
 * raw message stays in the inbound bucket.
 */
export const RECORDED_TEXT_MAX = 30_000;
const DAY_MS = 24 * 60 * 60 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The idempotency key of an inbound message: its normalised Message-ID AND its content (the From
 * and Subject headers as received and the body's bytes: `contentSha256`). A redelivery (SES
 * retrying, the same message stored twice with other trace headers, a client sending it again with
 * a fresh Date) has both the same and is recognised; a different message that reuses a Message-ID
 * (some mailers repeat them) is a message of its own, never dropped as a duplicate.
 */
export function inboundKey(email: InboundEmail): string {
  const id = email.messageId ? normaliseMessageId(email.messageId) : undefined;
  return sha256(JSON.stringify(['inbound-v2', id ?? '', email.contentSha256]));
}

/**
 * The key inbound records had before content was part of it: the Message-ID alone (else the raw
 * bytes' hash). A message recorded under it is a redelivery, as it was then, so that re-driving
 * or retrying mail from before an upgrade makes no second case.
 */
export function legacyInboundKey(email: InboundEmail): string {
  const id = email.messageId ? normaliseMessageId(email.messageId) : undefined;
  return sha256(id ? `msgid:${id}` : `raw:${email.rawSha256}`);
}

/**
 * Where an attachment is stored: under its case, by content hash, and by nothing the sender
 * chose. A file name is personal data and unbounded (a raw 8-bit name once grew to 244 bytes and
 * broke the store): it lives on the event and in the object's Content-Disposition, never in a key.
 */
export const attachmentKey = (caseId: string, meta: Pick<AttachmentMeta, 'sha256'>) => `cases/${caseId}/attachments/${meta.sha256}`;

const verdictFails = (value: string | undefined) => value?.trim().toUpperCase() === 'FAIL';

/**
 * Why the sender in From may not be who wrote the message, so that an acknowledgement would go to
 * a bystander (backscatter): SES's spam verdict, or the DMARC result in SES's own
 * Authentication-Results header. The case still opens; staff judge it.
 */
function forgeryRisk(email: InboundEmail): string | undefined {
  if (verdictFails(email.headers.sesSpamVerdict)) return 'SES judged the message spam: its sender may be forged, so no acknowledgement goes to it';
  const results = email.headers.authenticationResults ?? '';
  if (/^\s*amazonses\.com\s*;/i.test(results) && /\bdmarc\s*=\s*fail\b/i.test(results)) {
    return 'the message failed DMARC: its sender may be forged, so no acknowledgement goes to it';
  }
  return undefined;
}

/** An ingestion under way: the command, and whether its Message-ID may thread to the case (not when another message had it first). */
interface Ingestion extends IngestEmailCommand {
  keepMessageId?: boolean;
}

export async function ingestEmail(command: IngestEmailCommand, deps: IngestEmailDeps): Promise<IngestOutcome> {
  let cmd: Ingestion = command;
  const { email, rawObjectKey } = cmd;
  const now = deps.clock.now();
  const iso = now.toISOString();
  const key = inboundKey(email);

  // Everything pure first: the reads it needs are then known.
  let classification: InboundClassification | undefined;
  let classificationError: string | undefined;
  try {
    classification = classifyInbound(email, { ownAddresses: deps.config.ownAddresses, ...(deps.config.ownDomains ? { ownDomains: deps.config.ownDomains } : {}) });
  } catch (error) {
    classificationError = error instanceof Error ? error.name : 'error';
  }
  const sender = email.from?.address;
  const validSender = sender !== undefined && isEmailAddress(sender);
  const quarantine = async (reason: string): Promise<IngestOutcome> => {
    // Idempotent per raw object key, so no read is needed first.
    await deps.inbound.quarantine({ rawObjectKey, reason, problems: email.parseProblems.slice(0, 20), quarantinedAt: iso });
    return { outcome: 'quarantined', reason };
  };
  // SES's virus verdict: never processed, kept quarantined.
  if (verdictFails(email.headers.sesVirusVerdict)) return quarantine('SES virus verdict FAIL');
  if (!classification) return quarantine(`classification failed: ${classificationError ?? 'error'}`);
  if (classification.kind === 'new_message' && !validSender) return quarantine('no valid sender address');

  // A new message or a bounce: every read goes to the store in one round trip. Other non-cases
  // (auto-replies, reports, bulk) need none: their record's conditional write says "duplicate".
  const isNew = classification.kind === 'new_message';
  const candidates = isNew ? threadingCandidates(email, { supportAddresses: deps.config.supportAddresses }) : [];
  const bounced = classification.kind === 'bounce' && classification.bounce?.originalMessageId ? messageIdKeys(classification.bounce.originalMessageId) : [];
  // The sender's acknowledgement counter, the one every channel counts against (read here, incremented with the case).
  const ackLog = isNew && sender && deps.config.autoAcknowledge !== false ? acknowledgementLogKey(sender) : undefined;
  const ownId = email.messageId ? normaliseMessageId(email.messageId) : undefined;
  const lookup: InboundLookup =
    isNew || bounced.length > 0
      ? await deps.inbound.lookupInbound({
          inboundKey: key,
          legacyInboundKey: legacyInboundKey(email),
          references: candidates.flatMap((c) => (c.kind === 'reference' ? [c.reference] : [])),
          messageIds: [...candidates.flatMap((c) => (c.kind === 'message_id' ? [c.messageId] : [])), ...bounced, ...(isNew && ownId ? [ownId] : [])],
          ...(ackLog ? { ackLog } : {}),
        })
      : { caseIdByReference: new Map(), caseIdByMessageId: new Map() };
  if (lookup.inbound) return { outcome: 'duplicate', ...(lookup.inbound.caseId ? { caseId: lookup.inbound.caseId } : {}) };
  // Not a redelivery, yet its Message-ID is known: another message had it first. Processed all the
  // same; the note tells staff, and the first message keeps the id for threading.
  if (ownId && lookup.caseIdByMessageId.has(ownId)) {
    cmd = { ...cmd, email: { ...email, parseProblems: [...email.parseProblems, 'Message-ID used before by a different message: processed as a message of its own'] }, keepMessageId: false };
  }

  const found = classification;
  const record = (outcome: InboundRecord['outcome'], caseId?: string): InboundRecord => ({
    key,
    rawObjectKey,
    receivedAt: iso,
    kind: found.kind,
    reason: found.reason,
    outcome,
    ...(caseId ? { caseId } : {}),
  });

  if (found.kind !== 'new_message') {
    const bouncedCase = bounced.map((id) => lookup.caseIdByMessageId.get(id)).find((id) => id !== undefined);
    if (found.kind === 'bounce' && bouncedCase) {
      const outcome = await recordBounce(cmd, found, bouncedCase, record, deps, now);
      if (outcome) return outcome;
    }
    const written = await deps.inbound.recordInbound(record('recorded'));
    return written ? { outcome: 'recorded', kind: found.kind } : { outcome: 'duplicate' };
  }

  const target = await findThread(candidates, lookup, deps);
  if (target) {
    const { case: existing, matchedBy } = target;
    const resolvedAt = existing.resolvedAt ? Date.parse(existing.resolvedAt) : undefined;
    const reopenable = existing.status === 'resolved' && resolvedAt !== undefined && now.getTime() - resolvedAt <= deps.config.reopenWindowDays * DAY_MS;
    if (isOpen(existing.status) || reopenable) return addReply(cmd, existing.caseId, matchedBy, record, deps, now);
    return openEmailCase(cmd, record, deps, lookup.ackLog, existing.caseId);
  }
  return openEmailCase(cmd, record, deps, lookup.ackLog);
}

/** Threading in the order (subject reference, In-Reply-To/References, plus-address), from the looked-up links. */
async function findThread(candidates: ThreadingCandidate[], lookup: InboundLookup, deps: IngestEmailDeps): Promise<{ case: Case; matchedBy: string } | undefined> {
  for (const candidate of candidates) {
    const caseId = candidate.kind === 'reference' ? lookup.caseIdByReference.get(candidate.reference) : lookup.caseIdByMessageId.get(candidate.messageId);
    if (!caseId) continue;
    const found = await deps.cases.getCase(caseId);
    if (found) return { case: found, matchedBy: describe(candidate) };
  }
  return undefined;
}

function describe(c: ThreadingCandidate): string {
  if (c.kind === 'reference') return c.source === 'subject' ? 'case reference in the subject' : 'case reference in a plus-address';
  return c.source === 'in_reply_to' ? 'In-Reply-To' : 'References';
}

async function storeAttachments(caseId: string, attachments: InboundAttachment[], blobs: BlobStore): Promise<StoredAttachment[]> {
  const stored: StoredAttachment[] = [];
  for (const a of attachments) {
    const key = attachmentKey(caseId, a.meta);
    await blobs.put(key, a.body, { contentType: a.meta.contentType, filename: a.meta.filename });
    stored.push({ filename: a.meta.filename, contentType: a.meta.contentType, size: a.meta.size, sha256: a.meta.sha256, inline: a.meta.inline, key });
  }
  return stored;
}

function messageData(cmd: IngestEmailCommand, attachments: StoredAttachment[], withText: boolean): EmailMessageData {
  const id = cmd.email.messageId ? normaliseMessageId(cmd.email.messageId) : undefined;
  const problems = cmd.email.parseProblems.slice(0, PROBLEMS_KEPT);
  return {
    ...(id ? { messageId: id } : {}),
    rawObjectKey: cmd.rawObjectKey,
    inboundKey: inboundKey(cmd.email),
    subject: cleanLine(cmd.email.subject),
    ...(withText ? { text: cleanBody(cmd.email.text.slice(0, RECORDED_TEXT_MAX)) } : {}),
    ...(cmd.email.text.length > RECORDED_TEXT_MAX ? { textCut: true } : {}),
    attachments,
    ...(verdictFails(cmd.email.headers.sesSpamVerdict) ? { spam: true } : {}),
    // What the parser had to repair or guess (a fallback charset, a replacement character, a
    // recovered sender): kept on the event so staff can check the message against the raw one.
    ...(problems.length > 0 ? { problems } : {}),
  };
}

/** Problems kept on an event: enough to say what went wrong, bounded for the item size. */
const PROBLEMS_KEPT = 20;

/** The message's own Message-ID threads to the case, unless another message had it first. */
function ownMessageIds(cmd: Ingestion, caseId: string): MessageIdLink[] {
  const id = cmd.email.messageId ? normaliseMessageId(cmd.email.messageId) : undefined;
  return id && cmd.keepMessageId !== false ? [{ messageId: id, caseId }] : [];
}

/** The case a reply threads to was closed between the look-up and the write. */
class ClosedMeanwhile extends Error {}

/** A customer's reply on an open case, or on a resolved one within the reopen window (C4.1, M7.1). */
async function addReply(
  cmd: IngestEmailCommand,
  caseId: string,
  matchedBy: string,
  record: (outcome: InboundRecord['outcome'], caseId?: string) => InboundRecord,
  deps: IngestEmailDeps,
  now: Date,
): Promise<IngestOutcome> {
  const attachments = await storeAttachments(caseId, cmd.attachments, deps.blobs);
  const iso = now.toISOString();
  try {
    const done = await changeCase(deps.cases, caseId, (current) => {
      // Closed while this reply was on its way (the automatic closure, or staff): closed is final, so the reply opens a follow-up case.
      if (current.status === 'closed') throw new ClosedMeanwhile();
      let next: Case = { ...current, updatedAt: iso, ...(cmd.email.parseProblems.length > 0 ? { mailProblems: true } : {}) };
      const drafts: EventDraft[] = [{ type: 'customer_replied', at: iso, actor: { kind: 'customer' }, data: { ...messageData(cmd, attachments, true), matchedBy } }];
      const reopened = current.status === 'resolved';
      // Customer activity: a case waiting for the customer resumes (the SLA clock runs again); a resolved one reopens.
      if (current.status === 'pending_customer' || reopened) {
        const moved = transition(next, 'in_progress', now, { kind: 'customer' }, reopened ? 'customer replied: case reopened' : 'customer replied');
        next = moved.next;
        drafts.push(moved.draft);
      }
      return { next, drafts, with: { inbound: record('reply', caseId), messageIds: ownMessageIds(cmd, caseId) }, result: reopened };
    }, MAX_ATTEMPTS);
    if (!done) throw new ConcurrentUpdateError(`case ${caseId} disappeared`);
    return { outcome: 'reply', caseId, reopened: done.result };
  } catch (error) {
    if (error instanceof DuplicateInboundError) return { outcome: 'duplicate', caseId };
    if (error instanceof ClosedMeanwhile) return openEmailCase(cmd, record, deps, undefined, caseId);
    throw error;
  }
}

/** A bounce of mail caseflow sent: `delivery_failed` on its case, and the contact flagged. */
async function recordBounce(
  cmd: IngestEmailCommand,
  classification: InboundClassification,
  caseId: string,
  record: (outcome: InboundRecord['outcome'], caseId?: string) => InboundRecord,
  deps: IngestEmailDeps,
  now: Date,
): Promise<IngestOutcome | undefined> {
  // The stored id is SES's bare id; the bounce quotes `<id@…amazonses.com>` (both were looked up).
  const original = classification.bounce?.originalMessageId;
  if (!original) return undefined;
  const iso = now.toISOString();
  const matched = caseId;
  try {
    const done = await changeCase(deps.cases, matched, (current) => {
      const recipient = classification.bounce?.recipient;
      const isCustomer = recipient === undefined || recipient === current.customer.email?.toLowerCase();
      const next: Case = { ...current, updatedAt: iso, ...(isCustomer ? { customer: { ...current.customer, emailBouncing: true } } : {}) };
      const status = classification.bounce?.status;
      return {
        next,
        drafts: [
          {
            type: 'delivery_failed',
            at: iso,
            actor: SYSTEM,
            data: { originalMessageId: original, ...(status ? { status } : {}), rawObjectKey: cmd.rawObjectKey, inboundKey: inboundKey(cmd.email), reason: classification.reason },
          },
        ],
        with: { inbound: record('bounce_recorded', matched) },
        result: undefined,
      };
    }, MAX_ATTEMPTS);
    return done ? { outcome: 'bounce_recorded', caseId: matched } : undefined;
  } catch (error) {
    if (error instanceof DuplicateInboundError) return { outcome: 'duplicate', caseId: matched };
    throw error;
  }
}

function customerName(email: InboundEmail): string {
  const name = cleanLine(email.from?.name ?? '');
  const address = email.from?.address ?? '';
  return (name || address.slice(0, Math.max(1, address.lastIndexOf('@'))) || 'Customer').slice(0, 200);
}

/** The lookup read the sender's acknowledgement log when automatic acknowledgements are on. */
const ackLogWasRead = (deps: IngestEmailDeps) => deps.config.autoAcknowledge !== false;

/** A new case from an email (channel `email`), through the one case-opening path of every channel. */
async function openEmailCase(
  cmd: IngestEmailCommand,
  record: (outcome: InboundRecord['outcome'], caseId?: string) => InboundRecord,
  deps: IngestEmailDeps,
  acknowledgementLog: number[] | undefined,
  relatedCaseId?: string,
): Promise<IngestOutcome> {
  const { email } = cmd;
  const decision = caseTypeFor(email, deps.config.rules);
  // Attachments go under the case before it exists: a case id is drawn first and handed to openCase.
  const caseId = deps.newCaseId();
  const attachments = await storeAttachments(caseId, cmd.attachments, deps.blobs);
  try {
    const opened = await openCase(
      {
        draft: {
          channel: 'email',
          type: decision.type,
          customer: { name: customerName(email), email: (email.from?.address ?? '').toLowerCase() },
          subject: normaliseSubject(email.subject),
          message: email.text.slice(0, RECORDED_TEXT_MAX),
          ...(verdictFails(email.headers.sesSpamVerdict) ? { spam: true } : {}),
          ...(email.parseProblems.length > 0 ? { mailProblems: true } : {}),
          ...(relatedCaseId ? { relatedCaseId } : {}),
          receivedData: { email: messageData(cmd, attachments, false), typeReason: decision.reason },
        },
        inbound: record('case_opened', caseId),
        messageIds: ownMessageIds(cmd, caseId),
        ...(forgeryRisk(email) ? { withholdAcknowledgement: forgeryRisk(email) } : {}),
        ...(ackLogWasRead(deps) ? { acknowledgementLog: { read: acknowledgementLog } } : {}),
      },
      {
        store: deps.cases,
        clock: deps.clock,
        newCaseId: () => caseId,
        random: deps.random,
        policy: deps.policy,
        acknowledgements: { automatic: deps.config.autoAcknowledge !== false, limitPerHour: deps.config.ackRateLimitPerHour },
      },
    );
    const c = opened.case;
    return { outcome: 'case_opened', caseId: c.caseId, reference: c.reference, acknowledged: opened.acknowledged, ...(relatedCaseId ? { relatedCaseId } : {}) };
  } catch (error) {
    if (error instanceof DuplicateInboundError) {
      const winner = await deps.inbound.getInbound(record('case_opened').key);
      return { outcome: 'duplicate', ...(winner?.caseId ? { caseId: winner.caseId } : {}) };
    }
    throw error;
  }
}
