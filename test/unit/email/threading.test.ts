import {
  messageIdKeys,
  messageIdsIn,
  normaliseMessageId,
  normaliseSubject,
  plusAddressReference,
  sesMessageId,
  threadingCandidates,
} from '../../../functions/core/email/threading';
import { REFERENCE, SES_ID, SUPPORT } from '../../fixtures/email/build-fixtures';
import { emailLike, parseFixture } from './fixture-email';

const OPTIONS = { supportAddresses: [SUPPORT] };

describe('email threading: a reply lands on its case (C4.1)', () => {
  it('finds the case reference in the subject', async () => {
    const { email } = await parseFixture('subject-reference');
    expect(threadingCandidates(email, OPTIONS)).toEqual([{ kind: 'reference', reference: REFERENCE, source: 'subject' }]);
  });

  it('offers In-Reply-To before References, each SES Message-ID followed by the SES id caseflow stored', async () => {
    const { email } = await parseFixture('reply-ses-in-reply-to');
    expect(threadingCandidates(email, OPTIONS)).toEqual([
      { kind: 'message_id', messageId: `${SES_ID}@email.amazonses.com`, source: 'in_reply_to', form: 'full' },
      { kind: 'message_id', messageId: SES_ID, source: 'in_reply_to', form: 'ses' },
      { kind: 'message_id', messageId: 'inquiry-1@mail.example.net', source: 'references', form: 'full' },
    ]);
  });

  it('threads a reply-all CC copy through the customer message it answers, so it opens no second case', async () => {
    const { email } = await parseFixture('reply-all-cc');
    expect(threadingCandidates(email, OPTIONS)).toEqual([{ kind: 'message_id', messageId: 'inquiry-1@mail.example.net', source: 'in_reply_to', form: 'full' }]);
  });

  it('finds the reference in a plus-address of a support address', async () => {
    const { email } = await parseFixture('plus-address');
    expect(threadingCandidates(email, OPTIONS)).toEqual([{ kind: 'reference', reference: REFERENCE, source: 'plus_address' }]);
    const viaEnvelope = await emailLike('plain-inquiry', { envelopeRecipients: [`support+${REFERENCE.toLowerCase()}@example.com`] });
    expect(threadingCandidates(viaEnvelope, OPTIONS)).toEqual([{ kind: 'reference', reference: REFERENCE, source: 'plus_address' }]);
  });

  it('ignores plus-addresses of other mailboxes', () => {
    expect(plusAddressReference(`bob+${REFERENCE}@example.org`, [SUPPORT])).toBeUndefined();
    expect(plusAddressReference(`support+${REFERENCE}@example.com`, [SUPPORT])).toBe(REFERENCE);
    expect(plusAddressReference('support+hello@example.com', [SUPPORT])).toBeUndefined();
  });

  it('puts subject references first, then Message-IDs nearest ancestor first, then plus-addresses, without duplicates', async () => {
    const email = await emailLike('plain-inquiry', {
      subject: `Re: [${REFERENCE}] and [CS-ABCDEF] photos`,
      inReplyTo: '<C@example.net>',
      references: ['<A@example.net>', '<B@eu-west-1.amazonses.com>', '<C@example.net>'],
      to: [{ address: `support+${REFERENCE}@example.com` }],
      cc: [{ address: 'support+CS-0123AB@example.com' }],
    });
    expect(threadingCandidates(email, OPTIONS)).toEqual([
      { kind: 'reference', reference: REFERENCE, source: 'subject' },
      { kind: 'reference', reference: 'CS-ABCDEF', source: 'subject' },
      { kind: 'message_id', messageId: 'c@example.net', source: 'in_reply_to', form: 'full' },
      { kind: 'message_id', messageId: 'b@eu-west-1.amazonses.com', source: 'references', form: 'full' },
      { kind: 'message_id', messageId: 'b', source: 'references', form: 'ses' },
      { kind: 'message_id', messageId: 'a@example.net', source: 'references', form: 'full' },
      { kind: 'reference', reference: 'CS-0123AB', source: 'plus_address' },
    ]);
  });

  it('normalises Message-IDs: lower case, no angle brackets, SES forms recognised', () => {
    expect(normaliseMessageId(' <ABC.Def@Example.COM> ')).toBe('abc.def@example.com');
    expect(normaliseMessageId('<>')).toBeUndefined();
    expect(sesMessageId('0100abc-000000@email.amazonses.com')).toBe('0100abc-000000');
    expect(sesMessageId('0100abc-000000@eu-west-1.amazonses.com')).toBe('0100abc-000000');
    expect(sesMessageId('0100abc@amazonses.com.evil.example')).toBeUndefined();
    expect(sesMessageId('abc@example.com')).toBeUndefined();
    expect(messageIdKeys(`<${SES_ID.toUpperCase()}@email.amazonses.com>`)).toEqual([`${SES_ID}@email.amazonses.com`, SES_ID]);
  });

  it('reads Message-IDs with and without angle brackets', () => {
    expect(messageIdsIn('<a@x.example> (sent by Foo) <b@y.example>')).toEqual(['a@x.example', 'b@y.example']);
    expect(messageIdsIn('a@x.example b@y.example')).toEqual(['a@x.example', 'b@y.example']);
    expect(messageIdsIn('')).toEqual([]);
  });

  it.each([
    [`Re: [${REFERENCE}] We received your request`, 'We received your request'],
    [`AW: WG: Fwd: RE: [${REFERENCE}] Order 1234`, 'Order 1234'],
    ['Re[2]: SV: Vs: Antw: Order', 'Order'],
    ['RE : Réf : TR: commande', 'commande'],
    ['回复：Fw: 订单', '订单'],
    [`Order 1234 [${REFERENCE.toLowerCase()}]`, 'Order 1234'],
    ['Regarding your order', 'Regarding your order'],
    ['Re order 5', 'Re order 5'],
  ])('normalises the subject "%s" to "%s"', (subject, expected) => {
    expect(normaliseSubject(subject)).toBe(expected);
  });
});
