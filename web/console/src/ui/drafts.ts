import { useState } from 'preact/hooks';

/**
 * What the user has typed into a form, kept outside the form: a refused change (409), a reload,
 * another case opened meanwhile, or the form folded away never loses a draft. Memory only (drafts
 * can hold personal data): gone with the tab, and cleared on sign-out. A form showing another
 * case is another component (the case view is keyed by case id), so a key names one form of one case.
 */
const drafts = new Map<string, unknown>();

export function clearDrafts(): void {
  drafts.clear();
}

export function useDraft<T>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => (drafts.has(key) ? (drafts.get(key) as T) : initial));
  const set = (next: T) => {
    drafts.set(key, next);
    setValue(next);
  };
  const clear = () => {
    drafts.delete(key);
    setValue(initial);
  };
  return [value, set, clear];
}
