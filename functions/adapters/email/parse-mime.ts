import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { convert } from 'html-to-text';
import {
  parseAddressHeader,
  simpleParser,
  type AddressObject,
  type EmailAddress,
  type HeaderLines,
  type Headers,
  type HeaderValue,
  type ParsedMail,
  type SimpleParserOptions,
  type StructuredHeader,
} from 'mailparser';
import { detectExtension } from 'nodemailer/lib/mime-funcs';
import {
  ADDRESS_LIST_MAX,
  ATTACHMENTS_MAX,
  HEADER_VALUE_MAX,
  HTML_MAX,
  InboundEmailSchema,
  REFERENCES_MAX,
  REPORT_PART_MAX,
  SUBJECT_MAX,
  TEXT_MAX,
  type AttachmentMeta,
  type ClassifierHeaders,
  type EmbeddedHeaders,
  type InboundEmail,
  type Mailbox,
  type ReportParts,
} from '../../core/email/inbound-email';
import type { BlobBody } from '../../core/ports';
import libmime from 'libmime';
import { readHead } from './attachment-spool';
import { DETECTION_SAMPLE_MAX, headerValueBytes, repairHeader, undeclaredText, type HeaderRepair } from './header-charset';
import { mimePass, ParseDeadlineError, RawReadError, RestartPassError, type PassOptions, type PassPart, type PassResult, type RawSource } from './mime-pass';
import type { RawFacts } from './raw-tap';

export type { RawSource } from './mime-pass';

/**
 * Raw MIME -> the core's InboundEmail, with mailparser doing all of the MIME work (structure,
 * transfer encodings, charsets, RFC 2047/2231). This module maps mailparser's result onto the
 * schema, bounds it, and records what went wrong in `parseProblems`. Where mailparser's header
 * decoding loses text (raw 8-bit bytes, UTF-7 words), the Subject and address headers are decoded
 * again from their raw bytes (header-charset.ts).
 *
 * The message is streamed (from S3 in the handler): mailparser's streaming parser reads it, and
 * attachments are spooled as they decode (attachment-spool.ts), so memory stays flat whatever
 * the size of the message. Malformed input never throws: whatever could be parsed is returned.
 * The one exception is UnparseableEmailError, when not a single header can be read (the
 * ingestion quarantines it).
 */

export class UnparseableEmailError extends Error {
  constructor(
    message: string,
    public readonly problems: string[],
  ) {
    super(message);
    this.name = 'UnparseableEmailError';
  }
}

export interface ParsedAttachment {
  meta: AttachmentMeta;
  /** The decoded bytes: a Buffer, or a spooled file for a large attachment. */
  body: BlobBody;
}

export interface ParsedInboundEmail {
  email: InboundEmail;
  /** Decoded content of each listed attachment, in the order of `email.attachments`. */
  attachments: ParsedAttachment[];
  /** Removes the spooled attachment files; call it when the message has been ingested (or has failed). */
  dispose(): Promise<void>;
}

export interface ParseMimeOptions {
  /** RCPT TO of the delivery, when known (SES receipt notification, local SMTP listener). */
  envelopeRecipients?: string[];
  /**
   * How long one mailparser pass may take before it is abandoned (mailparser never settles on
   * some truncated embedded messages). Default: 5 s plus 1 s per MB of `sizeHint`.
   */
  deadlineMs?: number;
  /** The size of the raw message when known before reading it (S3's Content-Length). */
  sizeHint?: number;
  /** Attachments of this many bytes or more are spooled to a temporary file (default 1 MiB). */
  spillBytes?: number;
  /** Attachments kept in memory together stay under this; the rest are spooled (default 8 MiB). */
  memoryBytes?: number;
  /** Where spooled attachments go (default: the OS temporary directory, /tmp on Lambda). */
  spoolDir?: string;
}

/** mailparser's limits, kept at its safe defaults: a message over them is parsed for headers only. */
const PARSER_OPTIONS: SimpleParserOptions = {
  checksumAlgo: false, // SHA-256 is computed by the spool, over the same decoded bytes
  keepCidLinks: true, // keep the HTML as sent; no data: URLs inflating it
  skipTextToHtml: true,
  skipTextLinks: true,
  keepDeliveryStatus: true, // delivery-status parts as parts, for the bounce details
  skipHtmlToText: true, // HTML is turned into text here, with images dropped as well as scripts
  maxHtmlLengthToParse: HTML_MAX,
};

/** Report parts read for the classifier (RFC 6522 and its internationalised forms, RFC 6533). */
const DELIVERY_STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const DISPOSITION_TYPES = new Set(['message/disposition-notification', 'message/global-disposition-notification']);
const FEEDBACK_TYPES = new Set(['message/feedback-report']);
const ORIGINAL_TYPES = new Set(['message/rfc822', 'message/global', 'text/rfc822-headers', 'message/global-headers']);
/** The returned message of a report is read this far: its headers are all that is used. */
const ORIGINAL_HEAD_MAX = 256 * 1024;

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are removed
const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/** A message already in memory (tests, the conformance run, the reconcile command). Attachments stay in memory. */
export function parseMime(raw: Buffer, options: ParseMimeOptions = {}): Promise<ParsedInboundEmail> {
  return parseMimeStream(() => Readable.from([raw], { objectMode: false }), { spillBytes: Number.POSITIVE_INFINITY, memoryBytes: Number.POSITIVE_INFINITY, sizeHint: raw.length, ...options });
}

/**
 * A message read from a stream (the handler: S3 GetObject). `source` is called once per pass: a
 * multipart/report is read again with embedded messages kept as parts, and a pass that fails or
 * stalls is retried the same way, then for the headers alone.
 */
export async function parseMimeStream(source: RawSource, options: ParseMimeOptions = {}): Promise<ParsedInboundEmail> {
  const problems: string[] = [];
  const deadlineMs = options.deadlineMs ?? 5_000 + Math.ceil((options.sizeHint ?? 0) / 1_000_000) * 1_000;
  const passOptions = (parser: SimpleParserOptions, extra: Partial<PassOptions> = {}): PassOptions => ({
    parser,
    deadlineMs,
    maxParts: ATTACHMENTS_MAX,
    ...(options.spillBytes !== undefined ? { spillBytes: options.spillBytes } : {}),
    ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
    ...(options.spoolDir ? { spoolDir: options.spoolDir } : {}),
    ...extra,
  });

  let pass: PassResult | undefined;
  let failed = false;
  try {
    // A report is read again with embedded messages as parts, so that the returned original's
    // headers can be read from its message/rfc822 (or text/rfc822-headers) part.
    pass = await mimePass(source, passOptions(PARSER_OPTIONS, { restartIf: isReport }));
  } catch (error) {
    if (error instanceof RawReadError) throw error; // transient: the invocation is retried
    if (!(error instanceof RestartPassError)) {
      failed = true;
      problems.push(`MIME parser ${error instanceof ParseDeadlineError ? 'stalled' : 'failed'} (${errorMessage(error)}): parsed again with embedded messages as attachments`);
    }
  }
  let foreignReports = false;
  if (pass && !isReport(pass.headers) && pass.parts.some(isReportPart)) {
    // Report parts below the root: the message's own (a feedback loop that wraps its ARF report
    // in multipart/mixed) or those of a message it forwards inline (a customer forwarding a
    // bounce)? Read again with embedded messages kept whole, only the message's own are left.
    const first: PassResult = pass;
    try {
      const whole = await mimePass(source, passOptions({ ...PARSER_OPTIONS, ignoreEmbedded: true }));
      if (whole.parts.some(isReportPart)) {
        await first.spool.dispose();
        pass = whole;
      } else {
        await whole.spool.dispose();
        foreignReports = true;
      }
    } catch (error) {
      if (error instanceof RawReadError) {
        await first.spool.dispose();
        throw error;
      }
      problems.push(`report parts below the top level could not be placed (${errorMessage(error)}): read as the message's own`);
    }
  }
  if (!pass) {
    // After a failure, embedded messages as parts too: mailparser stalls on an embedded message
    // whose header block is cut short.
    try {
      pass = await mimePass(source, passOptions({ ...PARSER_OPTIONS, ignoreEmbedded: true }));
    } catch (error) {
      if (error instanceof RawReadError) throw error;
      problems.push(`MIME parser ${error instanceof ParseDeadlineError ? 'stalled' : 'failed'} ${failed ? 'again ' : ''}(${errorMessage(error)}): headers only`);
    }
  }
  const bodyParsed = pass !== undefined;
  if (!pass) {
    try {
      pass = await mimePass(source, passOptions(PARSER_OPTIONS, { headersOnly: true }));
    } catch (error) {
      if (error instanceof RawReadError) throw error; // transient: the invocation is retried
      throw new UnparseableEmailError('No header could be read from the message', [...problems, `headers: ${errorMessage(error)}`]);
    }
    if (pass.headers.size > 0) problems.push('only the headers could be read: the body is in the raw message');
  }
  const result = pass;
  try {
    if (result.headers.size === 0) {
      throw new UnparseableEmailError('No header could be read from the message', [...problems, 'no headers']);
    }
    return { email: await toInboundEmail(result, bodyParsed, options, problems, foreignReports), attachments: attachmentsOf(result), dispose: () => result.spool.dispose() };
  } catch (error) {
    await result.spool.dispose();
    throw error;
  }
}

function attachmentsOf(pass: PassResult): ParsedAttachment[] {
  return pass.parts.map((part, i) => ({ meta: attachmentMeta(part, i), body: part.content.body }));
}

async function toInboundEmail(pass: PassResult, bodyParsed: boolean, options: ParseMimeOptions, problems: string[], foreignReports: boolean): Promise<InboundEmail> {
  if (pass.raw.crOnly) problems.unshift('CR-only line endings: read as CRLF');
  const headers = pass.headers;
  const lines = pass.headerLines;
  const repaired = repairedHeaders(lines, pass.raw);
  noteUnknownCharsets(pass.raw.charsetLabels, problems, repaired.utf7);
  problems.push(...repaired.problems);
  const addressHeader = (key: string) => repaired.addresses.get(key) ?? headers.get(key);

  const fromList = addresses(addressHeader('from'), 'From', problems);
  let from: Mailbox | undefined = fromList[0] ?? addressInName(addressHeader('from'), problems);
  if (fromList.length > 1) problems.push(`From names ${fromList.length} addresses: the first is the sender`);
  if (!from) {
    for (const [key, label] of [
      ['sender', 'Sender'],
      ['reply-to', 'Reply-To'],
      ['return-path', 'Return-Path'],
    ] as const) {
      from = addresses(addressHeader(key), label, [])[0];
      if (from) {
        problems.push(`no From address: the sender is taken from ${label}`);
        break;
      }
    }
    if (!from) problems.push('no sender address in From, Sender, Reply-To or Return-Path');
  }

  const header = <T>(key: string) => headers.get(key) as T | undefined;
  const subject = boundedSubject(repaired.subject ?? header<string>('subject'), problems);
  const { text, html } = bodies(pass, problems);
  if (pass.partsDropped > 0) problems.push(`${pass.parts.length + pass.partsDropped} attachments: only the first ${ATTACHMENTS_MAX} are kept`);
  // Report parts that belong to a forwarded message say nothing about this one.
  const report = foreignReports ? undefined : await reportParts(headers, pass.parts, problems);
  if (bodyParsed && contentTypeOf(headers)?.value.startsWith('multipart/') && !text.trim() && !html && pass.parts.length === 0) {
    problems.push('multipart message with no readable part (its boundary never matched)');
  }

  const email: InboundEmail = {
    messageId: messageIdValue(header<string>('message-id')),
    inReplyTo: messageIdValue(header<string>('in-reply-to')),
    references: referencesOf(header<string | string[]>('references'), problems),
    from,
    to: addresses(addressHeader('to'), 'To', problems),
    cc: addresses(addressHeader('cc'), 'Cc', problems),
    replyTo: addresses(addressHeader('reply-to'), 'Reply-To', problems),
    deliveredTo: deliveredTo(headers, lines),
    envelopeRecipients: [...(options.envelopeRecipients ?? []), ...sesReceiptRecipients(lines)]
      .map((r) => r.trim().toLowerCase().slice(0, 320))
      .filter(Boolean)
      .slice(0, ADDRESS_LIST_MAX),
    subject,
    date: dateOf(lines, header<Date>('date'), problems),
    text,
    html,
    headers: classifierHeaders(headers, lines),
    report,
    attachments: pass.parts.map((part, i) => attachmentMeta(part, i)),
    rawSha256: pass.raw.sha256,
    bodySha256: pass.raw.bodySha256,
    contentSha256: createHash('sha256').update(JSON.stringify([rawHeader(lines, 'from')[0] ?? '', rawHeader(lines, 'subject')[0] ?? '', pass.raw.bodySha256])).digest('hex'),
    rawSize: pass.raw.size,
    parseProblems: problems.map((p) => p.slice(0, 500)),
  };
  // The schema is the contract with the core: a mapping slip fails here, not in a handler later.
  return InboundEmailSchema.parse(email);
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ParseDeadlineError(`no result after ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * libmime decodes a charset it does not know as UTF-8 (never throwing), and says nothing.
 * Name such charsets, so a supervisor knows why the text may read oddly. Only the charset
 * labels are looked at (collected by the RawTap); decoding stays mailparser's.
 */
function noteUnknownCharsets(labels: string[], problems: string[], utf7Repaired: boolean): void {
  for (const label of labels) {
    if (utf7Repaired && /^(?:unicode-1-1-)?utf-?7$/.test(label)) {
      problems.push(`charset "${label}": decoded in the Subject and address names only, read as UTF-8 elsewhere`);
    } else if (!isKnownCharset(label)) {
      problems.push(`unknown charset "${label.slice(0, 40)}": decoded as UTF-8`);
    }
  }
}

/** The headers whose decoding header-charset.ts repairs: the Subject and the address lists the core keeps. */
const REPAIRED_HEADERS: Record<string, string> = { subject: 'Subject', from: 'From', to: 'To', cc: 'Cc', 'reply-to': 'Reply-To' };
/** Headers mailparser keeps the first occurrence of; To and Cc add up. */
const FIRST_ONLY = new Set(['subject', 'from', 'reply-to']);

interface RepairedHeaders {
  subject?: string;
  addresses: Map<string, AddressObject>;
  problems: string[];
  utf7: boolean;
}

/**
 * mailparser's header values, decoded again from the raw header bytes where its decoding loses
 * text (see header-charset.ts); the rest is left as mailparser decoded it.
 */
function repairedHeaders(lines: HeaderLines, raw: RawFacts): RepairedHeaders {
  const out: RepairedHeaders = { addresses: new Map(), problems: [], utf7: false };
  const sample: Buffer[] = [];
  let sampleSize = 0;
  for (const line of lines) {
    if (sampleSize >= DETECTION_SAMPLE_MAX) break;
    for (const bytes of undeclaredText(headerValueBytes(line.line))) {
      sample.push(bytes);
      sampleSize += bytes.length;
    }
  }
  const context = { declaredCharsets: raw.declaredCharsets, detectionSample: Buffer.concat(sample).subarray(0, DETECTION_SAMPLE_MAX) };
  for (const [key, label] of Object.entries(REPAIRED_HEADERS)) {
    const own = lines.filter((l) => l.key === key).slice(0, FIRST_ONLY.has(key) ? 1 : undefined);
    const values = own.map((l) => headerValueBytes(l.line));
    const repairs = values.map((v) => repairHeader(label, v, context));
    if (!repairs.some(Boolean)) continue;
    for (const r of repairs) {
      if (!r) continue;
      out.utf7 ||= r.utf7;
      for (const p of r.problems) if (!out.problems.includes(p)) out.problems.push(p);
    }
    const text = (i: number, r: HeaderRepair | undefined) => r?.value ?? values[i]?.toString('utf8') ?? '';
    if (key === 'subject') out.subject = libmime.decodeWords(text(0, repairs[0]));
    else out.addresses.set(key, parseAddressHeader(repairs.map((r, i) => text(i, r))));
  }
  return out;
}

/** WHATWG encodings (what Node's ICU decodes) cover the charsets iconv-lite and encoding-japanese decode for mailparser. */
function isKnownCharset(label: string): boolean {
  if (/^(utf-?8|us-ascii|ascii|ansi_x3\.4-1968|iso-?646-us|8bit|binary|utf-?16.*|utf-?32.*|ucs-?2)$/i.test(label)) return true;
  try {
    new TextDecoder(label);
    return true;
  } catch {
    // libmime also knows a few aliases the WHATWG list lacks
    return /^(cp|win|windows-?)125\d$|^(iso[-_]?8859[-_]?\d{1,2}|latin-?\d|cp\d{3,4}|ks_c_5601.*|x-sjis|sjis|cseucpkdfmtjapanese|x-euc-jp|euc-jp|euc-cn|gb18030|big5-hkscs|tis-620|koi8-[ru])$/i.test(label);
  }
}

function boundedSubject(value: string | undefined, problems: string[]): string {
  const subject = clean(value ?? '').replace(/\s+/g, ' ').trim();
  if (subject.includes('\uFFFD')) problems.push('Subject has bytes that could not be decoded');
  if (subject.length > SUBJECT_MAX) {
    problems.push(`Subject of ${subject.length} characters cut to ${SUBJECT_MAX}`);
    return subject.slice(0, SUBJECT_MAX);
  }
  return subject;
}

const HTML_TO_TEXT_OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'head', format: 'skip' },
    { selector: 'script', format: 'skip' },
    { selector: 'style', format: 'skip' },
    { selector: 'template', format: 'skip' },
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkSymbolIfSameAsText: true, noAnchorUrl: true } },
  ],
  limits: { maxDepth: 500 },
};

function bodies(parsed: Pick<PassResult, 'text' | 'html' | 'textConversionError'>, problems: string[]): { text: string; html?: string } {
  let html = typeof parsed.html === 'string' && parsed.html.length > 0 ? parsed.html : undefined;
  let text = parsed.text ?? '';
  if (parsed.textConversionError) problems.push(`HTML could not be turned into text: ${parsed.textConversionError.message}`);
  if (text.trim() === '' && html) {
    // HTML-only mail: html-to-text (the converter mailparser uses) with scripts, styles and
    // images dropped. Also covers HTML-only multipart/alternative, which mailparser leaves empty.
    if (html.length > HTML_MAX) {
      problems.push(`HTML of ${html.length} characters too long to turn into text`);
    } else if (nestsDeeperThan(html, MAX_HTML_NESTING)) {
      problems.push(`HTML nested deeper than ${MAX_HTML_NESTING} levels: not turned into text`);
    } else {
      try {
        text = convert(html, HTML_TO_TEXT_OPTIONS);
      } catch (error) {
        problems.push(`HTML could not be turned into text: ${errorMessage(error)}`);
      }
    }
  }
  text = clean(text.replace(/\r\n?/g, '\n'));
  if (text.includes('\uFFFD')) problems.push('body text has bytes that could not be decoded');
  if (text.length > TEXT_MAX) {
    problems.push(`body text of ${text.length} characters cut to ${TEXT_MAX}`);
    text = text.slice(0, TEXT_MAX);
  }
  if (html && html.length > HTML_MAX) {
    problems.push(`HTML of ${html.length} characters not kept (limit ${HTML_MAX}); the raw message has it`);
    html = undefined;
  }
  return { text, html };
}

/**
 * htmlparser2 (under html-to-text) is quadratic in the nesting depth, so deeply nested markup
 * (an attack, never real mail: browsers flatten past 512 levels) is not converted. One linear
 * pass over the tags, as mailparser guards its own conversion; void elements and elements
 * closed implicitly by their siblings (p, li, td, …) do not count.
 */
const MAX_HTML_NESTING = 1000;
const NON_NESTING = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp']);

function nestsDeeperThan(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  for (const m of html.replace(/<!--[\s\S]*?-->/g, '').matchAll(/<(\/?)([a-zA-Z][a-zA-Z0-9:_-]*)[^>]*>/g)) {
    const name = (m[2] ?? '').toLowerCase();
    if (NON_NESTING.has(name)) continue;
    if (m[1] !== '/') {
      stack.push(name);
      open.set(name, (open.get(name) ?? 0) + 1);
      if (stack.length > max) return true;
    } else if ((open.get(name) ?? 0) > 0) {
      for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
        open.set(top, (open.get(top) ?? 1) - 1);
        if (top === name) break;
      }
    }
  }
  return false;
}

function attachmentMeta(part: PassPart, index: number): AttachmentMeta {
  const contentType = (part.contentType.trim() || 'application/octet-stream').toLowerCase().slice(0, 255);
  const given = clean(part.filename ?? '').replace(/[/\\]/g, '_').replace(/^\.+/, '').trim();
  const partId = part.partId ?? '';
  return {
    filename: given ? given.slice(-255) : `part-${partId || index + 1}.${extensionFor(contentType)}`,
    contentType,
    size: part.content.size,
    sha256: part.content.sha256,
    contentId: part.cid ? part.cid.slice(0, 998) : undefined,
    inline: part.related || (part.contentDisposition ?? '').toLowerCase() === 'inline',
    partId: partId ? partId.slice(0, 100) : undefined,
  };
}

function extensionFor(contentType: string): string {
  if (contentType.startsWith('message/') && contentType !== 'message/rfc822' && contentType !== 'message/global') return 'txt';
  if (contentType === 'message/global') return 'eml';
  return detectExtension(contentType) || 'bin';
}

async function reportParts(headers: Headers, parts: PassPart[], problems: string[]): Promise<ReportParts | undefined> {
  const partText = async (types: Set<string>) => {
    const part = parts.find((p) => types.has(p.contentType.toLowerCase()));
    // UTF-8 takes at most 4 bytes a character: this many bytes hold REPORT_PART_MAX characters.
    return part ? clean((await readHead(part.content.body, REPORT_PART_MAX * 4)).toString('utf8')).slice(0, REPORT_PART_MAX) : undefined;
  };
  const report: ReportParts = {
    deliveryStatus: await partText(DELIVERY_STATUS_TYPES),
    dispositionNotification: await partText(DISPOSITION_TYPES),
    feedbackReport: await partText(FEEDBACK_TYPES),
  };
  if (!isReport(headers) && !report.deliveryStatus && !report.dispositionNotification && !report.feedbackReport) return undefined;
  const originalPart = parts.find((p) => ORIGINAL_TYPES.has(p.contentType.toLowerCase()));
  if (originalPart) {
    try {
      const head = await readHead(originalPart.content.body, ORIGINAL_HEAD_MAX);
      const content = originalPart.contentType.toLowerCase().endsWith('headers') ? Buffer.concat([head, Buffer.from('\r\n\r\n')]) : head;
      const original = await withDeadline(simpleParser(content, { ...PARSER_OPTIONS, ignoreEmbedded: true }), 5_000);
      report.original = embeddedHeaders(original);
    } catch (error) {
      problems.push(`headers of the returned message could not be read: ${errorMessage(error)}`);
    }
  }
  return report;
}

function embeddedHeaders(m: ParsedMail): EmbeddedHeaders {
  const first = (v: AddressObject | AddressObject[] | undefined) => addresses(v, 'embedded', []).map((a) => a.address);
  return {
    messageId: messageIdValue(m.messageId),
    inReplyTo: messageIdValue(m.inReplyTo),
    references: referencesOf(m.references, []),
    subject: m.subject ? clean(m.subject).replace(/\s+/g, ' ').trim().slice(0, SUBJECT_MAX) : undefined,
    from: first(m.from)[0],
    to: first(m.to),
  };
}

/** Headers only mailing-list managers put on their own notices and on list traffic (Mailman, ezmlm, fml, LISTSERV, Sympa, Ecartis). */
const LIST_MANAGER_HEADERS = ['x-list-administrivia', 'x-mailman-version', 'mailing-list', 'x-mlserver', 'x-listserver', 'x-listprocessor-version', 'x-sympa-to', 'x-ecartis-version'];

function classifierHeaders(headers: Headers, lines: HeaderLines): ClassifierHeaders {
  const one = (key: string) => {
    const value = rawHeader(lines, key)[0];
    return value === undefined ? undefined : value.slice(0, HEADER_VALUE_MAX);
  };
  const contentType = contentTypeOf(headers);
  const returnPath = one('return-path');
  return {
    autoSubmitted: one('auto-submitted'),
    precedence: one('precedence'),
    listId: one('list-id'),
    listUnsubscribe: one('list-unsubscribe'),
    xAutoResponseSuppress: one('x-auto-response-suppress'),
    xAutoreply: one('x-autoreply'),
    xAutorespond: one('x-autorespond'),
    sesSpamVerdict: one('x-ses-spam-verdict'),
    sesVirusVerdict: one('x-ses-virus-verdict'),
    authenticationResults: one('authentication-results'),
    returnPath:
      returnPath === undefined
        ? undefined
        : /^<\s*>$/.test(returnPath)
          ? ''
          : (parseAddressHeader(returnPath).value[0]?.address ?? returnPath).toLowerCase().slice(0, HEADER_VALUE_MAX),
    contentType: contentType?.value.slice(0, HEADER_VALUE_MAX),
    reportType: typeof contentType?.params['report-type'] === 'string' ? contentType.params['report-type'].trim().toLowerCase().slice(0, HEADER_VALUE_MAX) : undefined,
    fromHeader: one('from')?.slice(0, 320),
    listManager: LIST_MANAGER_HEADERS.find((name) => lines.some((l) => l.key === name)),
    xFailedRecipients: rawHeader(lines, 'x-failed-recipients')
      .flatMap((v) => v.split(/[,\s]+/))
      .map((v) => v.replace(/^<|>$/g, '').toLowerCase())
      .filter((v) => v.includes('@'))
      .map((v) => v.slice(0, 320))
      .slice(0, ADDRESS_LIST_MAX),
  };
}

function deliveredTo(headers: Headers, lines: HeaderLines): string[] {
  const found = [
    ...addresses(headers.get('delivered-to'), 'Delivered-To', []),
    ...addresses(parseAddressHeader(rawHeader(lines, 'x-original-to')), 'X-Original-To', []),
    ...addresses(parseAddressHeader(rawHeader(lines, 'envelope-to')), 'Envelope-To', []),
  ].map((m) => m.address);
  return [...new Set(found)].slice(0, ADDRESS_LIST_MAX);
}

/**
 * The recipient SES received the message for: SES prepends a `Received: … by
 * inbound-smtp.<region>.amazonaws.com with SMTP id … for <address>; <date>` header to the stored
 * message (the only place the envelope is kept). Only the first Received header is read: any
 * later one was written by the sender's side and proves nothing.
 */
function sesReceiptRecipients(lines: HeaderLines): string[] {
  const first = rawHeader(lines, 'received')[0];
  if (!first || !/\bby\s+inbound-smtp\.[a-z0-9-]+\.amazonaws\.com\b/i.test(first)) return [];
  const recipient = /\sfor\s+<?([^\s<>;]+@[^\s<>;]+)>?\s*;/i.exec(first)?.[1];
  return recipient ? [recipient] : [];
}

/** Every occurrence of a header, unfolded, without its name. */
function rawHeader(lines: HeaderLines, key: string): string[] {
  return lines
    .filter((l) => l.key === key)
    .map((l) => l.line.slice(l.line.indexOf(':') + 1).replace(/\r?\n[ \t]+/g, ' ').trim());
}

/** The message's Content-Type, media type lower-cased. */
function contentTypeOf(headers: Headers): StructuredHeader | undefined {
  const value = headers.get('content-type');
  const first = Array.isArray(value) ? value[0] : value;
  if (!first || typeof first !== 'object' || !('value' in first) || typeof first.value !== 'string') return undefined;
  const params = 'params' in first && first.params && typeof first.params === 'object' ? (first.params as Record<string, string>) : {};
  return { value: first.value.trim().toLowerCase(), params };
}

function isReportPart(part: PassPart): boolean {
  const type = part.contentType.toLowerCase();
  return DELIVERY_STATUS_TYPES.has(type) || DISPOSITION_TYPES.has(type) || FEEDBACK_TYPES.has(type);
}

function isReport(headers: Headers): boolean {
  return contentTypeOf(headers)?.value === 'multipart/report';
}

function addressObjects(value: HeaderValue | undefined): AddressObject[] {
  if (!value || typeof value !== 'object' || value instanceof Date) return [];
  return (Array.isArray(value) ? value : [value]).filter((v): v is AddressObject => typeof v === 'object' && v !== null && 'value' in v && Array.isArray(v.value));
}

function addresses(value: HeaderValue | undefined, label: string, problems: string[]): Mailbox[] {
  const objects = addressObjects(value);
  const flat: Mailbox[] = [];
  const visit = (entry: EmailAddress) => {
    if (entry.group) entry.group.forEach(visit);
    else if (entry.address && entry.address.includes('@')) {
      const name = clean(entry.name ?? '').replace(/\s+/g, ' ').trim();
      if (name.includes('\uFFFD') && !problems.includes(`${label} name has bytes that could not be decoded`)) {
        problems.push(`${label} name has bytes that could not be decoded`);
      }
      flat.push({ address: entry.address.trim().toLowerCase().slice(0, 320), name: name ? name.slice(0, 500) : undefined });
    }
  };
  objects.forEach((o) => o.value.forEach(visit));
  if (flat.length > ADDRESS_LIST_MAX) {
    problems.push(`${label} lists ${flat.length} addresses: only the first ${ADDRESS_LIST_MAX} are kept`);
    return flat.slice(0, ADDRESS_LIST_MAX);
  }
  return flat;
}

/**
 * A broken mailer put the whole `Name <address>` of From inside one encoded word. mailparser keeps
 * what such a word decodes to as the display name only (RFC 2047 keeps encoded words out of
 * addresses), so From has a name and no address. Only then, the name is parsed again with
 * mailparser's address parser: a From that has an address is never overridden by its name.
 */
function addressInName(value: HeaderValue | undefined, problems: string[]): Mailbox | undefined {
  for (const object of addressObjects(value)) {
    for (const entry of object.value) {
      if (entry.address || !entry.name?.includes('@')) continue;
      const [found] = addresses(parseAddressHeader(entry.name), 'From', []);
      if (!found) continue;
      problems.push('From has its address inside the display name (a whole encoded word): read from there');
      return found;
    }
  }
  return undefined;
}

function messageIdValue(value: string | undefined): string | undefined {
  const v = value?.replace(/\s+/g, ' ').trim();
  return v ? v.slice(0, SUBJECT_MAX) : undefined;
}

function referencesOf(value: string | string[] | undefined, problems: string[]): string[] {
  const all = (Array.isArray(value) ? value : value ? [value] : []).flatMap((v) => v.split(/\s+/)).filter(Boolean);
  if (all.length > REFERENCES_MAX) {
    problems.push(`References lists ${all.length} Message-IDs: the last ${REFERENCES_MAX} are kept`);
  }
  // The last entries are the nearest ancestors: keep those.
  return all.slice(-REFERENCES_MAX).map((v) => v.slice(0, SUBJECT_MAX));
}

/** mailparser substitutes the parse time for a Date it cannot read: only a readable Date is kept. */
function dateOf(lines: HeaderLines, parsedDate: Date | undefined, problems: string[]): string | undefined {
  const raw = rawHeader(lines, 'date')[0];
  if (raw === undefined) return undefined;
  const date = new Date(raw);
  const year = date.getUTCFullYear();
  if (Number.isNaN(date.getTime()) || !parsedDate || year < 1 || year > 9999) {
    problems.push('Date header could not be read');
    return undefined;
  }
  return date.toISOString();
}

function clean(value: string): string {
  return value.replace(CONTROL_CHARS, '');
}

function errorMessage(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}
