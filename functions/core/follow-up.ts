import * as z from 'zod';
import type { Actor, Case } from './case';
import type { ComplaintChecklist } from './complaint-checklist';

/**
 * A complaint's follow-up (M3.2: every complaint recorded with its corrective action and follow-up).
 * The checklist plans it with a date; resolving the complaint schedules it for the person who answers
 * for the case (the assignee, else whoever resolved it). From its date it is due: the daily reminder
 * run mails that person on the date and the supervisor on duty from the day after; recording what the
 * follow-up found ends it (or schedules the next one). Days are UTC calendar days (YYYY-MM-DD).
 */
export const CaseFollowUpSchema = z.object({
  /** The day the follow-up is due. */
  date: z.iso.date(),
  /** The staff member it is scheduled for (a directory id, never an address). */
  responsible: z.string().min(1),
  state: z.enum(['pending', 'recorded']),
  recordedAt: z.iso.datetime().optional(),
});
export type CaseFollowUp = z.infer<typeof CaseFollowUpSchema>;

/** A pending follow-up's index entry: what the reminders and the due list read (no personal data). */
export const FollowUpDueSchema = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  date: z.iso.date(),
  responsible: z.string(),
  /** When the responsible person, then the supervisor on duty, were reminded (the reminder run's marks). */
  remindedAt: z.iso.datetime().optional(),
  supervisorRemindedAt: z.iso.datetime().optional(),
});
export type FollowUpDue = z.infer<typeof FollowUpDueSchema>;

/** The UTC day of an instant (YYYY-MM-DD). */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/** Due: the day has come. Overdue: the day has passed without the outcome recorded. */
export const isFollowUpDue = (date: string, today: string) => date <= today;
export const isFollowUpOverdue = (date: string, today: string) => date < today;

export type FollowUpReminder = 'responsible' | 'supervisor';

/**
 * The reminders a pending follow-up is owed today, each once: its responsible person from the date,
 * the supervisor on duty from the day after (it is overdue then).
 */
export function remindersOwed(entry: FollowUpDue, today: string): FollowUpReminder[] {
  const owed: FollowUpReminder[] = [];
  if (isFollowUpDue(entry.date, today) && !entry.remindedAt) owed.push('responsible');
  if (isFollowUpOverdue(entry.date, today) && !entry.supervisorRemindedAt) owed.push('supervisor');
  return owed;
}

/** Who records a follow-up's outcome: supervisors and managers, and an agent on their own case (assignee, or the one it was scheduled for). */
export function mayRecordFollowUp(actor: Actor, followUp: Pick<CaseFollowUp, 'responsible'>, assigneeId: string | undefined): boolean {
  if (actor.kind === 'supervisor' || actor.kind === 'manager') return true;
  if (actor.kind !== 'agent' || actor.id === undefined) return false;
  return actor.id === followUp.responsible || actor.id === assigneeId;
}

/** What a change does to the follow-up: the case's field, the due-list entry written, the one removed. */
export interface FollowUpChange {
  followUp?: CaseFollowUp;
  due?: FollowUpDue;
  done?: Pick<FollowUpDue, 'caseId' | 'date'>;
}

/**
 * Resolving a complaint schedules the checklist's follow-up for the one who answers for the case
 * (its assignee, else the resolver). A follow-up whose outcome is recorded already is not scheduled
 * again when a reopened complaint is resolved anew with the same date; a pending one for another
 * date is replaced.
 */
export function followUpOnResolution(c: Pick<Case, 'caseId' | 'reference' | 'assignee' | 'followUp'>, checklist: ComplaintChecklist | undefined, resolver: string): FollowUpChange {
  const planned = checklist?.followUp;
  if (!planned) return {};
  const current = c.followUp;
  if (current?.date === planned.date && current.state === 'recorded') return {};
  if (current?.date === planned.date && current.state === 'pending') return {};
  const responsible = c.assignee?.id ?? resolver;
  return {
    followUp: { date: planned.date, responsible, state: 'pending' },
    due: { caseId: c.caseId, reference: c.reference, date: planned.date, responsible },
    ...(current?.state === 'pending' ? { done: { caseId: c.caseId, date: current.date } } : {}),
  };
}

/** GET /v1/follow-ups: the follow-ups due on or before a day (default today), overdue first. */
export const ListFollowUpsQuerySchema = z
  .object({
    due: z.iso.date('due must be a date (YYYY-MM-DD)').optional(),
  })
  .strict();
export type ListFollowUpsQuery = z.infer<typeof ListFollowUpsQuerySchema>;

export const FollowUpViewSchema = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  date: z.iso.date(),
  responsible: z.string(),
  overdue: z.boolean(),
  remindedAt: z.iso.datetime().optional(),
  supervisorRemindedAt: z.iso.datetime().optional(),
});
export const FollowUpListSchema = z.object({ day: z.iso.date(), followUps: z.array(FollowUpViewSchema) });
export type FollowUpList = z.infer<typeof FollowUpListSchema>;

/** Reads the pending follow-ups due on or before a day, oldest first (one index partition, by Query). */
export interface FollowUpStore {
  dueBy(day: string): Promise<FollowUpDue[]>;
  /** Marks a reminder sent; false when it was marked before (or the follow-up is no longer pending): send nothing. */
  markReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder, at: Date): Promise<boolean>;
  /** Takes a mark back when its mail failed, so that the next run sends it. */
  forgetReminded(entry: Pick<FollowUpDue, 'caseId' | 'date'>, reminder: FollowUpReminder): Promise<void>;
}

/**
 * The due list: supervisors and managers see every follow-up due, an agent those scheduled for them.
 * The partition holds only pending follow-ups, so the agent's are picked from it in memory.
 */
export async function listFollowUps(query: ListFollowUpsQuery, actor: Actor, deps: { followUps: Pick<FollowUpStore, 'dueBy'>; now: Date }): Promise<FollowUpList> {
  const today = dayOf(deps.now);
  const day = query.due ?? today;
  const all = await deps.followUps.dueBy(day);
  const seesAll = actor.kind === 'supervisor' || actor.kind === 'manager';
  const mine = seesAll ? all : all.filter((f) => actor.id !== undefined && f.responsible === actor.id);
  return {
    day,
    followUps: mine.map((f) => ({ ...f, overdue: isFollowUpOverdue(f.date, today) })),
  };
}
