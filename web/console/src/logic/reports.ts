/**
 * The monthly compliance report in the console (docs/reports.md): which months may be asked for
 * (calendar months that have ended, UTC, as the server judges them) and how they are named.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The last month that has ended at `nowMs` (UTC): the one a report is usually wanted for. */
export function lastEndedMonth(nowMs: number): string {
  const now = new Date(nowMs);
  const y = now.getUTCFullYear();
  const m = now.getUTCMonth();
  return m === 0 ? `${y - 1}-12` : `${y}-${String(m).padStart(2, '0')}`;
}

/** Why a month cannot be reported on, or undefined when it can: YYYY-MM, and over by `nowMs`. */
export function checkReportMonth(value: string, nowMs: number): string | undefined {
  if (!MONTH.test(value)) return 'Give a month as YYYY-MM, for example 2026-11.';
  if (value > lastEndedMonth(nowMs)) return `${monthLabel(value)} has not ended yet: a month is reported once it is over.`;
  return undefined;
}

export const monthLabel = (month: string): string => {
  const m = MONTH.exec(month);
  return m ? `${MONTHS[Number(m[2]) - 1]} ${m[1]}` : month;
};
