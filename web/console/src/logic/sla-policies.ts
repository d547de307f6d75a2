import type { MigrationRecord, MigrationSelection, SlaPolicyVersions } from '../api/types';

/**
 * The policies panel's rules (M8.3; docs/sla-policies.md): the JSON a new version is written in,
 * checked here for what the browser can tell (it parses, it is an object with a version id), the
 * rest by the API, whose 400 names each field; and the confirmation a migration asks for.
 */
export type PolicyDraftCheck = { policy: Record<string, unknown>; problems?: undefined } | { policy?: undefined; problems: Record<string, string> };

const VERSION_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A draft for a new version: the current one's fields without its id, to edit. */
export function draftFrom(versions: SlaPolicyVersions): string {
  const current = versions.policies.find((p) => p.current)?.policy;
  return JSON.stringify({ ...(current ?? {}), version: '' }, null, 2);
}

export function checkPolicyDraft(text: string): PolicyDraftCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: { '(json)': 'This is not valid JSON: check the quotes, commas and brackets' } };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) return { problems: { '(json)': 'Write the policy as one JSON object' } };
  const policy = value as Record<string, unknown>;
  if (typeof policy.version !== 'string' || !VERSION_ID.test(policy.version)) return { problems: { version: 'Give the new version an id: letters, digits, . _ - (e.g. 2027-01)' } };
  return { policy };
}

/** The API's field problems (a 400's `issues`), by field, for the editor to show. */
export function problemsByField(issues: readonly { path: string; message: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of issues ?? []) out[i.path] = out[i.path] ? `${out[i.path]}; ${i.message}` : i.message;
  return out;
}

/** What a migration selects, in words. */
export function selectionLabel(s: MigrationSelection): string {
  const parts = [s.priority ? `${s.priority}-priority` : undefined, s.type ? `${s.type === 'complaint' ? 'complaints' : 'inquiries'}` : 'cases'].filter(Boolean);
  return `open ${parts.join(' ')}`;
}

/** The confirmation a migration asks for, naming how many cases it moves. */
export function migrationConfirmation(count: number, version: string, s: MigrationSelection): string {
  if (count === 0) return `No ${selectionLabel(s)} would move to ${version}: they are on it already, or there are none.`;
  return `Move ${count} of the ${selectionLabel(s)} to policy ${version}? Their deadlines are recomputed from when each was received, the change goes on each timeline with your reason, and their SLA timers follow.`;
}

/** A migration's progress as the console says it (the live region), while it runs and once it is done. */
export function migrationProgress(m: MigrationRecord): string {
  const counts = `${m.migrated} case(s) moved to ${m.toVersion}, ${m.alreadyOnVersion} already on it`;
  switch (m.status) {
    case 'running':
      return `Migrating: ${counts} so far…`;
    case 'completed':
      return `Migration completed: ${counts}.`;
    case 'failed':
      return `Migration stopped: ${counts}. ${m.failure ?? 'It failed'}. Move the cases again to resume it.`;
  }
}
