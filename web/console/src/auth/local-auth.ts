import type { StaffRole } from '../api/types';
import type { AuthConfig } from '../config';
import { STAFF_ROLES, type Session } from '../logic/roles';
import { REFRESH_MARGIN_MS, sessionFromToken, sessionListeners, type LocalAuth, type LocalStaffEntry } from './auth';

/**
 * Local sign-in (`npm start`): the seeded staff are listed by `GET /local/staff`, and choosing one
 * mints their token at the local issuer (`POST /local/token`), which the API verifies as it
 * verifies Cognito's. The token is minted again a minute before it expires.
 */
const STORAGE_KEY = 'caseflow.console.local-session';

interface Stored {
  token: string;
  person: { id: string; name?: string | undefined; email?: string | undefined; roles: StaffRole[] };
}

const isRole = (r: unknown): r is StaffRole => typeof r === 'string' && (STAFF_ROLES as readonly string[]).includes(r);

export function createLocalAuth(config: Extract<AuthConfig, { kind: 'local' }>): LocalAuth {
  const listeners = sessionListeners();
  let current: { token: string; session: Session; person: Stored['person'] } | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let refreshing: Promise<void> | undefined;

  const set = (next: typeof current) => {
    current = next;
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (next) {
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify({ token: next.token, person: next.person } satisfies Stored));
      timer = setTimeout(() => void refresh(), Math.max(1_000, next.session.expiresAt - Date.now() - REFRESH_MARGIN_MS));
    } else {
      sessionStorage.removeItem(STORAGE_KEY);
    }
    listeners.emit(next?.session);
  };

  async function mint(person: Stored['person']) {
    const res = await fetch(config.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ sub: person.id, groups: person.roles, ...(person.name ? { name: person.name } : {}), ...(person.email ? { email: person.email } : {}) }),
      credentials: 'omit',
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`The local issuer refused the sign-in (${res.status})`);
    const { token } = (await res.json()) as { token: string };
    return { token, session: sessionFromToken(token, { name: person.name ?? person.id, email: person.email }), person };
  }

  function refresh(): Promise<void> {
    const person = current?.person;
    if (!person) return Promise.resolve();
    refreshing ??= mint(person)
      .then((next) => set(next))
      .catch(() => {
        // The stack is away: keep the token until it expires, then the session ends.
        if (current && Date.now() >= current.session.expiresAt) set(undefined);
      })
      .finally(() => {
        refreshing = undefined;
      });
    return refreshing;
  }

  return {
    kind: 'local',
    async start() {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      if (!raw) return undefined;
      try {
        const stored = JSON.parse(raw) as Stored;
        const session = sessionFromToken(stored.token, { name: stored.person.name ?? stored.person.id, email: stored.person.email });
        current = { token: stored.token, session, person: stored.person };
        if (Date.now() >= session.expiresAt - REFRESH_MARGIN_MS) await refresh();
        else set(current);
        return current?.session;
      } catch {
        set(undefined);
        return undefined;
      }
    },
    session: () => current?.session,
    async token() {
      if (current && Date.now() >= current.session.expiresAt - REFRESH_MARGIN_MS) await refresh();
      return current?.token;
    },
    expire: () => set(undefined),
    async signOut() {
      set(undefined);
      sessionStorage.clear();
    },
    onChange: (l) => listeners.add(l),
    async listStaff(): Promise<LocalStaffEntry[]> {
      const res = await fetch(config.staffEndpoint, { headers: { Accept: 'application/json' }, credentials: 'omit', cache: 'no-store' });
      if (!res.ok) throw new Error(`The staff list is not available (${res.status})`);
      const body = (await res.json()) as unknown;
      const list = Array.isArray(body) ? body : body && typeof body === 'object' && Array.isArray((body as { items?: unknown }).items) ? (body as { items: unknown[] }).items : [];
      return list.flatMap((p) => {
        if (!p || typeof p !== 'object') return [];
        const o = p as Record<string, unknown>;
        if (typeof o.id !== 'string') return [];
        const roles = Array.isArray(o.roles) ? o.roles.filter(isRole) : [];
        return [{ id: o.id, name: typeof o.name === 'string' ? o.name : o.id, ...(typeof o.email === 'string' ? { email: o.email } : {}), roles }];
      });
    },
    async signInAs(person) {
      const next = await mint(person);
      set(next);
      return next.session;
    },
  };
}
