import * as z from 'zod';
import { ActorSchema, type Actor } from './case';
import { CaseStateError } from './errors';
import { MilestoneSchema, type SlaPolicy } from './sla-policy';

/**
 * Non-compliance records (C8.1–C8.3; docs/non-compliance.md). Every SLA breach, and every report a
 * member of staff makes, opens one at once: its cause, the case and the member of staff involved,
 * and a corrective-action deadline (the SLA policy's `correctiveActionDays`, 7) that its own
 * workflow enforces (state-machines/corrective-action.asl.json): a warning when `warningRatio` of
 * the window has passed, then, if no corrective action is recorded by the deadline, the breach is
 * recorded and management is told. A corrective action is typed (C8.2) with its evidence; a
 * supervisor signs it off, which closes the record. Repeated non-compliance by the same member of
 * staff within a window is flagged on the record that repeats it (C8.3).
 *
 * A record keeps its own history (append-only; each change a new entry), and the record's version
 * guards every change as a case's does.
 */

export const CORRECTIVE_ACTION_TYPES = ['retraining', 'additional_oversight', 'revised_responsibilities', 'process_change'] as const;
export const CorrectiveActionTypeSchema = z.enum(CORRECTIVE_ACTION_TYPES);
export type CorrectiveActionType = z.infer<typeof CorrectiveActionTypeSchema>;

/** How repeated non-compliance is found (C8.3): this many records for one member of staff within the window flags the last. */
export const REPEAT_POLICY = { count: 3, windowDays: 90 } as const;

const text = (max: number) => z.string().trim().min(1).max(max);
const staffId = z.string().trim().min(1).max(128).regex(/^[A-Za-z0-9._@-]+$/, 'a staff id: letters, digits and . _ @ -');
const caseId = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9-]+$/, 'a case id');

export const NonComplianceCauseSchema = z.discriminatedUnion('kind', [
  /** The SLA workflow found a milestone's deadline passed (M3.1, M3.2). */
  z.object({ kind: z.literal('sla_breach'), milestone: MilestoneSchema, dueAt: z.iso.datetime() }),
  /** A member of staff reported it (what was not done as the protocol asks). */
  z.object({ kind: z.literal('reported'), description: text(2000) }),
  /** A response-quality review failed (M6.1, C6.3; quality-review.ts): the review, its overall score and the criteria scored 1. */
  z.object({ kind: z.literal('quality_review'), reviewId: z.string(), overall: z.number(), lowCriteria: z.array(z.string()) }),
]);
export type NonComplianceCause = z.infer<typeof NonComplianceCauseSchema>;

export const CorrectiveActionSchema = z.object({
  type: CorrectiveActionTypeSchema,
  description: text(2000),
  /** What shows it was done: a note, a link to the training record or the revised procedure. */
  evidence: text(2000),
  recordedBy: ActorSchema,
  recordedAt: z.iso.datetime(),
});
export type CorrectiveAction = z.infer<typeof CorrectiveActionSchema>;

export const NonComplianceHistoryEntrySchema = z.object({
  type: z.enum(['opened', 'warned', 'deadline_missed', 'corrective_action_recorded', 'signed_off']),
  at: z.iso.datetime(),
  actor: ActorSchema,
  /** Who was told (a role's address or the staff member's id): never a customer. */
  notify: z.string().optional(),
  note: z.string().optional(),
});
export type NonComplianceHistoryEntry = z.infer<typeof NonComplianceHistoryEntrySchema>;

export const NonComplianceStatusSchema = z.enum(['open', 'overdue', 'action_recorded', 'closed']);
export type NonComplianceStatus = z.infer<typeof NonComplianceStatusSchema>;

export const NonComplianceRecordSchema = z.object({
  id: z.string().min(1),
  version: z.number().int().positive(),
  openedAt: z.iso.datetime(),
  openedBy: ActorSchema,
  cause: NonComplianceCauseSchema,
  caseId: z.string().optional(),
  /** The member of staff involved (the case's assignee at a breach); none when the case had no one. */
  staffId: z.string().optional(),
  /** The SLA policy version whose window applies (the case's, for a breach). */
  policyVersion: z.string(),
  correctiveActionDueAt: z.iso.datetime(),
  warningAt: z.iso.datetime(),
  status: NonComplianceStatusSchema,
  warned: z.boolean(),
  deadlineMissedAt: z.iso.datetime().optional(),
  correctiveActions: z.array(CorrectiveActionSchema),
  signedOff: z.object({ by: ActorSchema, at: z.iso.datetime(), note: z.string().optional() }).optional(),
  /** C8.3: the member of staff had REPEAT_POLICY.count or more records within the window when this one opened. */
  repeated: z.boolean(),
  /** The ids of the earlier records in that window (most recent first). */
  repeatOf: z.array(z.string()),
  history: z.array(NonComplianceHistoryEntrySchema),
});
export type NonComplianceRecord = z.infer<typeof NonComplianceRecordSchema>;

// ---- inputs (the route table's schemas) ----

export const ReportNonComplianceInputSchema = z
  .object({
    description: text(2000),
    staffId: staffId.optional(),
    caseId: caseId.optional(),
  })
  .strict();
export type ReportNonComplianceInput = z.infer<typeof ReportNonComplianceInputSchema>;

export const RecordCorrectiveActionInputSchema = z.object({ type: CorrectiveActionTypeSchema, description: text(2000), evidence: text(2000) }).strict();
export type RecordCorrectiveActionInput = z.infer<typeof RecordCorrectiveActionInputSchema>;

export const SignOffInputSchema = z.object({ note: text(2000).optional() }).strict();
export type SignOffInput = z.infer<typeof SignOffInputSchema>;

export const ListNonComplianceQuerySchema = z
  .object({
    /** The month the records were opened in (YYYY-MM); the current month when absent. */
    month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM').optional(),
    status: NonComplianceStatusSchema.optional(),
    staffId: staffId.optional(),
  })
  .strict();
export type ListNonComplianceQuery = z.infer<typeof ListNonComplianceQuerySchema>;

// ---- rules ----

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** A breach's record id: one record a case and milestone, so a breach applied twice opens one. */
export const breachRecordId = (caseId: string, milestone: string) => `nc-${caseId}-${milestone}`;

export interface OpenNonCompliance {
  id: string;
  cause: NonComplianceCause;
  caseId?: string | undefined;
  staffId?: string | undefined;
  openedBy: Actor;
  at: Date;
  policy: SlaPolicy;
  /** The member of staff's earlier records within REPEAT_POLICY.windowDays (any order). */
  earlier: readonly Pick<NonComplianceRecord, 'id' | 'openedAt' | 'staffId'>[];
  notify: string;
}

/** A new record, its corrective-action window running from now (C8.1). */
export function openNonCompliance(o: OpenNonCompliance): NonComplianceRecord {
  const openedMs = o.at.getTime();
  const windowMs = o.policy.correctiveActionDays * DAY_MS;
  const since = openedMs - REPEAT_POLICY.windowDays * DAY_MS;
  const repeatOf =
    o.staffId === undefined
      ? []
      : o.earlier
          .filter((r) => r.staffId === o.staffId && r.id !== o.id && Date.parse(r.openedAt) >= since && Date.parse(r.openedAt) <= openedMs)
          .sort((a, b) => b.openedAt.localeCompare(a.openedAt))
          .map((r) => r.id);
  return {
    id: o.id,
    version: 1,
    openedAt: iso(openedMs),
    openedBy: o.openedBy,
    cause: o.cause,
    ...(o.caseId ? { caseId: o.caseId } : {}),
    ...(o.staffId ? { staffId: o.staffId } : {}),
    policyVersion: o.policy.version,
    correctiveActionDueAt: iso(openedMs + windowMs),
    warningAt: iso(openedMs + Math.floor(windowMs * o.policy.warningRatio)),
    status: 'open',
    warned: false,
    correctiveActions: [],
    repeated: repeatOf.length + 1 >= REPEAT_POLICY.count,
    repeatOf,
    history: [{ type: 'opened', at: iso(openedMs), actor: o.openedBy, notify: o.notify }],
  };
}

export type CorrectiveActionStep = { type: 'warn' } | { type: 'deadline_missed' };

export interface CorrectiveActionPlan {
  due: CorrectiveActionStep[];
  /** When to look again (epoch ms); none: the workflow is done. */
  nextAt?: number;
}

/**
 * What the corrective-action workflow does now: nothing more once an action is recorded (or the
 * record closed), or once the missed deadline is recorded; else the warning and the deadline, each
 * once, in time order.
 */
export function planCorrectiveAction(r: NonComplianceRecord, nowMs: number): CorrectiveActionPlan {
  if (r.status !== 'open') return { due: [] };
  const warnMs = Date.parse(r.warningAt);
  const dueMs = Date.parse(r.correctiveActionDueAt);
  const due: CorrectiveActionStep[] = [];
  if (!r.warned && nowMs >= warnMs && nowMs < dueMs) due.push({ type: 'warn' });
  if (nowMs >= dueMs) due.push({ type: 'deadline_missed' });
  if (due.length > 0) return { due };
  return { due, nextAt: r.warned ? dueMs : warnMs };
}

export interface CorrectiveActionContacts {
  /** Warned before the deadline: the supervisor on duty. */
  supervisor: string;
  /** Told when the deadline passes with nothing done (C8.1): management. */
  manager: string;
}

/** Applies what is due (the workflow's apply step); undefined when nothing is. */
export function applyCorrectiveActionPlan(r: NonComplianceRecord, now: Date, contacts: CorrectiveActionContacts, system: Actor): { next: NonComplianceRecord; applied: CorrectiveActionStep[] } | undefined {
  const { due } = planCorrectiveAction(r, now.getTime());
  if (due.length === 0) return undefined;
  const at = now.toISOString();
  let next: NonComplianceRecord = { ...r, version: r.version + 1, history: [...r.history] };
  for (const step of due) {
    if (step.type === 'warn') {
      next = { ...next, warned: true };
      next.history.push({ type: 'warned', at, actor: system, notify: contacts.supervisor });
    } else {
      next = { ...next, status: 'overdue', deadlineMissedAt: at };
      next.history.push({ type: 'deadline_missed', at, actor: system, notify: contacts.manager, note: 'No corrective action recorded within the window: escalated to management (C8.1)' });
    }
  }
  return { next, applied: due };
}

/** The record's state does not allow the change (409, the message says why). */
export class NonComplianceStateError extends CaseStateError {}

/** Records a corrective action (C8.2): the record stops its timer (or leaves overdue: late, but done). */
export function recordCorrectiveAction(r: NonComplianceRecord, input: RecordCorrectiveActionInput, actor: Actor, now: Date): NonComplianceRecord {
  if (r.status === 'closed') throw new NonComplianceStateError('The record is signed off: open a new one instead');
  const at = now.toISOString();
  return {
    ...r,
    version: r.version + 1,
    status: 'action_recorded',
    correctiveActions: [...r.correctiveActions, { ...input, recordedBy: actor, recordedAt: at }],
    history: [...r.history, { type: 'corrective_action_recorded', at, actor, note: input.type }],
  };
}

/** A supervisor's sign-off of the corrective action taken: closes the record. */
export function signOffNonCompliance(r: NonComplianceRecord, input: SignOffInput, actor: Actor, now: Date): NonComplianceRecord {
  if (r.status === 'closed') throw new NonComplianceStateError('The record is already signed off');
  if (r.correctiveActions.length === 0) throw new NonComplianceStateError('Record a corrective action before signing the record off (C8.2)');
  if (r.staffId !== undefined && actor.id === r.staffId) throw new NonComplianceStateError('The member of staff involved cannot sign off their own record');
  const at = now.toISOString();
  return {
    ...r,
    version: r.version + 1,
    status: 'closed',
    signedOff: { by: actor, at, ...(input.note ? { note: input.note } : {}) },
    history: [...r.history, { type: 'signed_off', at, actor, ...(input.note ? { note: input.note } : {}) }],
  };
}

/** The months (YYYY-MM) a window of days ending at `now` touches, newest first: where the earlier records of C8.3 are. */
export function monthsOfWindow(now: Date, days: number): string[] {
  const months = new Set<string>();
  for (let ms = now.getTime(); ms >= now.getTime() - days * DAY_MS; ms -= DAY_MS) months.add(iso(ms).slice(0, 7));
  return [...months];
}
