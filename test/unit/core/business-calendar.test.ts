import {
  addBusinessTime,
  BusinessCalendarSchema,
  businessTimeBetween,
  subtractBusinessTime,
  type BusinessCalendar,
} from '../../../functions/core/business-calendar';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

const workday = [
  { from: '09:00', to: '12:30' },
  { from: '13:30', to: '17:30' },
];
/** Mon-Fri 09:00-12:30 and 13:30-17:30 in Amsterdam, Christmas Eve a half day, Christmas closed. */
const office: BusinessCalendar = BusinessCalendarSchema.parse({
  timeZone: 'Europe/Amsterdam',
  week: { mon: workday, tue: workday, wed: workday, thu: workday, fri: workday },
  holidays: [
    { date: '2026-12-24', name: 'Christmas Eve', hours: [{ from: '09:00', to: '12:00' }] },
    { date: '2026-12-25', name: 'Christmas Day' },
  ],
});

describe('business calendar', () => {
  it('skips the lunch break', () => {
    // Tuesday 12:00 CET: half an hour before lunch, the other half after it.
    expect(iso(addBusinessTime(t('2026-03-03T11:00:00Z'), HOUR, office))).toBe('2026-03-03T13:00:00.000Z');
  });

  it('starts a window opened before hours at the opening', () => {
    expect(iso(addBusinessTime(t('2026-03-03T06:00:00Z'), 2 * HOUR, office))).toBe('2026-03-03T10:00:00.000Z');
  });

  it('ends a window that uses the day to its last minute at closing time, not the next morning', () => {
    expect(iso(addBusinessTime(t('2026-03-03T16:00:00Z'), 30 * MINUTE, office))).toBe('2026-03-03T16:30:00.000Z');
  });

  it('carries a window over the weekend to Monday (M3.1)', () => {
    // Friday 17:00 CET: half an hour on Friday, the rest on Monday morning.
    expect(iso(addBusinessTime(t('2026-03-06T16:00:00Z'), HOUR, office))).toBe('2026-03-09T08:30:00.000Z');
    expect(iso(addBusinessTime(t('2026-03-06T18:00:00Z'), 15 * MINUTE, office))).toBe('2026-03-09T08:15:00.000Z');
  });

  it('counts a half day and skips a closed holiday', () => {
    // Wednesday 23 December 17:00: 30 min, Christmas Eve 09:00-12:00, Christmas closed, weekend, Monday 09:30.
    expect(iso(addBusinessTime(t('2026-12-23T16:00:00Z'), 4 * HOUR, office))).toBe('2026-12-28T08:30:00.000Z');
  });

  it('keeps the local opening hours across the spring daylight-saving change (Europe/Amsterdam 2026-03-29)', () => {
    // Friday 17:00 CET + 1 h: Monday 09:30 CEST, which is 07:30Z (not 08:30Z as a fixed offset would say).
    expect(iso(addBusinessTime(t('2026-03-27T16:00:00Z'), HOUR, office))).toBe('2026-03-30T07:30:00.000Z');
    // Friday 09:00 CET to Monday 17:30 CEST: two full days, 15 hours.
    expect(businessTimeBetween(t('2026-03-27T08:00:00Z'), t('2026-03-30T15:30:00Z'), office)).toBe(15 * HOUR);
  });

  it('keeps the local opening hours across the autumn daylight-saving change (Europe/Amsterdam 2026-10-25)', () => {
    // Friday 17:00 CEST + 1 h: Monday 09:30 CET, which is 08:30Z.
    expect(iso(addBusinessTime(t('2026-10-23T15:00:00Z'), HOUR, office))).toBe('2026-10-26T08:30:00.000Z');
    expect(businessTimeBetween(t('2026-10-23T07:00:00Z'), t('2026-10-26T16:30:00Z'), office)).toBe(15 * HOUR);
  });

  it('counts the hours that really pass in a range across a change, and reads a wall time in the spring gap as after it', () => {
    const sundays = (hours: Array<{ from: string; to: string }>) => BusinessCalendarSchema.parse({ timeZone: 'Europe/Amsterdam', week: { sun: hours } });
    const allDay = sundays([{ from: '00:00', to: '24:00' }]);
    expect(businessTimeBetween(t('2026-03-27T00:00:00Z'), t('2026-03-31T00:00:00Z'), allDay)).toBe(23 * HOUR);
    expect(businessTimeBetween(t('2026-10-23T00:00:00Z'), t('2026-10-27T00:00:00Z'), allDay)).toBe(25 * HOUR);
    const night = sundays([{ from: '02:30', to: '04:00' }]);
    expect(businessTimeBetween(t('2026-03-16T00:00:00Z'), t('2026-03-23T00:00:00Z'), night)).toBe(90 * MINUTE);
    // 02:30 does not exist on 29 March: it is read as 03:30 CEST, leaving half an hour.
    expect(businessTimeBetween(t('2026-03-27T00:00:00Z'), t('2026-03-31T00:00:00Z'), night)).toBe(30 * MINUTE);
    // 02:30 happens twice on 25 October: the first (CEST) counts, to 04:00 CET.
    expect(businessTimeBetween(t('2026-10-23T00:00:00Z'), t('2026-10-27T00:00:00Z'), night)).toBe(150 * MINUTE);
  });

  it('steps over a three-week holiday season range by range to the right deadline', () => {
    const closed: Array<{ date: string }> = [];
    for (let d = Date.UTC(2026, 11, 19); d <= Date.UTC(2027, 0, 10); d += 24 * HOUR) closed.push({ date: new Date(d).toISOString().slice(0, 10) });
    const season = BusinessCalendarSchema.parse({ ...office, holidays: closed });
    // Friday 18 December 17:00: 30 min, then 7.5 h a day from Monday 11 January: Thursday 14 January 10:00 CET.
    expect(iso(addBusinessTime(t('2026-12-18T16:00:00Z'), 24 * HOUR, season))).toBe('2027-01-14T09:00:00.000Z');
    expect(businessTimeBetween(t('2026-12-18T16:00:00Z'), t('2027-01-14T09:00:00Z'), season)).toBe(24 * HOUR);
  });

  it('finds a warning point by walking back from the deadline in business time', () => {
    const start = t('2026-03-06T15:00:00Z'); // Friday 16:00 CET
    const due = addBusinessTime(start, 4 * HOUR, office);
    expect(iso(due)).toBe('2026-03-09T10:30:00.000Z'); // Monday 11:30 CET
    expect(iso(subtractBusinessTime(due, HOUR, office))).toBe('2026-03-09T09:30:00.000Z');
    expect(iso(subtractBusinessTime(due, 4 * HOUR, office))).toBe(iso(start));
    expect(businessTimeBetween(due, start, office)).toBe(-4 * HOUR);
  });

  it('refuses a calendar with an unknown zone, overlapping ranges or no hours at all', () => {
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'Mars/Olympus', week: { mon: workday } }).success).toBe(false);
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', week: { mon: [{ from: '09:00', to: '13:00' }, { from: '12:00', to: '17:00' }] } }).success).toBe(false);
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', week: { mon: [{ from: '17:00', to: '09:00' }] } }).success).toBe(false);
    expect(BusinessCalendarSchema.safeParse({ timeZone: 'UTC', week: {} }).success).toBe(false);
  });
});
