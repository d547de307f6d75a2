import { useEffect, useState } from 'preact/hooks';
import { ApiError, errorMessage } from '../api/client';
import type { CaseType, MigrationRecord, MigrationSelection, Priority, SlaPolicyVersions } from '../api/types';
import { formatDateTime, PRIORITIES } from '../logic/format';
import { managesPolicies } from '../logic/roles';
import { checkPolicyDraft, draftFrom, migrationConfirmation, migrationProgress, problemsByField } from '../logic/sla-policies';
import { usePolling } from './polling';
import { useServices } from './services';

/**
 * The SLA policy versions (M8.3; docs/sla-policies.md) on the settings screen: every version with
 * its windows and calendars, the current one marked. Admins publish a new version (a JSON editor,
 * problems shown by field) and migrate open cases to a version after a confirmation naming how many
 * cases move; supervisors and auditors read.
 */
export function PoliciesPanel() {
  const { api, session } = useServices();
  const [versions, setVersions] = useState<SlaPolicyVersions>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  const admin = managesPolicies(session);

  useEffect(() => {
    let live = true;
    api.slaPolicies().then(
      (v) => live && setVersions(v),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);

  return (
    <section aria-labelledby="policies-heading">
      <h2 id="policies-heading">SLA policy versions</h2>
      <p class="hint">A new version applies to cases received after it is published. An open case keeps its version until an admin migrates it, and the migration is on its timeline.</p>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {versions && (
        <ul class="policy-versions" aria-label="Policy versions">
          {versions.policies.map(({ policy, current, publishedAt, publishedBy, calendarByCase }) => (
            <li key={policy.version}>
              <strong>{policy.version}</strong>
              {current && <> (current)</>} · {publishedAt ? `published ${formatDateTime(publishedAt)} by ${publishedBy ?? 'an admin'}` : 'built in'} · acknowledge within {policy.acknowledgementMinutes} min, first response within{' '}
              {policy.initialResponseHours} h, complaints escalated within {policy.complaintEscalationHours} h, warning at {Math.round(policy.warningRatio * 100)}%
              {' · calendars: '}
              {[...new Set(calendarByCase.map((c) => c.calendar))].join(', ')}
            </li>
          ))}
        </ul>
      )}
      {admin && versions && <PublishForm versions={versions} onPublished={() => setReload((n) => n + 1)} />}
      {admin && versions && <MigrateForm versions={versions} />}
    </section>
  );
}

function PublishForm({ versions, onPublished }: { versions: SlaPolicyVersions; onPublished: () => void }) {
  const { api } = useServices();
  const [text, setText] = useState(() => draftFrom(versions));
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);

  const publish = async (e: Event) => {
    e.preventDefault();
    setStatus(undefined);
    const checked = checkPolicyDraft(text);
    if (checked.problems) return setProblems(checked.problems);
    setProblems({});
    setBusy(true);
    try {
      const answer = await api.publishSlaPolicy(checked.policy);
      setStatus(answer.current ? `Published ${answer.policy.version}: cases received from now on take it.` : `${answer.policy.version} was published already with this body.`);
      onPublished();
    } catch (err) {
      if (err instanceof ApiError && err.body.issues) setProblems(problemsByField(err.body.issues));
      else setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={publish} aria-labelledby="publish-heading">
      <h3 id="publish-heading">Publish a new version</h3>
      <label for="policy-json">The version as JSON (every window positive; calendars named in the rules must be defined)</label>
      <textarea
        id="policy-json"
        rows={14}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        aria-invalid={Object.keys(problems).length > 0}
        {...(Object.keys(problems).length > 0 ? { 'aria-describedby': 'policy-problems' } : {})}
      />
      {Object.keys(problems).length > 0 && (
        <ul id="policy-problems" role="alert" class="alert">
          {Object.entries(problems).map(([field, message]) => (
            <li key={field}>
              <code>{field}</code>: {message}
            </li>
          ))}
        </ul>
      )}
      {status && <p role="status">{status}</p>}
      <button type="submit" disabled={busy}>
        Publish
      </button>
    </form>
  );
}

/** How often a running migration's progress is read: a page of cases takes seconds. */
const MIGRATION_POLL_MS = 2_000;

function MigrateForm({ versions }: { versions: SlaPolicyVersions }) {
  const { api } = useServices();
  const [version, setVersion] = useState(versions.currentPolicyVersion);
  const [type, setType] = useState<CaseType | ''>('');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState<{ count: number; text: string }>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  /** The migration started: its workflow moves the cases; its record is polled until completed or failed. */
  const [migration, setMigration] = useState<MigrationRecord>();
  const selection: MigrationSelection = { ...(type ? { type } : {}), ...(priority ? { priority } : {}) };
  const following = migration?.status === 'running' ? migration : undefined;
  usePolling(
    async () => {
      if (!following) return;
      try {
        const now = await api.getSlaMigration(following.toVersion, following.migrationId);
        setMigration(now);
        setStatus(migrationProgress(now));
      } catch (err) {
        setStatus(errorMessage(err));
      }
    },
    MIGRATION_POLL_MS,
    following?.migrationId,
  );

  const run = async (dryRun: boolean) => {
    setStatus(undefined);
    if (reason.trim() === '') return setStatus('Give the reason: it goes on every case moved.');
    setBusy(true);
    try {
      const answer = await api.migrateToSlaPolicy(version, { reason, selection, dryRun });
      if ('dryRun' in answer) setConfirming({ count: answer.wouldMigrate, text: migrationConfirmation(answer.wouldMigrate, version, selection) });
      else {
        setConfirming(undefined);
        setMigration(answer);
        setStatus(migrationProgress(answer));
      }
    } catch (err) {
      setStatus(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      aria-labelledby="migrate-heading"
      onSubmit={(e) => {
        e.preventDefault();
        void run(false);
      }}
    >
      <h3 id="migrate-heading">Migrate open cases to a version</h3>
      <label for="migrate-version">Version</label>
      <select id="migrate-version" value={version} onChange={(e) => (setVersion(e.currentTarget.value), setConfirming(undefined))}>
        {versions.policies.map((p) => (
          <option key={p.policy.version} value={p.policy.version}>
            {p.policy.version}
          </option>
        ))}
      </select>
      <label for="migrate-type">Type</label>
      <select id="migrate-type" value={type} onChange={(e) => (setType(e.currentTarget.value as CaseType | ''), setConfirming(undefined))}>
        <option value="">Every type</option>
        <option value="inquiry">Inquiries</option>
        <option value="complaint">Complaints</option>
      </select>
      <label for="migrate-priority">Priority</label>
      <select id="migrate-priority" value={priority} onChange={(e) => (setPriority(e.currentTarget.value as Priority | ''), setConfirming(undefined))}>
        <option value="">Every priority</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <label for="migrate-reason">Reason (on every case moved)</label>
      <input id="migrate-reason" value={reason} maxLength={1000} onInput={(e) => setReason(e.currentTarget.value)} />
      {/* Always there, so that screen readers announce each progress update of a running migration. */}
      <p role="status">{status}</p>
      {!confirming && (
        <button type="button" disabled={busy || following !== undefined} onClick={() => void run(true)}>
          Count the cases to move
        </button>
      )}
      {confirming && (
        <>
          <p role="alert">{confirming.text}</p>
          {confirming.count > 0 && (
            <button type="submit" disabled={busy}>
              Move {confirming.count} case(s)
            </button>
          )}
          <button type="button" onClick={() => setConfirming(undefined)}>
            Cancel
          </button>
        </>
      )}
    </form>
  );
}
