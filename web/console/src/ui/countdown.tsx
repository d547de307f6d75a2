import type { CaseSummary, NextDue } from '../api/types';
import { dueView, rowDue, type DueView } from '../logic/deadlines';
import { formatDateTime, formatDuration } from '../logic/format';
import { useNow } from './clock';

/** `data-state` of a countdown: paused counts as ok (its text says it is paused). */
const stateOf = (view: DueView): 'ok' | 'warning' | 'breached' => (view.state === 'paused' ? 'ok' : view.state);

function Timer({ view }: { view: DueView }) {
  return (
    <span role="timer" class={`countdown countdown-${view.state}`} data-state={stateOf(view)} data-milestone={view.milestone} title={`Due ${formatDateTime(view.dueAt)}`}>
      {view.text}
    </span>
  );
}

/** A queue row's live countdown to its next deadline (one shared one-second clock). */
export function RowCountdown({ summary }: { summary: CaseSummary }) {
  const now = useNow();
  const view = rowDue(summary, now);
  if (!view) return <span class="muted">Nothing due</span>;
  return <Timer view={view} />;
}

/** A countdown to one deadline (an escalation's respond-by on the board). */
export function DueCountdown({ due }: { due: NextDue }) {
  const now = useNow();
  return <Timer view={dueView(due, now)} />;
}

/** Time since a moment, ticking: "12m 04s ago". */
export function Elapsed({ since }: { since: string }) {
  const now = useNow();
  return <span>{formatDuration(Math.max(0, now - Date.parse(since)))} ago</span>;
}
