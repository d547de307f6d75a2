import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseMime, parseMimeStream, UnparseableEmailError } from '../../../functions/adapters/email/parse-mime';
import { FIXTURE_NAMES, SUPPORT } from '../../fixtures/email/build-fixtures';
import { bytesOf, rawFixture } from './fixture-email';

/** The raw message as S3 hands it over: in pieces of `size` bytes. */
const inPieces = (raw: Buffer, size: number) => () => {
  const pieces: Buffer[] = [];
  for (let i = 0; i < raw.length; i += size) pieces.push(raw.subarray(i, i + size));
  return Readable.from(pieces, { objectMode: false });
};

let spoolDir: string;
beforeEach(() => {
  spoolDir = mkdtempSync(join(tmpdir(), 'caseflow-spool-unit-'));
});
afterEach(() => rmSync(spoolDir, { recursive: true, force: true }));

describe('streamed MIME parsing: a 25 MB message within a 256 MB handler', () => {
  it('gives the same email streamed in 7-byte pieces as parsed from one buffer, for every fixture', async () => {
    for (const name of FIXTURE_NAMES) {
      const raw = rawFixture(name);
      const whole = await parseMime(raw);
      const streamed = await parseMimeStream(inPieces(raw, 7), { spoolDir });
      expect({ name, email: streamed.email }).toEqual({ name, email: whole.email });
      await streamed.dispose();
    }
  });

  it('spools an attachment past the spill size to a private file, reads it back whole, and removes it on dispose', async () => {
    const scan = randomBytes(300_000);
    const raw = await new MailComposer({ from: 'ada@example.net', to: SUPPORT, subject: 'scan', text: 'attached', attachments: [{ filename: 'scan.bin', content: scan }] }).compile().build();
    const parsed = await parseMimeStream(inPieces(raw, 16_384), { spillBytes: 64 * 1024, spoolDir });
    const [attachment] = parsed.attachments;
    expect(attachment?.body).not.toBeInstanceOf(Uint8Array);
    expect(attachment?.meta.size).toBe(scan.length);
    expect(readdirSync(spoolDir)).toHaveLength(1);
    expect((await bytesOf(attachment?.body ?? new Uint8Array())).equals(scan)).toBe(true);
    await parsed.dispose();
    expect(readdirSync(spoolDir)).toEqual([]);
  });

  it('spools every attachment once those kept in memory reach the memory limit, however small each is', async () => {
    const parts = Array.from({ length: 6 }, (_, i) => ({ filename: `part-${i}.bin`, content: randomBytes(40_000) }));
    const raw = await new MailComposer({ from: 'ada@example.net', to: SUPPORT, subject: 'many', text: 'x', attachments: parts }).compile().build();
    const parsed = await parseMimeStream(inPieces(raw, 16_384), { spillBytes: 64 * 1024, memoryBytes: 100_000, spoolDir });
    expect(parsed.attachments.map((a) => a.body instanceof Uint8Array)).toEqual([true, true, false, false, false, false]);
    const contents = await Promise.all(parsed.attachments.map((a) => bytesOf(a.body)));
    expect(contents.every((c, i) => c.equals(parts[i]?.content ?? Buffer.alloc(0)))).toBe(true);
    await parsed.dispose();
  });

  it('keeps an attachment under the spill size in memory', async () => {
    const parsed = await parseMimeStream(inPieces(rawFixture('attachments'), 1024), { spoolDir });
    expect(parsed.attachments.every((a) => a.body instanceof Uint8Array)).toBe(true);
    expect(existsSync(spoolDir) && readdirSync(spoolDir)).toEqual([]);
  });

  it('reads a delivery report a second time, with the returned message kept as a part, and a plain message once', async () => {
    for (const [name, passes] of [
      ['dsn-bounce', 2],
      ['plain-inquiry', 1],
    ] as const) {
      let opened = 0;
      const source = inPieces(rawFixture(name), 4096);
      const parsed = await parseMimeStream(() => {
        opened += 1;
        return source();
      });
      expect({ name, opened }).toEqual({ name, opened: passes });
      if (name === 'dsn-bounce') expect(parsed.email.report?.original?.messageId).toBeDefined();
    }
  });

  it('fails for a retry, not as unparseable, when the raw message stops arriving after its headers', async () => {
    const stalled = () => {
      const stream = new PassThrough();
      stream.write('From: ada@example.net\r\nSubject: hello\r\nContent-Type: text/plain\r\n\r\nThe body starts and then');
      return stream; // never ended: S3's socket hangs
    };
    const error = await parseMimeStream(stalled, { deadlineMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(UnparseableEmailError);
    expect((error as Error).name).toBe('RawReadError');
  });

  it('removes what a failed pass spooled before the message is read again', async () => {
    const scan = randomBytes(200_000);
    const raw = await new MailComposer({ from: 'ada@example.net', to: SUPPORT, subject: 'scan', text: 'x', attachments: [{ filename: 'a.bin', content: scan }, { filename: 'b.bin', content: scan }] }).compile().build();
    let opened = 0;
    const source = () => {
      opened += 1;
      if (opened > 1) return inPieces(raw, 8192)();
      // The first read breaks off after the first attachment, as a reset S3 connection would.
      const cut = raw.subarray(0, Math.floor(raw.length * 0.75));
      const stream = new PassThrough();
      stream.end(cut);
      return stream.pipe(new PassThrough({ flush: (done) => done(new Error('ECONNRESET')) }));
    };
    const parsed = await parseMimeStream(source, { spillBytes: 1024, spoolDir });
    expect(opened).toBe(2);
    expect(parsed.attachments).toHaveLength(2);
    const spooled = readdirSync(spoolDir);
    expect(spooled).toHaveLength(1); // the second pass's directory only
    expect(readdirSync(join(spoolDir, spooled[0] ?? ''))).toHaveLength(2);
    await parsed.dispose();
    expect(readdirSync(spoolDir)).toEqual([]);
  });
});
