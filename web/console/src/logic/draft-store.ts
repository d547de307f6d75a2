/**
 * What people type into a case's forms, each draft with the case version it was written against:
 * the version on screen when its form opened. A change goes with that version as `If-Match`, so a
 * colleague's change that lands while someone types (the case view polls every 15 s and shows
 * it) is refused with a 409 rather than overwritten unseen. Memory only (drafts can hold personal
 * data): gone with the tab, cleared on sign-out.
 */
interface Entry {
  value?: unknown;
  typed: boolean;
  version?: number | undefined;
}

export const draftKey = (caseId: string, form: string): string => `${caseId}:${form}`;

export class DraftStore {
  private readonly entries = new Map<string, Entry>();

  /**
   * A form opens on the case at `version`: that is the version its draft is written against, unless
   * something was typed into it before (then the draft keeps the version it was written against).
   * Returns the version the form's change will be sent with.
   */
  open(key: string, version: number): number {
    const entry = this.entries.get(key);
    if (entry?.typed && entry.version !== undefined) return entry.version;
    this.entries.set(key, { ...(entry ?? { typed: false }), version });
    return version;
  }

  /** The version the draft was written against, if its form was opened. */
  version(key: string): number | undefined {
    return this.entries.get(key)?.version;
  }

  /** The person has seen the case at `version` (reloaded it, or their own change moved it there). */
  rebase(key: string, version: number): void {
    const entry = this.entries.get(key);
    this.entries.set(key, { ...(entry ?? { typed: false }), version });
  }

  /**
   * The person's own change moved the case from `from` to `to`: a draft of that case written
   * against `from` has seen everything but that change, so it is written against `to` now.
   */
  advance(caseId: string, from: number, to: number): void {
    for (const [key, entry] of this.entries) {
      if (key.startsWith(`${caseId}:`) && entry.version === from) entry.version = to;
    }
  }

  has(key: string): boolean {
    return this.entries.get(key)?.typed === true;
  }

  get(key: string): unknown {
    return this.entries.get(key)?.value;
  }

  set(key: string, value: unknown): void {
    const entry = this.entries.get(key);
    this.entries.set(key, { version: entry?.version, value, typed: true });
  }

  /** The change was made: the draft and its version go. */
  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
