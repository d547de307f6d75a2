import { UnsecuredJWT } from 'jose';
import type { UserManagerSettings } from 'oidc-client-ts';
import { createCognitoAuth } from '../../../web/console/src/auth/cognito-auth';
import type { Session } from '../../../web/console/src/logic/roles';
import { installGlobals, MemoryStorage } from './browser-globals';

/**
 * oidc-client-ts is the network edge here: a stand-in UserManager records the settings it is given
 * and behaves as the library does towards the console (a successful renewal loads the user and
 * raises `userLoaded`; removing the user raises `userUnloaded`).
 */
interface FakeUser {
  access_token: string;
  refresh_token?: string;
  profile: Record<string, unknown>;
  expired: boolean;
}

const oidc = {
  settings: undefined as UserManagerSettings | undefined,
  storeOptions: undefined as { store?: unknown } | undefined,
  user: null as FakeUser | null,
  /** What the next silent renewal does: hand back a new user, or fail as a refused refresh token does. */
  renew: (): Promise<FakeUser> => Promise.reject(new Error('invalid_grant')),
  handlers: {} as Record<string, ((...args: unknown[]) => void)[]>,
  calls: [] as string[],
  /** Cognito's revocation endpoint out of reach. */
  revokeFails: false,
};

jest.mock('oidc-client-ts', () => {
  const on = (name: string) => (cb: (...args: unknown[]) => void) => {
    (oidc.handlers[name] ??= []).push(cb);
  };
  const raise = (name: string, ...args: unknown[]) => {
    for (const cb of oidc.handlers[name] ?? []) cb(...args);
  };
  class WebStorageStateStore {
    constructor(options: { store?: unknown }) {
      oidc.storeOptions = options;
    }
  }
  class UserManager {
    events = {
      addUserLoaded: on('userLoaded'),
      addUserUnloaded: on('userUnloaded'),
      addAccessTokenExpired: on('accessTokenExpired'),
      addSilentRenewError: on('silentRenewError'),
    };
    constructor(settings: UserManagerSettings) {
      oidc.settings = settings;
    }
    getUser() {
      oidc.calls.push('getUser');
      return Promise.resolve(oidc.user);
    }
    async signinSilent() {
      oidc.calls.push('signinSilent');
      const user = await oidc.renew();
      oidc.user = user;
      raise('userLoaded', user);
      return user;
    }
    removeUser() {
      oidc.calls.push('removeUser');
      oidc.user = null;
      raise('userUnloaded');
      return Promise.resolve();
    }
    revokeTokens(types: string[]) {
      oidc.calls.push(`revokeTokens:${types.join(',')}`);
      return oidc.revokeFails ? Promise.reject(new TypeError('Failed to fetch')) : Promise.resolve();
    }
    clearStaleState() {
      oidc.calls.push('clearStaleState');
      return Promise.resolve();
    }
    signinRedirect() {
      oidc.calls.push('signinRedirect');
      return Promise.resolve();
    }
    signinRedirectCallback() {
      oidc.calls.push('signinRedirectCallback');
      return Promise.resolve(oidc.user);
    }
  }
  return { UserManager, WebStorageStateStore };
});

const config = {
  kind: 'cognito',
  authority: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example',
  clientId: 'console-client',
  domain: 'https://caseflow-staff.auth.eu-west-1.amazoncognito.com',
  redirectUri: 'https://console.example.org/callback.html',
  logoutUri: 'https://console.example.org/',
} as const;

/** A user as Cognito's token endpoint gives one: an access token valid `seconds` from the (fake) clock's now. */
const cognitoUser = (seconds: number, n = 1): FakeUser => ({
  access_token: new UnsecuredJWT({ 'cognito:groups': ['supervisors'], username: 'sam', n })
    .setSubject('sup-1')
    .setExpirationTime(Math.floor(Date.now() / 1000) + seconds)
    .encode(),
  refresh_token: `refresh-${n}`,
  profile: { sub: 'sup-1', name: 'Sam Supervisor', email: 'sam@example.org' },
  expired: seconds <= 0,
});

const raise = (name: string) => {
  for (const cb of oidc.handlers[name] ?? []) cb();
};

describe('Cognito sign-in renews its token before it expires and forgets it on sign-out', () => {
  let storage: MemoryStorage;
  let assign: jest.Mock;
  let restore: () => void;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00.000Z') });
    storage = new MemoryStorage();
    assign = jest.fn();
    restore = installGlobals({ sessionStorage: storage, window: { sessionStorage: storage, location: { assign } } });
    Object.assign(oidc, { settings: undefined, storeOptions: undefined, user: null, handlers: {}, calls: [], revokeFails: false });
    oidc.renew = () => Promise.reject(new Error('invalid_grant'));
  });
  afterEach(() => {
    restore();
    jest.useRealTimers();
  });

  it('hands oidc-client-ts the authorization-code flow with PKCE, this tab\'s storage, and renewal a minute before expiry', () => {
    createCognitoAuth(config);
    const s = oidc.settings;
    expect(s).toMatchObject({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: config.redirectUri,
      post_logout_redirect_uri: config.logoutUri,
      response_type: 'code',
      automaticSilentRenew: true,
      accessTokenExpiringNotificationTimeInSeconds: 60,
      monitorSession: false,
    });
    // PKCE is oidc-client-ts's default for the code flow; nothing turns it off.
    expect((s as { disablePKCE?: boolean }).disablePKCE).not.toBe(true);
    // The tokens and the sign-in state live in sessionStorage (this tab), never localStorage.
    expect(oidc.storeOptions?.store).toBe(storage);
    expect(s?.userStore).toBeDefined();
    expect(s?.stateStore).toBe(s?.userStore);
    // Every endpoint is given, so no discovery document is fetched (the CSP allows the hosted-UI domain only).
    expect(s?.metadata).toEqual({
      issuer: config.authority,
      authorization_endpoint: `${config.domain}/oauth2/authorize`,
      token_endpoint: `${config.domain}/oauth2/token`,
      userinfo_endpoint: `${config.domain}/oauth2/userInfo`,
      revocation_endpoint: `${config.domain}/oauth2/revoke`,
      end_session_endpoint: `${config.domain}/logout`,
    });
    expect(s?.loadUserInfo).toBe(false);
  });

  it('renews the token when one is asked for in its last minute, and hands out the renewed one', async () => {
    oidc.user = cognitoUser(15 * 60, 1);
    const auth = createCognitoAuth(config);
    const session = await auth.start();
    expect(session).toMatchObject({ sub: 'sup-1', name: 'Sam Supervisor', roles: ['supervisors'] });
    expect(await auth.token()).toBe(oidc.user.access_token);
    expect(oidc.calls).not.toContain('signinSilent');

    jest.setSystemTime(Date.now() + 14 * 60_000 + 30_000);
    const renewed = cognitoUser(15 * 60, 2);
    oidc.renew = () => Promise.resolve(renewed);
    expect(await auth.token()).toBe(renewed.access_token);
    expect(oidc.calls).toContain('signinSilent');
    expect(auth.session()?.expiresAt).toBe(Date.now() + 15 * 60_000);
  });

  it('renews at start a token that lapsed while the laptop slept, using the refresh token', async () => {
    oidc.user = cognitoUser(-60, 1);
    const renewed = cognitoUser(15 * 60, 2);
    oidc.renew = () => Promise.resolve(renewed);
    const auth = createCognitoAuth(config);
    expect(await auth.start()).toMatchObject({ sub: 'sup-1' });
    expect(await auth.token()).toBe(renewed.access_token);
  });

  it('signs the person out when the token has expired and the refresh token is refused', async () => {
    oidc.user = cognitoUser(15 * 60, 1);
    const auth = createCognitoAuth(config);
    const changes: (Session | undefined)[] = [];
    auth.onChange((s) => changes.push(s));
    await auth.start();

    jest.setSystemTime(Date.now() + 15 * 60_000);
    oidc.user = { ...oidc.user, expired: true };
    raise('accessTokenExpired');
    await jest.advanceTimersByTimeAsync(0);

    expect(oidc.calls).toContain('signinSilent');
    expect(auth.session()).toBeUndefined();
    expect(await auth.token()).toBeUndefined();
    expect(changes.at(-1)).toBeUndefined();
  });

  it('keeps the session through a failed background renewal until the token expires, then ends it', async () => {
    oidc.user = cognitoUser(15 * 60, 1);
    const auth = createCognitoAuth(config);
    await auth.start();

    jest.setSystemTime(Date.now() + 14 * 60_000);
    raise('silentRenewError');
    expect(auth.session()?.sub).toBe('sup-1');

    jest.setSystemTime(Date.now() + 60_000);
    raise('silentRenewError');
    expect(auth.session()).toBeUndefined();
  });

  it('signs out: revokes the refresh token, clears this tab\'s storage with every draft, and leaves through Cognito\'s logout', async () => {
    oidc.user = cognitoUser(15 * 60, 1);
    const auth = createCognitoAuth(config);
    await auth.start();
    storage.setItem('oidc.user:https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example:console-client', '{"access_token":"…"}');
    storage.setItem('caseflow.console.drafts', JSON.stringify({ reply: 'Dear Grace' }));

    await auth.signOut();
    expect(oidc.calls).toEqual(expect.arrayContaining(['revokeTokens:refresh_token', 'removeUser', 'clearStaleState']));
    expect(oidc.calls.indexOf('revokeTokens:refresh_token')).toBeLessThan(oidc.calls.indexOf('removeUser'));
    expect(storage.keys()).toEqual([]);
    expect(auth.session()).toBeUndefined();
    expect(await auth.token()).toBeUndefined();

    expect(assign).toHaveBeenCalledTimes(1);
    const logout = new URL(String(assign.mock.calls[0]?.[0]));
    expect(`${logout.origin}${logout.pathname}`).toBe(`${config.domain}/logout`);
    expect(logout.searchParams.get('client_id')).toBe(config.clientId);
    expect(logout.searchParams.get('logout_uri')).toBe(config.logoutUri);
  });

  it('still signs out and clears this tab\'s storage when Cognito cannot be reached to revoke the token', async () => {
    oidc.user = cognitoUser(15 * 60, 1);
    const auth = createCognitoAuth(config);
    await auth.start();
    storage.setItem('caseflow.console.drafts', '{}');
    oidc.revokeFails = true;

    await auth.signOut();
    expect(oidc.calls).toContain('removeUser');
    expect(storage.keys()).toEqual([]);
    expect(auth.session()).toBeUndefined();
    expect(assign).toHaveBeenCalledTimes(1);
  });
});
