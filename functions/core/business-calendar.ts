import * as z from 'zod';

/**
 * Business-hours calendars for SLA windows (manual 8.3: the service-level policy names the hours
 * its windows run on). A calendar is a time zone, weekly opening hours with any number of ranges a
 * day (a lunch break splits a day in two), and holidays: closed all day, or open shorter hours
 * (a half day). Business time is real elapsed time inside the opening hours.
 *
 * Hours are wall-clock times in the calendar's zone. Daylight saving: a range is turned into
 * instants day by day, so 09:00-17:00 stays 09:00-17:00 local on both sides of a change. A wall
 * time that does not exist (in the spring gap) is read with the offset before the change, so it
 * falls that much later (02:30 becomes 03:30 in Europe/Amsterdam); a wall time that happens twice
 * (in the autumn overlap) is the first one. A range across a change counts the hours that really
 * pass (00:00-24:00 is 23 hours on the spring day, 25 on the autumn day).
 *
 * The walks below step from range to range, day by day, never minute by minute.
 */

const TIME = /^(?:(?:[01]\d|2[0-3]):[0-5]\d|24:00)$/;
const DATE = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const OpeningRangeSchema = z
  .object({ from: z.string().regex(TIME, 'HH:MM'), to: z.string().regex(TIME, 'HH:MM (24:00 for midnight at the end of the day)') })
  .refine((r) => minutesOf(r.from) < minutesOf(r.to), { message: 'A range ends after it starts' });
export type OpeningRange = z.infer<typeof OpeningRangeSchema>;

/** A day's ranges, in order and not overlapping. */
const DayHoursSchema = z
  .array(OpeningRangeSchema)
  .refine((ranges) => ranges.every((r, i) => i === 0 || minutesOf(ranges[i - 1]?.to ?? '00:00') <= minutesOf(r.from)), {
    message: "A day's ranges are in order and do not overlap",
  });

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const WeekdaySchema = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof WeekdaySchema>;

export const HolidaySchema = z.object({
  date: z.string().regex(DATE, 'YYYY-MM-DD'),
  name: z.string().optional(),
  /** A half day: the hours open that day instead of the week's. Absent: closed all day. */
  hours: DayHoursSchema.optional(),
});
export type Holiday = z.infer<typeof HolidaySchema>;

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

export const BusinessCalendarSchema = z.object({
  /** IANA time zone, e.g. Europe/Amsterdam. */
  timeZone: z.string().refine(isTimeZone, { message: 'An IANA time zone' }),
  week: z
    .object(Object.fromEntries(WEEKDAYS.map((d) => [d, DayHoursSchema.optional()])) as Record<Weekday, z.ZodOptional<typeof DayHoursSchema>>)
    .strict()
    .refine((week) => Object.values(week).some((ranges) => (ranges?.length ?? 0) > 0), { message: 'A calendar is open at least once a week' }),
  holidays: z.array(HolidaySchema).default([]),
});
export type BusinessCalendar = z.infer<typeof BusinessCalendarSchema>;

// ---- time zones ----

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface LocalDate {
  y: number;
  m: number;
  d: number;
}

function localParts(ms: number, timeZone: string) {
  const parts = formatter(timeZone).formatToParts(new Date(ms));
  const num = (t: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return { y: num('year'), m: num('month'), d: num('day'), h: num('hour'), min: num('minute'), s: num('second') };
}

/** The zone's offset from UTC at an instant, in ms (local minus UTC). */
function offsetAt(ms: number, timeZone: string): number {
  const p = localParts(ms, timeZone);
  const wholeSecond = Math.floor(ms / 1000) * 1000;
  return Date.UTC(p.y, p.m - 1, p.d, p.h, p.min, p.s) - wholeSecond;
}

/** The instant of a wall-clock time (minutes after local midnight, 1440 allowed) on a local date: see the module comment for gaps and overlaps. */
function instantOf(date: LocalDate, minutes: number, timeZone: string): number {
  const wall = Date.UTC(date.y, date.m - 1, date.d) + minutes * 60_000;
  // A zone changes its offset at most once within a day either side (true of every IANA zone).
  const before = offsetAt(wall - 86_400_000, timeZone);
  const after = offsetAt(wall + 86_400_000, timeZone);
  const candidates = [wall - before, wall - after].filter((t) => offsetAt(t, timeZone) === wall - t);
  if (candidates.length === 0) return wall - before; // in the gap: the offset before the change
  return Math.min(...candidates); // in the overlap: the first
}

const dateKey = ({ y, m, d }: LocalDate) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function shiftDate({ y, m, d }: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(y, m - 1, d + days));
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

const weekdayOf = ({ y, m, d }: LocalDate): Weekday => WEEKDAYS[(new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7] ?? 'mon';

// ---- opening intervals ----

/** Indexed once per calendar object: the walks look a holiday up per day. */
const holidayIndex = new WeakMap<BusinessCalendar, Map<string, Holiday>>();
function holidaysOf(calendar: BusinessCalendar): Map<string, Holiday> {
  let index = holidayIndex.get(calendar);
  if (!index) {
    index = new Map(calendar.holidays.map((h) => [h.date, h]));
    holidayIndex.set(calendar, index);
  }
  return index;
}

/** The day's open intervals as instants [start, end), in order. */
function openIntervals(calendar: BusinessCalendar, date: LocalDate): Array<[number, number]> {
  const holiday = holidaysOf(calendar).get(dateKey(date));
  const ranges = holiday ? (holiday.hours ?? []) : (calendar.week[weekdayOf(date)] ?? []);
  return ranges
    .map((r): [number, number] => [instantOf(date, minutesOf(r.from), calendar.timeZone), instantOf(date, minutesOf(r.to), calendar.timeZone)])
    .filter(([s, e]) => e > s);
}

/**
 * The walks give up after this many days without finding the time asked for: only a calendar
 * whose holidays close it for years can get there (the schema requires weekly hours).
 */
const MAX_DAYS = 3660;

function startDate(ms: number, timeZone: string): LocalDate {
  const p = localParts(ms, timeZone);
  return { y: p.y, m: p.m, d: p.d };
}

/**
 * The instant `durationMs` of business time after `startMs`: a window's deadline. A window
 * starting outside the hours starts at the next opening; a deadline that uses a range to its end
 * falls on the end of that range (17:30, not the next morning).
 */
export function addBusinessTime(startMs: number, durationMs: number, calendar: BusinessCalendar): number {
  if (durationMs <= 0) return startMs;
  let remaining = durationMs;
  // The day before too: a local date's ranges never start before its midnight, but its first one may.
  let date = shiftDate(startDate(startMs, calendar.timeZone), -1);
  for (let i = 0; i < MAX_DAYS; i++, date = shiftDate(date, 1)) {
    for (const [s, e] of openIntervals(calendar, date)) {
      if (e <= startMs) continue;
      const from = Math.max(s, startMs);
      if (remaining <= e - from) return from + remaining;
      remaining -= e - from;
    }
  }
  throw new Error(`The calendar has no business hours within ${MAX_DAYS} days`);
}

/** The instant `durationMs` of business time before `endMs` (a warning point before its deadline). */
export function subtractBusinessTime(endMs: number, durationMs: number, calendar: BusinessCalendar): number {
  if (durationMs <= 0) return endMs;
  let remaining = durationMs;
  let date = shiftDate(startDate(endMs, calendar.timeZone), 1);
  for (let i = 0; i < MAX_DAYS; i++, date = shiftDate(date, -1)) {
    for (const [s, e] of openIntervals(calendar, date).reverse()) {
      if (s >= endMs) continue;
      const to = Math.min(e, endMs);
      if (remaining <= to - s) return to - remaining;
      remaining -= to - s;
    }
  }
  throw new Error(`The calendar has no business hours within ${MAX_DAYS} days`);
}

/** Business time from `aMs` to `bMs` (negative when `bMs` comes first). */
export function businessTimeBetween(aMs: number, bMs: number, calendar: BusinessCalendar): number {
  if (bMs < aMs) return -businessTimeBetween(bMs, aMs, calendar);
  let total = 0;
  const lastKey = dateKey(startDate(bMs, calendar.timeZone));
  for (let date = shiftDate(startDate(aMs, calendar.timeZone), -1); dateKey(date) <= lastKey; date = shiftDate(date, 1)) {
    for (const [s, e] of openIntervals(calendar, date)) total += Math.max(0, Math.min(e, bMs) - Math.max(s, aMs));
  }
  return total;
}
