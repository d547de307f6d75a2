import { UnsecuredJWT } from 'jose';
import { createLocalAuth } from '../../../web/console/src/auth/local-auth';
import type { Session } from '../../../web/console/src/logic/roles';
import { installGlobals, MemoryStorage } from './browser-globals';

const config = { kind: 'local', tokenEndpoint: '/local/token', staffEndpoint: '/local/staff' } as const;
const agent = { id: 'agent-1', name: 'Ada Agent', roles: ['agents' as const] };
const STORAGE_KEY = 'caseflow.console.local-session';
const LIFETIME_S = 15 * 60;

/** A token as the local issuer mints it: this person, valid LIFETIME_S from the (fake) clock's now. */
const mintedToken = (sub: string, n: number) =>
  new UnsecuredJWT({ 'cognito:groups': ['agents'], n })
    .setSubject(sub)
    .setExpirationTime(Math.floor(Date.now() / 1000) + LIFETIME_S)
    .encode();

/** The local issuer (`POST /local/token`): answers each mint with a fresh token, or the status set. */
function fakeIssuer() {
  let minted = 0;
  const state = { status: 200 };
  const fetchFn = jest.fn(async (url: string, init?: RequestInit) => {
    if (url !== config.tokenEndpoint || init?.method !== 'POST') return new Response('not here', { status: 404 });
    if (state.status !== 200) return new Response('{}', { status: state.status });
    const { sub } = JSON.parse(String(init.body)) as { sub: string };
    minted += 1;
    return Response.json({ token: mintedToken(sub, minted) });
  });
  /** Requests to mint (answered or refused). */
  return { fetchFn, state, mints: () => fetchFn.mock.calls.filter(([url]) => url === config.tokenEndpoint).length };
}

describe('local sign-in keeps its token fresh and forgets it on sign-out', () => {
  let storage: MemoryStorage;
  let issuer: ReturnType<typeof fakeIssuer>;
  let restore: () => void;

  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-03-02T09:00:00.000Z') });
    storage = new MemoryStorage();
    issuer = fakeIssuer();
    restore = installGlobals({ sessionStorage: storage, fetch: issuer.fetchFn as unknown as typeof fetch });
  });
  afterEach(() => {
    restore();
    jest.useRealTimers();
  });

  const storedToken = () => (JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as { token: string } | null)?.token;

  it('refreshes the local session\'s token a minute before it expires, without the person doing anything', async () => {
    const auth = createLocalAuth(config);
    const session = await auth.signInAs(agent);
    const first = await auth.token();
    expect(issuer.mints()).toBe(1);
    expect(session.expiresAt).toBe(Date.now() + LIFETIME_S * 1000);

    await jest.advanceTimersByTimeAsync(LIFETIME_S * 1000 - 60_000 - 1);
    expect(issuer.mints()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(issuer.mints()).toBe(2);

    const second = await auth.token();
    expect(second).not.toBe(first);
    expect(auth.session()?.expiresAt).toBe(Date.now() + LIFETIME_S * 1000);
    expect(storedToken()).toBe(second);
    // And again before the new token expires: the session lasts as long as the tab.
    await jest.advanceTimersByTimeAsync(LIFETIME_S * 1000 - 60_000);
    expect(issuer.mints()).toBe(3);
    expect(auth.session()?.sub).toBe('agent-1');
  });

  it('mints once for requests that all ask for a token in its last minute', async () => {
    const auth = createLocalAuth(config);
    await auth.signInAs(agent);
    jest.setSystemTime(Date.now() + LIFETIME_S * 1000 - 30_000);
    const tokens = await Promise.all([auth.token(), auth.token(), auth.token()]);
    expect(issuer.mints()).toBe(2);
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).toBe(storedToken());
  });

  it('keeps the token while the local issuer is away, and signs the person out once it has expired and cannot be minted again', async () => {
    const auth = createLocalAuth(config);
    const changes: (Session | undefined)[] = [];
    auth.onChange((s) => changes.push(s));
    await auth.signInAs(agent);
    const token = await auth.token();
    issuer.state.status = 503;

    await jest.advanceTimersByTimeAsync(LIFETIME_S * 1000 - 60_000);
    expect(issuer.mints()).toBe(2);
    // The refresh failed a minute early: the token still works until it expires.
    expect(auth.session()?.sub).toBe('agent-1');
    expect(await auth.token()).toBe(token);

    await jest.advanceTimersByTimeAsync(60_000);
    expect(await auth.token()).toBeUndefined();
    expect(auth.session()).toBeUndefined();
    expect(changes.at(-1)).toBeUndefined();
    expect(storage.getItem(STORAGE_KEY)).toBeNull();
    expect(issuer.fetchFn).toHaveBeenLastCalledWith(config.tokenEndpoint, expect.objectContaining({ method: 'POST' }));
  });

  it('carries on with a fresh token when the local issuer is back before the old one expires', async () => {
    const auth = createLocalAuth(config);
    await auth.signInAs(agent);
    const token = await auth.token();
    issuer.state.status = 503;
    await jest.advanceTimersByTimeAsync(LIFETIME_S * 1000 - 60_000);
    issuer.state.status = 200;
    await jest.advanceTimersByTimeAsync(30_000);

    const fresh = await auth.token();
    expect(fresh).toBeDefined();
    expect(fresh).not.toBe(token);
    expect(auth.session()?.expiresAt).toBe(Date.now() + LIFETIME_S * 1000);
  });

  it('restores the session from this tab\'s storage, minting afresh a token that is about to expire', async () => {
    const before = createLocalAuth(config);
    await before.signInAs(agent);
    const token = await before.token();
    await before.signOut();
    storage.setItem(STORAGE_KEY, JSON.stringify({ token, person: agent }));

    jest.setSystemTime(Date.now() + LIFETIME_S * 1000 - 10_000);
    const reloaded = createLocalAuth(config);
    const session = await reloaded.start();
    expect(session?.sub).toBe('agent-1');
    expect(await reloaded.token()).not.toBe(token);
    expect(session?.expiresAt).toBe(Date.now() + LIFETIME_S * 1000);
  });

  it('signs out: forgets the token, clears this tab\'s storage with every draft, and mints nothing more', async () => {
    const auth = createLocalAuth(config);
    const changes: (Session | undefined)[] = [];
    auth.onChange((s) => changes.push(s));
    await auth.signInAs(agent);
    storage.setItem('caseflow.console.drafts', JSON.stringify({ reply: 'Dear Grace' }));

    await auth.signOut();
    expect(storage.keys()).toEqual([]);
    expect(auth.session()).toBeUndefined();
    expect(await auth.token()).toBeUndefined();
    expect(changes.at(-1)).toBeUndefined();

    await jest.advanceTimersByTimeAsync(2 * LIFETIME_S * 1000);
    expect(issuer.mints()).toBe(1);
    expect(await createLocalAuth(config).start()).toBeUndefined();
  });
});
