import { createHash } from 'node:crypto';
import type Mail from 'nodemailer/lib/mailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import { parseMime, UnparseableEmailError } from '../../../functions/adapters/email/parse-mime';
import { InboundEmailSchema, SUBJECT_MAX } from '../../../functions/core/email/inbound-email';
import {
  ACK_MESSAGE_ID,
  FIXTURE_NAMES,
  INQUIRY_MESSAGE_ID,
  JAPANESE_SUBJECT,
  JAPANESE_TEXT,
  SUPPORT,
  WINDOWS_1252_SUBJECT,
  WINDOWS_1252_TEXT,
} from '../../fixtures/email/build-fixtures';
import { bytesOf, parseFixture, rawFixture } from './fixture-email';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const compose = (options: Mail.Options) => new MailComposer({ date: new Date('2025-03-04T09:15:00Z'), messageId: '<t@example.net>', ...options }).compile().build();

describe('email MIME parsing (C4.1: the CRM keeps the email thread)', () => {
  it('decodes sender, recipients, subject, text, Message-ID and date of a plain inquiry', async () => {
    const { email } = await parseFixture('plain-inquiry');
    expect(email.from).toEqual({ address: 'ada@example.net', name: 'Ada Lovelace' });
    expect(email.to).toEqual([{ address: SUPPORT }]);
    expect(email.subject).toBe('Question about my order 1234');
    expect(email.text).toBe('Hello,\n\nmy order 1234 has not arrived yet. Can you tell me where it is?\n\nAda\n');
    expect(email.messageId).toBe(INQUIRY_MESSAGE_ID);
    expect(email.date).toBe('2025-03-04T09:15:00.000Z');
    expect(email.parseProblems).toEqual([]);
  });

  it('keeps every recipient of a reply-all, To and Cc, with In-Reply-To and References', async () => {
    const { email } = await parseFixture('reply-all-cc');
    expect(email.to.map((m) => m.address)).toEqual(['ada@example.net']);
    expect(email.cc.map((m) => m.address)).toEqual([SUPPORT, 'charles@example.org']);
    expect(email.inReplyTo).toBe(INQUIRY_MESSAGE_ID);
    expect(email.references).toEqual([INQUIRY_MESSAGE_ID]);
  });

  it('decodes an ISO-2022-JP subject and body', async () => {
    const { email } = await parseFixture('iso-2022-jp');
    expect(email.subject).toBe(JAPANESE_SUBJECT);
    expect(email.text).toBe(JAPANESE_TEXT);
    expect(email.parseProblems).toEqual([]);
  });

  it('decodes a windows-1252 subject and quoted-printable body, curly quotes and euro sign included', async () => {
    const { email } = await parseFixture('windows-1252');
    expect(email.subject).toBe(WINDOWS_1252_SUBJECT);
    expect(email.text).toBe(WINDOWS_1252_TEXT);
    expect(email.from?.name).toBe('Jürgen Müller');
  });

  it('turns HTML-only mail into text without scripts, styles, title or images, and keeps the HTML as sent', async () => {
    const { email } = await parseFixture('html-only-script');
    expect(email.text).toContain('my invoice 2025-117 charges shipping twice.');
    expect(email.text).toContain('Regards, Ada');
    for (const unwanted of ['alert', 'document.cookie', 'evil.example', 'color: red', 'Ignore me', 'tracker.example', 'tracking pixel']) {
      expect(email.text).not.toContain(unwanted);
    }
    expect(email.html).toContain('<script');
  });

  it('lists attachments and inline images with file name, type, size and SHA-256, and returns their content', async () => {
    const { email, attachments } = await parseFixture('attachments');
    expect(email.text).toBe('See the photo below and the delivery note attached.\n');
    const [image, pdf, odd] = email.attachments;
    expect(image).toMatchObject({ filename: 'broken.png', contentType: 'image/png', size: 16, contentId: 'photo-1@example.net', inline: true });
    expect(pdf).toMatchObject({ filename: 'delivery note.pdf', contentType: 'application/pdf', inline: false });
    const contents = await Promise.all(attachments.map((a) => bytesOf(a.body)));
    expect(contents[0]?.equals(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe(true);
    expect(contents[1]?.toString()).toBe('%PDF-1.4\n% fixture\n%%EOF\n');
    attachments.forEach(({ meta }, i) => {
      expect(meta.sha256).toBe(sha256(contents[i] ?? Buffer.alloc(0)));
      expect(meta.size).toBe(contents[i]?.length);
    });
    // A file name is never a path.
    expect(odd?.filename).not.toMatch(/[/\\]|^\./);
  });

  it('names report parts it cannot take a file name from after the part', async () => {
    const { email } = await parseFixture('dsn-bounce');
    expect(email.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['part-2.txt', 'message/delivery-status'],
      ['part-3.eml', 'message/rfc822'],
    ]);
  });

  it('reads the delivery status and the returned message’s headers from a DSN', async () => {
    const { email } = await parseFixture('dsn-bounce');
    expect(email.headers).toMatchObject({ contentType: 'multipart/report', reportType: 'delivery-status', returnPath: '' });
    expect(email.report?.deliveryStatus).toContain('Status: 5.1.1');
    expect(email.report?.original).toMatchObject({ messageId: ACK_MESSAGE_ID, subject: '[CS-7K3M9Q] We received your request', to: ['nobody@example.net'] });
  });

  it('reads the returned headers of a read receipt from its text/rfc822-headers part', async () => {
    const { email } = await parseFixture('read-receipt');
    expect(email.report?.dispositionNotification).toContain('Disposition: manual-action/MDN-sent-manually; displayed');
    expect(email.report?.original?.messageId).toBe(ACK_MESSAGE_ID);
  });

  it('keeps the headers the loop classifier reads', async () => {
    expect((await parseFixture('list-mail')).email.headers).toMatchObject({
      listId: 'Widget Weekly <weekly.lists.example.org>',
      listUnsubscribe: '<mailto:unsubscribe@lists.example.org>',
      precedence: 'list',
    });
    expect((await parseFixture('outlook-auto-reply')).email.headers.xAutoResponseSuppress).toBe('All');
    expect((await parseFixture('vacation-auto-reply')).email.headers).toMatchObject({ autoSubmitted: 'auto-replied', returnPath: '' });
  });

  it('takes the envelope recipients of the delivery, lower-cased', async () => {
    const { email } = await parseMime(rawFixture('plain-inquiry'), { envelopeRecipients: ['Support+CS-7K3M9Q@Example.com'] });
    expect(email.envelopeRecipients).toEqual(['support+cs-7k3m9q@example.com']);
  });

  it('reads CR-only line endings as CRLF, says so, and hashes the bytes as received', async () => {
    const raw = rawFixture('cr-only');
    const { email } = await parseMime(raw);
    expect(email.subject).toBe('Question about my order 1234');
    expect(email.from?.address).toBe('ada@example.net');
    expect(email.parseProblems).toContain('CR-only line endings: read as CRLF');
    expect(email.rawSha256).toBe(sha256(raw));
    expect(email.rawSize).toBe(raw.length);
  });

  it('caps a very long subject at 998 characters and records the cut', async () => {
    const subject = 'Die heiße Zypernsonne quälte Max und Victoria ja böse auf dem Weg bis zur Küste. '.repeat(2_500);
    const { email } = await parseMime(await compose({ from: 'a@example.net', to: SUPPORT, subject, text: 'x' }));
    expect(email.subject).toHaveLength(SUBJECT_MAX);
    expect(email.subject.startsWith('Die heiße Zypernsonne quälte Max')).toBe(true);
    expect(email.parseProblems.join(' ')).toMatch(/Subject of \d+ characters cut to 998/);
  });

  it('names a charset it does not know and still returns the text', async () => {
    const raw = await compose({ from: 'a@example.net', to: SUPPORT, subject: 'x', alternatives: [{ contentType: 'text/plain; charset=x-fakescii', content: 'A text section' }] });
    const { email } = await parseMime(raw);
    expect(email.text.trim()).toBe('A text section');
    expect(email.parseProblems).toContain('unknown charset "x-fakescii": decoded as UTF-8');
  });

  it('returns what it can of truncated messages without throwing anything but UnparseableEmailError', async () => {
    for (const name of FIXTURE_NAMES) {
      const raw = rawFixture(name);
      for (const cut of [1, 40, Math.floor(raw.length / 3), Math.floor(raw.length / 2), raw.length - 7]) {
        try {
          const { email } = await parseMime(raw.subarray(0, cut), { deadlineMs: 1_000 });
          expect(InboundEmailSchema.safeParse(email).success).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(UnparseableEmailError);
        }
      }
    }
  });

  it('throws UnparseableEmailError when not one header can be read', async () => {
    const noHeaders = Buffer.from('This is a simple message not having headers.\r\nThe whole text should be recognized as body.\r\n');
    await expect(parseMime(noHeaders)).rejects.toBeInstanceOf(UnparseableEmailError);
    await expect(parseMime(Buffer.alloc(0))).rejects.toBeInstanceOf(UnparseableEmailError);
  });

  it('abandons a pass that never settles at the deadline and parses embedded messages as attachments', async () => {
    // mailparser never settles on an inline embedded message whose header block is cut short.
    const raw = Buffer.from(
      'From: ada@example.net\r\nSubject: outer\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n' +
        'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\nMIME-Version:',
    );
    const { email } = await parseMime(raw, { deadlineMs: 300 });
    expect(email.subject).toBe('outer');
    expect(email.parseProblems[0]).toMatch(/^MIME parser stalled/);
  });

  it('keeps the headers of a message with more parts than mailparser allows', async () => {
    let raw = 'From: ada@example.net\r\nSubject: many parts\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n';
    for (let i = 0; i < 1_100; i += 1) raw += `--b\r\nContent-Type: application/octet-stream\r\n\r\npart ${i}\r\n`;
    const { email } = await parseMime(Buffer.from(`${raw}--b--\r\n`));
    expect(email.subject).toBe('many parts');
    expect(email.from?.address).toBe('ada@example.net');
    expect(email.parseProblems).toContain('only the headers could be read: the body is in the raw message');
  });

  it('does not turn HTML nested thousands of levels deep into text', async () => {
    const raw = Buffer.from(`From: ada@example.net\r\nContent-Type: text/html\r\n\r\n${'<div>'.repeat(50_000)}x`);
    const { email } = await parseMime(raw);
    expect(email.text).toBe('');
    expect(email.parseProblems).toContain('HTML nested deeper than 1000 levels: not turned into text');
  });

  it('takes the sender from Sender or Reply-To when From has no address, and says so', async () => {
    const raw = Buffer.from('From: undisclosed\r\nReply-To: Ada <ada@example.net>\r\nSubject: hi\r\n\r\nbody\r\n');
    const { email } = await parseMime(raw);
    expect(email.from).toEqual({ address: 'ada@example.net', name: 'Ada' });
    expect(email.parseProblems).toContain('no From address: the sender is taken from Reply-To');
  });

  it('drops a Date it cannot read instead of using the time of parsing', async () => {
    const { email } = await parseMime(Buffer.from('From: ada@example.net\r\nDate: someday soon\r\nSubject: hi\r\n\r\nbody\r\n'));
    expect(email.date).toBeUndefined();
    expect(email.parseProblems).toContain('Date header could not be read');
  });
});
