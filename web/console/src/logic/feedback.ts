import type { ActionItem, ActionItemStatus, Csat } from '../api/types';

/**
 * The Feedback screen's rules (M4.3, M8.2, C7.2; docs/feedback-analysis.md): how satisfaction and
 * an action item's state read, and what the action-item forms must hold before they are sent (the
 * API's own rules, so the person sees the problem beside the field).
 */

export const ACTION_STATUS_LABELS: Readonly<Record<ActionItemStatus, string>> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  dropped: 'Dropped',
};

const percent = (share: number | null) => (share === null ? '–' : `${Math.round(share * 1000) / 10}%`);

/** "4 answers · mean 3.5 · 50% rated 4–5 · 75% solved", or "No answers". */
export function csatLabel(c: Csat): string {
  if (c.answers === 0) return 'No answers';
  return `${c.answers} answer${c.answers === 1 ? '' : 's'} · mean ${c.meanRating ?? '–'} · ${percent(c.satisfied)} rated 4–5 · ${percent(c.solved)} solved`;
}

export const shareLabel = percent;

/** An item's state in words: "In progress · overdue since 2026-03-05" etc. */
export function actionStateLabel(i: Pick<ActionItem, 'status' | 'overdue' | 'dueOn' | 'droppedReason'>): string {
  const base = ACTION_STATUS_LABELS[i.status];
  if (i.overdue) return `${base} · overdue (due ${i.dueOn})`;
  if (i.status === 'dropped' && i.droppedReason) return `${base}: ${i.droppedReason}`;
  return i.status === 'done' || i.status === 'dropped' ? base : `${base} · due ${i.dueOn}`;
}

/** Case ids typed into a field, one or more, separated by commas, spaces or lines; lower-cased. */
export const idsOf = (text: string): string[] => text.split(/[\s,]+/).map((s) => s.trim().toLowerCase()).filter((s) => s !== '');

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ActionItemDraft {
  recommendation: string;
  theme: string;
  owner: string;
  dueOn: string;
  feedback: string;
  cases: string;
}

/** The problems of a new item, by field. `today` is the UTC day (YYYY-MM-DD). */
export function actionItemProblems(d: ActionItemDraft, today: string): Partial<Record<keyof ActionItemDraft, string>> {
  const problems: Partial<Record<keyof ActionItemDraft, string>> = {};
  if (d.recommendation.trim() === '') problems.recommendation = 'Say what should change';
  else if (d.recommendation.length > 2000) problems.recommendation = 'At most 2,000 characters';
  if (d.owner.trim() === '') problems.owner = 'Name the owner (their staff id)';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d.dueOn)) problems.dueOn = 'Choose the due day';
  else if (d.dueOn < today) problems.dueOn = 'The due day is past';
  const feedback = idsOf(d.feedback);
  const cases = idsOf(d.cases);
  if (feedback.some((id) => !UUID.test(id))) problems.feedback = 'Case ids of the answers, e.g. 2f6c…-…';
  if (cases.some((id) => !UUID.test(id))) problems.cases = 'Case ids, e.g. 2f6c…-…';
  if (feedback.length + cases.length === 0 && !problems.feedback && !problems.cases) problems.feedback = 'Link the answers (their case ids) or cases that prompted it';
  return problems;
}

/** The status changes a person may pick for an item: every other status; dropping needs a reason. */
export const nextStatuses = (s: ActionItemStatus): ActionItemStatus[] => (Object.keys(ACTION_STATUS_LABELS) as ActionItemStatus[]).filter((x) => x !== s);

/** Whether this person may change the item: the feedback team and supervisors any, the owner their own. */
export const mayChangeItem = (i: Pick<ActionItem, 'owner'>, me: string, managesItems: boolean): boolean => managesItems || i.owner === me;
