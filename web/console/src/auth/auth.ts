import { decodeJwt } from 'jose';
import type { StaffRole } from '../api/types';
import type { AuthConfig } from '../config';
import { rolesOfGroups, type Session } from '../logic/roles';

/**
 * Sign-in, behind one small interface so the rest of the console does not know which kind it has:
 * locally, a list of the seeded staff and the local issuer (local-auth.ts); in AWS, Cognito's
 * hosted UI with the authorization-code flow and PKCE (cognito-auth.ts). Either way the console
 * holds one access token in memory and sessionStorage (gone with the tab), refreshes it before it
 * expires, and forgets everything on sign-out.
 */
export interface AuthBase {
  /** The session at start: restored from this tab's storage, or undefined (sign in). */
  start(): Promise<Session | undefined>;
  session(): Session | undefined;
  /** A valid access token, refreshed first if it is about to expire; undefined once signed out. */
  token(): Promise<string | undefined>;
  /** The server refused the token: the session is over. */
  expire(): void;
  signOut(): Promise<void>;
  onChange(listener: (session: Session | undefined) => void): () => void;
}

/** A seeded staff member the local sign-in page lists (`GET /local/staff`). */
export interface LocalStaffEntry {
  id: string;
  name: string;
  email?: string | undefined;
  roles: StaffRole[];
}

export interface LocalAuth extends AuthBase {
  kind: 'local';
  listStaff(): Promise<LocalStaffEntry[]>;
  signInAs(person: { id: string; name?: string | undefined; email?: string | undefined; roles: StaffRole[] }): Promise<Session>;
}

export interface CognitoAuth extends AuthBase {
  kind: 'cognito';
  /** Goes to the hosted UI; the browser comes back to callback.html. */
  signIn(): Promise<void>;
  /** On callback.html: finishes the sign-in (code + PKCE verifier for tokens). */
  completeSignIn(): Promise<Session>;
}

export type Auth = LocalAuth | CognitoAuth;

/** Refresh this long before the token expires. */
export const REFRESH_MARGIN_MS = 60_000;

/**
 * The session a token describes: subject, roles from `cognito:groups`, expiry. The token is only
 * decoded here (jose), not verified: the API verifies every request; the console only needs to
 * know whom to greet and what to offer.
 */
export function sessionFromToken(token: string, profile: { name?: string | undefined; email?: string | undefined } = {}): Session {
  const claims = decodeJwt(token);
  const sub = typeof claims.sub === 'string' ? claims.sub : 'unknown';
  const username = typeof claims.username === 'string' ? claims.username : undefined;
  return {
    sub,
    name: profile.name ?? username ?? sub,
    ...(profile.email ? { email: profile.email } : {}),
    roles: rolesOfGroups(claims['cognito:groups']),
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : Date.now() + 5 * 60_000,
  };
}

/** A small observable for the session. */
export function sessionListeners() {
  const listeners = new Set<(s: Session | undefined) => void>();
  return {
    add(listener: (s: Session | undefined) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(s: Session | undefined) {
      for (const l of listeners) l(s);
    },
  };
}

export async function createAuth(config: AuthConfig): Promise<Auth> {
  if (config.kind === 'local') {
    const { createLocalAuth } = await import('./local-auth');
    return createLocalAuth(config);
  }
  const { createCognitoAuth } = await import('./cognito-auth');
  return createCognitoAuth(config);
}
