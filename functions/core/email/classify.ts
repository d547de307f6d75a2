import type { InboundEmail } from './inbound-email';
import { normaliseMessageId } from './threading';

/**
 * Loops and noise (issue 4 point 6): which inbound mail is a customer's message and which is
 * machine mail that must never open a case nor get an acknowledgement. Non-cases are still
 * recorded by the ingestion (M7.1: every interaction is logged); a bounce of caseflow's own
 * mail is recorded on the case it belongs to, found through `bounce.originalMessageId`.
 *
 * The rules run in a fixed order and the first that matches decides; see docs/email.md.
 */

export type InboundKind =
  | 'new_message'
  | 'auto_reply'
  | 'bounce'
  | 'delivery_report'
  | 'read_receipt'
  | 'feedback_report'
  | 'own_mail'
  | 'bulk';

export interface BounceDetails {
  /** Normalised (lower case, no angle brackets) Message-ID of the mail that bounced. */
  originalMessageId?: string;
  /** The recipient whose delivery failed, lower case. */
  recipient?: string;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  status?: string;
}

export interface InboundClassification {
  kind: InboundKind;
  /** Which rule matched, in words (no personal data: header names and values only). */
  reason: string;
  bounce?: BounceDetails;
}

export interface ClassifyOptions {
  /** caseflow's own sending and receiving addresses. */
  ownAddresses: string[];
  /** Domains only caseflow sends from (e.g. a dedicated mail subdomain): every sender there is caseflow. */
  ownDomains?: string[];
}

/** Local parts of the mailboxes that send bounces (RFC 5321 §4.5.5, RFC 2142). */
const DAEMON_LOCAL_PARTS = new Set(['mailer-daemon', 'mailerdaemon', 'mail-daemon', 'postmaster']);

/**
 * Vacation and auto-reply subject markers. A marker counts when the subject starts with it and
 * it is followed by a colon (`Automatic reply: …`, `Abwesenheitsnotiz: …`) or is the whole
 * subject, or sits in brackets (`[自動返信] …`): a customer writing "Out of office hours
 * support?" or "Vacation refund" is not an auto-reply.
 */
const VACATION_MARKERS = [
  // English
  'automatic reply',
  'auto reply',
  'auto-reply',
  'autoreply',
  'auto response',
  'auto-response',
  'autoresponse',
  'autorespons',
  'automatic response',
  'automated response',
  'out of office',
  'out of office autoreply',
  'out of office reply',
  'out of the office',
  'ooo',
  'vacation reply',
  'away from the office',
  // German
  'abwesenheitsnotiz',
  'automatische antwort',
  'abwesend',
  'abwesenheit',
  // French
  'réponse automatique',
  'reponse automatique',
  'absence du bureau',
  "message d'absence",
  // Spanish, Italian, Portuguese
  'respuesta automática',
  'respuesta automatica',
  'fuera de la oficina',
  'risposta automatica',
  'fuori sede',
  'fuori ufficio',
  'resposta automática',
  'resposta automatica',
  'ausência temporária',
  // Dutch, Nordic, Finnish
  'automatisch antwoord',
  'afwezig',
  'autosvar',
  'automatiskt svar',
  'automatisk svar',
  'automatisk besked',
  'fraværende',
  'frånvaro',
  'automaattinen vastaus',
  // Central and Eastern Europe
  'odpowiedź automatyczna',
  'automatyczna odpowiedź',
  'poza biurem',
  'automatická odpověď',
  'automatikus válasz',
  'автоматический ответ',
  'автоответ',
  'otomatik yanıt',
  'otomatik cevap',
  'αυτόματη απάντηση',
  // East Asia
  '自動応答',
  '自動返信',
  '不在',
  '自动回复',
  '自動回覆',
  '自動回复',
  '자동 회신',
  '자동 응답',
];
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const MARKERS = VACATION_MARKERS.slice()
  .sort((a, b) => b.length - a.length)
  .map(escapeRegExp)
  .join('|');
const VACATION_SUBJECT = new RegExp(`^\\s*(?:(?:${MARKERS})\\s*(?:[:：]|$)|[\\[【(]\\s*(?:${MARKERS})\\s*[\\]】)])`, 'iu');

/** Subjects of bounces sent without multipart/report, recognised only with a null Return-Path. */
const BOUNCE_SUBJECT =
  /^\s*(?:undeliver(?:ed|able)|delivery (?:status notification|failure|has failed|notification)|mail delivery (?:failed|failure|system)|returned mail|failure notice|non[- ]?delivery|mail system error|unzustellbar|nicht zustellbar|non remis|no entregado|non recapitabile)/i;

/** Postfix/Sendmail/Exchange quote the returned headers in the text of non-MIME bounces. */
const QUOTED_MESSAGE_ID = /^[ \t>]*Message-I[Dd][ \t]*:[ \t]*(<[^<>\s]+>)/gm;
const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

export function classifyInbound(email: InboundEmail, options: ClassifyOptions): InboundClassification {
  const h = email.headers;
  const reportType = h.contentType === 'multipart/report' ? (h.reportType ?? '') : '';
  const report = email.report;

  // 1-3. Reports (RFC 6522): structural, so they decide before anything else.
  if (reportType === 'feedback-report' || report?.feedbackReport !== undefined) {
    return { kind: 'feedback_report', reason: 'multipart/report with report-type feedback-report (ARF, RFC 5965)' };
  }
  if (reportType === 'disposition-notification' || report?.dispositionNotification !== undefined) {
    return { kind: 'read_receipt', reason: 'multipart/report with report-type disposition-notification (MDN, RFC 8098)' };
  }
  if (reportType === 'delivery-status' || report?.deliveryStatus !== undefined) {
    return deliveryStatusReport(email);
  }
  if (h.contentType === 'multipart/report') {
    return { kind: 'delivery_report', reason: `multipart/report with report-type "${reportType || 'none'}"` };
  }

  // 4. caseflow's own mail coming back (a loop through a forwarder, a CC to the support address).
  const sender = email.from?.address;
  if (sender && isOwnAddress(sender, options)) {
    return { kind: 'own_mail', reason: 'sent from one of caseflow\u2019s own addresses' };
  }

  // 5. Bounces without a delivery-status part: the daemon mailboxes, Exim/Gmail's X-Failed-Recipients.
  if (sender && DAEMON_LOCAL_PARTS.has(baseLocalPart(sender))) {
    return { kind: 'bounce', reason: `sent by ${baseLocalPart(sender)}`, bounce: bounceFromText(email) };
  }
  if (h.xFailedRecipients.length > 0) {
    return { kind: 'bounce', reason: 'X-Failed-Recipients header', bounce: bounceFromText(email) };
  }

  // 6-9. Automatic replies.
  const autoSubmitted = token(h.autoSubmitted);
  if (autoSubmitted && autoSubmitted !== 'no') {
    return { kind: 'auto_reply', reason: `Auto-Submitted: ${autoSubmitted} (RFC 3834)` };
  }
  const suppress = token(h.xAutoResponseSuppress);
  if (suppress && suppress !== 'none') {
    return { kind: 'auto_reply', reason: 'X-Auto-Response-Suppress header (Exchange/Outlook automatic mail)' };
  }
  if (h.xAutoreply !== undefined || h.xAutorespond !== undefined) {
    return { kind: 'auto_reply', reason: h.xAutoreply !== undefined ? 'X-Autoreply header' : 'X-Autorespond header' };
  }
  const precedence = token(h.precedence);
  if (precedence === 'auto_reply') {
    return { kind: 'auto_reply', reason: 'Precedence: auto_reply' };
  }
  const vacation = VACATION_SUBJECT.exec(email.subject);
  if (vacation) {
    return { kind: 'auto_reply', reason: `auto-reply subject "${vacation[0].trim()}"` };
  }

  // 10-11. Bulk and list mail.
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  }
  if (h.listId !== undefined) return { kind: 'bulk', reason: 'List-Id header (mailing list)' };
  if (h.listUnsubscribe !== undefined) return { kind: 'bulk', reason: 'List-Unsubscribe header (bulk sender)' };

  // 12. The null reverse path: only automatic mail is sent with MAIL FROM:<> (RFC 3834 §3.3, RFC 5321 §4.5.5).
  if (h.returnPath === '') {
    if (BOUNCE_SUBJECT.test(email.subject)) {
      return { kind: 'bounce', reason: 'null Return-Path and a bounce subject', bounce: bounceFromText(email) };
    }
    return { kind: 'auto_reply', reason: 'null Return-Path (<>): sent by an automatic process' };
  }

  return { kind: 'new_message', reason: 'no automatic-mail signal' };
}

/** RFC 3464: failed recipients make a bounce; delivered/relayed/expanded/delayed only a report. */
function deliveryStatusReport(email: InboundEmail): InboundClassification {
  const recipients = dsnRecipients(email.report?.deliveryStatus ?? '');
  const failed = recipients.find((r) => r.action === 'failed' || (r.action === undefined && r.status?.startsWith('5')));
  const reason = 'multipart/report with report-type delivery-status (DSN, RFC 3464)';
  if (!failed && recipients.length > 0 && recipients.every((r) => r.action && ['delivered', 'relayed', 'expanded', 'delayed'].includes(r.action))) {
    const actions = [...new Set(recipients.map((r) => r.action))].join(', ');
    return { kind: 'delivery_report', reason: `${reason}, action ${actions}` };
  }
  const fromText = bounceFromText(email);
  const bounce: BounceDetails = {
    originalMessageId: originalMessageId(email) ?? fromText.originalMessageId,
    recipient: failed?.recipient ?? recipients[0]?.recipient ?? email.headers.xFailedRecipients[0] ?? fromText.recipient,
    status: failed?.status ?? recipients[0]?.status ?? fromText.status,
  };
  return { kind: 'bounce', reason, bounce: definedOnly(bounce) };
}

interface DsnRecipient {
  recipient?: string;
  action?: string;
  status?: string;
}

/** The per-recipient fields of a delivery-status part (header values only; the part itself came from mailparser). */
function dsnRecipients(deliveryStatus: string): DsnRecipient[] {
  const unfolded = deliveryStatus.replace(/\r\n?/g, '\n').replace(/\n[ \t]+/g, ' ');
  const out: DsnRecipient[] = [];
  for (const block of unfolded.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      if (!fields.has(name)) fields.set(name, line.slice(colon + 1).trim());
    }
    const recipientField = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (recipientField === undefined && !fields.has('action') && !fields.has('status')) continue;
    out.push({
      recipient: recipientField ? addressOf(recipientField) : undefined,
      action: fields.get('action')?.split(/[\s(;]/)[0]?.toLowerCase(),
      status: ENHANCED_STATUS.exec(fields.get('status') ?? '')?.[1],
    });
  }
  return out;
}

/** `rfc822; <User@Example.com>` -> `user@example.com`. */
function addressOf(field: string): string | undefined {
  const value = field.includes(';') ? field.slice(field.indexOf(';') + 1) : field;
  const address = value.trim().replace(/^<|>$/g, '').trim().toLowerCase();
  return address.includes('@') ? address : undefined;
}

/** The bounced message's id from the returned headers, else the bounce's In-Reply-To (Gmail, SES). */
function originalMessageId(email: InboundEmail): string | undefined {
  const fromPart = email.report?.original?.messageId;
  if (fromPart) return normaliseMessageId(fromPart);
  return email.inReplyTo ? normaliseMessageId(email.inReplyTo) : undefined;
}

/** For bounces without report parts: quoted Message-ID and status code in the text, X-Failed-Recipients. */
function bounceFromText(email: InboundEmail): BounceDetails {
  const own = email.messageId ? normaliseMessageId(email.messageId) : undefined;
  let quoted: string | undefined;
  for (const m of email.text.matchAll(QUOTED_MESSAGE_ID)) {
    const id = normaliseMessageId(m[1] ?? '');
    if (id && id !== own) {
      quoted = id;
      break;
    }
  }
  return definedOnly({
    originalMessageId: originalMessageId(email) ?? quoted,
    recipient: email.headers.xFailedRecipients[0],
    status: ENHANCED_STATUS.exec(email.text)?.[1],
  });
}

function isOwnAddress(address: string, options: ClassifyOptions): boolean {
  const base = baseAddress(address);
  if (options.ownAddresses.some((own) => baseAddress(own) === base)) return true;
  const domain = base.slice(base.lastIndexOf('@') + 1);
  return (options.ownDomains ?? []).some((d) => d.trim().toLowerCase() === domain);
}

/** `Support+CS-7K3M9Q@Example.com` -> `support@example.com`. */
function baseAddress(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  if (at <= 0) return lower;
  return `${baseLocalPart(lower)}${lower.slice(at)}`;
}

function baseLocalPart(address: string): string {
  const lower = address.trim().toLowerCase();
  const at = lower.lastIndexOf('@');
  const local = at > 0 ? lower.slice(0, at) : lower;
  const plus = local.indexOf('+');
  return plus > 0 ? local.slice(0, plus) : local;
}

/** The first token of a header value, lower case: `auto-replied; owner-email=…` -> `auto-replied`. */
function token(value: string | undefined): string | undefined {
  const t = value?.trim().split(/[\s;,(]/)[0]?.toLowerCase();
  return t ? t : undefined;
}

function definedOnly(details: BounceDetails): BounceDetails {
  const out: BounceDetails = {};
  if (details.originalMessageId) out.originalMessageId = details.originalMessageId;
  if (details.recipient) out.recipient = details.recipient;
  if (details.status) out.status = details.status;
  return out;
}
