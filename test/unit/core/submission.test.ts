import { CaseSubmissionSchema } from '../../../functions/core/submission';
import { InvalidInputError } from '../../../functions/core/errors';
import { parseInput } from '../../../functions/core/validation';
import { jsonFixture, readFixture } from '../../support/fixtures';

function issuesOf(value: unknown) {
  try {
    parseInput(CaseSubmissionSchema, value);
  } catch (error) {
    if (error instanceof InvalidInputError) return error.issues;
    throw error;
  }
  return [];
}

describe('the web-form submission', () => {
  it('accepts a complete inquiry and normalises the email address', () => {
    const s = parseInput(CaseSubmissionSchema, jsonFixture('web-form', 'inquiry.json'));
    expect(s).toMatchObject({ type: 'inquiry', email: 'ada@example.com', orderReference: 'ORD-1234', privacyConsent: true });
  });

  it('defaults the type to inquiry', () => {
    const { type: _type, ...rest } = jsonFixture('web-form', 'inquiry.json');
    expect(parseInput(CaseSubmissionSchema, rest).type).toBe('inquiry');
  });

  it('accepts what an HTML form posts: empty optional fields and a checkbox "on"', () => {
    const fields = Object.fromEntries(new URLSearchParams(readFixture('web-form', 'form-post.txt')));
    const s = parseInput(CaseSubmissionSchema, fields);
    expect(s.phone).toBeUndefined();
    expect(s.orderReference).toBeUndefined();
    expect(s.privacyConsent).toBe(true);
  });

  it('names every bad field at once', () => {
    const issues = issuesOf(jsonFixture('web-form', 'missing-fields.json'));
    expect(issues.map((i) => i.path).sort()).toEqual(['email', 'message', 'name', 'privacyConsent', 'subject', 'type']);
    expect(issues.find((i) => i.path === 'name')?.message).toBe('Name is required');
    expect(issues.find((i) => i.path === 'email')?.message).toBe('Enter a valid email address');
  });

  it('accepts an internationalised email address and refuses one without a dotted domain', () => {
    const base = jsonFixture('web-form', 'inquiry.json');
    expect(parseInput(CaseSubmissionSchema, { ...base, email: 'JDöe@Mächine.example' }).email).toBe('jdöe@mächine.example');
    expect(issuesOf({ ...base, email: 'jdöe@localhost' })).toEqual([{ path: 'email', message: 'Enter a valid email address' }]);
    expect(issuesOf({ ...base, email: 'two words@example.com' })).toEqual([{ path: 'email', message: 'Enter a valid email address' }]);
    // Nothing that a mailer would read as a display name or a second address…
    for (const email of ['x<victim@example.com', 'a,b<victim@example.com', 'victim@example.com>', '"jdöe"@mächine.example', 'jdöe;x@mächine.example']) {
      expect(issuesOf({ ...base, email })).toEqual([{ path: 'email', message: 'Enter a valid email address' }]);
    }
    // …and no control or bidi character is ever stored in one.
    expect(parseInput(CaseSubmissionSchema, { ...base, email: 'jd\u001b\u202eöe@mächine.example' }).email).toBe('jdöe@mächine.example');
  });

  it('requires privacy consent before any personal data is stored (M5.1, C6.1)', () => {
    const issues = issuesOf({ ...jsonFixture('web-form', 'inquiry.json'), privacyConsent: undefined });
    expect(issues).toEqual([{ path: 'privacyConsent', message: 'Privacy consent is required to open a case' }]);
  });

  it('rejects text that is too long and a malformed phone number', () => {
    const issues = issuesOf({ ...jsonFixture('web-form', 'inquiry.json'), subject: 'x'.repeat(201), phone: 'call me maybe' });
    expect(issues.map((i) => i.path).sort()).toEqual(['phone', 'subject']);
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC', '\u001b'],
    ['RIGHT-TO-LEFT OVERRIDE', '\u202e'],
    ['NEXT LINE', '\u0085'],
  ])('never stores %s in the name, subject or message', (_name, char) => {
    const s = parseInput(CaseSubmissionSchema, {
      ...jsonFixture('web-form', 'inquiry.json'),
      name: `Ada${char}Lovelace`,
      subject: `Where is${char}my order?`,
      message: `Order 1234${char}has not arrived.`,
    });
    for (const value of [s.name, s.subject, s.message]) expect(value).not.toContain(char);
  });

  it('keeps the message\'s lines and joins a single-line field\'s onto one line', () => {
    const s = parseInput(CaseSubmissionSchema, {
      ...jsonFixture('web-form', 'inquiry.json'),
      name: 'Ada\r\nBcc: victim@example.com',
      subject: 'Where\u0085is\tmy  order?',
      message: 'Line one\r\nLine two\u0085Line three',
    });
    expect(s).toMatchObject({ name: 'Ada Bcc: victim@example.com', subject: 'Where is my order?', message: 'Line one\nLine two\nLine three' });
  });

  it('reports a field holding only controls and invisible characters as missing', () => {
    const issues = issuesOf({ ...jsonFixture('web-form', 'inquiry.json'), name: '\u0000\u202e ', subject: '\u0007\u0085', message: '\u001b\r\n' });
    expect(issues).toEqual([
      { path: 'name', message: 'Name is required' },
      { path: 'subject', message: 'Subject is required' },
      { path: 'message', message: 'Message is required' },
    ]);
  });

  it('applies the length limits to the cleaned text', () => {
    const s = parseInput(CaseSubmissionSchema, { ...jsonFixture('web-form', 'inquiry.json'), subject: `${'x'.repeat(200)}${'\u0000'.repeat(50)}` });
    expect(s.subject).toBe('x'.repeat(200));
  });

  it('treats an optional field holding only controls as absent, and cleans one that has text', () => {
    const s = parseInput(CaseSubmissionSchema, { ...jsonFixture('web-form', 'inquiry.json'), orderReference: '\u202e\u0000', phone: '+44 20\u00007946 0958' });
    expect(s.orderReference).toBeUndefined();
    expect(s.phone).toBe('+44 207946 0958');
  });

  it('reports a non-object body at the root', () => {
    expect(issuesOf('hello')[0]?.path).toBe('(root)');
  });
});
