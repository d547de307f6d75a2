import { join } from 'node:path';
import { IcalHolidaysError, parseIcalHolidays, readIcalHolidays } from '../../../functions/adapters/ical-holidays';
import { addBusinessTime, BusinessCalendarSchema } from '../../../functions/core/business-calendar';

const fixture = (variant: string) => join(__dirname, '../../fixtures/ical', variant, 'holidays.ics');

describe('iCal holiday import', () => {
  it('closes every day an all-day event covers: one day, a DURATION, no end at all, and a multi-day event with its exclusive end', async () => {
    const { holidays } = await readIcalHolidays(fixture('public-holidays'), { through: '2027-12-31' });
    expect(holidays.filter((h) => h.date.startsWith('2026-'))).toEqual([
      { date: '2026-04-27', name: "King's Day" },
      { date: '2026-05-05', name: 'Liberation Day' },
      { date: '2026-05-14', name: 'Ascension Day' },
      { date: '2026-05-15', name: 'Bridge day after Ascension' },
      { date: '2026-12-24', name: 'Christmas closure' },
      { date: '2026-12-25', name: 'Christmas closure' },
      { date: '2026-12-26', name: 'Christmas closure' },
    ]);
  });

  it('repeats a yearly event up to the last date asked for', async () => {
    const { holidays } = await readIcalHolidays(fixture('public-holidays'), { through: '2027-12-31' });
    const dates = holidays.map((h) => h.date);
    expect(dates).toEqual(expect.arrayContaining(['2025-05-05', '2026-05-05', '2027-05-05', '2027-01-01']));
    expect(dates.some((d) => d > '2027-12-31')).toBe(false);
  });

  it('expands a rule with a count by itself and skips one that never ends when no last date is given', async () => {
    const { holidays, skipped } = await readIcalHolidays(fixture('public-holidays'));
    expect(holidays.filter((h) => h.name === "New Year's Day").map((h) => h.date)).toEqual(['2027-01-01', '2028-01-01', '2029-01-01']);
    expect(holidays.some((h) => h.name === 'Liberation Day')).toBe(false);
    expect(skipped).toContainEqual({ uid: 'liberation-day@caseflow.test', reason: expect.stringMatching(/repeats without end/) });
  });

  it('closes nothing for an event with a time of day or a cancelled one, and says so', async () => {
    const { holidays, skipped } = await readIcalHolidays(fixture('public-holidays'), { through: '2027-12-31' });
    expect(holidays.map((h) => h.date)).not.toEqual(expect.arrayContaining(['2026-06-12']));
    expect(holidays.map((h) => h.date)).not.toEqual(expect.arrayContaining(['2026-06-05']));
    expect(skipped).toEqual([
      { uid: 'team-offsite@caseflow.test', reason: 'not an all-day event' },
      { uid: 'cancelled-2026@caseflow.test', reason: 'cancelled' },
    ]);
  });

  it('gives holidays a business calendar accepts and counts around', async () => {
    const { holidays } = await readIcalHolidays(fixture('public-holidays'), { through: '2027-12-31' });
    const hours = [{ from: '09:00', to: '17:00' }];
    const calendar = BusinessCalendarSchema.parse({ timeZone: 'Europe/Amsterdam', week: { mon: hours, tue: hours, wed: hours, thu: hours, fri: hours }, holidays });
    // Wednesday 13 May 16:00 CEST + 2 h: Ascension Thursday and the bridge Friday are closed, so Monday 10:00.
    expect(new Date(addBusinessTime(Date.parse('2026-05-13T14:00:00Z'), 2 * 3_600_000, calendar)).toISOString()).toBe('2026-05-18T08:00:00.000Z');
  });

  it('refuses a file that is not an iCalendar file without quoting it', async () => {
    await expect(readIcalHolidays(fixture('not-a-calendar'))).rejects.toThrow(IcalHolidaysError);
    await expect(readIcalHolidays(fixture('not-a-calendar'))).rejects.not.toThrow(/Hello|mail message/);
    expect(() => parseIcalHolidays('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Someone\r\nEND:VCARD\r\n')).toThrow(IcalHolidaysError);
  });
});
