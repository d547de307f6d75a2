/**
 * Email conformance run: parses and classifies every message of the shared
 * corpus of real-world mail (../shared/corpora/email, see ../shared/corpora/SOURCES.md) and
 * checks that
 *   - no exception escapes: each message is parsed, or is unparseable and would be quarantined;
 *   - the messages whose class is obvious from SOURCES.md get that class (bounces, DSNs,
 *     auto-replies, the read receipt, the ARF report, the "not a bounce" forward), and every
 *     other one stays a customer message (never dropped as noise);
 *   - bounce details (original Message-ID, failed recipient, status) are found where the
 *     report has them;
 *   - the charset cases decode to the expected words.
 * Exits non-zero on any failure. Not part of `npm test`: the corpus lives outside the repo.
 *
 *   npx tsx scripts/email-conformance.ts [corpusDir]
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { corpusFiles } from './corpus-files';
import { parseMime, UnparseableEmailError, type ParsedInboundEmail } from '../functions/adapters/email/parse-mime';
import { classifyInbound, type BounceDetails, type InboundClassification } from '../functions/core/email/classify';

type Outcome = InboundClassification['kind'] | 'quarantine';

const repoRoot = resolve(__dirname, '..');
const corpusDir = resolve(process.argv[2] ?? join(repoRoot, '../shared/corpora/email'));
const OWN = { ownAddresses: ['support@caseflow.example'] };

/** Expected outcome by path under the corpus; anything not listed must be a customer message. */
const EXPECTED: Record<string, Outcome> = {
  'postal-mime/bounce.eml': 'bounce',
  'mimekit/bounce.txt': 'bounce',
  'nodemailer-mailparser/delivery-status.eml': 'bounce',
  'enmime/dsn/testdata/dsn_with_multipart_alternative.raw': 'bounce',
  'sisimai-set-of-emails/dos/lhost-amazonses-01.eml': 'bounce',
  'sisimai-set-of-emails/dos/lhost-receivingses-01.eml': 'bounce',
  'sisimai-set-of-emails/bsd/lhost-office365-01.eml': 'bounce',
  'sisimai-set-of-emails/mac/lhost-gmail-01.eml': 'bounce',
  'james-mime4j/mimetools-testmsgs/badbound.msg': 'bounce',
  'sisimai-set-of-emails/bsd/rfc3834-01.eml': 'auto_reply',
  'sisimai-set-of-emails/bsd/rfc3834-02.eml': 'auto_reply',
  'sisimai-set-of-emails/bsd/rfc3834-03.eml': 'auto_reply',
  'sisimai-set-of-emails/bsd/rfc3834-06.eml': 'auto_reply',
  'mimekit/disposition-notification.txt': 'read_receipt',
  'postal-mime/arf.eml': 'feedback_report',
  'sisimai-set-of-emails/not/is-not-bounce-02.eml': 'new_message',
  // Body text where the headers should be: not one header to read.
  'james-mime4j/testmsgs/malformedHeader-noheader.msg': 'quarantine',
};

/** Bounce details the reports carry (read from the raw files). */
const BOUNCES: Record<string, BounceDetails> = {
  'postal-mime/bounce.eml': {
    originalMessageId: 'e85f1c9b-9b51-4028-8ec0-0a657155028e@app.fastmail.com',
    recipient: 'htfgvhyufthdgcvhgjyfthgc@ethereal.email',
    status: '5.0.0',
  },
  'mimekit/bounce.txt': { originalMessageId: '44565655.jitbithelpdesk.13439.691a0afc-a0a0-457c-8208-f20b7c4a4cb1@jitbit.com' },
  'nodemailer-mailparser/delivery-status.eml': { originalMessageId: 'xxxxx@email.amazonses.com', recipient: 'xxxx@xxxx.com', status: '5.1.1' },
  'enmime/dsn/testdata/dsn_with_multipart_alternative.raw': { recipient: 'non-existing@example.com', status: '5.1.10' },
  'sisimai-set-of-emails/dos/lhost-amazonses-01.eml': {
    originalMessageId: '000001321defbd2a-788e31c8-2be1-422f-a8d4-cf7765cc9ed7-000000@email.amazonses.com',
    recipient: 'shironeko@example.co.jp',
    status: '5.0.0',
  },
  'sisimai-set-of-emails/dos/lhost-receivingses-01.eml': {
    originalMessageId: 'dcb08cc1-d236-48e2-9a8d-2492dace50e2@example.co.jp',
    recipient: 'userunknown@neko.example.jp',
    status: '5.1.1',
  },
  'sisimai-set-of-emails/bsd/lhost-office365-01.eml': { originalMessageId: 'ffffffff.eeeeeeee@example.ed.jp', status: '5.1.10' },
  'sisimai-set-of-emails/mac/lhost-gmail-01.eml': {
    originalMessageId: 'd992c2c3-f175-4c4d-97e2-53a90e4e5bf5@gmail.com',
    recipient: 'userunknown@example.jp',
    status: '5.1.1',
  },
};

type Check = (parsed: ParsedInboundEmail) => string | undefined;
const expectEqual = (label: string, actual: unknown, expected: unknown) =>
  actual === expected ? undefined : `${label}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
const expectIncludes = (label: string, actual: string | undefined, expected: string) =>
  actual?.includes(expected) ? undefined : `${label}: expected to contain ${JSON.stringify(expected)}, got ${JSON.stringify(actual?.slice(0, 120))}`;

/** Decoding checks: charsets, RFC 2047/2231, HTML-only bodies, limits. */
const CHECKS: Record<string, Check[]> = {
  'james-mime4j/testmsgs/russian-headers.msg': [
    // KOI8-R RFC 2047 B-encoded name/filename parameters
    ({ email }) => expectEqual('attachment filename (KOI8-R)', email.attachments[0]?.filename, 'Список.doc'),
    ({ email }) => expectEqual('subject', email.subject, 'A simple subject'),
  ],
  'james-mime4j/mimetools-testmsgs/german-qp.msg': [
    // ISO-8859-15 quoted-printable body, Q-encoded From
    ({ email }) => expectIncludes('body (ISO-8859-15 QP)', email.text, 'Sönderzäichen'),
    ({ email }) => expectIncludes('body (ISO-8859-15 QP)', email.text, 'Grüße'),
    ({ email }) => expectEqual('From name (Q-encoded ISO-8859-15)', email.from?.name, 'Jörn Reder'),
  ],
  'james-mime4j/mimetools-testmsgs/intl.msg': [
    // encoded words mixing ISO-8859-1 B and Q, ISO-8859-2 B and US-ASCII Q
    ({ email }) => expectEqual('subject (mixed encoded words)', email.subject, 'If you can read this you understand the example... so, cool!'),
    ({ email }) => expectEqual('To name (ISO-8859-1 Q)', email.to[0]?.name, 'Keld Jørn Simonsen'),
    ({ email }) => expectIncludes('Cc name (ISO-8859-1 Q)', email.cc[0]?.name, 'André'),
  ],
  'sisimai-set-of-emails/bsd/lhost-office365-01.eml': [({ email }) => expectIncludes('body (windows-1252 QP)', email.text, 'wasn’t found')],
  'nodemailer-mailparser/nodemailer.eml': [
    ({ email }) => expectIncludes('subject (UTF-8 encoded word)', email.subject, 'unicode friendly ✔'),
    ({ email }) => expectEqual('filename (RFC 2231 continuation)', email.attachments.some((a) => a.filename === 'nyan cat ✔.gif'), true),
  ],
  'nodemailer-mailparser/decoderended.eml': [({ email }) => expectIncludes('HTML (ISO-8859-1 8bit)', email.html, 'html sectionÜ')],
  'postal-mime/calendar-event.eml': [({ email }) => expectIncludes('subject (UTF-8 emoji)', email.subject, 'Test event ⏰')],
  'postal-mime/bounce.eml': [({ email }) => expectEqual('returned subject (Estonian original)', email.report?.original?.subject, 'Proovikiri')],
  'flanker/long-header.eml': [
    ({ email }) => expectEqual('subject length (capped)', email.subject.length, 998),
    ({ email }) => expectIncludes('subject (folded UTF-8 Q words)', email.subject, 'Die heiße Zypernsonne quälte Max'),
    ({ email }) => expectIncludes('parse problems', email.parseProblems.join('; '), 'cut to 998'),
  ],
  'enmime/testdata/low-quality/unk-charset-part.raw': [
    ({ email }) => expectIncludes('parse problems', email.parseProblems.join('; '), 'unknown charset "fakescii"'),
    ({ email }) => expectIncludes('body', email.text, 'A text section'),
  ],
  'sisimai-set-of-emails/mac/lhost-gmail-01.eml': [
    ({ email }) => expectEqual('subject (CR-only line endings)', email.subject, 'Delivery Status Notification (Failure)'),
    ({ email }) => expectIncludes('parse problems', email.parseProblems.join('; '), 'CR-only'),
  ],
  'enmime/testdata/mail/html-only-inline.raw': [
    ({ email }) => expectEqual('text from HTML-only alternative', email.text.trim(), 'Test of HTML section'),
    ({ email }) => expectEqual('inline image', email.attachments[0]?.inline, true),
  ],
  'enmime/testdata/mail/non-mime-html.raw': [({ email }) => expectIncludes('text from non-MIME HTML', email.text, 'This is a test mailing')],
  'nodemailer-mailparser/spam.eml': [({ email }) => expectIncludes('text from HTML-only mail', email.text, 'Im Jahre 2007')],
  'james-mime4j/testmsgs/basic-plain-very-long-lines.msg': [
    ({ email }) => expectEqual('7,080-character line kept', email.text.split('\n').some((l) => l.length > 7000), true),
  ],
  'sisimai-set-of-emails/not/is-not-bounce-02.eml': [({ email }) => expectEqual('From name (UTF-8 B)', email.from?.name, 'xpto')],
};

const excerpt = (s: string, n = 48) => JSON.stringify(s.length > n ? `${s.slice(0, n - 1)}…` : s);

async function main(): Promise<number> {
  if (!existsSync(corpusDir)) {
    console.error(`email conformance: corpus not found at ${corpusDir}`);
    return 2;
  }
  const files = corpusFiles(corpusDir);
  const counts = new Map<Outcome, number>();
  const failures: string[] = [];
  const seen = new Set<string>();
  let noSender = 0;

  for (const file of files) {
    const rel = relative(corpusDir, file).split('\\').join('/');
    seen.add(rel);
    const fail = (message: string) => failures.push(`${rel}: ${message}`);
    let outcome: Outcome;
    let line: string;
    try {
      const parsed = await parseMime(readFileSync(file));
      const result = classifyInbound(parsed.email, OWN);
      outcome = result.kind;
      // Every parse problem (charsets, line endings, cuts, lost structure), and a missing sender:
      // the ingestion cannot acknowledge such a message.
      const notes = [...parsed.email.parseProblems];
      if (!parsed.email.from) noSender += 1;
      line = `${outcome.padEnd(16)} ${rel.padEnd(62)} ${excerpt(parsed.email.subject)}${notes.length ? `  [${notes.join('; ')}]` : ''}`;
      if (result.bounce && Object.keys(result.bounce).length) line += `  ${JSON.stringify(result.bounce)}`;

      const expectedBounce = BOUNCES[rel];
      if (expectedBounce) {
        for (const key of Object.keys(expectedBounce) as (keyof BounceDetails)[]) {
          const problem = expectEqual(`bounce ${key}`, result.bounce?.[key], expectedBounce[key]);
          if (problem) fail(problem);
        }
      }
      for (const check of CHECKS[rel] ?? []) {
        const problem = check(parsed);
        if (problem) fail(problem);
      }
    } catch (error) {
      if (error instanceof UnparseableEmailError) {
        outcome = 'quarantine';
        line = `${outcome.padEnd(16)} ${rel.padEnd(62)} (${error.message})`;
      } else {
        outcome = 'quarantine';
        line = `EXCEPTION        ${rel}`;
        fail(`exception escaped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      }
    }
    console.log(line);
    counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
    const expected = EXPECTED[rel] ?? 'new_message';
    if (outcome !== expected) {
      fail(`classified ${outcome}, expected ${expected}${EXPECTED[rel] ? '' : ' (not listed in EXPECTED: a customer message)'}`);
    }
  }
  for (const rel of [...Object.keys(EXPECTED), ...Object.keys(CHECKS)]) {
    if (!seen.has(rel)) failures.push(`${rel}: listed in the expectations but missing from the corpus`);
  }

  const summary = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([kind, n]) => `${kind} ${n}`).join(', ');
  console.log(`\nemail conformance: ${files.length} messages: ${summary}; ${noSender} without a sender address`);
  if (failures.length > 0) {
    console.log(`${failures.length} failure(s):`);
    for (const f of failures) console.log(`  FAIL ${f}`);
    return 1;
  }
  console.log('all messages accounted for, expectations met');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
