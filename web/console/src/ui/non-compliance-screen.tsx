import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { CorrectiveActionType, NonComplianceRecord } from '../api/types';
import { formatDateTime } from '../logic/format';
import { actionProblems, byUrgency, causeLabel, CORRECTIVE_ACTION_LABELS, deadlineLabel, maySignOff, reportProblems, STATUS_LABELS, type ActionDraft } from '../logic/non-compliance';
import { monthLabel } from '../logic/reports';
import { supervises } from '../logic/roles';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useServices } from './services';

/**
 * Non-compliance records (C8.1–C8.3; docs/non-compliance.md), for supervisors, the feedback team
 * and auditors: a month's records, what needs doing first at the top, each with its 7-day
 * corrective-action deadline; supervisors record the corrective action with its evidence and sign
 * it off; anyone here may report a non-compliance.
 */
export function NonComplianceScreen() {
  const { api, session } = useServices();
  const [month, setMonth] = useState(() => new Date(SERVER_CLOCK.now()).toISOString().slice(0, 7));
  const [records, setRecords] = useState<NonComplianceRecord[]>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);

  useEffect(() => {
    document.title = 'Non-compliance · caseflow console';
  }, []);
  useEffect(() => {
    let live = true;
    setError(undefined);
    api.nonCompliance(month).then(
      (items) => live && setRecords(byUrgency(items)),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, month, reload]);

  const replaced = (next: NonComplianceRecord) => setRecords((rs) => byUrgency((rs ?? []).map((r) => (r.id === next.id ? next : r))));

  return (
    <section aria-labelledby="nc-heading">
      <h1 id="nc-heading">Non-compliance</h1>
      <p class="hint">
        Every SLA breach and every reported non-compliance, each to be corrected within 7 days (C8.1): the supervisor on duty is warned before the deadline, management is told when it passes
        with nothing recorded.
      </p>
      <div class="field-block">
        <label for="nc-month">Opened in</label>
        <input id="nc-month" type="month" value={month} onInput={(e) => /^\d{4}-\d{2}$/.test(e.currentTarget.value) && setMonth(e.currentTarget.value)} />
      </div>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {records && records.length === 0 && <p role="status">No non-compliance records opened in {monthLabel(month)}.</p>}
      {records && records.length > 0 && (
        <ul class="nc-records" aria-label={`Records opened in ${monthLabel(month)}`}>
          {records.map((r) => (
            <NonComplianceItem key={r.id} record={r} me={session.sub} canAct={supervises(session)} onChange={replaced} />
          ))}
        </ul>
      )}
      <ReportForm onReported={() => setReload((n) => n + 1)} />
    </section>
  );
}

function NonComplianceItem({ record: r, me, canAct, onChange }: { record: NonComplianceRecord; me: string; canAct: boolean; onChange: (r: NonComplianceRecord) => void }) {
  const { api } = useServices();
  const [draft, setDraft] = useState<ActionDraft>({ type: '', description: '', evidence: '' });
  const [problems, setProblems] = useState<Partial<Record<keyof ActionDraft, string>>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const deadline = deadlineLabel(r, SERVER_CLOCK.now());
  const field = (name: keyof ActionDraft) => `nc-${r.id}-${name}`;

  const act = async (run: () => Promise<NonComplianceRecord>) => {
    setError(undefined);
    setBusy(true);
    try {
      onChange(await run());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li class="nc-record" aria-labelledby={`nc-${r.id}-title`}>
      <h2 id={`nc-${r.id}-title`}>{causeLabel(r)}</h2>
      <p>
        <strong>{STATUS_LABELS[r.status]}</strong>
        {deadline && <> · {deadline}</>} · opened {formatDateTime(r.openedAt)}
        {r.caseId && (
          <>
            {' '}
            · <a href={`#/cases/${r.caseId}`}>the case</a>
          </>
        )}
        {r.staffId && <> · staff member {r.staffId}</>}
      </p>
      {r.repeated && <p class="alert">Repeated non-compliance by this staff member (C8.3): {r.repeatOf.length} other record(s) in the last 90 days.</p>}
      {r.correctiveActions.map((a) => (
        <p key={a.recordedAt}>
          {CORRECTIVE_ACTION_LABELS[a.type]} ({formatDateTime(a.recordedAt)}, {a.recordedBy.id}): {a.description}. Evidence: {a.evidence}
        </p>
      ))}
      {r.signedOff && (
        <p>
          Signed off by {r.signedOff.by.id}, {formatDateTime(r.signedOff.at)}
          {r.signedOff.note ? `: ${r.signedOff.note}` : ''}
        </p>
      )}
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {canAct && r.status !== 'closed' && (
        <form
          class="action-form"
          aria-label={`Corrective action for ${r.id}`}
          onSubmit={(e) => {
            e.preventDefault();
            const found = actionProblems(draft);
            setProblems(found);
            if (Object.keys(found).length > 0 || draft.type === '') return;
            const type: CorrectiveActionType = draft.type;
            void act(() => api.recordCorrectiveAction(r.id, { type, description: draft.description.trim(), evidence: draft.evidence.trim() }));
          }}
        >
          <div class="field-block">
            <label for={field('type')}>Corrective action</label>
            <select id={field('type')} value={draft.type} aria-invalid={problems.type ? 'true' : undefined} onChange={(e) => setDraft({ ...draft, type: e.currentTarget.value as ActionDraft['type'] })}>
              <option value="">Choose…</option>
              {Object.entries(CORRECTIVE_ACTION_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
            {problems.type && <p class="field-error">{problems.type}</p>}
          </div>
          <div class="field-block">
            <label for={field('description')}>What was done</label>
            <textarea id={field('description')} value={draft.description} aria-invalid={problems.description ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
            {problems.description && <p class="field-error">{problems.description}</p>}
          </div>
          <div class="field-block">
            <label for={field('evidence')}>Evidence</label>
            <input id={field('evidence')} value={draft.evidence} aria-invalid={problems.evidence ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, evidence: e.currentTarget.value })} />
            {problems.evidence && <p class="field-error">{problems.evidence}</p>}
          </div>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>
              Record the corrective action
            </button>
            {maySignOff(r, me) && (
              <button type="button" class="primary" disabled={busy} onClick={() => void act(() => api.signOffNonCompliance(r.id))}>
                Sign off
              </button>
            )}
          </div>
        </form>
      )}
    </li>
  );
}

function ReportForm({ onReported }: { onReported: () => void }) {
  const { api } = useServices();
  const [draft, setDraft] = useState({ description: '', staffId: '', caseId: '' });
  const [problems, setProblems] = useState<Partial<Record<'description' | 'staffId' | 'caseId', string>>>({});
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="action-form"
      aria-labelledby="nc-report-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const found = reportProblems(draft);
        setProblems(found);
        if (Object.keys(found).length > 0) return;
        setBusy(true);
        setOutcome(undefined);
        api
          .reportNonCompliance({ description: draft.description.trim(), ...(draft.staffId.trim() ? { staffId: draft.staffId.trim() } : {}), ...(draft.caseId.trim() ? { caseId: draft.caseId.trim().toLowerCase() } : {}) })
          .then(
            (r) => {
              setOutcome(`Reported as ${r.id}: corrective action due by ${formatDateTime(r.correctiveActionDueAt)}.`);
              setDraft({ description: '', staffId: '', caseId: '' });
              onReported();
            },
            (err: unknown) => setOutcome(errorMessage(err)),
          )
          .finally(() => setBusy(false));
      }}
    >
      <h2 id="nc-report-heading">Report a non-compliance</h2>
      <div class="field-block">
        <label for="nc-report-description">What was not done as the protocol asks</label>
        <textarea id="nc-report-description" value={draft.description} aria-invalid={problems.description ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, description: e.currentTarget.value })} />
        {problems.description && <p class="field-error">{problems.description}</p>}
      </div>
      <div class="field-block">
        <label for="nc-report-staff">Staff member (id, optional)</label>
        <input id="nc-report-staff" value={draft.staffId} aria-invalid={problems.staffId ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, staffId: e.currentTarget.value })} />
        {problems.staffId && <p class="field-error">{problems.staffId}</p>}
      </div>
      <div class="field-block">
        <label for="nc-report-case">Case id (optional)</label>
        <input id="nc-report-case" value={draft.caseId} aria-invalid={problems.caseId ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, caseId: e.currentTarget.value })} />
        {problems.caseId && <p class="field-error">{problems.caseId}</p>}
      </div>
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Report
        </button>
      </div>
      {outcome && <p role="status">{outcome}</p>}
    </form>
  );
}
