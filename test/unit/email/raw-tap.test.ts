import { createHash } from 'node:crypto';
import { parseMime } from '../../../functions/adapters/email/parse-mime';
import { rawFixture } from './fixture-email';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What SES puts in front of a message it stores: its own trace headers, CRLF whatever the message uses. */
const SES_PREFIX =
  'Return-Path: <ada@example.net>\r\n' +
  'Received: from mail-oa1-f54.google.com (mail-oa1-f54.google.com [209.85.160.54])\r\n' +
  ' by inbound-smtp.eu-west-1.amazonaws.com with SMTP id 4r9v0c2l8q7m1ts0d5e2n3k6\r\n' +
  ' for support@example.com; Tue, 04 Mar 2025 09:15:03 +0000 (UTC)\r\n' +
  'X-SES-Spam-Verdict: PASS\r\n' +
  'X-SES-Virus-Verdict: PASS\r\n';

describe('the raw message on its way in: read whatever its line endings, hashed for idempotency', () => {
  it('reads a CR-only message as CRLF when SES has prepended CRLF headers and the transport a final CRLF', async () => {
    const stored = Buffer.concat([Buffer.from(SES_PREFIX), rawFixture('cr-only'), Buffer.from('\r\n')]);
    const { email } = await parseMime(stored);
    expect(email.from).toEqual({ address: 'ada@example.net', name: 'Ada Lovelace' });
    expect(email.subject).toBe('Question about my order 1234');
    expect(email.text).toContain('my order 1234 has not arrived yet');
    expect(email.headers.sesSpamVerdict).toBe('PASS');
    expect(email.parseProblems).toContain('CR-only line endings: read as CRLF');
    expect(email.rawSha256).toBe(sha256(stored));
  });

  it('leaves a CRLF message with a few stray CRs in its text alone', async () => {
    const raw = Buffer.from('From: ada@example.net\r\nSubject: stray\r\n\r\nline one\rstill line one\r\nline two\r\nline three\r\n');
    const { email } = await parseMime(raw);
    expect(email.subject).toBe('stray');
    expect(email.parseProblems).toEqual([]);
  });

  it('gives a redelivery with other trace headers the same body hash and a different raw hash', async () => {
    const message = rawFixture('plain-inquiry');
    const first = await parseMime(Buffer.concat([Buffer.from(SES_PREFIX), message]));
    const again = await parseMime(Buffer.concat([Buffer.from('Return-Path: <ada@example.net>\r\nReceived: from mx2.example.net by inbound-smtp.eu-west-1.amazonaws.com; Tue, 04 Mar 2025 09:20:00 +0000\r\n'), message]));
    expect(first.email.rawSha256).not.toBe(again.email.rawSha256);
    expect(first.email.bodySha256).toBe(again.email.bodySha256);
    // Everything after the first empty line, as stored.
    expect(first.email.bodySha256).toBe(sha256(message.subarray(message.indexOf('\r\n\r\n') + 4)));
    const other = await parseMime(Buffer.from(message.toString('latin1').replace('Ada\r\n', 'Grace\r\n'), 'latin1'));
    expect(other.email.bodySha256).not.toBe(first.email.bodySha256);
  });

  it('hashes the body of a CR-only message after reading it as CRLF, so that the hash does not depend on the line endings', async () => {
    const crOnly = await parseMime(rawFixture('cr-only'));
    const crlf = await parseMime(rawFixture('plain-inquiry'));
    expect(crOnly.email.bodySha256).toMatch(/^[0-9a-f]{64}$/);
    expect(crOnly.email.bodySha256).toBe(crlf.email.bodySha256);
  });
});
