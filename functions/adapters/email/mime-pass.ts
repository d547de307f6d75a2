import type { Readable } from 'node:stream';
import { MailParser, type AttachmentStream, type HeaderLines, type Headers, type MailParserOptions, type MessageText } from 'mailparser';
import { AttachmentSpool, type SpooledContent } from './attachment-spool';
import { RawTap, type RawFacts } from './raw-tap';

/**
 * One pass of mailparser's streaming parser over the raw message: the stream from S3 (or a
 * buffer) goes through the RawTap into MailParser; attachments are spooled as they decode, with
 * the parser waiting for each (backpressure reaches the S3 socket). This is what simpleParser
 * does, minus holding every attachment in memory.
 */

/** Where the raw message comes from; called once per pass (a retry reads it again). */
export type RawSource = () => Readable | Promise<Readable>;

export interface PassPart {
  filename?: string;
  contentType: string;
  contentDisposition?: string;
  cid?: string;
  related: boolean;
  partId?: string;
  content: SpooledContent;
}

export interface PassResult {
  headers: Headers;
  headerLines: HeaderLines;
  text?: string;
  html?: string;
  textConversionError?: Error;
  parts: PassPart[];
  /** Parts past `maxParts`, read and dropped. */
  partsDropped: number;
  raw: RawFacts;
  spool: AttachmentSpool;
}

export interface PassOptions {
  parser: MailParserOptions;
  deadlineMs: number;
  spillBytes?: number;
  memoryBytes?: number;
  spoolDir?: string;
  /** Attachments kept; the rest are read past. */
  maxParts: number;
  /** Stop at the root headers (the body is read past, for the raw hash only). */
  headersOnly?: boolean;
  /** Stop, with RestartPassError, when the root headers say the message must be read another way. */
  restartIf?: (headers: Headers) => boolean;
}

export class ParseDeadlineError extends Error {
  override name = 'ParseDeadlineError';
}

/** The headers were read but the rest of the message never came (a stalled S3 stream): worth a retry. */
export class RawReadError extends Error {
  override name = 'RawReadError';
}

export class RestartPassError extends Error {
  override name = 'RestartPassError';
}

export function mimePass(source: RawSource, options: PassOptions): Promise<PassResult> {
  const spool = new AttachmentSpool({
    ...(options.spillBytes !== undefined ? { spillBytes: options.spillBytes } : {}),
    ...(options.memoryBytes !== undefined ? { memoryBytes: options.memoryBytes } : {}),
    ...(options.spoolDir ? { baseDir: options.spoolDir } : {}),
  });
  const tap = new RawTap();
  const parser = new MailParser(options.parser);
  const parts: PassPart[] = [];
  const pending: Promise<unknown>[] = [];
  let partsDropped = 0;
  let input: Readable | undefined;
  let headers: Headers | undefined;
  let headerLines: HeaderLines = [];
  let text: MessageText | undefined;

  return new Promise<PassResult>((resolve, reject) => {
    let settled = false;
    const stopAll = () => {
      clearTimeout(timer);
      input?.unpipe(tap);
      tap.unpipe(parser);
      input?.destroy();
      tap.destroy();
      parser.destroy();
    };
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      stopAll();
      // What the abandoned pass spooled goes before the next pass starts.
      void spool
        .dispose()
        .catch(() => undefined) // a file left in /tmp must not hide the error that matters
        .then(() => reject(error instanceof Error ? error : new Error(String(error))));
    };
    const succeed = async () => {
      if (settled) return;
      try {
        await Promise.all(pending);
      } catch (error) {
        return fail(error);
      }
      const raw = tap.facts();
      if (!raw) return fail(new RawReadError('the raw message could not be read to its end'));
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        headers: headers ?? new Map(),
        headerLines,
        ...(typeof text?.text === 'string' ? { text: text.text } : {}),
        ...(typeof text?.html === 'string' ? { html: text.html } : {}),
        ...(text?.textConversionError ? { textConversionError: text.textConversionError } : {}),
        parts,
        partsDropped,
        raw,
        spool,
      });
    };
    // At the deadline: if the tap is waiting for bytes the source never sends (a stalled S3
    // stream), that is a read failure worth a retry; if the parser is what stopped, a parse one.
    const starved = () => input !== undefined && !input.readableEnded && !tap.writableNeedDrain;
    const timer = setTimeout(
      () =>
        fail(
          starved() || (options.headersOnly && headers)
            ? new RawReadError(`the raw message did not arrive whole within ${options.deadlineMs} ms`)
            : new ParseDeadlineError(`no result after ${options.deadlineMs} ms`),
        ),
      options.deadlineMs,
    );

    tap.on('error', fail);
    // Reading for the headers only, an error past them (too many parts, say) does not matter.
    parser.on('error', (error) => (options.headersOnly && headers ? undefined : fail(error)));
    parser.on('headerLines', (lines: HeaderLines) => {
      headerLines = lines;
    });
    parser.on('headers', (h: Headers) => {
      headers = h;
      if (options.restartIf?.(h)) {
        fail(new RestartPassError('the root headers call for another pass'));
        return;
      }
      if (options.headersOnly) {
        // headerLines is emitted right after headers: read past the body for the raw hash only.
        setImmediate(() => {
          tap.unpipe(parser);
          parser.destroy();
          if (tap.readableEnded) return void succeed();
          tap.on('end', () => void succeed());
          tap.resume();
        });
      }
    });

    let reading = false;
    const read = (): void => {
      reading = true;
      for (let data = parser.read() as AttachmentStream | MessageText | null; data !== null; data = parser.read() as AttachmentStream | MessageText | null) {
        if (data.type === 'text') {
          text = data;
          continue;
        }
        const attachment = data;
        if (parts.length >= options.maxParts) {
          partsDropped += 1;
          attachment.content.on('end', () => {
            attachment.release?.();
            read();
          });
          attachment.content.resume();
          return;
        }
        const collected = spool.collect(attachment.content).then((content) => {
          parts.push(partOf(attachment, content));
          attachment.release?.();
          read();
        });
        collected.catch(fail);
        pending.push(collected);
        return;
      }
      reading = false;
    };
    parser.on('readable', () => {
      if (!reading && !options.headersOnly) read();
    });
    parser.on('end', () => void succeed());

    Promise.resolve()
      .then(source)
      .then((stream) => {
        if (settled) {
          stream.destroy();
          return;
        }
        input = stream;
        stream.on('error', fail);
        stream.pipe(tap).pipe(parser);
      }, fail);
  });
}

function partOf(a: AttachmentStream, content: SpooledContent): PassPart {
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const filename = str(a.filename);
  const contentDisposition = str(a.contentDisposition);
  const cid = str(a.cid);
  const partId = str(a.partId);
  return {
    contentType: str(a.contentType) ?? 'application/octet-stream',
    related: a.related === true,
    content,
    ...(filename ? { filename } : {}),
    ...(contentDisposition ? { contentDisposition } : {}),
    ...(cid ? { cid } : {}),
    ...(partId ? { partId } : {}),
  };
}
