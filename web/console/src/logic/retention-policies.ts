/**
 * The retention publish form's checks (docs/retention.md): what the browser can tell before sending.
 * The API checks again and its refusals are shown by field the same way (problemsByField).
 */
export interface RetentionDraft {
  version: string;
  years: string;
  reason: string;
}

/** The protocol's minimum (M7.2, C4.3): records are kept at least five years from closure. */
export const MIN_RETENTION_YEARS = 5;

export function checkRetentionDraft(draft: RetentionDraft): { problems: Record<string, string> } | { body: { version: string; years: number; reason: string } } {
  const problems: Record<string, string> = {};
  const version = draft.version.trim();
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(version)) problems.version = 'Give the version an id: letters, digits, dots, underscores or hyphens';
  const years = Number(draft.years);
  if (draft.years.trim() === '' || !Number.isInteger(years)) problems.years = 'Give a whole number of years';
  else if (years < MIN_RETENTION_YEARS) problems.years = `Records are kept at least ${MIN_RETENTION_YEARS} years from closure (M7.2, C4.3)`;
  const reason = draft.reason.trim();
  if (reason === '') problems.reason = 'Say why the retention policy changes';
  return Object.keys(problems).length > 0 ? { problems } : { body: { version, years, reason } };
}
