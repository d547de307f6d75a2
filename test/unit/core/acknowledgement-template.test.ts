import { renderAcknowledgement } from '../../../functions/core/acknowledgement-template';
import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { CaseSubmissionSchema } from '../../../functions/core/submission';
import { parseInput } from '../../../functions/core/validation';
import { jsonFixture, seededRandom } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

/** A case opened from the web form, as an anonymous submitter can open one for any address. */
async function formCase(fields: Record<string, unknown> = {}) {
  const submission = parseInput(CaseSubmissionSchema, { ...jsonFixture('web-form', 'inquiry.json'), ...fields });
  const { case: c } = await openCaseFromSubmission(
    { submission, channel: 'web' },
    {
      store: new InMemoryCaseStore(),
      clock: fixedClock('2026-12-01T00:24:39.000Z'),
      newCaseId: () => '11111111-1111-4111-8111-111111111111',
      random: seededRandom(),
      policy: slaPolicy(),
    },
  );
  return c;
}

const IMPERSONATION = {
  email: 'victim@example.org',
  name: 'Urgent: your account is suspended, call +1 555 0100 or visit http://evil.example/login',
  subject: 'Reset at www.evil.example now',
};

/** Digits that a phone's number detector could join into one number: 7 or more with phone punctuation between. */
const PHONE_LIKE = /\d(?:[\s()./~[\]\-+]*\d){6,}/;

describe('the acknowledgement to an unverified address (M3.1)', () => {
  it('carries no customer text in its subject line', async () => {
    const c = await formCase(IMPERSONATION);
    expect(renderAcknowledgement(c).subject).toBe(`[${c.reference}] We received your request`);
  });

  it('gives an impersonator no working link, address or phone number in either part', async () => {
    const mail = renderAcknowledgement(await formCase(IMPERSONATION));
    for (const part of [mail.text, mail.html ?? '']) {
      expect(part).not.toMatch(/http/i);
      expect(part).not.toContain('www.');
      expect(part).not.toContain('evil.example');
      expect(part).not.toMatch(/<a[\s>]/i);
      expect(part).not.toMatch(PHONE_LIKE);
      expect(part).not.toContain('suspended');
    }
  });

  it('greets an impersonating name with a plain "Hello," and says that a stranger may have used the address', async () => {
    const mail = renderAcknowledgement(await formCase(IMPERSONATION));
    expect(mail.text.startsWith('Hello,\n')).toBe(true);
    expect(mail.html).toContain('<p>Hello,</p>');
    for (const part of [mail.text, mail.html ?? '']) expect(part).toContain('If you did not contact us, you can ignore this email; no account or action is involved.');
  });

  it('greets a customer by the first given name only', async () => {
    const mail = renderAcknowledgement(await formCase({ name: 'Ann Smith' }));
    expect(mail.text.startsWith('Hello Ann,\n')).toBe(true);
    expect(mail.html).toContain('<p>Hello Ann,</p>');
    expect(mail.text).not.toContain('Smith');
  });

  it('quotes the customer\'s subject once, labelled as theirs, defanged and marked as customer text in HTML', async () => {
    const mail = renderAcknowledgement(await formCase(IMPERSONATION));
    expect(mail.text).toContain('You wrote to us with this subject:\n> Reset at www[.]evil[.]example now\n');
    expect(mail.text.match(/Reset at/g)).toHaveLength(1);
    expect(mail.html).toMatch(/<blockquote data-customer-text style="[^"]*">Reset at www\[\.\]evil\[\.\]example now<\/blockquote>/);
    expect(mail.text).toContain('shown broken up, so that they cannot be opened');
  });

  it('quotes an ordinary subject as written, without the note on broken-up addresses', async () => {
    const mail = renderAcknowledgement(await formCase());
    expect(mail.text).toContain('You wrote to us with this subject:\n> Where is my order?\n');
    expect(mail.text).not.toContain('broken up');
    expect(mail.text).not.toContain('Your message');
  });

  it('shortens a long subject to 80 characters', async () => {
    const mail = renderAcknowledgement(await formCase({ subject: `Please help ${'very '.repeat(30)}much` }));
    const quoted = /^> (.*)$/m.exec(mail.text)?.[1] ?? '';
    expect(Array.from(quoted)).toHaveLength(80);
    expect(quoted.endsWith('…')).toBe(true);
  });

  it('escapes what remains of customer text in the HTML part', async () => {
    const mail = renderAcknowledgement(await formCase({ name: '<b>Ann</b>', subject: '<img src=x onerror=alert(1)> & "quotes"' }));
    expect(mail.html).not.toMatch(/<img|<b>/);
    expect(mail.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quotes&quot;');
  });

  it('states the response deadline as a human date in UTC by default, and in a configured time zone', async () => {
    const c = await formCase();
    const due = new Date(c.sla.initialResponseDueAt);
    const mail = renderAcknowledgement(c);
    expect(mail.text).not.toContain(due.toUTCString());
    expect(mail.text).toMatch(/no later than \w+day,? \d{1,2} \w+ 20\d\d(,| at) \d\d:\d\d UTC\./);
    expect(renderAcknowledgement(c, { timeZone: 'Asia/Tokyo' }).text).toMatch(/no later than .* (JST|GMT\+9)\./);
  });
});
