import type { ComplaintChecklist } from '../api/types';

/**
 * The complaint checklist (M3.2, M9.2) as the resolve and checklist forms hold it: ticks and
 * texts, the follow-up as a date and a plan. The API takes the follow-up whole or not at all, so a
 * date without a plan (or a plan without a date) is said on the form rather than dropped.
 */
export interface ChecklistDraft {
  complaintHeard: boolean;
  empathyShown: boolean;
  solutionOffered: string;
  correctiveAction: string;
  followUpDate: string;
  followUpPlan: string;
}

export function checklistDraft(done: ComplaintChecklist | undefined): ChecklistDraft {
  return {
    complaintHeard: done?.complaintHeard === true,
    empathyShown: done?.empathyShown === true,
    solutionOffered: done?.solutionOffered ?? '',
    correctiveAction: done?.correctiveAction ?? '',
    followUpDate: done?.followUp?.date ?? '',
    followUpPlan: done?.followUp?.plan ?? '',
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What is wrong with the follow-up as typed, in words for the form; undefined when it is whole or left out. */
export function followUpProblem(draft: Pick<ChecklistDraft, 'followUpDate' | 'followUpPlan'>): string | undefined {
  const date = draft.followUpDate.trim();
  const plan = draft.followUpPlan.trim();
  if (date === '' && plan === '') return undefined;
  if (date === '') return 'Give the follow-up a date as well as its plan, or clear the plan.';
  if (plan === '') return 'Write the follow-up plan for that date, or clear the date.';
  if (!DATE.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) return 'The follow-up date must be a date (YYYY-MM-DD).';
  return undefined;
}

/** The checklist items the draft holds, for the resolve form to send along (the server merges them with those recorded). */
export function checklistItems(draft: ChecklistDraft): ComplaintChecklist {
  return {
    ...(draft.complaintHeard ? { complaintHeard: true } : {}),
    ...(draft.empathyShown ? { empathyShown: true } : {}),
    ...(draft.solutionOffered.trim() ? { solutionOffered: draft.solutionOffered } : {}),
    ...(draft.correctiveAction.trim() ? { correctiveAction: draft.correctiveAction } : {}),
    ...(draft.followUpDate.trim() && draft.followUpPlan.trim() ? { followUp: { date: draft.followUpDate.trim(), plan: draft.followUpPlan } } : {}),
  };
}

/**
 * The items the draft changes against those recorded, for PATCH …/checklist (given items replace
 * the recorded ones): a tick taken back is sent as false; an emptied text cannot be sent (the API
 * takes no empty text) and is left as recorded.
 */
export function checklistChanges(recorded: ComplaintChecklist | undefined, draft: ChecklistDraft): ComplaintChecklist {
  const was = checklistDraft(recorded);
  const changes: ComplaintChecklist = {};
  if (draft.complaintHeard !== was.complaintHeard) changes.complaintHeard = draft.complaintHeard;
  if (draft.empathyShown !== was.empathyShown) changes.empathyShown = draft.empathyShown;
  if (draft.solutionOffered.trim() && draft.solutionOffered !== was.solutionOffered) changes.solutionOffered = draft.solutionOffered;
  if (draft.correctiveAction.trim() && draft.correctiveAction !== was.correctiveAction) changes.correctiveAction = draft.correctiveAction;
  const date = draft.followUpDate.trim();
  if (date && draft.followUpPlan.trim() && (date !== was.followUpDate || draft.followUpPlan !== was.followUpPlan)) changes.followUp = { date, plan: draft.followUpPlan };
  return changes;
}
