import type { RecordTrainingBody, TrainingCourse, TrainingCourseStatus, TrainingMember, TrainingStatusValue } from '../api/types';
import type { Session } from './roles';

/**
 * The training screen's rules (C5.1-C5.3; docs/training.md): who sees the team and records
 * completions (supervisors, managers, admins: routes.ts `TRAINING_OVERSIGHT`), who sees only their
 * own status (representatives), how a course's status reads, the team filter, and what a
 * completion must hold before it is sent.
 */

const has = (s: Pick<Session, 'roles'>, ...roles: Session['roles'][number][]) => roles.some((r) => s.roles.includes(r));

/** GET /v1/training's readers: representatives (their own), supervisors, managers, admins. */
export const readsTraining = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers', 'admins');
/** Who sees the team's training and records completions (POST /v1/staff/{staffId}/training). */
export const overseesTraining = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'admins');

export const TRAINING_STATUS_LABELS: Readonly<Record<TrainingStatusValue, string>> = {
  current: 'Current',
  due_soon: 'Due soon',
  lapsed: 'Lapsed',
  never_trained: 'Never trained',
};

// Due dates are calendar months from a UTC completion (core/training.ts): the UTC day, as the API's messages give it, reads the same in every time zone.
const day = (iso: string) => iso.slice(0, 10);

/** One course's status with its dates: "Current: completed 2026-03-03, refresher due 2026-09-03", "Lapsed on 2026-09-03 (completed …)", "Never trained". */
export function courseStatusLabel(c: Pick<TrainingCourseStatus, 'status' | 'lastCompletedAt' | 'dueAt'>): string {
  const completed = c.lastCompletedAt ? `completed ${day(c.lastCompletedAt)}` : '';
  const due = c.dueAt ? day(c.dueAt) : '';
  switch (c.status) {
    case 'never_trained':
      return TRAINING_STATUS_LABELS.never_trained;
    case 'lapsed':
      return `Lapsed on ${due}${completed ? ` (${completed})` : ''}`;
    case 'due_soon':
      return `Due soon: refresher due ${due}${completed ? `, ${completed}` : ''}`;
    case 'current':
      return `Current: ${completed}, refresher due ${due}`;
  }
}

/** A member is lapsed when a course lapsed or a required one was never taken (the assignment guard applies, C5.3). */
export const isLapsed = (m: Pick<TrainingMember, 'courses' | 'requiredMissing'>) => m.requiredMissing.length > 0 || m.courses.some((c) => c.status === 'lapsed');
export const isDueSoon = (m: Pick<TrainingMember, 'courses'>) => m.courses.some((c) => c.status === 'due_soon');

export type TeamFilter = 'all' | 'attention' | 'due_soon' | 'lapsed';

export const TEAM_FILTER_LABELS: Readonly<Record<TeamFilter, string>> = {
  all: 'Everyone',
  attention: 'Due soon or lapsed',
  due_soon: 'Due soon',
  lapsed: 'Lapsed or never trained',
};

const SEVERITY = (m: TrainingMember) => (isLapsed(m) ? 0 : isDueSoon(m) ? 1 : 2);
const nameOf = (m: Pick<TrainingMember, 'staffId' | 'name'>) => m.name ?? m.staffId;

/** The members the filter keeps, who needs training first (lapsed, then due soon, then current), then by name. */
export function filterTeam(members: readonly TrainingMember[], filter: TeamFilter): TrainingMember[] {
  const kept = members.filter((m) => (filter === 'all' ? true : filter === 'lapsed' ? isLapsed(m) : filter === 'due_soon' ? isDueSoon(m) : isLapsed(m) || isDueSoon(m)));
  return kept.sort((a, b) => SEVERITY(a) - SEVERITY(b) || nameOf(a).localeCompare(nameOf(b)));
}

export interface CompletionDraft {
  courseId: string;
  /** The day the course was completed, as an `<input type="date">` gives it (YYYY-MM-DD). */
  completedOn: string;
  note: string;
}

/** The problems of a completion draft, by field (the API's rules: a course of the catalogue, a date not in the future, evidence). */
export function completionProblems(d: CompletionDraft, catalogue: readonly Pick<TrainingCourse, 'id'>[], nowMs: number): Partial<Record<keyof CompletionDraft, string>> {
  const problems: Partial<Record<keyof CompletionDraft, string>> = {};
  if (d.courseId === '') problems.courseId = 'Choose the course';
  else if (!catalogue.some((c) => c.id === d.courseId)) problems.courseId = 'Not a course of the training catalogue';
  const at = /^\d{4}-\d{2}-\d{2}$/.test(d.completedOn) ? Date.parse(`${d.completedOn}T00:00:00.000Z`) : Number.NaN;
  if (Number.isNaN(at)) problems.completedOn = 'Give the day the course was completed';
  else if (at > nowMs) problems.completedOn = 'The completion must not be in the future';
  if (d.note.trim() === '') problems.note = 'Give the evidence: the certificate, the session, who gave it';
  else if (d.note.length > 2000) problems.note = 'At most 2,000 characters';
  return problems;
}

/** The POST body of a valid draft: the day as midnight UTC (so a completion today is never "in the future"), the note as evidence. */
export const completionBody = (d: CompletionDraft): RecordTrainingBody => ({ courseId: d.courseId, completedAt: `${d.completedOn}T00:00:00.000Z`, evidence: { note: d.note.trim() } });
