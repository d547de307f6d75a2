import * as z from 'zod';
import { ActorSchema, type Actor } from './case';
import { CaseStateError } from './errors';
import { cleanBody, cleanLine } from './text/normalise-text';

/**
 * Staff training (C5.1-C5.3): a catalogue of courses, the completions recorded per staff member
 * (append-only: a correction is a new record naming the one it corrects), and the status derived
 * from them at a given time. Pure: the time is passed in.
 */

const DAY_MS = 24 * 60 * 60 * 1000;

export const CourseIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'Course id must be lower-case letters, digits and hyphens (at most 64)');

export const TrainingCourseSchema = z
  .object({
    id: CourseIdSchema,
    title: z.string().trim().min(1).max(100),
    /** Whether a lapse keeps the staff member from being given cases (the assignment guard, C5.3). */
    requiredForCases: z.boolean(),
    /** How long a completion counts before a refresher is due (C5.3: six months). */
    refresherMonths: z.number().int().min(1).max(60).default(6),
  })
  .strict();
export type TrainingCourse = z.infer<typeof TrainingCourseSchema>;

/** The protocol's four subjects (C5.1, C5.2), each required for case work, each refreshed every six months (C5.3). */
export const DEFAULT_TRAINING_CATALOGUE: readonly TrainingCourse[] = [
  { id: 'communication-skills', title: 'Communication skills', requiredForCases: true, refresherMonths: 6 },
  { id: 'complaint-handling', title: 'Complaint handling', requiredForCases: true, refresherMonths: 6 },
  { id: 'company-policies', title: 'Company policies', requiredForCases: true, refresherMonths: 6 },
  { id: 'crm-software', title: 'CRM software', requiredForCases: true, refresherMonths: 6 },
];

export const TrainingCatalogueSchema = z
  .array(TrainingCourseSchema)
  .min(1, 'The training catalogue needs at least one course')
  .refine((courses) => new Set(courses.map((c) => c.id)).size === courses.length, 'Course ids must be unique');

/** What a lapse of required training does to an assignment or claim: refuse it (409), let it through with a warning on the timeline, or nothing. */
export const TrainingGuardModeSchema = z.enum(['refuse', 'warn', 'off']);
export type TrainingGuardMode = z.infer<typeof TrainingGuardModeSchema>;

export interface TrainingSettings {
  catalogue: readonly TrainingCourse[];
  /** How many days before a lapse a refresher counts as due soon, and its reminder goes out (default 30). */
  reminderDays: number;
  guard: TrainingGuardMode;
}

export const DEFAULT_TRAINING_SETTINGS: TrainingSettings = { catalogue: DEFAULT_TRAINING_CATALOGUE, reminderDays: 30, guard: 'refuse' };

/** The settings from their configured form (a catalogue given as JSON); anything not given is the default. */
export function trainingSettings(input: { catalogue?: unknown; reminderDays?: number | undefined; guard?: TrainingGuardMode | undefined } = {}): TrainingSettings {
  return {
    catalogue: input.catalogue === undefined ? DEFAULT_TRAINING_CATALOGUE : TrainingCatalogueSchema.parse(input.catalogue),
    reminderDays: input.reminderDays ?? DEFAULT_TRAINING_SETTINGS.reminderDays,
    guard: input.guard ?? DEFAULT_TRAINING_SETTINGS.guard,
  };
}

const evidenceNote = z.string().overwrite(cleanBody).trim().min(1, 'Note must not be empty').max(2000, 'Note must be at most 2,000 characters');
const evidenceFile = z.string().overwrite(cleanLine).trim().min(1, 'File must not be empty').max(500, 'File must be at most 500 characters');
const evidenceUrl = z.url({ protocol: /^https?$/, error: 'URL must be an http(s) address' }).max(2000, 'URL must be at most 2,000 characters');

/** What shows that the training happened: a note, a reference to an uploaded file (a certificate), a URL, or several. */
export const TrainingEvidenceSchema = z.object({ note: evidenceNote.optional(), file: evidenceFile.optional(), url: evidenceUrl.optional() }).strict();

/** POST /v1/staff/{staffId}/training's body: one completion, with its evidence. */
export const RecordTrainingInputSchema = z
  .object({
    courseId: CourseIdSchema,
    completedAt: z.iso.datetime({ offset: true, error: 'Completed at must be an ISO 8601 date and time' }),
    evidence: TrainingEvidenceSchema.refine((e) => e.note !== undefined || e.file !== undefined || e.url !== undefined, 'Evidence needs a note, a file or a URL'),
    /** The record this one corrects (records are never changed: the correction replaces it in the status). */
    corrects: z.uuid('Corrects must be a record id').optional(),
  })
  .strict();
export type RecordTrainingInput = z.infer<typeof RecordTrainingInputSchema>;

export const TrainingRecordSchema = z.object({
  recordId: z.string().min(1),
  staffId: z.string().min(1),
  courseId: CourseIdSchema,
  completedAt: z.string(),
  evidence: TrainingEvidenceSchema,
  corrects: z.string().optional(),
  recordedBy: ActorSchema,
  recordedAt: z.string(),
});
export type TrainingRecord = z.infer<typeof TrainingRecordSchema>;

export const TrainingStatusValueSchema = z.enum(['current', 'due_soon', 'lapsed', 'never_trained']);
export type TrainingStatusValue = z.infer<typeof TrainingStatusValueSchema>;

export const CourseStatusSchema = z.object({
  courseId: z.string(),
  title: z.string(),
  requiredForCases: z.boolean(),
  status: TrainingStatusValueSchema,
  lastCompletedAt: z.string().optional(),
  /** When the refresher is due: the completion counts until then. */
  dueAt: z.string().optional(),
});
export type CourseStatus = z.infer<typeof CourseStatusSchema>;

export const StaffTrainingStatusSchema = z.object({
  staffId: z.string(),
  courses: z.array(CourseStatusSchema),
  /** The required courses lapsed or never taken: while any is, the assignment guard applies. */
  requiredMissing: z.array(z.string()),
});
export type StaffTrainingStatus = z.infer<typeof StaffTrainingStatusSchema>;

/** The date `months` calendar months after `iso` (UTC), on the month's last day when it has no such day (31 August + 6 months = 28/29 February). */
export function addMonths(iso: string, months: number): Date {
  const d = new Date(iso);
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d.getUTCDate(), lastDay));
  return target;
}

/** The records that count: a record corrected by another is replaced by it. */
export function effectiveRecords(records: readonly TrainingRecord[]): TrainingRecord[] {
  const corrected = new Set(records.flatMap((r) => (r.corrects ? [r.corrects] : [])));
  return records.filter((r) => !corrected.has(r.recordId));
}

/**
 * One course's status at `now`: never trained without a completion; lapsed from the refresher's
 * due time on; due soon from `reminderDays` before it; current before that.
 */
export function courseStatus(course: TrainingCourse, records: readonly TrainingRecord[], now: Date, reminderDays: number): CourseStatus {
  const base = { courseId: course.id, title: course.title, requiredForCases: course.requiredForCases };
  const completions = effectiveRecords(records)
    .filter((r) => r.courseId === course.id && Date.parse(r.completedAt) <= now.getTime())
    .map((r) => new Date(r.completedAt).toISOString())
    .sort();
  const last = completions.at(-1);
  if (last === undefined) return { ...base, status: 'never_trained' };
  const due = addMonths(last, course.refresherMonths);
  const status: TrainingStatusValue = now >= due ? 'lapsed' : now.getTime() >= due.getTime() - reminderDays * DAY_MS ? 'due_soon' : 'current';
  return { ...base, status, lastCompletedAt: last, dueAt: due.toISOString() };
}

/** Every catalogue course's status for one staff member at `now`. */
export function staffTrainingStatus(staffId: string, records: readonly TrainingRecord[], settings: Pick<TrainingSettings, 'catalogue' | 'reminderDays'>, now: Date): StaffTrainingStatus {
  const own = records.filter((r) => r.staffId === staffId);
  const courses = settings.catalogue.map((c) => courseStatus(c, own, now, settings.reminderDays));
  return { staffId, courses, requiredMissing: courses.filter((c) => c.requiredForCases && (c.status === 'lapsed' || c.status === 'never_trained')).map((c) => c.courseId) };
}

/** A new completion record, checked against the catalogue (a 4xx naming the field is the caller's: see recordTraining). */
export function newTrainingRecord(staffId: string, input: RecordTrainingInput, recordedBy: Actor, recordId: string, at: Date): TrainingRecord {
  return {
    recordId,
    staffId,
    courseId: input.courseId,
    completedAt: new Date(input.completedAt).toISOString(),
    evidence: input.evidence,
    ...(input.corrects ? { corrects: input.corrects } : {}),
    recordedBy,
    recordedAt: at.toISOString(),
  };
}

/** The port to the stored training records (append-only). */
export interface TrainingRecords {
  append(record: TrainingRecord): Promise<void>;
  /** Every record of one staff member, oldest first. */
  listFor(staffId: string): Promise<TrainingRecord[]>;
  /**
   * Notes that the reminder of a refresher due at `dueAt` went out; false when it had already
   * (once per lapse window, C5.3).
   */
  markReminded(staffId: string, courseId: string, dueAt: string, at: Date): Promise<boolean>;
  /** Takes a reminder's mark back when its mail could not be sent, so that the next run sends it. */
  forgetReminded(staffId: string, courseId: string, dueAt: string): Promise<void>;
}

/** What the training part of a staff action needs: the records and the configuration. */
export interface TrainingDeps {
  records: TrainingRecords;
  settings: TrainingSettings;
}

/** An assignment or claim refused because the assignee's required training lapsed or was never had (C5.3): 409. */
export class TrainingLapsedError extends CaseStateError {
  constructor(public readonly courses: readonly string[], message: string) {
    super(message);
  }
}

/** The required courses of `staffId` that have lapsed or were never taken at `now` (none when there is no training port or the guard is off). */
export async function requiredTrainingMissing(training: TrainingDeps | undefined, staffId: string, now: Date): Promise<CourseStatus[]> {
  if (!training || training.settings.guard === 'off') return [];
  const status = staffTrainingStatus(staffId, await training.records.listFor(staffId), training.settings, now);
  return status.courses.filter((c) => status.requiredMissing.includes(c.courseId));
}

const describeMissing = (courses: readonly CourseStatus[]) => courses.map((c) => `${c.title} (${c.status === 'lapsed' ? `lapsed ${c.dueAt?.slice(0, 10) ?? ''}` : 'never trained'})`).join(', ');

/**
 * The assignment guard (C5.3): someone whose required training lapsed or was never had is refused
 * cases (409 naming the courses), or, in `warn` mode, given them with the warning returned for the
 * timeline. Undefined: nothing to say.
 */
export async function assignmentTrainingGuard(
  training: TrainingDeps | undefined,
  assignee: { id: string; name?: string | undefined },
  now: Date,
): Promise<{ courses: string[]; message: string } | undefined> {
  const missing = await requiredTrainingMissing(training, assignee.id, now);
  if (missing.length === 0) return undefined;
  const message = `${assignee.name ?? assignee.id} lacks required training: ${describeMissing(missing)}`;
  if (training?.settings.guard === 'refuse') throw new TrainingLapsedError(missing.map((c) => c.courseId), `${message}; record the training first (C5.3)`);
  return { courses: missing.map((c) => c.courseId), message };
}

/** A refresher reminder owed at `now`: the course is due soon or lapsed, for the completion that is due at `dueAt`. */
export function remindersDue(status: StaffTrainingStatus): CourseStatus[] {
  return status.courses.filter((c) => (c.status === 'due_soon' || c.status === 'lapsed') && c.dueAt !== undefined);
}

/** The team's status: who is due soon or lapsed, for a supervisor (C5.3). */
export function teamSummary(statuses: readonly StaffTrainingStatus[]) {
  const any = (s: StaffTrainingStatus, v: TrainingStatusValue) => s.courses.some((c) => c.status === v);
  return {
    lapsed: statuses.filter((s) => any(s, 'lapsed') || s.requiredMissing.length > 0).map((s) => s.staffId),
    dueSoon: statuses.filter((s) => any(s, 'due_soon')).map((s) => s.staffId),
  };
}
