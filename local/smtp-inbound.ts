import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { objectCreatedEvent } from './s3-event';
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { StandInCredentials } from './stand-in-credentials';

/**
 * SES's own limit: a received message, headers included, may be up to 40 MB, and the S3 action
 * stores messages up to that size (larger ones SES bounces). The local listener refuses anything
 * larger with 552, as SES does.
 */
export const SES_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

/** User metadata key (`x-amz-meta-envelope`) holding the SMTP envelope as JSON: `{"mailFrom":"…","rcptTo":["…"]}`. */
export const ENVELOPE_METADATA_KEY = 'envelope';

export interface SmtpInboundOptions {
  /** Always 127.0.0.1 for the local stack: no authentication and no TLS. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  s3Endpoint: string;
  /** The install's credentials for s3rver. */
  credentials: StandInCredentials;
  bucket: string;
  /** Like the SES S3 action's object key prefix. */
  keyPrefix?: string;
  /**
   * Accepted recipients, as an SES receipt rule names them: an address (`support@example.com`),
   * a domain (`example.com`) or every subdomain of one (`.example.com`). Others get 550.
   * Omitted or empty: every recipient is accepted.
   */
  recipients?: readonly string[];
  /** Defaults to SES_MAX_MESSAGE_BYTES (40 MB). */
  maxMessageBytes?: number;
  region?: string;
  /**
   * Called once the object is stored, before the sender gets its 250, with the `ObjectCreated:Put`
   * event the bucket notification sends: the caller queues the ingestion (local/inbound-queue.ts),
   * which runs afterwards, as in AWS.
   */
  onStored: (event: S3Event) => void;
  /** Where failures are reported; lines carry the object key and the error name, never addresses or content. */
  log?: (line: string) => void;
}

export interface SmtpInbound {
  host: string;
  port: number;
  /** `smtp://127.0.0.1:<port>` */
  url: string;
  stop: () => Promise<void>;
}

/** Thrown when the SMTP port is taken, so `npm start` can name the option that changes it. */
export class SmtpPortInUseError extends Error {
  readonly code = 'EADDRINUSE';
  constructor(readonly port: number) {
    super(`the SMTP port ${port} is already in use`);
    this.name = 'SmtpPortInUseError';
  }
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** Whether an SES-style receipt rule recipient (address, domain or `.domain`) matches an address. */
export function recipientMatches(rule: string, address: string): boolean {
  const r = rule.trim().toLowerCase();
  const a = address.trim().toLowerCase();
  if (r.includes('@')) return a === r;
  const domain = a.slice(a.lastIndexOf('@') + 1);
  if (r.startsWith('.')) return domain.endsWith(r);
  return domain === r;
}


const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** A 40-character lowercase id, the form of the message ids SES uses as S3 object names. */
const messageId = () => Array.from(randomBytes(40), (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');

/** JSON with every non-ASCII character escaped, so it is a valid HTTP header value. */
const asciiJson = (value: unknown) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);


const addressOf = (a: SMTPServerAddress | false) => (a ? a.address : '');

/** RFC 5322 date as SES writes it in its Received header: `Wed, 07 Oct 2015 12:34:56 +0000 (UTC)`. */
function receivedDate(at: Date): string {
  const [day, date, month, year, time] = at.toUTCString().split(' ');
  return `${day} ${date} ${month} ${year} ${time} +0000 (UTC)`;
}

/**
 * The trace headers SES prepends to a message it stores (a receipt with the S3 action):
 * Return-Path with the envelope sender (`<>` for the null sender of bounces) and its Received
 * header, naming the recipient when there is one. The rest of the message is stored as received.
 */
export function sesTraceHeaders(o: { mailFrom: string; rcptTo: string[]; helo: string; clientIp: string; smtpId: string; region: string; at: Date }): string {
  // What the client said goes into headers: host-name characters only, never a line break.
  const client = o.helo.replace(/[^A-Za-z0-9.\-[\]:]/g, '').slice(0, 255) || 'unknown';
  const mailFrom = o.mailFrom.replace(/[\s<>]/g, '');
  const forClause = o.rcptTo.length === 1 ? `\r\n for ${o.rcptTo[0]};` : ';';
  return (
    `Return-Path: <${mailFrom}>\r\n` +
    `Received: from ${client} (${client} [${o.clientIp}])\r\n by inbound-smtp.${o.region}.amazonaws.com with SMTP id ${o.smtpId}${forClause}\r\n ${receivedDate(o.at)}\r\n`
  );
}

/**
 * The local stand-in for SES inbound: an SMTP listener (smtp-server) that stores each message in
 * the inbound bucket as the SES S3 action does (SES's Return-Path and Received headers in front,
 * the message byte for byte after them), answers 250, and only then hands the
 * `ObjectCreated:Put` event on (`onStored`), as SES answers the sender before the ingestion
 * Lambda runs. Differences from AWS, on purpose: no spam or virus scan (so no X-SES-*-Verdict
 * headers), and the envelope is also kept in `x-amz-meta-envelope` for tools.
 */
export async function startSmtpInbound(opts: SmtpInboundOptions): Promise<SmtpInbound> {
  const host = opts.host ?? '127.0.0.1';
  const maxBytes = opts.maxMessageBytes ?? SES_MAX_MESSAGE_BYTES;
  const keyPrefix = opts.keyPrefix ?? 'inbound/';
  const region = opts.region ?? 'us-east-1';
  const recipients = opts.recipients ?? [];
  const log = opts.log ?? ((line: string) => console.error(line));
  const s3 = new S3Client({
    endpoint: opts.s3Endpoint,
    region,
    forcePathStyle: true,
    credentials: opts.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });

  async function store(raw: Buffer, session: SMTPServerSession): Promise<string> {
    const id = messageId();
    const key = `${keyPrefix}${id}`;
    const envelope = { mailFrom: addressOf(session.envelope.mailFrom), rcptTo: session.envelope.rcptTo.map((r) => r.address) };
    const trace = sesTraceHeaders({ ...envelope, helo: session.hostNameAppearsAs, clientIp: session.remoteAddress, smtpId: id, region, at: new Date() });
    const body = Buffer.concat([Buffer.from(trace, 'utf8'), raw]);
    const out = await s3.send(
      new PutObjectCommand({ Bucket: opts.bucket, Key: key, Body: body, Metadata: { [ENVELOPE_METADATA_KEY]: asciiJson(envelope) } }),
    );
    opts.onStored(
      objectCreatedEvent({
        bucket: opts.bucket,
        key,
        size: body.length,
        eTag: out.ETag ?? '',
        region,
        principal: 'LOCAL-SES',
        configurationId: 'caseflow-local-inbound',
        ...(out.$metadata.requestId ? { requestId: out.$metadata.requestId } : {}),
      }),
    );
    return key;
  }

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    size: maxBytes,
    banner: 'caseflow local SES inbound',
    logger: false,
    closeTimeout: 2000,
    onRcptTo(address, _session, callback) {
      if (recipients.length === 0 || recipients.some((r) => recipientMatches(r, address.address))) return callback();
      callback(smtpError(550, 'Mailbox unavailable: this address does not receive mail here'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (bytes <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded || bytes > maxBytes) {
          callback(smtpError(552, `Message exceeds the maximum size of ${maxBytes} bytes`));
          return;
        }
        store(Buffer.concat(chunks, bytes), session).then(
          (key) => callback(null, `Ok: queued as ${key.slice(key.lastIndexOf('/') + 1)}`),
          (error: unknown) => {
            log(`smtp inbound: could not store a message (${(error as Error).name})`);
            callback(smtpError(451, 'Could not store the message, try again later'));
          },
        );
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new SmtpPortInUseError(opts.port) : error);
    };
    server.once('error', onError);
    server.listen(opts.port, host, () => {
      server.off('error', onError);
      resolve();
    });
  }).catch((error: unknown) => {
    s3.destroy();
    throw error;
  });
  server.on('error', (error: Error) => log(`smtp inbound: ${error.name}`));
  const { port } = server.server.address() as AddressInfo;
  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          s3.destroy();
          resolve();
        });
      }),
  };
}
