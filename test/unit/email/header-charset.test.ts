import iconv from 'iconv-lite';
import { parseMime } from '../../../functions/adapters/email/parse-mime';
import { rawFixture } from './fixture-email';

/** A message whose header block is given as bytes (raw 8-bit text where a mailer put it). */
const message = (...head: (string | Buffer)[]) =>
  Buffer.concat([...head.map((h) => (typeof h === 'string' ? Buffer.from(h, 'latin1') : h)), Buffer.from('\r\n\r\nHello\r\n')]);

const BIG5_SUBJECT = '請問我的訂單什麼時候會到？';

describe('header charsets: mojibake is repaired or leaves a trace (C4.1: the case shows what the customer wrote)', () => {
  it('decodes raw 8-bit bytes inside an ISO-8859-1 encoded word with that charset, and says so', async () => {
    const { email } = await parseMime(message('From: a@example.net\r\nSubject: =?ISO-8859-1?Q?Fr', Buffer.from([0xf6]), 'sche im Paket?='));
    expect(email.subject).toBe('Frösche im Paket');
    expect(email.parseProblems).toContain("Subject: 8-bit bytes inside an encoded word decoded as ISO-8859-1 (the word's charset)");
  });

  it('detects an undeclared Big5 subject and display name, decodes them, and says how', async () => {
    const raw = message('From: ', iconv.encode('陳大文', 'big5'), ' <chan@example.hk>\r\nSubject: ', iconv.encode(BIG5_SUBJECT, 'big5'));
    const { email } = await parseMime(raw);
    expect(email.subject).toBe(BIG5_SUBJECT);
    expect(email.from).toEqual({ address: 'chan@example.hk', name: '陳大文' });
    expect(email.parseProblems).toContain('Subject: undeclared 8-bit text decoded as Big5 (detected)');
    expect(email.parseProblems).toContain('From: undeclared 8-bit text decoded as Big5 (detected)');
  });

  it('decodes undeclared 8-bit header text with the charset the message declares for its text', async () => {
    const raw = Buffer.concat([
      Buffer.from('From: a@example.net\r\nSubject: '),
      iconv.encode('訂單', 'big5'),
      Buffer.from('\r\nContent-Type: text/plain; charset=big5\r\nContent-Transfer-Encoding: 8bit\r\n\r\n'),
      iconv.encode('我的訂單還沒到。\r\n', 'big5'),
    ]);
    const { email } = await parseMime(raw);
    expect(email.subject).toBe('訂單');
    expect(email.text).toContain('我的訂單還沒到');
    expect(email.parseProblems).toEqual(['Subject: undeclared 8-bit text decoded as big5 (the charset the message declares)']);
  });

  it('decodes UTF-7 encoded words in the subject and a display name', async () => {
    const { email } = await parseMime(message('From: =?UTF-7?Q?J+APY-rg?= <joerg@example.de>\r\nSubject: =?UTF-7?Q?+AMQ-rger_mit_der_Lieferung?='));
    expect(email.subject).toBe('Ärger mit der Lieferung');
    expect(email.from).toEqual({ address: 'joerg@example.de', name: 'Jörg' });
    expect(email.parseProblems).toContain('Subject: UTF-7 encoded word decoded');
  });

  it('never lets a UTF-7 display name become an address', async () => {
    // +ADw-boss+AEA-example.com+AD4- is "<boss@example.com>"
    const { email } = await parseMime(message('From: =?UTF-7?Q?+ADw-boss+AEA-example.com+AD4-?= <mallory@example.net>\r\nSubject: hi'));
    expect(email.from?.address).toBe('mallory@example.net');
  });

  it('leaves clean headers as mailparser decodes them, with no problem recorded', async () => {
    const utf8 = await parseMime(message('From: ', Buffer.from('Jürgen Müller <juergen@example.de>'), '\r\nSubject: ', Buffer.from('Rückerstattung – 49 € 🙂')));
    expect(utf8.email.subject).toBe('Rückerstattung – 49 € 🙂');
    expect(utf8.email.from?.name).toBe('Jürgen Müller');
    expect(utf8.email.parseProblems).toEqual([]);
    const words = await parseMime(message('From: =?ISO-8859-1?Q?J=FCrgen?= <j@example.de>\r\nSubject: =?ISO-2022-JP?B?GyRCJDskaxsoQg==?= =?UTF-8?Q?_und_Fr=C3=B6sche?='));
    expect(words.email.subject).toBe('せる und Frösche');
    expect(words.email.parseProblems).toEqual([]);
    for (const name of ['windows-1252', 'iso-2022-jp', 'plain-inquiry'] as const) {
      expect((await parseMime(rawFixture(name))).email.parseProblems).toEqual([]);
    }
  });
});

describe('senders: every address a message names is kept', () => {
  it('recovers a From whose whole "Name <address>" is one encoded word, and says so', async () => {
    const word = `=?UTF-8?B?${Buffer.from('Jöhn Doe <john@example.com>').toString('base64')}?=`;
    const { email } = await parseMime(message(`From: ${word}\r\nSubject: order`));
    expect(email.from).toEqual({ address: 'john@example.com', name: 'Jöhn Doe' });
    expect(email.parseProblems).toContain('From has its address inside the display name (a whole encoded word): read from there');
  });

  it('keeps the address of a From and never takes another one from its display name', async () => {
    const word = `=?UTF-8?B?${Buffer.from('CEO <ceo@bank.example>').toString('base64')}?=`;
    const { email } = await parseMime(message(`From: ${word} <mallory@example.net>\r\nSubject: order`));
    expect(email.from?.address).toBe('mallory@example.net');
  });

  it('keeps an internationalised address (RFC 6532) intact', async () => {
    const { email } = await parseMime(message('From: ', Buffer.from('Jöhn Döe <jdöe@mächine.example>'), '\r\nTo: ', Buffer.from('support@example.com, 支援@例子.中国'), '\r\nSubject: hi'));
    expect(email.from).toEqual({ address: 'jdöe@mächine.example', name: 'Jöhn Döe' });
    expect(email.to.map((m) => m.address)).toEqual(['support@example.com', '支援@例子.中国']);
    expect(email.parseProblems).toEqual([]);
  });
});
