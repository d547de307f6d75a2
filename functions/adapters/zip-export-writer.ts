import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { MANIFEST_PATH, type ExportedFile, type ExportEntry, type PrivacyExportWriter, type WrittenExport } from '../core/privacy-access';
import type { BlobStore } from '../core/ports';

/**
 * Writes a privacy export as a zip (core/privacy-access.ts) with yazl: maintained (3.x), one small
 * dependency (buffer-crc32), Node streams with backpressure, entries written one after the other
 * and Zip64 when they are large. archiver would bring a dozen packages (tar, glob, readable-stream)
 * for formats caseflow does not write; fflate's streaming Zip is pushed chunk by chunk without
 * backpressure. The tests read exports back with yauzl, its counterpart.
 *
 * Memory: each entry is opened only when the previous one is in the zip, streamed through a
 * SHA-256 on its way in, and the zip itself is spooled to a private temporary file (Lambda's
 * /tmp), then stored with its length, so no attachment and not the export is ever in memory whole.
 * The spool is removed whatever happens.
 */
export class ZipExportWriter implements PrivacyExportWriter {
  constructor(
    private readonly store: BlobStore,
    private readonly options: { spoolDir?: string } = {},
  ) {}

  async write(
    target: { key: string; filename: string },
    entries: AsyncIterable<ExportEntry>,
    manifest: (files: readonly ExportedFile[], missing: readonly ExportEntry[]) => Uint8Array,
    at: Date,
  ): Promise<WrittenExport> {
    const dir = await mkdtemp(join(this.options.spoolDir ?? tmpdir(), 'caseflow-export-'));
    try {
      const path = join(dir, 'export.zip');
      const zip = new ZipFile();
      const output = zip.outputStream as Readable;
      // yazl reports a failed entry on the zip, not on its output: end the output with it.
      zip.on('error', (error: Error) => output.destroy(error));
      const whole = hashing();
      const spooled = pipeline(output, whole.stream, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
      // Awaited below; until then a failure of the entries must not make it an unhandled rejection.
      spooled.catch(() => undefined);
      try {
        const files: ExportedFile[] = [];
        const missing: ExportEntry[] = [];
        for await (const entry of entries) {
          const body = await entry.open();
          if (body === undefined) {
            missing.push(entry);
            continue;
          }
          const file = hashing();
          zip.addReadStream(file.stream, entry.path, { mtime: at });
          await pipeline(body instanceof Uint8Array ? Readable.from([Buffer.from(body.buffer, body.byteOffset, body.byteLength)]) : Readable.from(body), file.stream);
          files.push({ path: entry.path, ...file.digest() });
        }
        zip.addBuffer(Buffer.from(manifest(files, missing)), MANIFEST_PATH, { mtime: at });
        zip.end();
        await spooled;
      } catch (error) {
        output.destroy(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
      const { sha256, bytes } = whole.digest();
      await this.store.put(target.key, { size: bytes, open: () => createReadStream(path) }, { contentType: 'application/zip', filename: target.filename });
      return { key: target.key, bytes, sha256 };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** A pass-through that counts and hashes what goes through it. */
function hashing() {
  const hash = createHash('sha256');
  let bytes = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), bytes }) };
}
