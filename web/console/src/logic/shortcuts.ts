/**
 * The console's keyboard shortcuts (shown by "?"): one key for the frequent actions, "g" then a
 * letter to switch places. Keys typed into a field are the field's, except Escape.
 */
export type ShortcutCommand =
  | { kind: 'next' }
  | { kind: 'previous' }
  | { kind: 'reply' }
  | { kind: 'note' }
  | { kind: 'call' }
  | { kind: 'claim' }
  | { kind: 'search' }
  | { kind: 'help' }
  | { kind: 'close' }
  | { kind: 'go'; key: string };

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** Focus is in a text field, a select or an editable element. */
  inField: boolean;
  /** Focus is in the case list (arrow keys move there; elsewhere they scroll). */
  inList?: boolean;
}

export const SHORTCUTS: readonly { keys: string; what: string }[] = [
  { keys: 'j or ↓', what: 'Next case in the list (↓ inside the list)' },
  { keys: 'k or ↑', what: 'Previous case in the list (↑ inside the list)' },
  { keys: 'r', what: 'Reply to the customer' },
  { keys: 'n', what: 'Add an internal note' },
  { keys: 'l', what: 'Log a call' },
  { keys: 'a', what: 'Assign the open case to me' },
  { keys: '/', what: 'Search' },
  { keys: 'g then m / u / b / e / a', what: 'Go to my cases / unassigned / breaching soonest / escalations / all open' },
  { keys: 'g then s / t / p / x', what: 'Go to search / staff / settings / quarantine' },
  { keys: '?', what: 'Show these shortcuts' },
  { keys: 'Esc', what: 'Close a dialog or form' },
];

/** How long "g" waits for its second key. */
const CHORD_MS = 1500;

/** A reader of key presses: it remembers a pending "g" between calls. */
export function createShortcutReader(): (input: KeyInput, nowMs: number) => ShortcutCommand | undefined {
  let pendingSince: number | undefined;
  return (input, nowMs) => {
    if (input.key === 'Escape') {
      pendingSince = undefined;
      return { kind: 'close' };
    }
    if (input.ctrlKey || input.metaKey || input.altKey || input.inField) return undefined;
    if (pendingSince !== undefined && nowMs - pendingSince <= CHORD_MS) {
      pendingSince = undefined;
      return /^[a-z]$/.test(input.key) ? { kind: 'go', key: input.key } : undefined;
    }
    pendingSince = undefined;
    switch (input.key) {
      case 'g':
        pendingSince = nowMs;
        return undefined;
      case 'j':
        return { kind: 'next' };
      case 'k':
        return { kind: 'previous' };
      case 'ArrowDown':
        return input.inList ? { kind: 'next' } : undefined;
      case 'ArrowUp':
        return input.inList ? { kind: 'previous' } : undefined;
      case 'r':
        return { kind: 'reply' };
      case 'n':
        return { kind: 'note' };
      case 'l':
        return { kind: 'call' };
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
