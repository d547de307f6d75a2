import * as z from 'zod';

/**
 * The complaint resolution checklist (M3.2: listen, empathise, offer a solution, record the
 * corrective action and the follow-up; appendix M9.2). Staff fill it in as the complaint is
 * handled; a complaint cannot be resolved until every item is there.
 */
export const ComplaintChecklistSchema = z.object({
  /** The complaint was listened to in full and restated to the customer. */
  complaintHeard: z.boolean().optional(),
  /** Empathy was shown to the customer. */
  empathyShown: z.boolean().optional(),
  /** The solution offered to the customer, in words. */
  solutionOffered: z.string().optional(),
  /** The corrective action taken so that it does not happen again, in words. */
  correctiveAction: z.string().optional(),
  /** The follow-up planned with the customer, and its date (YYYY-MM-DD). */
  followUp: z.object({ date: z.iso.date(), plan: z.string() }).optional(),
});
export type ComplaintChecklist = z.infer<typeof ComplaintChecklistSchema>;

/** The items in the order M9.2 lists them, each with the words the API uses when one is missing. */
export const CHECKLIST_ITEMS = [
  { item: 'complaintHeard', missing: 'the complaint was heard (complaintHeard: true)' },
  { item: 'empathyShown', missing: 'empathy was shown (empathyShown: true)' },
  { item: 'solutionOffered', missing: 'the solution offered (solutionOffered)' },
  { item: 'correctiveAction', missing: 'the corrective action recorded (correctiveAction)' },
  { item: 'followUp', missing: 'the follow-up planned, with a date (followUp)' },
] as const satisfies readonly { item: keyof ComplaintChecklist; missing: string }[];

export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number]['item'];

/** The checklist items not done yet: a `false` tick is as missing as an absent one. */
export function missingChecklistItems(checklist: ComplaintChecklist | undefined): ChecklistItem[] {
  const c = checklist ?? {};
  return CHECKLIST_ITEMS.filter(({ item }) => {
    const value = c[item];
    return value === undefined || value === false || (typeof value === 'string' && value.trim() === '');
  }).map(({ item }) => item);
}

/** Merges a partial update into the checklist: given items replace the old ones, absent ones stay. */
export function mergeChecklist(current: ComplaintChecklist | undefined, update: ComplaintChecklist): ComplaintChecklist {
  const merged: ComplaintChecklist = { ...current };
  for (const [k, v] of Object.entries(update) as [keyof ComplaintChecklist, ComplaintChecklist[keyof ComplaintChecklist]][]) {
    if (v !== undefined) Object.assign(merged, { [k]: v });
  }
  return merged;
}
