import { useEffect, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import type { TrainingCourse, TrainingMember, TrainingStatusAnswer } from '../api/types';
import { SERVER_CLOCK } from '../logic/server-clock';
import { completionBody, completionProblems, courseStatusLabel, filterTeam, overseesTraining, TEAM_FILTER_LABELS, type CompletionDraft, type TeamFilter } from '../logic/training';
import { useServices } from './services';

/**
 * Staff training (C5.1-C5.3; docs/training.md): everyone sees their own status per course;
 * supervisors, managers and admins see the team's, filter it to who is due soon or lapsed, and
 * record a completion (course, day, evidence note) for a member.
 */
export function TrainingScreen() {
  const { api, session } = useServices();
  const oversees = overseesTraining(session);
  const [answer, setAnswer] = useState<TrainingStatusAnswer>();
  const [error, setError] = useState<string>();
  const [filter, setFilter] = useState<TeamFilter>('attention');

  useEffect(() => {
    document.title = 'Training · caseflow console';
  }, []);
  useEffect(() => {
    let live = true;
    setError(undefined);
    // Overseers read the team (their own entry among it); anyone else names themself: the API refuses anyone else's.
    api.training(oversees ? undefined : session.sub).then(
      (a) => live && setAnswer(a),
      (e: unknown) => live && setError(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [api, oversees, session.sub]);

  const replaced = (next: Pick<TrainingMember, 'staffId' | 'courses' | 'requiredMissing'>, record: TrainingMember['records'][number]) =>
    setAnswer((a) => a && { ...a, members: a.members.map((m) => (m.staffId === next.staffId ? { ...m, courses: next.courses, requiredMissing: next.requiredMissing, records: [...m.records, record] } : m)) });

  const own = answer?.members.find((m) => m.staffId === session.sub);
  const team = answer && oversees ? filterTeam(answer.members, filter) : [];

  return (
    <section aria-labelledby="training-heading">
      <h1 id="training-heading">Training</h1>
      <p class="hint">
        Communication, complaint handling and company policies for representatives (C5.1), the CRM for all staff (C5.2), each refreshed every six months (C5.3). While a required course is lapsed
        or was never taken, cases are kept away from the member.
      </p>
      {error && (
        <p role="alert" class="alert">
          {error}
        </p>
      )}
      {!answer && !error && <p role="status">Loading…</p>}
      {answer && (
        <>
          <h2 id="training-own">Your training</h2>
          {own ? <CourseTable member={own} labelledBy="training-own" /> : <p role="status">No training is kept for you: you do not work cases.</p>}
        </>
      )}
      {answer && oversees && (
        <>
          <h2 id="training-team">The team</h2>
          <div class="field-block">
            <label for="training-filter">Show</label>
            <select id="training-filter" value={filter} onChange={(e) => setFilter(e.currentTarget.value as TeamFilter)}>
              {Object.entries(TEAM_FILTER_LABELS).map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <p role="status">
            {team.length} of {answer.members.length} member(s) shown · {answer.lapsed.length} lapsed · {answer.dueSoon.length} due soon (within {answer.reminderDays} days)
          </p>
          <ul class="nc-records" aria-labelledby="training-team">
            {team.map((m) => (
              <li key={m.staffId} class="nc-record" aria-labelledby={`training-${m.staffId}-name`}>
                <h3 id={`training-${m.staffId}-name`}>{m.name ?? m.staffId}</h3>
                <CourseTable member={m} labelledBy={`training-${m.staffId}-name`} />
                <CompletionForm member={m} catalogue={answer.catalogue} onRecorded={replaced} />
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function CourseTable({ member, labelledBy }: { member: TrainingMember; labelledBy: string }) {
  return (
    <table aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th scope="col">Course</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {member.courses.map((c) => (
          <tr key={c.courseId}>
            <th scope="row">
              {c.title}
              {c.requiredForCases ? '' : ' (optional)'}
            </th>
            <td class={c.status === 'lapsed' || c.status === 'never_trained' ? 'alert' : undefined}>{courseStatusLabel(c)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CompletionForm({
  member,
  catalogue,
  onRecorded,
}: {
  member: TrainingMember;
  catalogue: readonly TrainingCourse[];
  onRecorded: (status: Pick<TrainingMember, 'staffId' | 'courses' | 'requiredMissing'>, record: TrainingMember['records'][number]) => void;
}) {
  const { api } = useServices();
  const empty: CompletionDraft = { courseId: '', completedOn: new Date(SERVER_CLOCK.now()).toISOString().slice(0, 10), note: '' };
  const [draft, setDraft] = useState<CompletionDraft>(empty);
  const [problems, setProblems] = useState<Partial<Record<keyof CompletionDraft, string>>>({});
  const [outcome, setOutcome] = useState<string>();
  const [busy, setBusy] = useState(false);
  const field = (name: keyof CompletionDraft) => `training-${member.staffId}-${name}`;
  return (
    <form
      class="action-form"
      aria-label={`Record a completion for ${member.name ?? member.staffId}`}
      onSubmit={(e) => {
        e.preventDefault();
        const found = completionProblems(draft, catalogue, SERVER_CLOCK.now());
        setProblems(found);
        if (Object.keys(found).length > 0) return;
        setBusy(true);
        setOutcome(undefined);
        api
          .recordTraining(member.staffId, completionBody(draft))
          .then(
            ({ record, status }) => {
              onRecorded(status, record);
              setOutcome(`Recorded: ${catalogue.find((c) => c.id === record.courseId)?.title ?? record.courseId}, completed ${record.completedAt.slice(0, 10)}.`);
              setDraft(empty);
            },
            (err: unknown) => setOutcome(errorMessage(err)),
          )
          .finally(() => setBusy(false));
      }}
    >
      <div class="field-block">
        <label for={field('courseId')}>Course</label>
        <select id={field('courseId')} value={draft.courseId} aria-invalid={problems.courseId ? 'true' : undefined} onChange={(e) => setDraft({ ...draft, courseId: e.currentTarget.value })}>
          <option value="">Choose…</option>
          {catalogue.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title}
            </option>
          ))}
        </select>
        {problems.courseId && <p class="field-error">{problems.courseId}</p>}
      </div>
      <div class="field-block">
        <label for={field('completedOn')}>Completed on</label>
        <input id={field('completedOn')} type="date" value={draft.completedOn} aria-invalid={problems.completedOn ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, completedOn: e.currentTarget.value })} />
        {problems.completedOn && <p class="field-error">{problems.completedOn}</p>}
      </div>
      <div class="field-block">
        <label for={field('note')}>Evidence</label>
        <textarea id={field('note')} value={draft.note} aria-invalid={problems.note ? 'true' : undefined} onInput={(e) => setDraft({ ...draft, note: e.currentTarget.value })} />
        {problems.note && <p class="field-error">{problems.note}</p>}
      </div>
      <div class="form-buttons">
        <button type="submit" class="primary" disabled={busy}>
          Record the completion
        </button>
      </div>
      {outcome && <p role="status">{outcome}</p>}
    </form>
  );
}
