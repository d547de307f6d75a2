import { createHash } from 'node:crypto';
import { canonicalize } from './canonical-json';
import type { Case } from './case';
import type { CaseEvent } from './case-event';
import { PERSONAL_CASE_FIELDS } from './personal-data';

/**
 * The case item is the current state the trail describes: its opening state (hashed on the
 * `case_received` event) and every change since (each event's before/after, change-case.ts). A
 * field edited on the item behind the API, without an event, no longer follows from the trail.
 */

/** Fields that change with every write and say nothing of what was done: not audited. */
export const UNAUDITED_FIELDS: ReadonlySet<string> = new Set(['updatedAt', 'version', 'lastEventHash']);

/** The audited state of a case: every field but the unaudited ones. */
export function auditedState(c: Case): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([k, v]) => !UNAUDITED_FIELDS.has(k) && v !== undefined));
}

export const stateSha256 = (state: Record<string, unknown>) => createHash('sha256').update(canonicalize(state)).digest('hex');

export interface StateProblem {
  field: string;
  problem: string;
}

const same = (a: unknown, b: unknown) => (a === undefined || b === undefined ? a === b : canonicalize(a) === canonicalize(b));

/**
 * Checks the case item against the trail: each field changed by the trail must hold the value its
 * last change set, and the state the case was opened in, rebuilt from the current one and the
 * first `before` of every changed field, must hash to what `case_received` recorded. Cases opened
 * before the opening state was hashed are checked on their changed fields alone, and so are
 * erased ones (`erased`), less their personal fields.
 */
export function checkCaseState(current: Case, events: readonly CaseEvent[], options: { erased?: boolean } = {}): StateProblem[] {
  const problems: StateProblem[] = [];
  const first = new Map<string, { before?: unknown }>();
  const last = new Map<string, { after?: unknown }>();
  for (const e of events) {
    for (const [field, change] of Object.entries(e.changes ?? {})) {
      if (!first.has(field)) first.set(field, change);
      last.set(field, change);
    }
  }
  const state = auditedState(current);
  // An erased case (or an archive's clear part) holds placeholders where its personal fields were:
  // those, and the opening state that hashed them, are checked against the sealed record or not at all.
  if (options.erased) for (const field of PERSONAL_CASE_FIELDS) last.delete(field);
  for (const [field, change] of last) {
    if (!same(state[field], change.after)) problems.push({ field, problem: `its ${field} is not what the last change on the trail set` });
  }
  const opened = events.find((e) => e.type === 'case_received');
  const recorded = opened?.type === 'case_received' ? opened.data.stateSha256 : undefined;
  if (recorded && problems.length === 0 && !options.erased) {
    const initial: Record<string, unknown> = { ...state };
    for (const [field, change] of first) {
      if (change.before === undefined) delete initial[field];
      else initial[field] = change.before;
    }
    if (stateSha256(initial) !== recorded) problems.push({ field: '(opening state)', problem: 'a field the trail never changed is not what the case was opened with' });
  }
  return problems;
}
