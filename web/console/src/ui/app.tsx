import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import type { Endpoints } from '../api/endpoints';
import type { Auth, LocalStaffEntry } from '../auth/auth';
import type { ConsoleConfig } from '../config';
import { ROLE_LABEL } from '../logic/format';
import { navigationFor, type NavItem, type Session } from '../logic/roles';
import { parseRoute, type Route } from '../logic/router';
import { createShortcutReader, SHORTCUTS } from '../logic/shortcuts';
import { CaseView } from './case-view';
import { clearDrafts } from './drafts';
import { EscalationsBoard } from './escalations-board';
import { forgetQueue, go, href, recallQueue, useRoute } from './navigation';
import { PrivacyScreen } from './privacy-screen';
import { QueueScreen } from './queue-screen';
import { ReportsScreen } from './reports-screen';
import { NonComplianceScreen } from './non-compliance-screen';
import { TrainingScreen } from './training-screen';
import { ReviewsScreen } from './reviews-screen';
import { PerformanceScreen } from './performance-screen';
import { FeedbackScreen } from './feedback-screen';
import { ServicesContext, type Services } from './services';
import { SettingsScreen } from './settings-screen';
import { dispatchShortcut } from './shortcut-handlers';

interface AppProps {
  config: ConsoleConfig;
  auth: Auth;
  client: ApiClient;
  api: Endpoints;
  /** Why the last sign-in failed (a hosted-UI callback that did not complete), shown on the sign-in screen. */
  signInError?: string | undefined;
}

export function App({ config, auth, client, api, signInError }: AppProps) {
  const [session, setSession] = useState<Session | undefined>(() => auth.session());
  useEffect(() => auth.onChange(setSession), [auth]);
  const services = useMemo<Services | undefined>(() => (session ? { config, auth, api, session } : undefined), [config, auth, api, session]);
  if (!services) return <SignIn auth={auth} error={signInError} />;
  return (
    <ServicesContext.Provider value={services}>
      <Shell
        services={services}
        onSignOut={async () => {
          clearDrafts();
          forgetQueue();
          client.clear();
          window.location.hash = '#/';
          await auth.signOut();
        }}
      />
    </ServicesContext.Provider>
  );
}

function SignIn({ auth, error }: { auth: Auth; error?: string | undefined }) {
  useEffect(() => {
    document.title = 'Sign in · caseflow console';
  }, []);
  return (
    <main id="main" class="sign-in">
      <h1>Sign in to caseflow</h1>
      {auth.kind === 'local' ? <LocalSignIn auth={auth} /> : <CognitoSignIn auth={auth} initialError={error} />}
    </main>
  );
}

function CognitoSignIn({ auth, initialError }: { auth: Extract<Auth, { kind: 'cognito' }>; initialError?: string | undefined }) {
  const [error, setError] = useState<string | undefined>(initialError);
  return (
    <div>
      <p>Sign in with your staff account.</p>
      <button type="button" class="primary" onClick={() => auth.signIn().catch((e: unknown) => setError(e instanceof Error ? e.message : 'The sign-in could not start'))}>
        Sign in
      </button>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}

function LocalSignIn({ auth }: { auth: Extract<Auth, { kind: 'local' }> }) {
  const [staff, setStaff] = useState<LocalStaffEntry[]>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    auth
      .listStaff()
      .then(setStaff)
      .catch(() => setError('The local stack does not list its staff (GET /local/staff answered with an error or is missing). Restart it with npm start, or mint a token at /local/token.'));
  }, [auth]);
  if (error) return <p role="alert">{error}</p>;
  if (!staff) return <p role="status">Loading the staff list…</p>;
  if (staff.length === 0) return <p role="alert">The local stack lists no staff.</p>;
  return (
    <div>
      <p>The local stack's seeded staff: choose whom to sign in as.</p>
      <ul class="staff-list">
        {staff.map((person) => (
          <li key={person.id}>
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setBusy(true);
                auth
                  .signInAs(person)
                  .catch((e: unknown) => setError(e instanceof Error ? e.message : 'The sign-in failed'))
                  .finally(() => setBusy(false));
              }}
            >
              Sign in as {person.name}
            </button>
            <span class="roles">{person.roles.map((r) => ROLE_LABEL[r]).join(', ') || 'No role'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const targetRoute = (item: NavItem): Route =>
  item.target.kind === 'queue' ? { view: 'queue', queue: item.target.queue, filters: {} } : { view: item.target.kind };

const navActive = (item: NavItem, route: Route): boolean =>
  item.target.kind === 'queue' ? route.view === 'queue' && route.queue === item.target.queue : route.view === item.target.kind;

function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function Shell({ services, onSignOut }: { services: Services; onSignOut: () => Promise<void> }) {
  const route = useRoute();
  const nav = navigationFor(services.session);
  const home = nav[0];
  const [help, setHelp] = useState(false);

  useEffect(() => {
    // Home is the role's first place; only if the address still says home (a link may have been followed meanwhile).
    if (route.view === 'home' && home && parseRoute(window.location.hash).view === 'home') go(targetRoute(home));
  }, [route.view, home]);

  useEffect(() => {
    const read = createShortcutReader();
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const target = e.target;
      // Enter on a link or button is the element's own.
      if (e.key === 'Enter' && target instanceof HTMLElement && target.closest('a, button, summary')) return;
      const command = read({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField: isField(target) }, Date.now());
      if (!command) return;
      if (command.kind === 'help') {
        setHelp(true);
        e.preventDefault();
        return;
      }
      if (command.kind === 'close' && help) {
        setHelp(false);
        return;
      }
      if (dispatchShortcut(command)) {
        e.preventDefault();
        return;
      }
      if (command.kind === 'queue') {
        const last = recallQueue();
        if (last) go({ view: 'queue', queue: last.queue, filters: last.filters });
        else if (home) go(targetRoute(home));
        e.preventDefault();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [help, home]);

  return (
    <div class="shell">
      <a class="skip-link" href="#main" onClick={(e) => { e.preventDefault(); document.getElementById('main')?.focus(); }}>
        Skip to content
      </a>
      <header class="top">
        <span class="brand">caseflow</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((item) => (
              <li key={item.id}>
                <a href={href(targetRoute(item))} aria-current={navActive(item, route) ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span class="user-name">{services.session.name}</span>
          <button type="button" class="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => setHelp(true)}>
            ?
          </button>
          <button type="button" onClick={() => void onSignOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Screen route={route} />
      </main>
      {help && <HelpDialog onClose={() => setHelp(false)} />}
    </div>
  );
}

function Screen({ route }: { route: Route }) {
  switch (route.view) {
    case 'queue':
      return <QueueScreen key={`${route.queue}`} queue={route.queue} filters={route.filters} />;
    case 'case':
      return <CaseView key={route.caseId} caseId={route.caseId} />;
    case 'escalations':
      return <EscalationsBoard />;
    case 'settings':
      return <SettingsScreen />;
    case 'privacy':
      return <PrivacyScreen />;
    case 'reports':
      return <ReportsScreen />;
    case 'non-compliance':
      return <NonComplianceScreen />;
    case 'reviews':
      return <ReviewsScreen />;
    case 'feedback':
      return <FeedbackScreen />;
    case 'training':
      return <TrainingScreen />;
    case 'performance':
      return <PerformanceScreen />;
    case 'home':
      return <p role="status">Opening your queue…</p>;
  }
}

function HelpDialog({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} class="help" aria-labelledby="help-title" onClose={onClose} onCancel={onClose}>
      <h2 id="help-title">Keyboard shortcuts</h2>
      <p>Shortcuts work when no text field has the focus.</p>
      <table>
        <caption class="visually-hidden">Keyboard shortcuts</caption>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">Does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.keys}>
              <td>
                <kbd>{s.keys}</kbd>
              </td>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" onClick={onClose}>
        Close
      </button>
    </dialog>
  );
}

