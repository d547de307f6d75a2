import * as z from 'zod';
import type { StaffTrainingStatus, TrainingStatusValue } from './training';

/**
 * The representatives' training at the end of a month, for the monthly compliance report
 * (contract 5.1–5.3; docs/reports.md): per catalogue course how many are current, due for their
 * refresher soon, lapsed or never trained, and who could not be assigned cases for a lapsed or
 * missing required course (the assignment guard's list, C5.3). Staff ids only: the report names no
 * customer and no more of the staff than their ids.
 */
const count = z.number().int().nonnegative();

export const TrainingSummarySchema = z.object({
  /** The moment the statuses are taken at: the month's end, or now for a month not over. */
  at: z.iso.datetime(),
  representatives: count,
  courses: z.array(
    z.object({
      courseId: z.string(),
      title: z.string(),
      requiredForCases: z.boolean(),
      current: count,
      dueSoon: count,
      lapsed: count,
      neverTrained: count,
    }),
  ),
  /** Representatives whose required training had lapsed or was never taken, with those courses. */
  requiredMissing: z.array(z.object({ staffId: z.string(), courses: z.array(z.string()) })),
});
export type TrainingSummary = z.infer<typeof TrainingSummarySchema>;

const KEY: Record<TrainingStatusValue, 'current' | 'dueSoon' | 'lapsed' | 'neverTrained'> = { current: 'current', due_soon: 'dueSoon', lapsed: 'lapsed', never_trained: 'neverTrained' };

/** The summary of the representatives' statuses (each taken at `at`), courses in catalogue order. */
export function summarizeTraining(at: string, statuses: readonly StaffTrainingStatus[]): TrainingSummary {
  const courses = new Map<string, TrainingSummary['courses'][number]>();
  for (const s of statuses) {
    for (const c of s.courses) {
      const row = courses.get(c.courseId) ?? { courseId: c.courseId, title: c.title, requiredForCases: c.requiredForCases, current: 0, dueSoon: 0, lapsed: 0, neverTrained: 0 };
      row[KEY[c.status]] += 1;
      courses.set(c.courseId, row);
    }
  }
  return {
    at,
    representatives: statuses.length,
    courses: [...courses.values()],
    requiredMissing: statuses
      .filter((s) => s.requiredMissing.length > 0)
      .map((s) => ({ staffId: s.staffId, courses: [...s.requiredMissing] }))
      .sort((a, b) => a.staffId.localeCompare(b.staffId)),
  };
}
