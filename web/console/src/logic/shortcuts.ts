/**
 * The console's keyboard shortcuts (listed by "?"): one key for the frequent actions, "g" then
 * "q" back to the queue. Keys typed into a field are the field's, except Escape.
 */
export type ShortcutCommand =
  | { kind: 'next-row' }
  | { kind: 'previous-row' }
  | { kind: 'open' }
  | { kind: 'next-case' }
  | { kind: 'reply' }
  | { kind: 'note' }
  | { kind: 'claim' }
  | { kind: 'queue' }
  | { kind: 'search' }
  | { kind: 'help' }
  | { kind: 'close' };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Focus is in a text field, a select or an editable element. */
  inField: boolean;
}

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'j', what: 'Next case in the queue' },
  { keys: 'k', what: 'Previous case in the queue' },
  { keys: 'Enter', what: 'Open the selected case' },
  { keys: 'n', what: 'Next case (from a case: the next one in the last queue)' },
  { keys: 'r', what: 'Reply to the customer' },
  { keys: 'c', what: 'Add an internal note (comment)' },
  { keys: 'a', what: 'Assign the case to me (claim)' },
  { keys: 'g then q', what: 'Back to the queue' },
  { keys: '/', what: 'Search by reference or customer email' },
  { keys: '?', what: 'Show these shortcuts' },
  { keys: 'Esc', what: 'Close a dialog or form' },
];

/** How long "g" waits for its second key. */
export const CHORD_MS = 1500;

/** A reader of key presses: it remembers a pending "g" between calls. */
export function createShortcutReader(): (input: KeyInput, nowMs: number) => ShortcutCommand | undefined {
  let pendingSince: number | undefined;
  return (input, nowMs) => {
    if (input.key === 'Escape') {
      pendingSince = undefined;
      return { kind: 'close' };
    }
    if (input.ctrlKey || input.metaKey || input.altKey || input.inField) return undefined;
    const chord = pendingSince !== undefined && nowMs - pendingSince <= CHORD_MS;
    pendingSince = undefined;
    if (chord) return input.key === 'q' ? { kind: 'queue' } : undefined;
    switch (input.key) {
      case 'g':
        pendingSince = nowMs;
        return undefined;
      case 'j':
        return { kind: 'next-row' };
      case 'k':
        return { kind: 'previous-row' };
      case 'Enter':
        return { kind: 'open' };
      case 'n':
        return { kind: 'next-case' };
      case 'r':
        return { kind: 'reply' };
      case 'c':
        return { kind: 'note' };
      case 'a':
        return { kind: 'claim' };
      case '/':
        return { kind: 'search' };
      case '?':
        return { kind: 'help' };
      default:
        return undefined;
    }
  };
}
