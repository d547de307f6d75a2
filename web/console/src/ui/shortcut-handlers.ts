import { useEffect, useRef } from 'preact/hooks';
import type { ShortcutCommand } from '../logic/shortcuts';

/**
 * The screen on view says what each shortcut does there (the queue moves its selection, the case
 * view opens its reply form…); the shell reads the keys and hands each command to it.
 */
export type ShortcutHandlers = Partial<Record<ShortcutCommand['kind'], () => void>>;

const stack: { current: ShortcutHandlers }[] = [];

export function useShortcutHandlers(handlers: ShortcutHandlers): void {
  const ref = useRef(handlers);
  ref.current = handlers;
  useEffect(() => {
    const entry = { get current() { return ref.current; } };
    stack.push(entry);
    return () => {
      const at = stack.indexOf(entry);
      if (at !== -1) stack.splice(at, 1);
    };
  }, []);
}

/** Runs a command on the screen that registered last; false when no screen handles it. */
export function dispatchShortcut(command: ShortcutCommand): boolean {
  for (let i = stack.length - 1; i >= 0; i--) {
    const handler = stack[i]?.current[command.kind];
    if (handler) {
      handler();
      return true;
    }
  }
  return false;
}
