import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client';
import type { RetentionPolicyVersions } from '../api/types';
import { formatDateTime } from '../logic/format';
import { checkRetentionDraft, MIN_RETENTION_YEARS } from '../logic/retention-policies';
import { managesPolicies } from '../logic/roles';
import { problemsByField } from '../logic/sla-policies';
import { useServices } from './services';

/**
 * The retention policy's versions (M7.2, C4.3; docs/retention.md) on the settings screen: every
 * version, the current one marked; admins publish a new one (id, years, reason; problems by field).
 */
export function RetentionPanel() {
  const { api, session } = useServices();
  const [versions, setVersions] = useState<RetentionPolicyVersions>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  const admin = managesPolicies(session);

  useEffect(() => {
    let live = true;
    api.retentionPolicies().then(
      (v) => live && setVersions(v),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);

  return (
    <section aria-labelledby="retention-heading">
      <h2 id="retention-heading">Retention</h2>
      <p class="hint">A closing case is kept under the current version, recorded on the case. A new version applies to cases closed after it; cases closed before keep their expiry.</p>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {versions && (
        <ul class="policy-versions" aria-label="Retention versions">
          {versions.policies.map(({ policy, current, reason, publishedAt, publishedBy }) => (
            <li key={policy.version}>
              <strong>{policy.version}</strong>
              {current && <> (current)</>} · {policy.years} years from closure · {publishedAt ? `published ${formatDateTime(publishedAt)} by ${publishedBy ?? 'an admin'}: ${reason ?? ''}` : 'built in'}
            </li>
          ))}
        </ul>
      )}
      {admin && versions && <PublishRetentionForm onPublished={() => setReload((n) => n + 1)} />}
    </section>
  );
}

function PublishRetentionForm({ onPublished }: { onPublished: () => void }) {
  const { api } = useServices();
  const [version, setVersion] = useState('');
  const [years, setYears] = useState(String(MIN_RETENTION_YEARS));
  const [reason, setReason] = useState('');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);

  const publish = async (e: Event) => {
    e.preventDefault();
    setStatus(undefined);
    const checked = checkRetentionDraft({ version, years, reason });
    if ('problems' in checked) return setProblems(checked.problems);
    setProblems({});
    setBusy(true);
    try {
      const answer = await api.publishRetentionPolicy(checked.body);
      setStatus(answer.current ? `Published ${answer.policy.version}: cases closed from now on are kept ${answer.policy.years} years.` : `${answer.policy.version} was published already with this content.`);
      onPublished();
    } catch (err) {
      if (err instanceof ApiError && err.body.issues) setProblems(problemsByField(err.body.issues));
      else setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  /** An input's error, tied to it for screen readers. */
  const fieldError = (field: string) =>
    problems[field] ? (
      <p id={`retention-${field}-error`} role="alert" class="alert">
        {problems[field]}
      </p>
    ) : null;
  const invalid = (field: string) => (problems[field] ? { 'aria-invalid': true, 'aria-describedby': `retention-${field}-error` } : {});

  return (
    <form onSubmit={publish} aria-labelledby="publish-retention-heading" noValidate>
      <h3 id="publish-retention-heading">Publish a retention version</h3>
      <label for="retention-version">Version id</label>
      <input id="retention-version" value={version} maxLength={64} onInput={(e) => setVersion(e.currentTarget.value)} {...invalid('version')} />
      {fieldError('version')}
      <label for="retention-years">Years kept from closure (at least {MIN_RETENTION_YEARS})</label>
      <input id="retention-years" type="number" min={MIN_RETENTION_YEARS} step={1} value={years} onInput={(e) => setYears(e.currentTarget.value)} {...invalid('years')} />
      {fieldError('years')}
      <label for="retention-reason">Reason</label>
      <input id="retention-reason" value={reason} maxLength={500} onInput={(e) => setReason(e.currentTarget.value)} {...invalid('reason')} />
      {fieldError('reason')}
      {status && <p role="status">{status}</p>}
      <button type="submit" disabled={busy}>
        Publish
      </button>
    </form>
  );
}
