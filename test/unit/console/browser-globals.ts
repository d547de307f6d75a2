/**
 * What the console's sign-in modules take from the browser, for the unit tests' node environment:
 * a tab's sessionStorage (a Map behind the Storage interface) installed on globalThis (and on
 * `window`, which the Cognito module reads), and restored afterwards.
 */
export class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, String(value));
  }
  keys() {
    return [...this.items.keys()];
  }
}

type Globals = { sessionStorage?: Storage; window?: unknown; fetch?: typeof fetch };

/** Installs the given globals for one test; the returned function puts the previous ones back. */
export function installGlobals(next: Globals): () => void {
  const g = globalThis as Globals;
  const saved = { sessionStorage: g.sessionStorage, window: g.window, fetch: g.fetch };
  const had = { sessionStorage: 'sessionStorage' in g, window: 'window' in g, fetch: 'fetch' in g };
  for (const [key, value] of Object.entries(next)) Object.defineProperty(g, key, { value, configurable: true, writable: true });
  return () => {
    for (const key of Object.keys(next) as (keyof Globals)[]) {
      if (had[key]) Object.defineProperty(g, key, { value: saved[key], configurable: true, writable: true });
      else delete g[key];
    }
  };
}
