import * as z from 'zod';
import { ADDRESS_LIST_MAX, TEXT_MAX, type InboundEmail } from './inbound-email';
import { normaliseMessageId } from './threading';

/**
 * Loops and noise: which inbound mail is a customer's message and which is
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

/**
 * Local parts of the mailboxes that send bounces (RFC 5321 §4.5.5, RFC 2142) and the whole
 * display names bounce daemons sign with, compared in lower case without `-`, `_`, `.` and
 * spaces: MAILER-DAEMON, mailer_daemon, mail-daemon, MDaemon, postmaster, post_master,
 * mail.delivery.system, "Mail Delivery Subsystem".
 */
const DAEMON_NAMES = new Set(['mailerdaemon', 'maildaemon', 'mdaemon', 'postmaster', 'maildeliverysystem', 'maildeliverysubsystem']);
/**
 * Senders that look like a mail system without being a daemon mailbox (mailer@, bounce@,
 * "Mail Administrator"): bounces only together with a bounce subject. Local parts and whole
 * display names (squeezed as above), so that a Ms Mailer is never one.
 */
const DAEMON_LIKE_LOCAL_PART = /daemon|deamon|postmaster|^bounces?$|^mailer$|^mailerrors?$|^maildelivery|^mailadmin|^mailsystem/;
const DAEMON_LIKE_NAME = /daemon|deamon|postmaster|^mail(?:er)?(?:delivery)?(?:sub)?system$|^maildelivery(?:service|failure|notification)?$|^mailadmin(?:istrator)?$|^mailserver$/;

/** Amazon SNS's sender of email subscriptions (SES bounce, complaint and delivery notifications among them). */
const SNS_SENDER = /^no-reply@sns\.amazonaws\.com(?:\.cn)?$/;
/** The part of the text read for the notification JSON (the text itself stops at TEXT_MAX). */
const SNS_JSON_MAX = TEXT_MAX;

/**
 * Mailing-list managers. These mailboxes are list robots whatever they send; the list-role
 * addresses (`<list>-owner`, `owner-<list>`, `<list>-bounces`, `<list>-request`, `<list>-admin`)
 * count only with a second sign (a list-manager subject or header, a list header, the null
 * Return-Path), since a customer's address may look like one (`owner-relations@…`).
 */
const LIST_ROBOTS = new Set(['listserv', 'listserver', 'mailman', 'majordomo', 'sympa', 'listproc', 'lyris', 'ecartis']);
const LIST_ROLE = /^(?:owner-.+|.+-(?:owner|bounces?|request|admin|errors))$/;
/** Subjects of list managers' notices (Mailman, LISTSERV, Majordomo, Sympa, Google Groups, fml). */
const LIST_HELD = /awaits? (?:the )?moderat|awaiting moderat|held for (?:moderat|approval)|requires? moderator approval|pending moderation/i;
const LIST_REJECTED =
  /^(?:re:\s*)?(?:rejected posting|posting rejected|message rejected|rejected:)|(?:message|post(?:ing)?|mail) to \S+ (?:was |has been )?(?:rejected|refused|not (?:posted|delivered|distributed))|request to mailing list .{0,100}rejected|non-?member (?:submission|post)|not (?:a )?member|not allowed to post/i;

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

/**
 * How bounces sent without multipart/report begin their subject, in the languages found in real
 * bounces (Exchange's localised NDRs, Japanese carriers, mail.ru, Yandex, Tencent, Naver, …).
 * Never enough alone (a customer may write "Delivery failure of my parcel"): only with the null
 * Return-Path or a sender that looks like a mail system. Matched at the start of the subject (an
 * auto-reply quoting a subject that merely contains one of them stays an auto-reply).
 */
const BOUNCE_SUBJECT_MARKERS = [
  // English
  'undeliverable',
  'undelivered',
  'undeliverable mail',
  'delivery status notification',
  'delivery notification',
  'delivery failure',
  'delivery has failed',
  'delivery failed',
  'delivery status',
  'delivery report',
  'failed delivery',
  'failure delivery',
  'failure notice',
  'permanent delivery failure',
  'mail delivery failed',
  'mail delivery failure',
  'mail delivery system',
  'mail delivery status',
  'mail delivery subsystem',
  'message delivery has failed',
  'message not delivered',
  'mail could not be delivered',
  'message could not be delivered',
  'could not send message',
  'returned mail',
  'returned to sender',
  'mail failure',
  'mail system error',
  'non-delivery',
  'nondelivery',
  'non delivery',
  'postmaster notify',
  // German
  'unzustellbar',
  'nicht zustellbar',
  'nicht zugestellt',
  'zustellung fehlgeschlagen',
  'fehlgeschlagene zustellung',
  'zustellungsfehler',
  'unzustellbare nachricht',
  // French
  'non remis',
  'non_remis',
  'non distribuable',
  'non délivré',
  'message non délivré',
  'message non remis',
  'échec de la remise',
  'échec de remise',
  'échec de la distribution',
  'échec de la livraison',
  'impossible de remettre',
  // Spanish
  'no se puede entregar',
  'no entregado',
  'no entregable',
  'mensaje no entregado',
  'imposible entregar',
  'error de entrega',
  'fallo en la entrega',
  'notificación de estado de entrega',
  // Italian
  'non recapitabile',
  'non recapitato',
  'mancato recapito',
  'impossibile recapitare',
  'errore di consegna',
  'consegna non riuscita',
  // Portuguese, Dutch, Nordic, Polish
  'não é possível entregar',
  'não entregue',
  'falha na entrega',
  'mensagem não entregue',
  'onbestelbaar',
  'niet bezorgd',
  'olevererbart',
  'ej levererbart',
  'kunne ikke leveres',
  'niedostarczalne',
  'niedostarczona',
  'nie można dostarczyć',
  // Russian
  'недоставленное сообщение',
  'недоставляемое сообщение',
  'сообщение не доставлено',
  'ваше сообщение не доставлено',
  'не удается доставить',
  'не удалось доставить',
  'невозможно доставить',
  'ошибка доставки',
  // Japanese
  '配信不能',
  '配信エラー',
  '配信失敗',
  '配送エラー',
  '配送失敗',
  '配達不能',
  '未配達',
  '不達',
  '送信できませんでした',
  '送信エラー',
  '送信失敗',
  'メールエラー通知',
  'メッセージを配信できません',
  '配信できませんでした',
  'メール配信失敗',
  'エラーメール',
  '宛先不明',
  // Chinese (simplified and traditional)
  '无法投递',
  '無法投遞',
  '无法传递',
  '無法傳遞',
  '无法送达',
  '無法送達',
  '退信',
  '系统退信',
  '系統退信',
  '邮件投递失败',
  '郵件投遞失敗',
  '投递失败',
  '投遞失敗',
  '发送失败',
  '發送失敗',
  '未送达',
  '未送達',
  '传递状态通知',
  '傳遞狀態通知',
  // Korean
  '배달되지 않음',
  '배달 못 함',
  '배달 실패',
  '전송 실패',
  '메일 전송 실패',
  '발송 실패',
  '반송',
  '반송된 메일',
  '전달되지 않음',
];
const BOUNCE_SUBJECT = new RegExp(
  `^\\s*(?:[\\[【][^\\]】]{0,60}[\\]】]\\s*)?[\\[【(（*\\s]*(?:${BOUNCE_SUBJECT_MARKERS.slice()
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})`,
  'iu',
);

/** Postfix/Sendmail/Exchange quote the returned headers in the text of non-MIME bounces. */
const QUOTED_MESSAGE_ID = /^[ \t>]*Message-I[Dd][ \t]*:[ \t]*(<[^<>\s]+>)/gm;
const ENHANCED_STATUS = /\b([245]\.\d{1,3}\.\d{1,3})\b/;

export function classifyInbound(email: InboundEmail, options: ClassifyOptions): InboundClassification {
  const h = email.headers;
  const reportType = h.contentType === 'multipart/report' ? (h.reportType ?? '') : '';
  const report = email.report;

  // 1-4. Reports (RFC 6522): structural, so they decide before anything else.
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

  // 5. Amazon SNS email: SES bounce, complaint and delivery notifications, or other SNS mail.
  const sender = email.from?.address;
  if (sender && SNS_SENDER.test(sender)) return snsNotification(email);

  // 6. caseflow's own mail coming back (a loop through a forwarder, a CC to the support address).
  if (sender && isOwnAddress(sender, options)) {
    return { kind: 'own_mail', reason: 'sent from one of caseflow\u2019s own addresses' };
  }

  // 7-9. Bounces without a report part: a daemon mailbox or signature, X-Failed-Recipients, a
  // bounce subject from a mail-system-like or null reverse path.
  const daemon = daemonSender(email);
  if (daemon) {
    return { kind: 'bounce', reason: `sent by ${daemon}`, bounce: bounceFromText(email) };
  }
  if (h.xFailedRecipients.length > 0) {
    return { kind: 'bounce', reason: 'X-Failed-Recipients header', bounce: bounceFromText(email) };
  }
  if (BOUNCE_SUBJECT.test(email.subject) && (h.returnPath === '' || looksLikeMailSystem(email))) {
    const why = h.returnPath === '' ? 'null Return-Path' : 'a mail-system sender';
    return { kind: 'bounce', reason: `${why} and a bounce subject`, bounce: bounceFromText(email) };
  }

  // 10. Mailing-list managers: rejected posts, posts held for moderation, the rest of their mail.
  const listManager = listManagerNotice(email);
  if (listManager) return listManager;

  // 11-14. Automatic replies.
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

  // 15-16. Bulk and list mail.
  if (precedence === 'bulk' || precedence === 'junk' || precedence === 'list') {
    return { kind: 'bulk', reason: `Precedence: ${precedence}` };
  }
  if (h.listId !== undefined) return { kind: 'bulk', reason: 'List-Id header (mailing list)' };
  if (h.listUnsubscribe !== undefined) return { kind: 'bulk', reason: 'List-Unsubscribe header (bulk sender)' };

  // 17. The null reverse path: only automatic mail is sent with MAIL FROM:<> (RFC 3834 §3.3, RFC 5321 §4.5.5).
  if (h.returnPath === '') {
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

/** In lower case without `-`, `_`, `.`, spaces and quotes: `MAILER_DAEMON` -> `mailerdaemon`. */
const squeeze = (value: string) => value.toLowerCase().replace(/[-_.\s"'<>]/g, '');

/** What makes the sender a bounce daemon, in words, or undefined. */
function daemonSender(email: InboundEmail): string | undefined {
  const address = email.from?.address;
  if (address && DAEMON_NAMES.has(squeeze(baseLocalPart(address)))) return baseLocalPart(address);
  const name = email.from?.name;
  if (name && DAEMON_NAMES.has(squeeze(name))) return `"${name}"`;
  // `From: MAILER-DAEMON <>`, `From: MAILER-DAEMON`, `From: "Mail Delivery System" <MAILER-DAEMON>`:
  // no address for mailparser to give, only the raw header names the daemon.
  const raw = email.headers.fromHeader;
  if (raw !== undefined && !raw.includes('@')) {
    const words = raw.split(/[<>"]/).map(squeeze).filter(Boolean);
    const found = words.find((w) => DAEMON_NAMES.has(w));
    if (found !== undefined) return `${found} (a From without a domain)`;
  }
  return undefined;
}

/** A sender that may be a mail system: a daemon-like local part or display name. */
function looksLikeMailSystem(email: InboundEmail): boolean {
  if (!email.from) return DAEMON_LIKE_NAME.test(squeeze(email.headers.fromHeader ?? ''));
  return DAEMON_LIKE_LOCAL_PART.test(squeeze(baseLocalPart(email.from.address))) || DAEMON_LIKE_NAME.test(squeeze(email.from.name ?? ''));
}

/** Mail from a list manager (see LIST_ROBOTS, LIST_ROLE), or undefined. */
function listManagerNotice(email: InboundEmail): InboundClassification | undefined {
  const sender = email.from?.address;
  if (!sender) return undefined;
  const local = baseLocalPart(sender);
  const h = email.headers;
  const held = LIST_HELD.test(email.subject);
  const rejected = !held && LIST_REJECTED.test(email.subject);
  let who: string;
  if (LIST_ROBOTS.has(local)) who = `list manager ${local}`;
  else if (LIST_ROLE.test(local) && (held || rejected || h.listManager !== undefined || h.listId !== undefined || h.listUnsubscribe !== undefined || h.returnPath === '')) {
    who = 'a mailing list\u2019s role address';
  } else return undefined;
  if (held) return { kind: 'delivery_report', reason: `${who}: a post held for moderation` };
  if (rejected) return { kind: 'bounce', reason: `${who}: a rejected post`, bounce: bounceFromText(email) };
  return { kind: 'bulk', reason: `${who}: list administration mail` };
}

const SesRecipientSchema = z.object({ emailAddress: z.string().max(998), status: z.string().max(100).optional() });
/** An SES event (notification or event publishing), only the fields read; unknown fields are allowed. */
const SesEventSchema = z.object({
  notificationType: z.string().max(100).optional(),
  eventType: z.string().max(100).optional(),
  mail: z.object({ messageId: z.string().min(1).max(998) }).optional(),
  bounce: z.object({ bounceType: z.string().max(100).optional(), bouncedRecipients: z.array(SesRecipientSchema).max(ADDRESS_LIST_MAX) }).optional(),
});
/** The SNS envelope of the email-json protocol; the plain email protocol sends the Message alone. */
const SnsEnvelopeSchema = z.object({ Type: z.string().max(100), Message: z.string().max(SNS_JSON_MAX) });

/**
 * SNS email: the SES event in the text is read (JSON.parse in a try, zod safeParse, bounded);
 * anything else from SNS (a subscription confirmation, another topic, text that is not JSON) is
 * still machine mail, `bulk`: a notification to a subscriber, never a customer.
 */
function snsNotification(email: InboundEmail): InboundClassification {
  const text = email.text.slice(0, SNS_JSON_MAX);
  const body = text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  // The notification is one long line, which relays break in transit (Sendmail: `!`, newline,
  // space at 990 characters). JSON has no raw newline inside a string, so the breaks can go.
  const json = parseJson(body) ?? parseJson(body.replace(/!\r?\n /g, '').replace(/\r?\n/g, ''));
  const envelope = SnsEnvelopeSchema.safeParse(json);
  const event = SesEventSchema.safeParse(envelope.success ? parseJson(envelope.data.Message.replace(/!\r?\n /g, '')) : json);
  const type = event.success ? (event.data.notificationType ?? event.data.eventType) : undefined;
  if (!event.success || !type) {
    const what = envelope.success ? `SNS ${envelope.data.Type.slice(0, 40)}` : 'SNS mail that is not an SES notification';
    return { kind: 'bulk', reason: `Amazon SNS email (${what}): a notification, not a customer` };
  }
  const reason = `Amazon SNS notification of an SES ${type.slice(0, 40)}`;
  if (type === 'Bounce') {
    const failed = event.data.bounce?.bouncedRecipients[0];
    const recipient = failed ? /<([^<>]+)>/.exec(failed.emailAddress)?.[1] ?? failed.emailAddress : undefined;
    const bounce: BounceDetails = {
      // SES's own message id, bare: what caseflow stored when SES accepted the mail.
      originalMessageId: event.data.mail ? normaliseMessageId(event.data.mail.messageId) : undefined,
      recipient: recipient?.trim().toLowerCase().slice(0, 320),
      status: ENHANCED_STATUS.exec(failed?.status ?? '')?.[1],
    };
    return { kind: 'bounce', reason: `${reason} (${(event.data.bounce?.bounceType ?? 'unknown').slice(0, 40)})`, bounce: definedOnly(bounce) };
  }
  if (type === 'Complaint') return { kind: 'feedback_report', reason };
  if (type === 'Delivery' || type === 'DeliveryDelay') return { kind: 'delivery_report', reason };
  return { kind: 'bulk', reason };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
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
