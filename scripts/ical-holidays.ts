/**
 * Holidays for a business-hours calendar from an iCalendar file, printed as the JSON `holidays`
 * list of a calendar in an SLA policy version (docs/business-hours.md). Skipped events (with a time
 * of day, cancelled, repeating without end) are listed on stderr with their UID and the reason.
 *
 *   npx tsx scripts/ical-holidays.ts holidays.ics [--through YYYY-MM-DD]
 */
import { parseArgs } from 'node:util';
import { readIcalHolidays } from '../functions/adapters/ical-holidays';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { through: { type: 'string' } }, allowPositionals: true });
  const file = positionals[0];
  if (!file) {
    process.stderr.write('usage: npx tsx scripts/ical-holidays.ts <file.ics> [--through YYYY-MM-DD]\n');
    return 2;
  }
  const { holidays, skipped } = await readIcalHolidays(file, values.through ? { through: values.through } : {});
  for (const s of skipped) process.stderr.write(`skipped ${s.uid ?? '(no UID)'}: ${s.reason}\n`);
  process.stdout.write(`${JSON.stringify(holidays, null, 2)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
