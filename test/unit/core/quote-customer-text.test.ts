import { greetingName, quoteCustomerText } from '../../../functions/core/text/quote-customer-text';

const quote = (s: string) => quoteCustomerText(s).text;

/** Digits that a phone's number detector could join into one number: 7 or more with phone punctuation between. */
const PHONE_LIKE = /\p{Nd}(?:[\s()./~[\]\-+]*\p{Nd}){6,}/u;

describe('quoting customer text in outbound mail', () => {
  it.each([
    ['http://evil.example/login', 'hxxp://evil[.]example/login'],
    ['HTTPS://Evil.Example', 'hxxps://Evil[.]Example'],
    ['ftp://files.evil.example', 'ftp[:]//files[.]evil[.]example'],
    ['www.evil.example', 'www[.]evil[.]example'],
    ['evil.example', 'evil[.]example'],
    ['mail bob@evil.example', 'mail bob [at] evil[.]example'],
    ['mailto:bob@evil.example', 'mailto[:]bob [at] evil[.]example'],
    ['tel:+15550100', 'tel[:]+1555·0100'],
    ['http://10.0.0.1/', 'hxxp://10[.]0[.]0[.]1/'],
    ['http://192.168.100.1/', 'hxxp://192·168·100·1/'],
    ['_http://evil.example', '_hxxp://evil[.]example'],
    ['1https://evil.example', '1hxxps://evil[.]example'],
  ])('breaks the link in %s as %s', (input, defanged) => {
    expect(quote(input)).toBe(defanged);
  });

  it.each([
    ['+1 555 0100', '+1·555·0100'],
    ['(555) 123-4567', '555·123·4567'],
    ['+44 20 7946 0958', '+44·20·7946·0958'],
    ['5550100123', '5550·1001·23'],
    ['Order ORD-12345678', 'Order ORD-1234·5678'],
  ])('regroups the phone-like number %s so no detector finds a whole number (%s)', (input, regrouped) => {
    expect(quote(input)).toBe(regrouped);
    expect(quote(input)).not.toMatch(PHONE_LIKE);
  });

  it('leaves ordinary numbers, prices, versions and postcodes as written', () => {
    expect(quote('Parcel 3 of 4, £1,234.50, app v1.2, postcode 10115, since 2026')).toBe('Parcel 3 of 4, £1,234.50, app v1.2, postcode 10115, since 2026');
    expect(quote('Hotel: the room, Re: booking')).toBe('Hotel: the room, Re: booking');
    expect(quoteCustomerText('Where is my order?')).toEqual({ text: 'Where is my order?', defanged: false });
  });

  it('breaks links disguised with fullwidth letters, ideographic dots, soft hyphens or zero-width characters', () => {
    for (const disguised of ['ｗｗｗ．ｅｖｉｌ．ｅｘａｍｐｌｅ', 'www。evil。example', 'www.evil\u00ad.example', 'www.evil\u200b.example', 'ht\u200dtps://evil\u2060.example']) {
      const out = quote(disguised);
      expect(out).not.toMatch(/https?:|www\.|evil\.example/i);
      expect(out).toContain('evil[.]example');
    }
    expect(quote('call ５５５ ０１００ ２３')).not.toMatch(PHONE_LIKE);
  });

  it('keeps no line break or control character, so a quote cannot start a paragraph of its own', () => {
    expect(quote('Hello\r\n\r\nDear customer,\u0085your account\u0000')).toBe('Hello Dear customer, your account');
  });

  it('shortens to 80 characters with an ellipsis, without splitting an emoji', () => {
    const long = quote(`${'a'.repeat(78)}👩‍💻 tail`);
    expect(Array.from(long)).toHaveLength(80);
    expect(long.endsWith('👩…')).toBe(true);
  });

  it('says when it changed the text, so the mail can explain why it looks broken up', () => {
    expect(quoteCustomerText('see www.example.com').defanged).toBe(true);
  });
});

describe('the name in a greeting', () => {
  it.each([
    ['Ann Smith', 'Ann'],
    ['  ann   smith ', 'ann'],
    ['Jean-Luc Picard', 'Jean-Luc'],
    ['Siobhán O’Brien', 'Siobhán'],
    ['山田 太郎', '山田'],
  ])('greets %s as %s: the first given name only', (name, first) => {
    expect(greetingName(name)).toBe(first);
  });

  it.each([
    ['a message', 'Urgent: your account is suspended, call +1 555 0100'],
    ['an address', 'www.evil.example'],
    ['a title with a full stop', 'Dr. Smith'],
    ['digits', 'R2D2'],
    ['an overlong word', 'A'.repeat(31)],
    ['nothing usable', '\u202e\u0000'],
  ])('greets nobody by name when the name starts with %s', (_what, name) => {
    expect(greetingName(name)).toBeUndefined();
  });
});
