import chardet from 'chardet';
import iconv from 'iconv-lite';
import libmime from 'libmime';

/**
 * Repair of top-level header values that mailparser decodes into mojibake, without a trace:
 *
 * - raw 8-bit bytes inside an encoded word (`=?ISO-8859-1?Q?Fr<F6>sche?=`): mailparser reads the
 *   header as UTF-8 first, so the byte is lost before the word is decoded. Escaped as `=F6`
 *   here, the word is decoded by libmime with its own charset;
 * - UTF-7 encoded words (`=?UTF-7?Q?+AOQ-rger?=`): libmime refuses UTF-7 (it can smuggle markup
 *   past filters in bodies). In the Subject and display names it is decoded with iconv-lite and
 *   handed on as an equivalent UTF-8 word, so that a decoded display name stays a name;
 * - raw 8-bit text outside encoded words that is not UTF-8 (an undeclared Big5 or Shift_JIS
 *   subject): decoded with the charset the message declares elsewhere (Content-Type), else the one
 *   chardet detects, else ISO-8859-1.
 *
 * The value returned is ready for the decoders mailparser uses (libmime.decodeWords for the
 * Subject, parseAddressHeader for address headers), so everything else stays theirs. Every repair
 * is named for a supervisor (header and charset names only, never the text).
 */

export interface HeaderRepair {
  /** The value with its encoded words made ASCII-clean and its undeclared 8-bit text decoded. */
  value: string;
  /** What was repaired, e.g. `Subject: undeclared 8-bit text decoded as Big5 (detected)`. */
  problems: string[];
  /** UTF-7 encoded words were decoded. */
  utf7: boolean;
}

export interface RepairContext {
  /** Charsets the message's Content-Type headers declare, in order (the raw tap collects them). */
  declaredCharsets: string[];
  /** Undeclared 8-bit text of all the top-level headers together: more for chardet to go on than one header. */
  detectionSample: Buffer;
}

/** chardet is given at most this much; it reads no further than it needs anyway. */
export const DETECTION_SAMPLE_MAX = 4_096;

const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?]*)\?=/g;
const UTF7 = /^(?:unicode-1-1-)?utf-?7$/i;
// eslint-disable-next-line no-control-regex -- ESC starts an ISO-2022 shift: 7-bit bytes that are not ASCII text
const NOT_ASCII_TEXT = /[\u0080-\u00ff\u001b]/;
// eslint-disable-next-line no-control-regex -- as above
const NOT_ASCII_TEXT_ALL = /[\u0080-\u00ff\u001b]/g;
/** Charsets that say nothing about 8-bit text that is not valid UTF-8. */
const NOT_A_FALLBACK = /^(?:utf-?8|us-ascii|ascii|utf-?7|utf-?16.*|utf-?32.*|ucs-?2|unicode.*|binary|8bit|7bit)$/i;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A header line as mailparser keeps it (`Name: value`, folded, one latin1 character a byte) -> its value's bytes, unfolded. */
export function headerValueBytes(line: string): Buffer {
  const value = line.slice(line.indexOf(':') + 1).replace(/\r?\n(?=[ \t])/g, '');
  return Buffer.from(value.trim(), 'latin1');
}

/** The parts of a header value outside encoded words that hold 8-bit text other than UTF-8 (or ISO-2022 shifts). */
export function undeclaredText(value: Buffer): Buffer[] {
  const text = value.toString('latin1');
  if (!NOT_ASCII_TEXT.test(text)) return [];
  return outside(text)
    .filter((segment) => NOT_ASCII_TEXT.test(segment))
    .map((segment) => Buffer.from(segment, 'latin1'))
    .filter((bytes) => bytes.includes(0x1b) || !isUtf8(bytes));
}

/**
 * The repaired value of one header, or undefined when mailparser's own decoding is right (no
 * 8-bit byte in an encoded word, no UTF-7 word, 8-bit text outside words only if it is UTF-8).
 */
export function repairHeader(label: string, value: Buffer, context: RepairContext): HeaderRepair | undefined {
  const text = value.toString('latin1');
  const hasUtf7 = [...text.matchAll(ENCODED_WORD)].some((m) => UTF7.test(charsetOf(m[1] ?? '')));
  if (!hasUtf7 && !NOT_ASCII_TEXT.test(text)) return undefined;

  const problems = new Set<string>();
  const segments = outside(text);
  const loose = segments.filter((s) => NOT_ASCII_TEXT.test(s)).map((s) => Buffer.from(s, 'latin1'));
  const decoding = loose.length > 0 ? looseDecoding(loose, context) : undefined;
  if (decoding?.note) problems.add(`${label}: undeclared 8-bit text decoded as ${decoding.charset} (${decoding.note})`);
  const words = [...text.matchAll(ENCODED_WORD)];
  if (!decoding?.note && !hasUtf7 && !words.some((m) => NOT_ASCII_TEXT.test(m[3] ?? ''))) return undefined;

  let out = '';
  let utf7Run: Buffer[] = [];
  const flushUtf7 = () => {
    if (utf7Run.length === 0) return;
    // One run of adjacent UTF-7 words is one UTF-7 text (a shift may span words): decoded together.
    const decoded = iconv.decode(Buffer.concat(utf7Run), 'utf7');
    out += `=?UTF-8?B?${Buffer.from(decoded, 'utf8').toString('base64')}?=`;
    utf7Run = [];
    problems.add(`${label}: UTF-7 encoded word decoded`);
  };
  let last = 0;
  for (const m of words) {
    const between = text.slice(last, m.index);
    last = m.index + m[0].length;
    const [, rawCharset = '', encoding = 'Q', payload = ''] = m;
    const charset = charsetOf(rawCharset);
    // Whitespace between two UTF-7 words is dropped (RFC 2047 §6.2): the run goes on.
    const continuesRun = UTF7.test(charset) && utf7Run.length > 0 && /^\s*$/.test(between);
    if (!continuesRun) {
      flushUtf7();
      out += decodeLoose(between, decoding?.charset);
    }
    if (UTF7.test(charset)) {
      // libmime undoes the Q or B encoding (as ISO-8859-1, one character a byte); iconv-lite decodes the UTF-7.
      utf7Run.push(Buffer.from(libmime.decodeWord('iso-8859-1', encoding, payload), 'latin1'));
    } else if (!NOT_ASCII_TEXT.test(payload)) {
      out += m[0];
    } else if (encoding.toUpperCase() === 'Q') {
      // The raw bytes become what they should have been: =XX escapes (and a raw space the `_` it stands for).
      const escaped = payload.replace(NOT_ASCII_TEXT_ALL, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/ /g, '_');
      out += `=?${rawCharset}?Q?${escaped}?=`;
      problems.add(`${label}: 8-bit bytes inside an encoded word decoded as ${charset} (the word's charset)`);
    } else {
      // Raw bytes have no place in base64: they are left out, as a base64 decoder skips them.
      out += `=?${rawCharset}?B?${payload.replace(NOT_ASCII_TEXT_ALL, '')}?=`;
      problems.add(`${label}: 8-bit bytes inside a base64 encoded word left out`);
    }
  }
  flushUtf7();
  out += decodeLoose(text.slice(last), decoding?.charset);
  return { value: out, problems: [...problems], utf7: hasUtf7 };
}

/** The text between (and around) encoded words. */
function outside(text: string): string[] {
  return text.split(ENCODED_WORD_SPLIT);
}
const ENCODED_WORD_SPLIT = /=\?[^?\s]+\?[bBqQ]\?[^?]*\?=/;

/** `ISO-8859-1*de` -> `ISO-8859-1` (RFC 2231 language tag). */
function charsetOf(raw: string): string {
  const star = raw.indexOf('*');
  return star >= 0 ? raw.slice(0, star) : raw;
}

interface LooseDecoding {
  charset: string;
  /** Why this charset, when it is not plain UTF-8 (then a problem is recorded). */
  note?: string;
}

/** UTF-8 if valid; else the declared charset, the detected one, ISO-8859-1: the first that decodes every byte. */
function looseDecoding(loose: Buffer[], context: RepairContext): LooseDecoding {
  const escapes = loose.some((b) => b.includes(0x1b));
  if (!escapes && loose.every(isUtf8)) return { charset: 'utf-8' };
  const fits = (charset: string) => loose.every((b) => {
    const decoded = decodeAs(b, charset);
    return decoded !== undefined && !decoded.includes('\uFFFD');
  });
  const declared = () => context.declaredCharsets.find((c) => !NOT_A_FALLBACK.test(c) && fits(c));
  const detected = () => {
    const sample = context.detectionSample.length > 0 ? context.detectionSample : Buffer.concat(loose);
    return chardet
      .analyse(sample.subarray(0, DETECTION_SAMPLE_MAX))
      .map((m) => m.name)
      .find((name) => !NOT_A_FALLBACK.test(name) && fits(name));
  };
  // ISO-2022 escapes name their charset family themselves: detection first. Otherwise the
  // mailer that wrote the body in a charset most likely wrote its headers in it too.
  const order = escapes ? ([detected, declared] as const) : ([declared, detected] as const);
  for (const find of order) {
    const charset = find();
    if (charset) return { charset, note: find === declared ? 'the charset the message declares' : 'detected' };
  }
  return { charset: 'ISO-8859-1', note: 'no charset fits every byte' };
}

function decodeLoose(segment: string, charset: string | undefined): string {
  if (!charset || !NOT_ASCII_TEXT.test(segment)) return segment;
  return decodeAs(Buffer.from(segment, 'latin1'), charset) ?? segment;
}

/** iconv-lite, or Node's WHATWG decoder for the few it lacks (ISO-2022-JP). */
function decodeAs(bytes: Buffer, charset: string): string | undefined {
  if (iconv.encodingExists(charset)) return iconv.decode(bytes, charset);
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return undefined;
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    strictUtf8.decode(bytes);
    return true;
  } catch {
    return false;
  }
}
