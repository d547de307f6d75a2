import { AFTER_UTC_MIDNIGHT_MINUTES, exportScheduleTime, type LocalTime, type ScheduleDays } from '../../infra/constructs/export-schedule-times';

/**
 * A scheduled export covers days that must have ended in UTC when it runs (the workflow's plan
 * refuses a period ending today), and the Scheduler skips a time the clocks jump over. These check
 * the schedule times against the zone's clock as Intl shows it, minute by quarter hour.
 */
const FROM = new Date('2026-06-01T00:00:00Z');
const QUARTER = 15 * 60_000;

/** Every instant (on quarter hours) at which the zone's clock shows `time` on local `date`. */
function instantsShowing(timeZone: string, date: string, time: LocalTime): number[] {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const wanted = `${date}, ${String(time.hour).padStart(2, '0')}:${String(time.minute).padStart(2, '0')}`;
  const naive = Date.parse(`${date}T00:00:00Z`) + (time.hour * 60 + time.minute) * 60_000;
  const found: number[] = [];
  // UTC offsets run from -12 to +14 hours.
  for (let at = naive - 14 * 3_600_000; at <= naive + 12 * 3_600_000; at += QUARTER) if (format.format(at) === wanted) found.push(at);
  return found;
}

const datesOf2026 = (days: ScheduleDays) =>
  Array.from({ length: 365 }, (_, i) => new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)).filter((d) =>
    days === 'every day' ? true : days === 'Mondays' ? new Date(`${d}T00:00:00Z`).getUTCDay() === 1 : d.endsWith('-01'),
  );

describe('export schedule times', () => {
  it('keeps the wanted time in UTC and in zones behind it, where the UTC day has always ended', () => {
    expect(exportScheduleTime('UTC', { hour: 0, minute: 30 }, 'every day', FROM)).toEqual({ hour: 0, minute: 30 });
    expect(exportScheduleTime('America/New_York', { hour: 0, minute: 30 }, 'every day', FROM)).toEqual({ hour: 0, minute: 30 });
    expect(exportScheduleTime('America/New_York', { hour: 2, minute: 0 }, 'the 1st', FROM)).toEqual({ hour: 2, minute: 0 });
  });

  it('moves a London night export to 02:30: 00:30 is 23:30 UTC in summer, and 01:30 does not exist on the last Sunday of March', () => {
    expect(exportScheduleTime('Europe/London', { hour: 0, minute: 30 }, 'every day', FROM)).toEqual({ hour: 2, minute: 30 });
    // Mondays and the 1st are never the day the clocks change in London: only the UTC day counts.
    expect(exportScheduleTime('Europe/London', { hour: 1, minute: 0 }, 'Mondays', FROM)).toEqual({ hour: 2, minute: 0 });
    expect(exportScheduleTime('Europe/London', { hour: 2, minute: 0 }, 'the 1st', FROM)).toEqual({ hour: 2, minute: 0 });
  });

  it('moves a zone far ahead of UTC to the first hour after the UTC day has ended (Tokyo 09:30, Kiritimati 14:30)', () => {
    expect(exportScheduleTime('Asia/Tokyo', { hour: 0, minute: 30 }, 'every day', FROM)).toEqual({ hour: 9, minute: 30 });
    expect(exportScheduleTime('Pacific/Kiritimati', { hour: 0, minute: 30 }, 'every day', FROM)).toEqual({ hour: 14, minute: 30 });
  });

  it.each([
    ['Europe/London'],
    ['Europe/Paris'],
    ['America/Santiago'],
    ['Asia/Kathmandu'],
    ['Pacific/Auckland'],
    ['Australia/Lord_Howe'],
  ])('chooses in %s times that exist on every day they fire and come at least 30 minutes after that UTC day began', (zone) => {
    const wanted: Array<[LocalTime, ScheduleDays]> = [
      [{ hour: 0, minute: 30 }, 'every day'],
      [{ hour: 1, minute: 0 }, 'Mondays'],
      [{ hour: 2, minute: 0 }, 'the 1st'],
    ];
    for (const [time, days] of wanted) {
      const chosen = exportScheduleTime(zone, time, days, FROM);
      const problems = datesOf2026(days).flatMap((date) => {
        const instants = instantsShowing(zone, date, chosen);
        if (instants.length === 0) return [`${date}: ${chosen.hour}:${chosen.minute} does not exist`];
        const early = instants.filter((at) => at - Date.parse(`${date}T00:00:00Z`) < AFTER_UTC_MIDNIGHT_MINUTES * 60_000);
        return early.length > 0 ? [`${date}: ${chosen.hour}:${chosen.minute} is ${new Date(early[0] ?? 0).toISOString()}`] : [];
      });
      expect({ zone, days, chosen, problems }).toEqual({ zone, days, chosen, problems: [] });
    }
  });
});
