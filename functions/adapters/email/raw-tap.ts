import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The raw message on its way into mailparser, one chunk at a time: its SHA-256 and size (of the
 * bytes as stored, for idempotency and the record), the SHA-256 of its body (everything after the
 * top-level header block, for idempotency across redeliveries that differ only in trace headers),
 * classic Mac line endings turned into CRLF, and the charset labels it names (so that unknown ones
 * can be reported). Nothing is kept but the current line, so a message of any size passes in
 * constant memory.
 */

/**
 * How much of the start is looked at to decide whether lines end in CR alone. The decision is a
 * majority, not "no LF at all": SES puts its own CRLF trace headers (Return-Path, Received, the
 * verdicts) in front of the message it stores and the SMTP transport ends it with CRLF, so a
 * CR-only message arrives with a few LFs.
 */
const LINE_ENDING_PROBE = 65_536;
/** Lines are scanned for charset labels up to this length; longer ones are base64 or text, not labels. */
const SCAN_LINE_MAX = 8_192;
/** A folded Content-Type header is scanned up to this length. */
const CONTENT_TYPE_MAX = 4_096;
const LABELS_MAX = 50;

const ENCODED_WORD_CHARSET = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?[bq]\?/gi;
const CHARSET_PARAM = /charset\s*=\s*"?([A-Za-z][A-Za-z0-9._:+-]*)/i;
const CONTENT_TYPE_LINE = /^content-type\s*:/i;

export interface RawFacts {
  sha256: string;
  size: number;
  /**
   * SHA-256 of everything after the first empty line (the top-level header block and that line
   * left out), of the bytes as read: the bytes as stored, except for a CR-only message, whose
   * body is hashed after its CRs were read as CRLF.
   */
  bodySha256: string;
  /** True when the message had CR-only line endings and was read as CRLF. */
  crOnly: boolean;
  /** Charset labels named in Content-Type parameters and RFC 2047 encoded words, lower-cased. */
  charsetLabels: string[];
  /** The charset parameters of Content-Type headers (any part), lower-cased, in the order they come. */
  declaredCharsets: string[];
}

export class RawTap extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private readonly bodyHash: Hash = createHash('sha256');
  /** Where the scan for the end of the header block is: 'start' of a line, after a CR there ('cr'), within a line, or past the block. */
  private headerState: 'start' | 'cr' | 'line' | 'body' = 'start';
  private size = 0;
  /** Bytes held back until the line endings are known. */
  private probe: Buffer[] | undefined = [];
  private probeSize = 0;
  private crOnly = false;
  /** A trailing CR held back in CR-only mode, in case the next chunk starts with LF. */
  private pendingCr = false;
  private partialLine = '';
  private contentType: string | undefined;
  private readonly labels = new Set<string>();
  private readonly declared = new Set<string>();
  private finishedFacts: RawFacts | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    if (this.probe) {
      this.probe.push(chunk);
      this.probeSize += chunk.length;
      if (this.probeSize < LINE_ENDING_PROBE) return done();
      this.releaseProbe();
      return done();
    }
    this.forward(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    if (this.probe) this.releaseProbe();
    if (this.pendingCr) this.emitChunk(Buffer.from('\r\n'));
    this.pendingCr = false;
    this.scanLine(this.partialLine);
    this.endContentType();
    this.finishedFacts = {
      sha256: this.hash.digest('hex'),
      size: this.size,
      bodySha256: this.bodyHash.digest('hex'),
      crOnly: this.crOnly,
      charsetLabels: [...this.labels],
      declaredCharsets: [...this.declared],
    };
    done();
  }

  /** The facts of the whole message; only once the stream has ended. */
  facts(): RawFacts | undefined {
    return this.finishedFacts;
  }

  private releaseProbe(): void {
    const head = Buffer.concat(this.probe ?? [], this.probeSize);
    this.probe = undefined;
    this.crOnly = bareCrsOutnumberLfs(head.subarray(0, LINE_ENDING_PROBE));
    this.forward(head);
  }

  private forward(chunk: Buffer): void {
    if (!this.crOnly) return this.emitChunk(chunk);
    // Bytes map one to one except CR -> CRLF, so latin1 round-trips them unchanged.
    let text = (this.pendingCr ? '\r' : '') + chunk.toString('latin1');
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    this.emitChunk(Buffer.from(text.replace(/\r(?!\n)/g, '\r\n'), 'latin1'));
  }

  private emitChunk(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.hashBody(chunk);
    this.scan(chunk);
    this.push(chunk);
  }

  /** The body hash: bytes are looked at one by one only until the empty line that ends the header block. */
  private hashBody(chunk: Buffer): void {
    if (this.headerState === 'body') {
      this.bodyHash.update(chunk);
      return;
    }
    for (let i = 0; i < chunk.length; i += 1) {
      const byte = chunk[i];
      if (byte === 0x0a) {
        if (this.headerState !== 'line') {
          // An empty line (LF or CRLF alone): the body starts after it.
          this.headerState = 'body';
          this.bodyHash.update(chunk.subarray(i + 1));
          return;
        }
        this.headerState = 'start';
      } else {
        this.headerState = byte === 0x0d && this.headerState === 'start' ? 'cr' : 'line';
      }
    }
  }

  /** Charset labels, line by line, without ever holding more than one (bounded) line. */
  private scan(chunk: Buffer): void {
    if (this.labels.size >= LABELS_MAX) return;
    const lines = (this.partialLine + chunk.toString('latin1')).split('\n');
    this.partialLine = (lines.pop() ?? '').slice(0, SCAN_LINE_MAX);
    for (const line of lines) this.scanLine(line);
  }

  private scanLine(rawLine: string): void {
    const line = rawLine.length > SCAN_LINE_MAX ? rawLine.slice(0, SCAN_LINE_MAX) : rawLine;
    if (this.contentType !== undefined && /^[ \t]/.test(line)) {
      if (this.contentType.length < CONTENT_TYPE_MAX) this.contentType += line;
    } else {
      this.endContentType();
      if (CONTENT_TYPE_LINE.test(line)) this.contentType = line;
    }
    if (line.includes('=?')) for (const m of line.matchAll(ENCODED_WORD_CHARSET)) this.addLabel(m[1]);
  }

  private endContentType(): void {
    if (this.contentType === undefined) return;
    const charset = CHARSET_PARAM.exec(this.contentType)?.[1];
    this.addLabel(charset);
    if (charset && this.declared.size < LABELS_MAX) this.declared.add(charset.toLowerCase());
    this.contentType = undefined;
  }

  private addLabel(label: string | undefined): void {
    if (label && this.labels.size < LABELS_MAX) this.labels.add(label.toLowerCase());
  }
}

/** More CRs not followed by LF than LFs: the lines end in CR alone (bar a few added in transit). */
function bareCrsOutnumberLfs(probe: Buffer): boolean {
  let bareCrs = 0;
  let lfs = 0;
  for (let i = probe.indexOf(0x0d); i >= 0; i = probe.indexOf(0x0d, i + 1)) if (probe[i + 1] !== 0x0a) bareCrs += 1;
  for (let i = probe.indexOf(0x0a); i >= 0; i = probe.indexOf(0x0a, i + 1)) lfs += 1;
  return bareCrs > lfs;
}
