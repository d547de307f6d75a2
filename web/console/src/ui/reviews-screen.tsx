import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { QualityReview } from '../api/types';
import { formatDateTime } from '../logic/format';
import { byQueueOrder, CRITERIA, draftOf, emptyScorecard, isoWeekOf, mayScore, previewOutcome, SCORE_LABELS, scorecardOf, scorecardProblems, type ScorecardDraft } from '../logic/quality-review';
import { supervises } from '../logic/roles';
import { SERVER_CLOCK } from '../logic/server-clock';
import { useServices } from './services';

/**
 * Response-quality reviews (M3.1, M6.1, C6.3; docs/quality-reviews.md). Supervisors see a week's
 * queue of sampled replies and score each on the scorecard (never their own reply); a failed
 * review opens a non-compliance record. Representatives see their own reviews and what was said.
 */
export function ReviewsScreen() {
  const { api, session } = useServices();
  const supervisor = supervises(session);
  const [week, setWeek] = useState(() => isoWeekOf(SERVER_CLOCK.now()));
  const [reviews, setReviews] = useState<QualityReview[]>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    document.title = 'Reviews · caseflow console';
  }, []);
  useEffect(() => {
    let live = true;
    setError(undefined);
    (supervisor ? api.qualityReviews(week) : api.myQualityReviews(week)).then(
      (items) => live && setReviews(byQueueOrder(items)),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, week, supervisor]);

  const replaced = (next: QualityReview) => setReviews((rs) => byQueueOrder((rs ?? []).map((r) => (r.id === next.id ? next : r))));

  return (
    <section aria-labelledby="qr-heading">
      <h1 id="qr-heading">{supervisor ? 'Quality reviews' : 'My quality reviews'}</h1>
      <p class="hint">
        {supervisor
          ? 'Replies sampled for review (5% of replies, and at least one of everyone who replied in a week). Score each on the scorecard; a review below 2.5 overall, or with any criterion at 1, opens a non-compliance record.'
          : 'Your replies sampled for review, with the scores and comments of the supervisor who reviewed them.'}
      </p>
      <div class="field-block">
        <label for="qr-week">Week</label>
        <input id="qr-week" type="week" value={week} onInput={(e) => /^\d{4}-W\d{2}$/.test(e.currentTarget.value) && setWeek(e.currentTarget.value)} />
      </div>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {reviews && reviews.length === 0 && <p role="status">No reviews in {week}.</p>}
      {reviews && reviews.length > 0 && (
        <ul class="nc-records" aria-label={`Reviews of ${week}`}>
          {reviews.map((r) => (
            <ReviewItem key={r.id} review={r} canScore={supervisor && mayScore(r, session.sub)} onChange={replaced} />
          ))}
        </ul>
      )}
    </section>
  );
}

function ReviewItem({ review: r, canScore, onChange }: { review: QualityReview; canScore: boolean; onChange: (r: QualityReview) => void }) {
  const { api } = useServices();
  const [reply, setReply] = useState<string>();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string>();
  const [outcome, setOutcome] = useState<string>();

  const show = async () => {
    setOpen(!open);
    if (reply !== undefined || open) return;
    try {
      const { reply: sent } = await api.qualityReview(r.id);
      setReply(sent.text ?? '(the reply’s text is not available)');
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <li class="nc-record" aria-labelledby={`qr-${r.id}-title`}>
      <h2 id={`qr-${r.id}-title`}>
        Reply by {r.staffId}, {formatDateTime(r.repliedAt)}
      </h2>
      <p>
        <strong>{r.status === 'pending' ? 'Waiting for review' : r.score?.failed ? `Failed: ${r.score.overall.toFixed(2)} of 4` : `Passed: ${r.score?.overall.toFixed(2) ?? ''} of 4`}</strong>
        {' · '}
        {r.sampledBy === 'share' ? 'sampled as it went out' : 'the week’s top-up'} · <a href={`#/cases/${r.caseId}`}>the case</a>
        {r.nonComplianceId && <> · non-compliance record {r.nonComplianceId}</>}
      </p>
      {r.score && (
        <dl class="scorecard">
          {CRITERIA.map((c) => (
            <div key={c.id}>
              <dt>
                {c.label}: {r.score?.scorecard[c.id].score} of 4
              </dt>
              <dd>{r.score?.scorecard[c.id].comment}</dd>
            </div>
          ))}
          {r.score.summary && (
            <div>
              <dt>Summary</dt>
              <dd>{r.score.summary}</dd>
            </div>
          )}
        </dl>
      )}
      <button type="button" aria-expanded={open} aria-controls={`qr-${r.id}-reply`} onClick={() => void show()}>
        {open ? 'Hide the reply' : 'Show the reply'}
      </button>
      {open && (
        <div id={`qr-${r.id}-reply`}>
          <pre class="reply-text">{reply ?? 'Loading…'}</pre>
        </div>
      )}
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {canScore && (
        <ScorecardForm
          review={r}
          onScored={(next, ncId) => {
            onChange(next);
            setOutcome(ncId ? `Scored: failed. Non-compliance record ${ncId} opened.` : `Scored: ${next.score?.failed ? 'failed' : 'passed'}.`);
          }}
        />
      )}
      {outcome && <p role="status">{outcome}</p>}
    </li>
  );
}

function ScorecardForm({ review: r, onScored }: { review: QualityReview; onScored: (r: QualityReview, nonComplianceId?: string) => void }) {
  const { api } = useServices();
  const [draft, setDraft] = useState<ScorecardDraft>(() => (r.score ? draftOf(r.score.scorecard) : emptyScorecard()));
  const [summary, setSummary] = useState(r.score?.summary ?? '');
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const id = (part: string) => `qr-${r.id}-${part}`;
  const preview = previewOutcome(draft);
  const set = (criterion: keyof ScorecardDraft, change: Partial<ScorecardDraft[keyof ScorecardDraft]>) => setDraft({ ...draft, [criterion]: { ...draft[criterion], ...change } });

  return (
    <form
      class="action-form"
      aria-label={`Scorecard for the reply by ${r.staffId}`}
      onSubmit={(e) => {
        e.preventDefault();
        const found = scorecardProblems(draft);
        setProblems(found);
        const scorecard = scorecardOf(draft);
        if (!scorecard) return;
        setBusy(true);
        setError(undefined);
        api
          .scoreQualityReview(r.id, { scorecard, ...(summary.trim() ? { summary: summary.trim() } : {}) }, r.status === 'done' ? r.version : undefined)
          .then(
            (res) => onScored(res.review, res.nonCompliance?.id),
            (err: unknown) => setError(errorMessage(err)),
          )
          .finally(() => setBusy(false));
      }}
    >
      {CRITERIA.map((c) => (
        <fieldset key={c.id} class="field-block">
          <legend>
            {c.label}: {c.question}
          </legend>
          <div role="radiogroup" aria-label={`${c.label} score`}>
            {[1, 2, 3, 4].map((n) => (
              <label key={n} class="inline">
                <input type="radio" name={id(`${c.id}-score`)} value={String(n)} checked={draft[c.id].score === n} onChange={() => set(c.id, { score: n })} /> {SCORE_LABELS[n]}
              </label>
            ))}
          </div>
          {problems[`${c.id}.score`] && <p class="field-error">{problems[`${c.id}.score`]}</p>}
          <label for={id(`${c.id}-comment`)}>{c.label}: comment</label>
          <textarea id={id(`${c.id}-comment`)} value={draft[c.id].comment} aria-invalid={problems[`${c.id}.comment`] ? 'true' : undefined} onInput={(e) => set(c.id, { comment: e.currentTarget.value })} />
          {problems[`${c.id}.comment`] && <p class="field-error">{problems[`${c.id}.comment`]}</p>}
        </fieldset>
      ))}
      <div class="field-block">
        <label for={id('summary')}>Summary (optional)</label>
        <textarea id={id('summary')} value={summary} onInput={(e) => setSummary(e.currentTarget.value)} />
      </div>
      {preview && (
        <p role="status">
          Overall {preview.overall.toFixed(2)} of 4: {preview.failed ? 'fails (a non-compliance record will be opened)' : 'passes'}
        </p>
      )}
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          {r.status === 'done' ? 'Score again' : 'Score'}
        </button>
      </div>
    </form>
  );
}
