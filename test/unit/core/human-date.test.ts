import { checkPresentation, humanDate } from '../../../functions/core/text/human-date';

// The punctuation between the parts follows the CLDR data of the Node.js build: the tests pin the words.
describe('human dates in mail and on pages', () => {
  it('reads as a weekday, day, month, year and time with its zone, in UTC and British English by default', () => {
    expect(humanDate('2026-12-01T00:24:39.000Z')).toMatch(/^Tuesday,? 1 December 2026(,| at) 00:24 UTC$/);
  });

  it('shows the time in a configured time zone, named, and on that zone\'s date', () => {
    expect(humanDate('2026-12-01T00:24:39.000Z', { timeZone: 'America/New_York' })).toMatch(/^Monday,? 30 November 2026(,| at) 19:24 (EST|GMT-5)$/);
    expect(humanDate('2026-07-01T12:00:00.000Z', { timeZone: 'Europe/London' })).toMatch(/13:00 BST$/);
  });

  it('words the date in a configured locale', () => {
    expect(humanDate('2026-12-01T00:24:39.000Z', { locale: 'de-DE', timeZone: 'Europe/Berlin' })).toMatch(/^Dienstag, 1\. Dezember 2026(,| um) 01:24 (MEZ|GMT\+1)$/);
  });

  it('refuses an unknown time zone when the configuration is checked', () => {
    expect(() => checkPresentation({ timeZone: 'Mars/Olympus_Mons' })).toThrow(RangeError);
    expect(() => checkPresentation({ timeZone: 'Europe/Paris', locale: 'en-GB' })).not.toThrow();
  });
});
