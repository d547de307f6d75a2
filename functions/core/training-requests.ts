import * as z from 'zod';
import type { Actor } from './case';
import type { Clock } from './clock';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import { mapLimited } from './map-limited';
import { isSupervisor } from './roles';
import { mayWorkCases, type StaffDirectory, type StaffMember } from './staff';
import {
  CourseStatusSchema,
  newTrainingRecord,
  StaffTrainingStatusSchema,
  staffTrainingStatus,
  teamSummary,
  TrainingCourseSchema,
  TrainingRecordSchema,
  type RecordTrainingInput,
  type TrainingDeps,
} from './training';

/**
 * The training API's use cases (C5.1-C5.3): a supervisor or an admin records a completion; a staff
 * member reads their own training, a supervisor or an admin anyone's; a supervisor or an admin
 * reads the team's, with who is due soon and who has lapsed.
 */
export interface TrainingRequestDeps extends TrainingDeps {
  staff: StaffDirectory;
  clock: Clock;
  newId: () => string;
}

/** Who oversees training: the supervisors (managers are supervisors) and the admins. */
const oversees = (actor: Actor) => isSupervisor(actor) || actor.kind === 'admin';

async function member(staff: StaffDirectory, staffId: string): Promise<StaffMember> {
  const found = await staff.find(staffId);
  if (!found) throw new NotFoundError(`No staff member ${staffId}`);
  return found;
}

export const TrainingRecordResponseSchema = z.object({ record: TrainingRecordSchema, status: StaffTrainingStatusSchema });

/** Records one completion, append-only: a correction names the record it replaces (which stays). */
export async function recordTraining(staffId: string, input: RecordTrainingInput, actor: Actor, deps: TrainingRequestDeps): Promise<z.infer<typeof TrainingRecordResponseSchema>> {
  const now = deps.clock.now();
  if (!deps.settings.catalogue.some((c) => c.id === input.courseId)) {
    throw new InvalidInputError([{ path: 'courseId', message: `No course ${input.courseId} in the training catalogue (${deps.settings.catalogue.map((c) => c.id).join(', ')})` }]);
  }
  if (Date.parse(input.completedAt) > now.getTime()) throw new InvalidInputError([{ path: 'completedAt', message: 'Completed at must not be in the future' }]);
  await member(deps.staff, staffId);
  const existing = await deps.records.listFor(staffId);
  if (input.corrects !== undefined && !existing.some((r) => r.recordId === input.corrects)) {
    throw new InvalidInputError([{ path: 'corrects', message: `No training record ${input.corrects} of this staff member` }]);
  }
  const record = newTrainingRecord(staffId, input, actor, deps.newId(), now);
  await deps.records.append(record);
  return { record, status: staffTrainingStatus(staffId, [...existing, record], deps.settings, now) };
}

/** GET /v1/training's query: one staff member, or (supervisors and admins) everyone who works cases when left out. */
export const TrainingStatusQuerySchema = z.object({ staffId: z.string().trim().min(1, 'staffId must not be empty').max(128, 'staffId is too long').optional() }).strict();

export const TrainingStatusResponseSchema = z.object({
  asOf: z.string(),
  reminderDays: z.number(),
  catalogue: z.array(TrainingCourseSchema),
  members: z.array(
    z.object({
      staffId: z.string(),
      name: z.string().optional(),
      courses: z.array(CourseStatusSchema),
      requiredMissing: z.array(z.string()),
      /** The member's records, oldest first (corrected ones included: they are never changed). */
      records: z.array(TrainingRecordSchema),
    }),
  ),
  /** Who has a required course lapsed or never taken (the assignment guard applies to them), and who has a refresher due soon. */
  lapsed: z.array(z.string()),
  dueSoon: z.array(z.string()),
});
export type TrainingStatusResponse = z.infer<typeof TrainingStatusResponseSchema>;

/**
 * The training status the caller may see: one member's (their own for everyone; anyone's for a
 * supervisor or an admin, 403 otherwise), or, for a supervisor or an admin who names nobody, the
 * team's: everyone who works cases in the staff directory, one read of each one's records. A
 * representative who names nobody gets their own.
 */
export async function trainingStatus(query: z.infer<typeof TrainingStatusQuerySchema>, actor: Actor, deps: TrainingRequestDeps): Promise<TrainingStatusResponse> {
  const now = deps.clock.now();
  let people: StaffMember[];
  if (query.staffId !== undefined || !oversees(actor)) {
    const staffId = query.staffId ?? actor.id ?? '';
    if (actor.id !== staffId && !oversees(actor)) throw new ForbiddenError('You may read your own training only');
    people = [await member(deps.staff, staffId)];
  } else {
    const team = new Map<string, StaffMember>();
    for (const role of ['agents', 'supervisors', 'managers'] as const) for (const m of await deps.staff.list(role)) if (mayWorkCases(m)) team.set(m.id, m);
    people = [...team.values()];
  }
  const members = await mapLimited(people, 8, async (m) => {
    const records = await deps.records.listFor(m.id);
    return { ...staffTrainingStatus(m.id, records, deps.settings, now), ...(m.name ? { name: m.name } : {}), records };
  });
  return { asOf: now.toISOString(), reminderDays: deps.settings.reminderDays, catalogue: [...deps.settings.catalogue], members, ...teamSummary(members) };
}
