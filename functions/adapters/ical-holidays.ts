import { readFile } from 'node:fs/promises';
import ICAL from 'ical.js';
import { HolidaySchema, type Holiday } from '../core/business-calendar';

/**
 * Holidays for a business-hours calendar (core/business-calendar.ts) from an iCalendar file, as
 * calendar applications and public-holiday feeds publish them. ical.js parses the file: each
 * all-day VEVENT closes the days it covers (DTEND is exclusive; DURATION or no end at all work as
 * RFC 5545 says), repeating events on each occurrence up to `through`. Events with a time of day
 * and cancelled events close nothing: they are listed as skipped, with the reason, for the person
 * importing to see (a half day is given with its hours in the calendar itself).
 */

export interface IcalHolidayImport {
  /** One entry a date, in date order; a date two events close carries both names. */
  holidays: Holiday[];
  skipped: Array<{ uid: string | undefined; reason: string }>;
}

export interface IcalHolidayOptions {
  /** Last date (YYYY-MM-DD) repeating events are expanded to; a rule that never ends is skipped without it. */
  through?: string;
}

/** The file is not an iCalendar file: the message never quotes it. */
export class IcalHolidaysError extends Error {
  override name = 'IcalHolidaysError';
}

const DAY_MS = 86_400_000;
/** A bounded rule can still be huge (COUNT=100000): holidays stop here. */
const MAX_OCCURRENCES = 1000;

const dateOf = (t: ICAL.Time) => Date.UTC(t.year, t.month - 1, t.day);
const keyOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function parseIcalHolidays(ics: string, options: IcalHolidayOptions = {}): IcalHolidayImport {
  let calendar: ICAL.Component;
  try {
    calendar = new ICAL.Component(ICAL.parse(ics));
  } catch {
    throw new IcalHolidaysError('Not an iCalendar file');
  }
  if (calendar.name !== 'vcalendar') throw new IcalHolidaysError('Not an iCalendar file: no VCALENDAR');
  const throughMs = options.through === undefined ? undefined : Date.parse(`${HolidaySchema.shape.date.parse(options.through)}T00:00:00Z`);

  const names = new Map<string, string[]>();
  const close = (startMs: number, days: number, name: string | undefined) => {
    for (let d = 0; d < days; d++) {
      const key = keyOf(startMs + d * DAY_MS);
      const list = names.get(key) ?? [];
      if (name && !list.includes(name)) list.push(name);
      names.set(key, list);
    }
  };
  const skipped: IcalHolidayImport['skipped'] = [];

  for (const component of calendar.getAllSubcomponents('vevent')) {
    const event = new ICAL.Event(component);
    const uid = event.uid || undefined;
    const skip = (reason: string) => skipped.push({ uid, reason });
    if (String(component.getFirstPropertyValue('status') ?? '').toUpperCase() === 'CANCELLED') {
      skip('cancelled');
      continue;
    }
    const start = event.startDate;
    if (!start) {
      skip('no start date');
      continue;
    }
    if (!start.isDate) {
      skip('not an all-day event');
      continue;
    }
    // Whole days from the start to the exclusive end; at least the start day.
    const days = Math.max(1, Math.round((dateOf(event.endDate) - dateOf(start)) / DAY_MS));
    const name = event.summary || undefined;
    if (!event.isRecurring()) {
      close(dateOf(start), days, name);
      continue;
    }
    const rule = component.getFirstPropertyValue('rrule');
    if (throughMs === undefined && !(rule instanceof ICAL.Recur && rule.isFinite())) {
      skip('repeats without end: give the last date to import');
      continue;
    }
    const occurrences = event.iterator();
    for (let n = 0, next = occurrences.next(); next && n < MAX_OCCURRENCES; n++, next = occurrences.next()) {
      const at = dateOf(next);
      if (throughMs !== undefined && at > throughMs) break;
      close(at, days, name);
    }
  }

  const holidays = [...names.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, list]) => HolidaySchema.parse(list.length ? { date, name: list.join(' / ') } : { date }));
  return { holidays, skipped };
}

export async function readIcalHolidays(path: string, options: IcalHolidayOptions = {}): Promise<IcalHolidayImport> {
  return parseIcalHolidays(await readFile(path, 'utf8'), options);
}
