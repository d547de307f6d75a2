import { DEFAULT_TRAINING_CATALOGUE, staffTrainingStatus, type TrainingRecord } from '../../../functions/core/training';
import { summarizeTraining } from '../../../functions/core/training-summary';

/*
 * The monthly report's training section (C5.1–C5.3): three representatives at the end of
 * November 2026, their statuses counted by hand per course.
 */
const SETTINGS = { catalogue: DEFAULT_TRAINING_CATALOGUE, reminderDays: 30 };
const AT = new Date('2026-11-30T23:59:59.999Z');
let n = 0;
const done = (staffId: string, courseId: string, completedAt: string): TrainingRecord => ({
  recordId: `tr-${(n += 1)}`,
  staffId,
  courseId,
  completedAt,
  evidence: { note: 'attended' },
  recordedBy: { kind: 'supervisor', id: 'sup-1' },
  recordedAt: completedAt,
});
const everyCourse = (staffId: string, completedAt: string) => DEFAULT_TRAINING_CATALOGUE.map((c) => done(staffId, c.id, completedAt));

const records = [
  // agent-a: everything taken in October: current.
  ...everyCourse('agent-a', '2026-10-01T09:00:00.000Z'),
  // agent-b: everything taken on 15 June: refreshers due 15 December, within the 30 days' reminder.
  ...everyCourse('agent-b', '2026-06-15T09:00:00.000Z'),
  // agent-c: only complaint handling, in March: lapsed in September; the rest never taken.
  done('agent-c', 'complaint-handling', '2026-03-01T09:00:00.000Z'),
];
const statuses = ['agent-a', 'agent-b', 'agent-c'].map((id) => staffTrainingStatus(id, records, SETTINGS, AT));

describe('the monthly report’s training section (C5.1–C5.3)', () => {
  const summary = summarizeTraining(AT.toISOString(), statuses);

  it('counts, per catalogue course, the representatives current, due for their refresher, lapsed and never trained (C5.1, C5.2)', () => {
    expect(summary.representatives).toBe(3);
    expect(summary.courses.map((c) => c.courseId)).toEqual(DEFAULT_TRAINING_CATALOGUE.map((c) => c.id));
    expect(summary.courses.find((c) => c.courseId === 'complaint-handling')).toMatchObject({ current: 1, dueSoon: 1, lapsed: 1, neverTrained: 0 });
    expect(summary.courses.find((c) => c.courseId === 'crm-software')).toMatchObject({ current: 1, dueSoon: 1, lapsed: 0, neverTrained: 1 });
  });

  it('lists the representatives the assignment guard applied to, with their missing required courses (C5.3)', () => {
    expect(summary.requiredMissing).toEqual([{ staffId: 'agent-c', courses: ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'] }]);
  });
});
