import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { Settings } from '../api/types';
import { PoliciesPanel } from './policies-panel';
import { RetentionPanel } from './retention-panel';
import { useServices } from './services';

/** The service-level policies and the display settings (GET /v1/settings), the SLA policy versions (policies-panel.tsx) and the retention versions (retention-panel.tsx). */
export function SettingsScreen() {
  const { api } = useServices();
  const [settings, setSettings] = useState<Settings>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    document.title = 'Settings · caseflow console';
    api
      .settings()
      .then(setSettings)
      .catch((e: unknown) => setError(errorMessage(e)));
  }, [api]);
  return (
    <section aria-labelledby="settings-heading">
      <h1 id="settings-heading">Settings</h1>
      {error && <p role="alert">{error}</p>}
      {!settings && !error && <p role="status">Loading the settings…</p>}
      {settings && (
        <>
          <p>
            Current service-level policy: <strong>{settings.currentPolicyVersion}</strong>. Times are shown in {settings.display.timeZone} ({settings.display.locale}). A new policy applies to cases
            received after it; open cases keep the deadlines of the policy they were received under.
          </p>
          <table class="log" aria-label="Service-level policies">
            <thead>
              <tr>
                <th scope="col">Policy</th>
                <th scope="col">Acknowledge within</th>
                <th scope="col">First response within</th>
                <th scope="col">Escalate complaints within</th>
                <th scope="col">Escalation response within</th>
                <th scope="col">Warn at</th>
                <th scope="col">Highest escalation level</th>
                <th scope="col">Auto-close after</th>
                <th scope="col">Corrective action within</th>
              </tr>
            </thead>
            <tbody>
              {settings.policies.map((p) => (
                <tr key={p.version}>
                  <td data-label="Policy">{p.version}</td>
                  <td data-label="Acknowledge within">{p.acknowledgementMinutes} min</td>
                  <td data-label="First response within">{p.initialResponseHours} h</td>
                  <td data-label="Escalate complaints within">{p.complaintEscalationHours} h</td>
                  <td data-label="Escalation response within">{p.escalationResponseHours} h</td>
                  <td data-label="Warn at">{Math.round(p.warningRatio * 100)}% of the window</td>
                  <td data-label="Highest escalation level">{p.maxEscalationLevel}</td>
                  <td data-label="Auto-close after">{p.autoCloseDays} days</td>
                  <td data-label="Corrective action within">{p.correctiveActionDays} days</td>
                </tr>
              ))}
            </tbody>
          </table>
          <PoliciesPanel />
          <RetentionPanel />
        </>
      )}
    </section>
  );
}
