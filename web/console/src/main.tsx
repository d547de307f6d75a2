import { render } from 'preact';
import { ApiClient } from './api/client';
import { endpoints } from './api/endpoints';
import { createAuth } from './auth/auth';
import { loadConfig } from './config';
import { App } from './ui/app';

/**
 * The staff console's entry: read the run-time configuration (config.json), set up sign-in, then
 * render. On callback.html (Cognito's redirect), finish the sign-in first and go to the console.
 */
async function boot(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) return;
  try {
    const config = await loadConfig();
    const auth = await createAuth(config.auth);
    let signInError: string | undefined;
    if (auth.kind === 'cognito' && /\/callback\.html$/.test(window.location.pathname)) {
      try {
        await auth.completeSignIn();
        window.location.replace(new URL('./#/', window.location.href).toString());
        return;
      } catch (error) {
        // A refused or stale answer from the hosted UI (an old link, a reload of the callback, a denied consent):
        // leave callback.html (reloading it would fail again) and offer the sign-in with the reason.
        signInError = `The sign-in did not complete${error instanceof Error && error.message ? ` (${error.message})` : ''}. Sign in again.`;
        window.history.replaceState(null, '', new URL('./', window.location.href).toString());
      }
    }
    await auth.start();
    const client = new ApiClient({ base: config.apiBase, token: () => auth.token(), onUnauthorized: () => auth.expire() });
    auth.onChange((session) => {
      if (!session) client.clear();
    });
    // The loading message goes: Preact renders into an empty element.
    root.textContent = '';
    render(<App config={config} auth={auth} client={client} api={endpoints(client)} signInError={signInError} />, root);
  } catch (error) {
    root.textContent = '';
    const p = document.createElement('p');
    p.className = 'boot boot-error';
    p.setAttribute('role', 'alert');
    p.textContent = error instanceof Error ? error.message : 'The console could not start.';
    root.append(p);
  }
}

void boot();
