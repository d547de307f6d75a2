import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BlobBody } from '../../core/ports';

/**
 * Decoded attachments of one message while it is ingested. Small ones stay in memory; from
 * `spillBytes` on, an attachment goes to a file in a private temporary directory (Lambda's /tmp),
 * so a 25 MB message never holds its attachments in memory. Each is hashed (SHA-256) as it is
 * read. `dispose()` removes the files; call it when the message is done, whatever happened.
 */

export interface SpooledContent {
  size: number;
  sha256: string;
  /** In memory (a Buffer) or a file read again when stored. */
  body: BlobBody;
}

export const DEFAULT_SPILL_BYTES = 1024 * 1024;
/** In-memory attachments of one message together stay under this; past it, every one is spooled. */
export const DEFAULT_MEMORY_BYTES = 8 * 1024 * 1024;

export class AttachmentSpool {
  private dir: Promise<string> | undefined;
  private files = 0;
  private inMemory = 0;

  constructor(private readonly options: { spillBytes?: number; memoryBytes?: number; baseDir?: string } = {}) {}

  /** Reads one attachment stream to its end, honouring its backpressure. */
  async collect(content: Readable): Promise<SpooledContent> {
    // Spilled when this attachment alone, or all of them kept so far, reach their limit.
    const spillBytes = Math.min(this.options.spillBytes ?? DEFAULT_SPILL_BYTES, Math.max(0, (this.options.memoryBytes ?? DEFAULT_MEMORY_BYTES) - this.inMemory));
    const hash = createHash('sha256');
    let size = 0;
    let chunks: Buffer[] | undefined = [];
    let file: { path: string; stream: WriteStream } | undefined;
    for await (const piece of content) {
      const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece as Uint8Array);
      hash.update(chunk);
      size += chunk.length;
      if (chunks) {
        chunks.push(chunk);
        if (size < spillBytes) continue;
        file = await this.newFile();
        for (const held of chunks) if (!file.stream.write(held)) await drained(file.stream);
        chunks = undefined;
        continue;
      }
      if (file && !file.stream.write(chunk)) await drained(file.stream);
    }
    const sha256 = hash.digest('hex');
    if (!file) {
      this.inMemory += size;
      return { size, sha256, body: Buffer.concat(chunks ?? [], size) };
    }
    file.stream.end();
    await finished(file.stream);
    const path = file.path;
    return { size, sha256, body: { size, open: () => createReadStream(path) } };
  }

  /** Deletes the spilled files. */
  async dispose(): Promise<void> {
    const dir = this.dir;
    this.dir = undefined;
    if (dir) await rm(await dir, { recursive: true, force: true });
  }

  private async newFile(): Promise<{ path: string; stream: WriteStream }> {
    this.dir ??= mkdtemp(join(this.options.baseDir ?? tmpdir(), 'caseflow-mail-'));
    const path = join(await this.dir, `part-${(this.files += 1)}`);
    return { path, stream: createWriteStream(path, { flags: 'wx', mode: 0o600 }) };
  }
}

function drained(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const onDrain = () => {
      stream.off('error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      stream.off('drain', onDrain);
      reject(error);
    };
    stream.once('drain', onDrain);
    stream.once('error', onError);
  });
}

/** The first `max` bytes of a spooled body (report parts are read for their headers only). */
export async function readHead(body: BlobBody, max: number): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, Math.min(body.byteLength, max));
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const piece of body.open()) {
    const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece);
    chunks.push(chunk);
    size += chunk.length;
    if (size >= max) break;
  }
  return Buffer.concat(chunks, size).subarray(0, max);
}
