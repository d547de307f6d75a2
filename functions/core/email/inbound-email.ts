import * as z from 'zod';

/**
 * An inbound email as the core sees it: decoded, bounded, no Buffers. The MIME adapter
 * (functions/adapters/email/parse-mime.ts) builds it from the raw bytes with mailparser; the
 * raw message itself stays in the inbound bucket, so nothing here needs to
 * be lossless. Every limit below is recorded in `parseProblems` when a message exceeds it.
 */

/** RFC 5322 §2.1.1: a line (so a header the core keeps) is at most 998 characters. */
export const SUBJECT_MAX = 998;
/** Plain text kept for the timeline: fits a DynamoDB item (400 KB) with room for the rest. */
export const TEXT_MAX = 100_000;
/** Raw HTML kept for display (sanitised by whoever renders it, never executed). */
export const HTML_MAX = 1_000_000;
/** A header value the classifier reads. */
export const HEADER_VALUE_MAX = 2_000;
/** Addresses kept per address list (To, Cc, …). */
export const ADDRESS_LIST_MAX = 200;
/** Message-IDs kept from References. */
export const REFERENCES_MAX = 100;
/** Text kept from each machine-readable report part (delivery status, MDN, ARF). */
export const REPORT_PART_MAX = 32_000;
/** Attachments (and inline parts) listed. */
export const ATTACHMENTS_MAX = 500;

export const MailboxSchema = z.object({
  /** Lower-cased. Not validated as an address: real mail carries addresses a strict validator rejects. */
  address: z.string().min(1).max(320),
  name: z.string().max(500).optional(),
});
export type Mailbox = z.infer<typeof MailboxSchema>;

const AddressListSchema = z.array(MailboxSchema).max(ADDRESS_LIST_MAX);
const MessageIdValue = z.string().min(1).max(SUBJECT_MAX);
const HeaderValue = z.string().max(HEADER_VALUE_MAX);

/** The headers the loop-and-noise classifier (classify.ts) reads, as they were sent. */
export const ClassifierHeadersSchema = z.object({
  /** RFC 3834 Auto-Submitted: anything but "no" is automatic mail. */
  autoSubmitted: HeaderValue.optional(),
  precedence: HeaderValue.optional(),
  listId: HeaderValue.optional(),
  listUnsubscribe: HeaderValue.optional(),
  /** Microsoft's header on Exchange/Outlook automatic mail. */
  xAutoResponseSuppress: HeaderValue.optional(),
  xAutoreply: HeaderValue.optional(),
  xAutorespond: HeaderValue.optional(),
  /** SES receipt verdicts (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`): spam flags the case, a virus quarantines the mail. */
  sesSpamVerdict: HeaderValue.optional(),
  sesVirusVerdict: HeaderValue.optional(),
  /** The first Authentication-Results header: SES's own (`amazonses.com; spf=…; dkim=…; dmarc=…`) when SES received the message. */
  authenticationResults: HeaderValue.optional(),
  /** The envelope sender the receiving MTA recorded; "" for the null reverse path `<>`. */
  returnPath: HeaderValue.optional(),
  /** Lower-cased media type of the whole message, e.g. `multipart/report`. */
  contentType: HeaderValue.optional(),
  /** Lower-cased `report-type` parameter of a multipart/report (RFC 6522). */
  reportType: HeaderValue.optional(),
  /** X-Failed-Recipients, as Exim and Gmail put on their bounces. */
  xFailedRecipients: z.array(z.string().max(320)).max(ADDRESS_LIST_MAX),
  /**
   * The From header as sent (unfolded, encoded words left as they are), at most 320 characters:
   * bounce daemons that name no domain (`MAILER-DAEMON <>`, `Mail Delivery System <MAILER-DAEMON>`)
   * leave `from` without an address, and this is all that is left of them.
   */
  fromHeader: z.string().max(320).optional(),
  /** The first mailing-list-manager header present (`x-mailman-version`, `x-list-administrivia`, …), its name lower-cased. */
  listManager: HeaderValue.optional(),
});
export type ClassifierHeaders = z.infer<typeof ClassifierHeadersSchema>;

/** Headers of a message embedded in a report: the original that bounced or was read. */
export const EmbeddedHeadersSchema = z.object({
  messageId: MessageIdValue.optional(),
  inReplyTo: MessageIdValue.optional(),
  references: z.array(MessageIdValue).max(REFERENCES_MAX),
  subject: z.string().max(SUBJECT_MAX).optional(),
  from: z.string().max(320).optional(),
  to: z.array(z.string().max(320)).max(ADDRESS_LIST_MAX),
});
export type EmbeddedHeaders = z.infer<typeof EmbeddedHeadersSchema>;

/**
 * The machine-readable parts of a report (RFC 6522 multipart/report and its kin), taken from
 * mailparser's parts: the text of each report part and the headers of the returned message.
 */
export const ReportPartsSchema = z.object({
  /** `message/delivery-status` (RFC 3464) or `message/global-delivery-status` (RFC 6533). */
  deliveryStatus: z.string().max(REPORT_PART_MAX).optional(),
  /** `message/disposition-notification` (RFC 8098). */
  dispositionNotification: z.string().max(REPORT_PART_MAX).optional(),
  /** `message/feedback-report` (RFC 5965, ARF). */
  feedbackReport: z.string().max(REPORT_PART_MAX).optional(),
  /** From the `message/rfc822` or `text/rfc822-headers` part. */
  original: EmbeddedHeadersSchema.optional(),
});
export type ReportParts = z.infer<typeof ReportPartsSchema>;

export const AttachmentMetaSchema = z.object({
  /** The file name the sender gave (path separators and control characters removed), or one made up from the part. */
  filename: z.string().min(1).max(255),
  contentType: z.string().min(1).max(255),
  size: z.number().int().nonnegative(),
  /** Hex SHA-256 of the decoded content. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Content-ID without angle brackets, for `cid:` links in the HTML. */
  contentId: z.string().max(998).optional(),
  /** An inline image or part shown in the body rather than offered as a download. */
  inline: z.boolean(),
  /** IMAP-style part number (`1.2`), when the message is multipart. */
  partId: z.string().max(100).optional(),
});
export type AttachmentMeta = z.infer<typeof AttachmentMetaSchema>;

export const InboundEmailSchema = z.object({
  /** As sent, angle brackets included; threading.ts normalises. */
  messageId: MessageIdValue.optional(),
  inReplyTo: MessageIdValue.optional(),
  references: z.array(MessageIdValue).max(REFERENCES_MAX),
  /** Absent when the message names no sender address at all (recorded in parseProblems). */
  from: MailboxSchema.optional(),
  to: AddressListSchema,
  cc: AddressListSchema,
  replyTo: AddressListSchema,
  /** Delivered-To / X-Original-To / Envelope-To headers: recipients as upstream MTAs recorded them. */
  deliveredTo: z.array(z.string().max(320)).max(ADDRESS_LIST_MAX),
  /** RCPT TO of the delivery (SES receipt or the local SMTP listener): the authoritative recipients. */
  envelopeRecipients: z.array(z.string().max(320)).max(ADDRESS_LIST_MAX),
  /** Decoded, unfolded, at most SUBJECT_MAX characters; "" when there is none. */
  subject: z.string().max(SUBJECT_MAX),
  date: z.iso.datetime({ offset: true }).optional(),
  /** Best plain text: the text parts, else the HTML turned into text (scripts and styles dropped). */
  text: z.string().max(TEXT_MAX),
  /** The HTML as sent (cid: links kept): sanitise before display, never execute. */
  html: z.string().max(HTML_MAX).optional(),
  headers: ClassifierHeadersSchema,
  report: ReportPartsSchema.optional(),
  attachments: z.array(AttachmentMetaSchema).max(ATTACHMENTS_MAX),
  /** Hex SHA-256 of the raw bytes as received: the idempotency key when there is no Message-ID. */
  rawSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * Hex SHA-256 of the bytes after the top-level header block (after its first empty line): the
   * same for two deliveries of one message that differ only in the trace headers a relay or SES
   * put in front (Received, Return-Path). A CR-only message is hashed after its CRs were read as CRLF.
   */
  bodySha256: z.string().regex(/^[0-9a-f]{64}$/),
  /**
   * Hex SHA-256 of what makes the message this message: its From and Subject headers as received
   * (raw, before any decoding, so a better decoder never changes it) and its body's bytes. With the
   * Message-ID it keys the message's idempotency (core/email/ingest-email.ts `inboundKey`).
   */
  contentSha256: z.string().regex(/^[0-9a-f]{64}$/),
  rawSize: z.number().int().nonnegative(),
  /** What could not be parsed or was cut, in words for a supervisor; empty for a clean message. */
  parseProblems: z.array(z.string().max(500)),
});
export type InboundEmail = z.infer<typeof InboundEmailSchema>;
