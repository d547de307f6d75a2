import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { AuthConfig } from '../config';
import type { Session } from '../logic/roles';
import { REFRESH_MARGIN_MS, sessionFromToken, sessionListeners, type CognitoAuth } from './auth';

/**
 * Sign-in in AWS: Cognito's hosted UI through oidc-client-ts (maintained, certified OIDC client),
 * the authorization-code flow with PKCE, the tokens kept in sessionStorage (this tab alone) and
 * renewed with the refresh token before the access token expires. The endpoints are given in full
 * (Cognito's hosted-UI domain), so the console fetches no discovery document: its CSP allows
 * `connect-src 'self'` and that domain only.
 */
export function createCognitoAuth(config: Extract<AuthConfig, { kind: 'cognito' }>): CognitoAuth {
  const store = new WebStorageStateStore({ store: window.sessionStorage });
  const manager = new UserManager({
    authority: config.authority,
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    post_logout_redirect_uri: config.logoutUri,
    response_type: 'code',
    scope: config.scope ?? 'openid email profile',
    metadata: {
      issuer: config.authority,
      authorization_endpoint: `${config.domain}/oauth2/authorize`,
      token_endpoint: `${config.domain}/oauth2/token`,
      userinfo_endpoint: `${config.domain}/oauth2/userInfo`,
      revocation_endpoint: `${config.domain}/oauth2/revoke`,
      end_session_endpoint: `${config.domain}/logout`,
    },
    userStore: store,
    stateStore: store,
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: REFRESH_MARGIN_MS / 1000,
    monitorSession: false,
    loadUserInfo: false,
    fetchRequestCredentials: 'omit',
  });
  const listeners = sessionListeners();
  let current: { user: User; session: Session } | undefined;

  const toSession = (user: User): Session => {
    const profile = user.profile as { name?: unknown; email?: unknown; given_name?: unknown };
    const name = typeof profile.name === 'string' ? profile.name : typeof profile.given_name === 'string' ? profile.given_name : undefined;
    const email = typeof profile.email === 'string' ? profile.email : undefined;
    return sessionFromToken(user.access_token, { name, email });
  };
  const set = (user: User | null | undefined) => {
    current = user && !user.expired ? { user, session: toSession(user) } : undefined;
    listeners.emit(current?.session);
  };
  /**
   * A lapsed access token is not the end of the session while a refresh token is held (a laptop
   * asleep past the renewal, a tab restored): renew first, and drop the session only if that fails.
   */
  const renewOrDrop = async (user: User | null | undefined, lapsed = user?.expired === true) => {
    if (user && lapsed && user.refresh_token) {
      try {
        set(await manager.signinSilent());
        return;
      } catch {
        // The refresh token is no longer good either: sign in again.
      }
    }
    set(lapsed ? undefined : user);
  };
  manager.events.addUserLoaded((user) => set(user));
  manager.events.addUserUnloaded(() => set(undefined));
  manager.events.addAccessTokenExpired(() => {
    void manager.getUser().then((user) => renewOrDrop(user ?? current?.user, true));
  });
  manager.events.addSilentRenewError(() => {
    // The refresh token is no longer good: the session ends when the access token does.
    if (current && Date.now() >= current.session.expiresAt) set(undefined);
  });

  return {
    kind: 'cognito',
    async start() {
      await renewOrDrop(await manager.getUser());
      if (current && Date.now() >= current.session.expiresAt - REFRESH_MARGIN_MS) await manager.signinSilent().catch(() => set(undefined));
      return current?.session;
    },
    session: () => current?.session,
    async token() {
      if (current && Date.now() >= current.session.expiresAt - REFRESH_MARGIN_MS) {
        await manager.signinSilent().catch(() => undefined);
      }
      return current?.user.access_token;
    },
    expire: () => {
      void manager.removeUser();
      set(undefined);
    },
    async signIn() {
      await manager.signinRedirect();
    },
    async completeSignIn() {
      const user = await manager.signinRedirectCallback();
      set(user);
      if (!current) throw new Error('The sign-in did not complete');
      return current.session;
    },
    async signOut() {
      await manager.revokeTokens(['refresh_token']).catch(() => undefined);
      await manager.removeUser();
      await manager.clearStaleState().catch(() => undefined);
      sessionStorage.clear();
      set(undefined);
      // Cognito's logout ends the hosted UI's own session too, then comes back to the console.
      const logout = new URL(`${config.domain}/logout`);
      logout.searchParams.set('client_id', config.clientId);
      logout.searchParams.set('logout_uri', config.logoutUri);
      window.location.assign(logout.toString());
    },
    onChange: (l) => listeners.add(l),
  };
}
