import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { ActionItem, ActionItemStatus, FeedbackEntry, FeedbackTrends, FeedbackTrendsGroupBy } from '../api/types';
import { ACTION_STATUS_LABELS, actionItemProblems, actionStateLabel, csatLabel, idsOf, mayChangeItem, nextStatuses, shareLabel, type ActionItemDraft } from '../logic/feedback';
import { formatDateTime } from '../logic/format';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useServices } from './services';

const DAY_MS = 24 * 3600 * 1000;
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

const GROUP_LABELS: Readonly<Record<FeedbackTrendsGroupBy, string>> = { week: 'Week', day: 'Day', type: 'Type', channel: 'Channel', agent: 'Agent' };

/**
 * The Feedback screen (M4.3, M8.2, C2.3, C7.2; docs/feedback-analysis.md), for the feedback team and
 * supervisors: the trends of a period (CSAT and the comments' themes, by week, type, channel or
 * agent), the feedback log's answers of the period (confidential: C4.2), and the action items, with a
 * form to record one and, on each, its status, owner and due day to change.
 */
export function FeedbackScreen() {
  const [to, setTo] = useState(() => dayOf(SERVER_CLOCK.now()));
  const [from, setFrom] = useState(() => dayOf(SERVER_CLOCK.now() - 27 * DAY_MS));
  const [groupBy, setGroupBy] = useState<FeedbackTrendsGroupBy>('week');
  useEffect(() => {
    document.title = 'Feedback · caseflow console';
  }, []);
  return (
    <section aria-labelledby="feedback-heading">
      <h1 id="feedback-heading">Feedback</h1>
      <p class="hint">What customers said in their satisfaction surveys, its recurring themes, and the action items that answer them (M4.3, M8.2).</p>
      <fieldset class="field-block">
        <legend>Period and grouping</legend>
        <label for="fb-from">From</label>
        <input id="fb-from" type="date" value={from} onInput={(e) => /^\d{4}-\d{2}-\d{2}$/.test(e.currentTarget.value) && setFrom(e.currentTarget.value)} />
        <label for="fb-to">To (included)</label>
        <input id="fb-to" type="date" value={to} onInput={(e) => /^\d{4}-\d{2}-\d{2}$/.test(e.currentTarget.value) && setTo(e.currentTarget.value)} />
        <label for="fb-group">Group by</label>
        <select id="fb-group" value={groupBy} onChange={(e) => setGroupBy(e.currentTarget.value as FeedbackTrendsGroupBy)}>
          {Object.entries(GROUP_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </fieldset>
      <TrendsTable from={from} to={to} groupBy={groupBy} />
      <ActionItems />
      <FeedbackLog from={from} to={to} />
    </section>
  );
}

function TrendsTable({ from, to, groupBy }: { from: string; to: string; groupBy: FeedbackTrendsGroupBy }) {
  const { api } = useServices();
  const [trends, setTrends] = useState<FeedbackTrends>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setError(undefined);
    api.feedbackTrends(from, to, groupBy).then(
      (t) => live && setTrends(t),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, from, to, groupBy]);
  return (
    <section aria-labelledby="fb-trends-heading">
      <h2 id="fb-trends-heading">Trends and themes</h2>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {!trends && !error && <p role="status">Loading the trends…</p>}
      {trends && (
        <>
          <p>
            <strong>All answers:</strong> {csatLabel(trends.totals.csat)} · {trends.totals.comments} comments, {trends.totals.untagged} matching no theme
          </p>
          <table class="log" aria-label="Themes of the comments">
            <thead>
              <tr>
                <th scope="col">Theme</th>
                <th scope="col">Comments</th>
                <th scope="col">Rated 1–2</th>
              </tr>
            </thead>
            <tbody>
              {trends.totals.themes.map((t) => (
                <tr key={t.theme}>
                  <th scope="row">{t.theme}</th>
                  <td>{t.comments}</td>
                  <td>
                    {t.lowRatings} ({shareLabel(t.lowRatingShare)})
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <table class="log" aria-label={`Satisfaction by ${GROUP_LABELS[groupBy].toLowerCase()}`}>
            <thead>
              <tr>
                <th scope="col">{GROUP_LABELS[groupBy]}</th>
                <th scope="col">Satisfaction</th>
                <th scope="col">Top theme</th>
              </tr>
            </thead>
            <tbody>
              {trends.groups.map((g) => {
                const top = g.themes[0];
                return (
                  <tr key={g.key}>
                    <th scope="row">{g.key}</th>
                    <td>{csatLabel(g.csat)}</td>
                    <td>{top && top.comments > 0 ? `${top.theme} (${top.comments})` : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}

function FeedbackLog({ from, to }: { from: string; to: string }) {
  const { api } = useServices();
  const [entries, setEntries] = useState<FeedbackEntry[]>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    setError(undefined);
    const until = new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString();
    api.feedback(`${from}T00:00:00.000Z`, until).then(
      (page) => {
        if (!live) return;
        setEntries(page.items);
        setMore(page.nextCursor !== undefined);
      },
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, from, to]);
  return (
    <section aria-labelledby="fb-log-heading">
      <h2 id="fb-log-heading">Feedback log</h2>
      <p class="hint">Confidential (C4.2): the customers' own words, for the feedback team and supervisors only.</p>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && <p role="status">No answers in this period.</p>}
      {entries && entries.length > 0 && (
        <table class="log" aria-label="Survey answers">
          <thead>
            <tr>
              <th scope="col">Answered</th>
              <th scope="col">Case</th>
              <th scope="col">Rating</th>
              <th scope="col">Solved</th>
              <th scope="col">Comment</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.caseId}>
                <td>{formatDateTime(e.firstAnsweredAt)}</td>
                <td>
                  <a href={`#/cases/${e.caseId}`}>{e.reference}</a>
                </td>
                <td>{e.rating} of 5</td>
                <td>{e.solved ? 'Yes' : 'No'}</td>
                <td>{e.erasedBy ? <em>erased</em> : (e.comment ?? '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {more && <p class="hint">The first 100 answers are shown; narrow the period to see the rest.</p>}
    </section>
  );
}

/** The action items, overdue first; the form to record one. */
function ActionItems() {
  const { api } = useServices();
  const [items, setItems] = useState<ActionItem[]>();
  const [error, setError] = useState<string>();
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    api.actionItems({}).then(
      (found) => live && setItems(found),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, reload]);
  const replaced = (next: ActionItem) => setItems((list) => (list ?? []).map((i) => (i.itemId === next.itemId ? next : i)));
  return (
    <section aria-labelledby="fb-items-heading">
      <h2 id="fb-items-heading">Action items</h2>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p role="status">No action items yet.</p>}
      {items && items.length > 0 && (
        <ul class="nc-records" aria-label="Action items">
          {items.map((i) => (
            <ActionItemRow key={i.itemId} item={i} onChange={replaced} onStale={() => setReload((n) => n + 1)} />
          ))}
        </ul>
      )}
      <CreateActionItemForm onCreated={() => setReload((n) => n + 1)} />
    </section>
  );
}

function ActionItemRow({ item: i, onChange, onStale }: { item: ActionItem; onChange: (i: ActionItem) => void; onStale: () => void }) {
  const { api, session } = useServices();
  const manages = session.roles.some((r) => r === 'feedback' || r === 'supervisors' || r === 'managers');
  const [status, setStatus] = useState<ActionItemStatus | ''>('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = (name: string) => `ai-${i.itemId}-${name}`;
  return (
    <li class="nc-record" aria-labelledby={field('title')}>
      <h3 id={field('title')}>{i.recommendation}</h3>
      <p>
        <strong class={i.overdue ? 'alert' : undefined}>{actionStateLabel(i)}</strong> · owner {i.owner}
        {i.theme && <> · theme {i.theme}</>} · {i.links.feedback.length} answer(s), {i.links.cases.length} case(s), {i.links.nonCompliance.length} non-compliance record(s)
      </p>
      <details>
        <summary>History ({i.history.length})</summary>
        <ul>
          {i.history.map((h) => (
            <li key={`${h.at}-${h.by.id}`}>
              {formatDateTime(h.at)}, {h.by.id}: {[h.status && `status ${h.status.to}`, h.owner && `owner ${h.owner.to}`, h.dueOn && `due ${h.dueOn.to}`].filter(Boolean).join(', ')}
              {h.reason ? ` (${h.reason})` : ''}
            </li>
          ))}
        </ul>
      </details>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {mayChangeItem(i, session.sub, manages) && (
        <form
          class="action-form"
          aria-label={`Change the status of: ${i.recommendation.slice(0, 60)}`}
          onSubmit={(e) => {
            e.preventDefault();
            if (status === '') return setError('Choose the new status');
            if (status === 'dropped' && reason.trim() === '') return setError('Give the reason it is dropped');
            setBusy(true);
            setError(undefined);
            api
              .updateActionItem(i.itemId, i.version, { status, ...(reason.trim() ? { reason: reason.trim() } : {}) })
              .then(
                (next) => {
                  onChange(next);
                  setStatus('');
                  setReason('');
                },
                (err: unknown) => {
                  setError(`${errorMessage(err)} The list is reloaded.`);
                  onStale();
                },
              )
              .finally(() => setBusy(false));
          }}
        >
          <div class="field-block">
            <label for={field('status')}>New status</label>
            <select id={field('status')} value={status} onChange={(e) => setStatus(e.currentTarget.value as ActionItemStatus | '')}>
              <option value="">Choose…</option>
              {nextStatuses(i.status).map((s) => (
                <option key={s} value={s}>
                  {ACTION_STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </div>
          <div class="field-block">
            <label for={field('reason')}>Reason or note{status === 'dropped' ? ' (required to drop it)' : ' (optional)'}</label>
            <input id={field('reason')} value={reason} onInput={(e) => setReason(e.currentTarget.value)} />
          </div>
          <div class="form-buttons">
            <button type="submit" disabled={busy}>
              Change the status
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

const EMPTY: ActionItemDraft = { recommendation: '', theme: '', owner: '', dueOn: '', feedback: '', cases: '' };

function CreateActionItemForm({ onCreated }: { onCreated: () => void }) {
  const { api, session } = useServices();
  const [draft, setDraft] = useState<ActionItemDraft>(EMPTY);
  const [problems, setProblems] = useState<Partial<Record<keyof ActionItemDraft, string>>>({});
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (!session.roles.some((r) => r === 'feedback' || r === 'supervisors' || r === 'managers')) return null;
  const input = (name: Exclude<keyof ActionItemDraft, 'dueOn' | 'recommendation'>, label: string) => (
    <div class="field-block">
      <label for={`ai-new-${name}`}>{label}</label>
      <input id={`ai-new-${name}`} value={draft[name]} aria-invalid={problems[name] ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, [name]: e.currentTarget.value })} />
      {problems[name] && <p class="field-error">{problems[name]}</p>}
    </div>
  );
  return (
    <form
      class="action-form"
      aria-labelledby="ai-new-heading"
      onSubmit={(e) => {
        e.preventDefault();
        const found = actionItemProblems(draft, dayOf(SERVER_CLOCK.now()));
        setProblems(found);
        if (Object.keys(found).length > 0) return;
        setBusy(true);
        setOutcome(undefined);
        api
          .createActionItem({
            recommendation: draft.recommendation.trim(),
            ...(draft.theme.trim() ? { theme: draft.theme.trim() } : {}),
            owner: draft.owner.trim(),
            dueOn: draft.dueOn,
            links: { feedback: idsOf(draft.feedback), cases: idsOf(draft.cases), nonCompliance: [] },
          })
          .then(
            () => {
              setOutcome('Action item recorded.');
              setDraft(EMPTY);
              onCreated();
            },
            (err: unknown) => setOutcome(errorMessage(err)),
          )
          .finally(() => setBusy(false));
      }}
    >
      <h3 id="ai-new-heading">Record an action item</h3>
      <div class="field-block">
        <label for="ai-new-recommendation">What should change</label>
        <textarea id="ai-new-recommendation" value={draft.recommendation} aria-invalid={problems.recommendation ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, recommendation: e.currentTarget.value })} />
        {problems.recommendation && <p class="field-error">{problems.recommendation}</p>}
      </div>
      {input('theme', 'Theme (optional)')}
      {input('owner', 'Owner (staff id)')}
      <div class="field-block">
        <label for="ai-new-dueOn">Due on</label>
        <input id="ai-new-dueOn" type="date" value={draft.dueOn} aria-invalid={problems.dueOn ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, dueOn: e.currentTarget.value })} />
        {problems.dueOn && <p class="field-error">{problems.dueOn}</p>}
      </div>
      {input('feedback', 'Answers that prompted it (case ids)')}
      {input('cases', 'Other cases (case ids, optional)')}
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Record
        </button>
      </div>
      {outcome && <p role="status">{outcome}</p>}
    </form>
  );
}
