import { useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/client';
import { ESCALATIONS_PAGE_SIZE } from '../api/endpoints';
import type { ActionItem, FollowUpDue } from '../api/types';
import { actionStateLabel } from '../logic/feedback';
import { escalationName, STATUS_LABEL } from '../logic/format';
import { BOARD_MAX_PAGES, readBoard, type BoardRows, type BoardScope } from '../logic/escalation-board';
import { teamContacts } from '../logic/team-escalations';
import { DueCountdown, Elapsed } from './countdown';
import { href, rememberQueue } from './navigation';
import { usePolling } from './polling';
import { useServices } from './services';
import { ColumnHeads } from './column-heads';

/**
 * The supervisors' escalations board (M3.3, M4.2, M9.3): the escalations at their level ("Escalated
 * to me") or at both levels ("My team"), every page of them (logic/escalation-board.ts), with the
 * time since each was raised and the respond-by countdown until it is accepted. A supervisor in a
 * team the SLA policy versions list sees under "My team" the escalations that went to their team's
 * contacts only.
 */
export function EscalationsBoard() {
  const { api, session } = useServices();
  const [scope, setScope] = useState<BoardScope>('mine');
  const shownScope = useRef(scope);
  shownScope.current = scope;
  // The signed-in supervisor's team contacts, looked up once on the first "My team".
  const [contacts, setContacts] = useState<Set<string>>();
  const [board, setBoard] = useState<BoardRows>();
  const [error, setError] = useState<string>();
  const rows = board?.rows;

  const load = async () => {
    const reading = scope;
    try {
      const team = reading === 'team' ? (contacts ?? (await myTeamContacts())) : new Set<string>();
      const read = await readBoard(reading, (level, cursor) => api.escalated(level, cursor), team);
      // A read for the scope the supervisor has just left is dropped.
      if (shownScope.current !== reading) return;
      setBoard(read);
      setError(undefined);
    } catch (e) {
      if (shownScope.current === reading) setError(errorMessage(e));
    }
  };
  const myTeamContacts = async () => {
    // Without the directory or the versions the board shows every active escalation, as before teams.
    const found = await Promise.all([api.staff('supervisors'), api.staff('managers'), api.slaPolicies()])
      .then(([supervisors, managers, versions]) => teamContacts([...supervisors, ...managers].find((m) => m.id === session.sub), versions))
      .catch(() => new Set<string>());
    setContacts(found);
    return found;
  };
  useEffect(() => {
    setBoard(undefined);
    void load();
    document.title = 'Escalations · caseflow console';
  }, [scope]);
  usePolling(load, undefined, scope);
  useEffect(() => {
    // Next case (j/k) walks the board's rows; "back to the queue" from a case is the escalated queue.
    if (rows) rememberQueue({ queue: 'escalated', filters: {}, caseIds: rows.map((r) => r.caseId) });
  }, [rows]);

  return (
    <section aria-labelledby="escalations-heading">
      <h1 id="escalations-heading">Escalations</h1>
      <div class="toggle" role="group" aria-label="Whose escalations">
        <button type="button" aria-pressed={scope === 'mine' ? 'true' : 'false'} onClick={() => setScope('mine')}>
          Escalated to me
        </button>
        <button type="button" aria-pressed={scope === 'team' ? 'true' : 'false'} onClick={() => setScope('team')}>
          My team
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
      {!rows && !error && <p role="status">Loading the escalations…</p>}
      {board?.incomplete && (
        <p role="status" class="alert notice">
          Only the first {BOARD_MAX_PAGES * ESCALATIONS_PAGE_SIZE} escalations of a level are shown: there are more than the board reads.
        </p>
      )}
      {rows &&
        (rows.length === 0 ? (
          <p class="empty">No active escalations</p>
        ) : (
          <table class="cases" aria-label="Escalations">
            <ColumnHeads names={['Reference', 'Subject', 'Escalation', 'Status', 'Since escalation', 'Respond by']} />
            <tbody>
              {rows.map((c) => {
                const esc = c.escalation;
                if (!esc) return null;
                return (
                  <tr key={c.caseId} data-case-id={c.caseId}>
                    <td data-label="Reference">
                      <a class="case-link" href={href({ view: 'case', caseId: c.caseId })}>
                        {c.reference}
                      </a>
                    </td>
                    <td data-label="Subject" class="subject">
                      {c.subject}
                    </td>
                    <td data-label="Escalation">
                      {escalationName(esc.number, esc.level)}, level {esc.level} ({esc.responsibleParty})
                    </td>
                    <td data-label="Status">{STATUS_LABEL[c.status]}</td>
                    <td data-label="Since escalation">
                      <Elapsed since={esc.escalatedAt} />
                    </td>
                    <td data-label="Respond by">{esc.acknowledgedAt ? <span>Accepted{esc.acceptedBy ? ` by ${esc.acceptedBy}` : ''}</span> : <DueCountdown due={{ milestone: 'escalation_response', dueAt: esc.respondBy }} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ))}
      <OverdueActionItems />
      <FollowUpsDue />
    </section>
  );
}

/** Complaint follow-ups due today or overdue (M3.2), overdue first, so that a supervisor sees who has not followed up. */
function FollowUpsDue() {
  const { api } = useServices();
  const [items, setItems] = useState<FollowUpDue[]>();
  const [error, setError] = useState<string>();
  const load = async () => {
    try {
      setItems(await api.followUpsDue());
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  usePolling(load, undefined, 'follow-ups-due');
  return (
    <section aria-labelledby="follow-ups-heading">
      <h2 id="follow-ups-heading">Complaint follow-ups due</h2>
      {error && <p role="alert">{error}</p>}
      {items && items.length === 0 && <p class="empty">No complaint follow-ups due</p>}
      {items && items.length > 0 && (
        <ul aria-label="Complaint follow-ups due">
          {items.map((f) => (
            <li key={`${f.caseId}-${f.date}`}>
              <a href={`#/cases/${f.caseId}`}>{f.reference}</a> · for {f.responsible} · {f.overdue ? <strong class="alert">overdue since {f.date}</strong> : <span>due today</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Action items still open after their due day (M8.2, C7.2), on the supervisors' board so they are chased; details on the Feedback screen. */
function OverdueActionItems() {
  const { api } = useServices();
  const [items, setItems] = useState<ActionItem[]>();
  const [error, setError] = useState<string>();
  const load = async () => {
    try {
      setItems(await api.actionItems({ overdue: true }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  usePolling(load, undefined, 'overdue-action-items');
  return (
    <section aria-labelledby="overdue-items-heading">
      <h2 id="overdue-items-heading">Overdue action items</h2>
      {error && <p role="alert">{error}</p>}
      {items && items.length === 0 && <p class="empty">No overdue action items</p>}
      {items && items.length > 0 && (
        <ul aria-label="Overdue action items">
          {items.map((i) => (
            <li key={i.itemId}>
              <a href={href({ view: 'feedback' })}>{i.recommendation}</a> · owner {i.owner} · <strong class="alert">{actionStateLabel(i)}</strong>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
