/**
 * The time of day a compliance export schedule fires, in its time zone (EventBridge Scheduler
 * evaluates the cron expression there).
 *
 * A scheduled export covers the days before the date it fires on, by that zone's calendar, and
 * those days are UTC days (the by-day index's; core/compliance-export.ts `scheduledPeriod`), which
 * must have ended when it runs — the workflow's plan refuses a period ending today (UTC). In a zone
 * ahead of UTC the wanted time can come before that: 00:30 in Europe/London is 23:30 UTC in summer,
 * when "yesterday" in London is still today in UTC, so the run would fail every summer night. And
 * the Scheduler skips a time the clocks jump over (a spring DST gap), which would leave that day
 * without its export. So the wanted time is moved later, a whole hour at a time (its minutes kept),
 * until on each day it fires in this year and the next it exists and falls at least 30 minutes
 * after UTC midnight (the day's last writes have reached the index: the audit anchoring waits 15).
 * In UTC and in zones behind it, the wanted time is kept: UTC 00:30, America/New_York 00:30;
 * Europe/London becomes 01:30 + 1 hour for the March gap = 02:30; Asia/Tokyo 09:30.
 */
export interface LocalTime {
  hour: number;
  minute: number;
}

/** The days a schedule fires on: every day, Mondays, or the 1st of each month. */
export type ScheduleDays = 'every day' | 'Mondays' | 'the 1st';

const firesOn: Readonly<Record<ScheduleDays, (date: string) => boolean>> = {
  'every day': () => true,
  Mondays: (date) => new Date(`${date}T00:00:00Z`).getUTCDay() === 1,
  'the 1st': (date) => date.endsWith('-01'),
};

const MINUTE = 60_000;
const DAY = 86_400_000;
/** How long after UTC midnight a schedule fires at the earliest. */
export const AFTER_UTC_MIDNIGHT_MINUTES = 30;

/** The wall clock of a zone: the local date and minutes since local midnight of an instant. */
function wallClock(timeZone: string): (instant: number) => { date: string; minutes: number; asUtc: number } {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return (instant) => {
    const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
    const [year, month, day, hour, minute] = ['year', 'month', 'day', 'hour', 'minute'].map((t) => Number(parts[t]));
    const date = `${parts.year}-${parts.month}-${parts.day}`;
    return { date, minutes: (hour ?? 0) * 60 + (minute ?? 0), asUtc: Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1, hour, minute) };
  };
}

/** The first instant the zone's clocks show `minutes` on local `date`, or undefined when they skip it (a DST gap). */
function instantOf(clock: ReturnType<typeof wallClock>, date: string, minutes: number): number | undefined {
  const naive = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE;
  // The zone's offsets the day before and after: the time is one of them, or in a gap between them.
  const offsets = [...new Set([naive - DAY, naive + DAY].map((at) => clock(at).asUtc - Math.floor(at / MINUTE) * MINUTE))];
  const instants = offsets.map((offset) => naive - offset).filter((at) => {
    const shown = clock(at);
    return shown.date === date && shown.minutes === minutes;
  });
  return instants.length > 0 ? Math.min(...instants) : undefined;
}

/** Whether `minutes` exists on `date` and falls late enough after UTC midnight of that date. */
function fits(clock: ReturnType<typeof wallClock>, date: string, minutes: number): boolean {
  const at = instantOf(clock, date, minutes);
  return at !== undefined && at - Date.parse(`${date}T00:00:00Z`) >= AFTER_UTC_MIDNIGHT_MINUTES * MINUTE;
}

/**
 * The time to fire at in `timeZone` for a wanted time (see the module comment): the wanted time
 * itself, or the first whole hour after it that fits each of the `days` it fires on in `from`'s UTC
 * year and the next.
 */
export function exportScheduleTime(timeZone: string, wanted: LocalTime, days: ScheduleDays = 'every day', from: Date = new Date()): LocalTime {
  const clock = wallClock(timeZone);
  const year = from.getUTCFullYear();
  const start = Date.UTC(year, 0, 1);
  const count = Math.round((Date.UTC(year + 2, 0, 1) - start) / DAY);
  const dates = Array.from({ length: count }, (_, i) => new Date(start + i * DAY).toISOString().slice(0, 10)).filter(firesOn[days]);
  for (let hour = wanted.hour; hour < 24; hour += 1) {
    const minutes = hour * 60 + wanted.minute;
    if (dates.every((date) => fits(clock, date, minutes))) return { hour, minute: wanted.minute };
  }
  throw new Error(`caseflow: no time of day in ${timeZone} from ${wanted.hour}:${String(wanted.minute).padStart(2, '0')} falls after the UTC day has ended on ${days}`);
}
