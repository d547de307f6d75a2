/**
 * Dates as people read them, in mail and on pages: "Tuesday, 1 December 2026 at 00:24 UTC" rather
 * than an HTTP date. The wording, order and clock are the locale's own (Intl, full ICU in Node);
 * the time zone is named, so a reader in another zone knows what the time means.
 */

/** How mail and pages present dates. The lead wires it from configuration; both default. */
export interface Presentation {
  /** An IANA time zone, e.g. "Europe/London". Default "UTC". */
  timeZone?: string;
  /** A BCP 47 locale for the date's words and order, e.g. "en-GB". Default "en-GB". */
  locale?: string;
}

export const DEFAULT_TIME_ZONE = 'UTC';
export const DEFAULT_LOCALE = 'en-GB';

// Building a formatter costs far more than using one; there are only ever a few presentations.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(p: Presentation): Intl.DateTimeFormat {
  const timeZone = p.timeZone ?? DEFAULT_TIME_ZONE;
  const locale = p.locale ?? DEFAULT_LOCALE;
  const key = `${locale}\u0000${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    });
    formatters.set(key, f);
  }
  return f;
}

/** Whether Intl knows the IANA time zone (full ICU in Lambda's Node.js and locally). */
export function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Whether Intl has the locale (BCP 47). */
export const isKnownLocale = (locale: string): boolean => Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;

/**
 * Throws a RangeError for a time zone Intl does not know or a malformed locale, so configuration
 * can be checked once at start-up instead of failing each delivery.
 */
export function checkPresentation(p: Presentation): void {
  formatterFor(p);
}

/** An ISO timestamp (or Date) as a human date in the presentation's time zone and locale. */
export function humanDate(at: string | Date, p: Presentation = {}): string {
  return formatterFor(p).format(typeof at === 'string' ? new Date(at) : at);
}
