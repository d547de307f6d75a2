import { useState } from 'preact/hooks';
import { DraftStore } from '../logic/draft-store';

/**
 * What the user has typed into a form, kept outside the form: a refused change (409), a reload,
 * another case opened meanwhile, or the form folded away never loses a draft. Memory only (drafts
 * can hold personal data): gone with the tab, and cleared on sign-out. A form showing another
 * case is another component (the case view is keyed by case id), so a key names one form of one
 * case (`draftKey`). Each draft keeps the case version its form opened on (logic/draft-store.ts).
 */
export const DRAFTS = new DraftStore();

export function clearDrafts(): void {
  DRAFTS.clear();
}

export function useDraft<T>(key: string, initial: T): [T, (next: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => (DRAFTS.has(key) ? (DRAFTS.get(key) as T) : initial));
  const set = (next: T) => {
    DRAFTS.set(key, next);
    setValue(next);
  };
  const clear = () => {
    DRAFTS.delete(key);
    setValue(initial);
  };
  return [value, set, clear];
}
