import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as yauzl from 'yauzl';
import { ZipExportWriter } from '../../../functions/adapters/zip-export-writer';
import type { BlobBody, BlobMetadata, BlobStore } from '../../../functions/core/ports';
import type { ExportedFile, ExportEntry } from '../../../functions/core/privacy-access';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A store that reads the spooled zip back as S3 would receive it. */
function capturingStore() {
  const stored: { key?: string; bytes?: Buffer; metadata?: BlobMetadata; declaredSize?: number } = {};
  const store: BlobStore = {
    async put(key: string, body: BlobBody, metadata: BlobMetadata) {
      const chunks: Uint8Array[] = [];
      if (body instanceof Uint8Array) chunks.push(body);
      else {
        stored.declaredSize = body.size;
        for await (const c of body.open()) chunks.push(c);
      }
      Object.assign(stored, { key, bytes: Buffer.concat(chunks), metadata });
    },
  };
  return { store, stored };
}

function unzip(bytes: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true }, (error, zip) => {
      if (error || !zip) return reject(error ?? new Error('no zip'));
      const entries = new Map<string, Buffer>();
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) =>
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        }),
      );
      zip.readEntry();
    });
  });
}

/** A large file arriving in 64 KiB pieces, noting when it was opened and when its last piece was taken. */
function streamedFile(name: string, pieces: number, log: string[]) {
  const piece = (n: number) => Buffer.alloc(64 * 1024, n % 251);
  const whole = Buffer.concat(Array.from({ length: pieces }, (_, n) => piece(n)));
  const entry: ExportEntry = {
    path: name,
    category: 'attachment',
    open: async () => {
      log.push(`open ${name}`);
      return (async function* () {
        for (let n = 0; n < pieces; n += 1) yield piece(n);
        log.push(`read ${name}`);
      })();
    },
  };
  return { entry, whole };
}

async function* listOf(entries: ExportEntry[]) {
  for (const e of entries) yield e;
}

describe('the zip export writer', () => {
  it('writes each file whole and opens the next only once the one before is in the zip; the manifest gets each file’s SHA-256 and size, and the files storage lacked', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'zip-writer-test-'));
    const { store, stored } = capturingStore();
    const log: string[] = [];
    const first = streamedFile('cases/CS-AAAAAA/attachments/a-big.bin', 40, log);
    const second = streamedFile('cases/CS-AAAAAA/attachments/b-other.bin', 3, log);
    const record = { path: 'cases/CS-AAAAAA/case.json', category: 'case-record' as const, open: async () => new TextEncoder().encode('{"case":{}}') };
    const gone = { path: 'cases/CS-AAAAAA/messages/1.eml', category: 'raw-message' as const, open: async () => undefined };
    let seen: { files: readonly ExportedFile[]; missing: readonly ExportEntry[] } | undefined;

    const written = await new ZipExportWriter(store, { spoolDir }).write(
      { key: 'privacy-exports/r.zip', filename: 'caseflow-access-r.zip' },
      listOf([record, first.entry, gone, second.entry]),
      (files, missing) => {
        seen = { files, missing };
        return new TextEncoder().encode(JSON.stringify({ files }));
      },
      new Date('2026-03-02T09:00:00Z'),
    );

    expect(log).toEqual([`open ${first.entry.path}`, `read ${first.entry.path}`, `open ${second.entry.path}`, `read ${second.entry.path}`]);
    expect(seen?.files).toEqual([
      { path: record.path, sha256: sha256(new TextEncoder().encode('{"case":{}}')), bytes: 11 },
      { path: first.entry.path, sha256: sha256(first.whole), bytes: first.whole.length },
      { path: second.entry.path, sha256: sha256(second.whole), bytes: second.whole.length },
    ]);
    expect(seen?.missing.map((m) => m.path)).toEqual([gone.path]);

    expect(stored).toMatchObject({ key: 'privacy-exports/r.zip', metadata: { contentType: 'application/zip', filename: 'caseflow-access-r.zip' } });
    expect(written).toEqual({ key: 'privacy-exports/r.zip', bytes: stored.bytes!.length, sha256: sha256(stored.bytes!) });
    expect(stored.declaredSize).toBe(stored.bytes!.length);
    const entries = await unzip(stored.bytes!);
    expect([...entries.keys()]).toEqual([record.path, first.entry.path, second.entry.path, 'manifest.json']);
    expect(entries.get(first.entry.path)?.equals(first.whole)).toBe(true);
    // The spool is gone once the export is stored.
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('fails when a file cannot be read, stores nothing, and leaves no spool behind', async () => {
    const spoolDir = mkdtempSync(join(tmpdir(), 'zip-writer-test-'));
    const { store, stored } = capturingStore();
    const broken: ExportEntry = {
      path: 'cases/CS-AAAAAA/attachments/x.bin',
      category: 'attachment',
      open: async () =>
        (async function* () {
          yield Buffer.alloc(1024);
          throw Object.assign(new Error('connection reset'), { name: 'NetworkingError' });
        })(),
    };
    await expect(new ZipExportWriter(store, { spoolDir }).write({ key: 'privacy-exports/r.zip', filename: 'r.zip' }, listOf([broken]), () => new Uint8Array(), new Date())).rejects.toThrow('connection reset');
    expect(stored.key).toBeUndefined();
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
