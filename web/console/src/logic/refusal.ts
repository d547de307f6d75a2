import type { ApiErrorBody } from '../api/types';

/**
 * What a refused change means to the person who made it. The API answers 409 both when the case
 * moved on since the version sent with `If-Match` (someone else changed it) and when the case's
 * state refuses the change (a complaint's checklist incomplete, a priority set already, an address
 * mail cannot go to). Both carry `currentVersion`; only a version other than the one sent says the
 * case moved on: then reload and try again. Otherwise reloading changes nothing: the server's
 * reason (and the checklist items missing) is what to show.
 */
export type Refusal =
  | { kind: 'conflict'; message: string; currentVersion?: number | undefined }
  | { kind: 'refused'; message: string; missing: string[] }
  | { kind: 'error'; message: string };

/** The words of each complaint-checklist item (core/complaint-checklist.ts), as the resolve form labels them. */
export const CHECKLIST_LABEL: Readonly<Record<string, string>> = {
  complaintHeard: 'Complaint heard',
  empathyShown: 'Empathy shown',
  solutionOffered: 'Solution offered',
  correctiveAction: 'Corrective action',
  followUp: 'Follow-up date and plan',
};

/** A 409 for a version other than the one sent: the case changed meanwhile (not a refusal by its state). */
export function isConcurrentChange(status: number, body: ApiErrorBody, sentVersion: number | undefined): boolean {
  return status === 409 && sentVersion !== undefined && body.currentVersion !== sentVersion;
}

export function classifyRefusal(status: number, body: ApiErrorBody, sentVersion: number | undefined, message: string): Refusal {
  if (isConcurrentChange(status, body, sentVersion)) return { kind: 'conflict', message, currentVersion: body.currentVersion };
  if (status === 409) return { kind: 'refused', message: body.error ?? message, missing: (body.missing ?? []).map((m) => CHECKLIST_LABEL[m] ?? m) };
  return { kind: 'error', message };
}
