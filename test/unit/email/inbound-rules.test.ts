import { InvalidInputError } from '../../../functions/core/errors';
import { caseTypeFor, parseInboundRules } from '../../../functions/core/email/inbound-rules';
import { COMPLAINTS } from '../../fixtures/email/build-fixtures';
import { emailLike, parseFixture } from './fixture-email';

const rules = parseInboundRules({
  complaintAddresses: [COMPLAINTS],
  complaintRules: [
    { name: 'refund demands', anyOf: ['refund', 'money back'] },
    { name: 'formal complaint', anyOf: ['complaint', 'Beschwerde', '苦情'], in: ['subject'] },
  ],
});

describe('email case type rules: inquiry or complaint (M1.2/C1.2, M3.2)', () => {
  it('makes mail to the complaints address a complaint', async () => {
    const { email } = await parseFixture('complaint-address');
    expect(caseTypeFor(email, rules)).toEqual({ type: 'complaint', reason: 'sent to a complaints address' });
  });

  it('finds the complaints address in Cc, Delivered-To, the envelope, and behind a plus tag', async () => {
    expect(caseTypeFor(await emailLike('plain-inquiry', { cc: [{ address: COMPLAINTS }] }), rules).type).toBe('complaint');
    expect(caseTypeFor(await emailLike('plain-inquiry', { deliveredTo: [COMPLAINTS] }), rules).type).toBe('complaint');
    expect(caseTypeFor(await emailLike('plain-inquiry', { envelopeRecipients: ['complaints+urgent@example.com'] }), rules).type).toBe('complaint');
  });

  it('makes mail matching a keyword rule a complaint, naming the rule', async () => {
    const email = await emailLike('plain-inquiry', { text: 'I want my MONEY  BACK now.' });
    expect(caseTypeFor(email, rules)).toEqual({ type: 'complaint', reason: 'complaint rule "refund demands"' });
  });

  it('matches whole words only, in the fields the rule names', async () => {
    expect(caseTypeFor(await emailLike('plain-inquiry', { text: 'Was my order refunded?' }), rules).type).toBe('inquiry');
    expect(caseTypeFor(await emailLike('plain-inquiry', { text: 'This is a complaint.' }), rules).type).toBe('inquiry');
    expect(caseTypeFor(await emailLike('plain-inquiry', { subject: 'Formal complaint about order 5' }), rules).type).toBe('complaint');
    expect(caseTypeFor(await emailLike('plain-inquiry', { subject: 'Beschwerde über Lieferung' }), rules).type).toBe('complaint');
  });

  it('matches phrases in scripts written without spaces anywhere in the text', async () => {
    expect(caseTypeFor(await emailLike('iso-2022-jp', { subject: '配送についての苦情です' }), rules).type).toBe('complaint');
  });

  it('reads only the start of a long body', async () => {
    const text = `${'All fine here. '.repeat(1_000)}refund`;
    expect(caseTypeFor(await emailLike('plain-inquiry', { text }), rules).type).toBe('inquiry');
    expect(caseTypeFor(await emailLike('plain-inquiry', { text }), { ...rules, textScanLimit: 100_000 }).type).toBe('complaint');
  });

  it('makes everything else an inquiry', async () => {
    const { email } = await parseFixture('plain-inquiry');
    expect(caseTypeFor(email, rules)).toEqual({ type: 'inquiry', reason: 'no complaint rule matched' });
    expect(caseTypeFor(email, parseInboundRules(undefined)).type).toBe('inquiry');
  });

  it('rejects bad configuration, naming the field', () => {
    const fields = (input: unknown) => {
      try {
        parseInboundRules(input);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidInputError);
        return (error as InvalidInputError).issues.map((i) => i.path);
      }
    };
    expect(fields({ complaintAddresses: ['not-an-address'] })).toEqual(['complaintAddresses.0']);
    expect(fields({ complaintRules: [{ name: 'empty', anyOf: [] }] })).toEqual(['complaintRules.0.anyOf']);
    expect(fields({ complaintRules: [{ name: 'x', anyOf: ['a'], in: ['body'] }] })).toEqual(['complaintRules.0.in.0']);
    expect(fields({ complaintKeywords: [] })).toEqual(['complaintKeywords']);
  });
});
