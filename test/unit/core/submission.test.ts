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

  it('requires privacy consent before any personal data is stored (M5.1, C6.1)', () => {
    const issues = issuesOf({ ...jsonFixture('web-form', 'inquiry.json'), privacyConsent: undefined });
    expect(issues).toEqual([{ path: 'privacyConsent', message: 'Privacy consent is required to open a case' }]);
  });

  it('rejects text that is too long and a malformed phone number', () => {
    const issues = issuesOf({ ...jsonFixture('web-form', 'inquiry.json'), subject: 'x'.repeat(201), phone: 'call me maybe' });
    expect(issues.map((i) => i.path).sort()).toEqual(['phone', 'subject']);
  });

  it('reports a non-object body at the root', () => {
    expect(issuesOf('hello')[0]?.path).toBe('(root)');
  });
});
