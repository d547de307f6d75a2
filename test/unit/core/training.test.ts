import {
  addMonths,
  courseStatus,
  DEFAULT_TRAINING_CATALOGUE,
  RecordTrainingInputSchema,
  remindersDue,
  staffTrainingStatus,
  teamSummary,
  trainingSettings,
  type TrainingCourse,
  type TrainingRecord,
} from '../../../functions/core/training';
import { parseInput } from '../../../functions/core/validation';

const course: TrainingCourse = { id: 'complaint-handling', title: 'Complaint handling', requiredForCases: true, refresherMonths: 6 };
const sup = { kind: 'supervisor' as const, id: 'sup-sam' };
const record = (completedAt: string, extra: Partial<TrainingRecord> = {}): TrainingRecord => ({
  recordId: `r-${completedAt}`,
  staffId: 'agent-ana',
  courseId: 'complaint-handling',
  completedAt,
  evidence: { note: 'Attended the workshop' },
  recordedBy: sup,
  recordedAt: completedAt,
  ...extra,
});
const at = (iso: string) => new Date(iso);

describe('training status (C5.1, C5.2, C5.3)', () => {
  const done = [record('2026-01-15T09:00:00.000Z')];

  it('counts a completion as current until the reminder window, due soon inside it, lapsed from the six-month refresher date on (C5.3)', () => {
    expect(courseStatus(course, done, at('2026-06-15T08:59:59.999Z'), 30).status).toBe('current');
    expect(courseStatus(course, done, at('2026-06-15T09:00:00.000Z'), 30)).toMatchObject({ status: 'due_soon', dueAt: '2026-07-15T09:00:00.000Z', lastCompletedAt: '2026-01-15T09:00:00.000Z' });
    expect(courseStatus(course, done, at('2026-07-15T08:59:59.999Z'), 30).status).toBe('due_soon');
    expect(courseStatus(course, done, at('2026-07-15T09:00:00.000Z'), 30).status).toBe('lapsed');
  });

  it('calls a course nobody recorded for the staff member never trained, and ignores completions dated after now (C5.1)', () => {
    expect(courseStatus(course, [], at('2026-02-01T00:00:00Z'), 30)).toEqual({ courseId: 'complaint-handling', title: 'Complaint handling', requiredForCases: true, status: 'never_trained' });
    expect(courseStatus(course, done, at('2026-01-15T08:00:00Z'), 30).status).toBe('never_trained');
  });

  it('restarts the six months from the latest completion: a refresher makes a lapsed course current (C5.3)', () => {
    const refreshed = [...done, record('2026-07-20T10:00:00.000Z')];
    expect(courseStatus(course, refreshed, at('2026-08-01T00:00:00Z'), 30)).toMatchObject({ status: 'current', dueAt: '2027-01-20T10:00:00.000Z' });
  });

  it('lets a correction replace the record it corrects, which stays stored (records are append-only)', () => {
    const wrong = record('2026-05-01T00:00:00.000Z', { recordId: 'wrong' });
    const fixed = record('2025-11-01T00:00:00.000Z', { recordId: 'fixed', corrects: 'wrong' });
    expect(courseStatus(course, [wrong, fixed], at('2026-05-15T00:00:00Z'), 30)).toMatchObject({ status: 'lapsed', lastCompletedAt: '2025-11-01T00:00:00.000Z' });
  });

  it('ends a refresher on the month’s last day when the month has no such day (31 August + 6 months)', () => {
    expect(addMonths('2025-08-31T12:00:00.000Z', 6).toISOString()).toBe('2026-02-28T12:00:00.000Z');
    expect(addMonths('2027-08-31T12:00:00.000Z', 6).toISOString()).toBe('2028-02-29T12:00:00.000Z');
  });

  it('names the required courses lapsed or never taken, and not the optional ones, for the assignment guard (C5.3)', () => {
    const catalogue = [...DEFAULT_TRAINING_CATALOGUE, { id: 'upselling', title: 'Upselling', requiredForCases: false, refresherMonths: 12 }];
    const records = (['communication-skills', 'company-policies', 'crm-software'] as const).map((id) => record('2026-03-01T00:00:00.000Z', { recordId: id, courseId: id }));
    const status = staffTrainingStatus('agent-ana', [...records, record('2025-01-01T00:00:00.000Z', { staffId: 'agent-ben', courseId: 'complaint-handling' })], { catalogue, reminderDays: 30 }, at('2026-04-01T00:00:00Z'));
    expect(status.requiredMissing).toEqual(['complaint-handling']);
    expect(status.courses.find((c) => c.courseId === 'upselling')?.status).toBe('never_trained');
  });

  it('owes a reminder for a course due soon or lapsed, and lists the team’s due and lapsed members (C5.3)', () => {
    const settings = { catalogue: [course], reminderDays: 30 };
    const ana = staffTrainingStatus('agent-ana', done, settings, at('2026-06-20T00:00:00Z'));
    const ben = staffTrainingStatus('agent-ben', [], settings, at('2026-06-20T00:00:00Z'));
    expect(remindersDue(ana).map((c) => c.courseId)).toEqual(['complaint-handling']);
    expect(remindersDue(ben)).toEqual([]);
    expect(teamSummary([ana, ben])).toEqual({ lapsed: ['agent-ben'], dueSoon: ['agent-ana'] });
  });
});

describe('training catalogue configuration (C5.1, C5.2)', () => {
  it('has the protocol’s four courses by default, each required for cases and refreshed every six months, with a 30-day reminder window and refusal', () => {
    const settings = trainingSettings();
    expect(settings.catalogue.map((c) => [c.id, c.requiredForCases, c.refresherMonths])).toEqual([
      ['communication-skills', true, 6],
      ['complaint-handling', true, 6],
      ['company-policies', true, 6],
      ['crm-software', true, 6],
    ]);
    expect({ reminderDays: settings.reminderDays, guard: settings.guard }).toEqual({ reminderDays: 30, guard: 'refuse' });
  });

  it('takes a configured catalogue, reminder window and guard mode, and refuses a catalogue with duplicate or badly named courses', () => {
    const settings = trainingSettings({ catalogue: [{ id: 'gdpr', title: 'GDPR', requiredForCases: true }], reminderDays: 14, guard: 'warn' });
    expect(settings).toEqual({ catalogue: [{ id: 'gdpr', title: 'GDPR', requiredForCases: true, refresherMonths: 6 }], reminderDays: 14, guard: 'warn' });
    expect(() => trainingSettings({ catalogue: [{ id: 'a', title: 'A', requiredForCases: true }, { id: 'a', title: 'B', requiredForCases: false }] })).toThrow(/unique/);
    expect(() => trainingSettings({ catalogue: [{ id: 'Bad Id', title: 'A', requiredForCases: true }] })).toThrow(/lower-case/);
    expect(() => trainingSettings({ catalogue: [] })).toThrow(/at least one course/);
  });

  it('refuses a completion without evidence, naming the field', () => {
    expect(() => parseInput(RecordTrainingInputSchema, { courseId: 'crm-software', completedAt: '2026-01-01T00:00:00Z', evidence: {} })).toThrow(
      expect.objectContaining({ issues: [{ path: 'evidence', message: 'Evidence needs a note, a file or a URL' }] }),
    );
    expect(() => parseInput(RecordTrainingInputSchema, { courseId: 'crm-software', completedAt: 'yesterday', evidence: { url: 'https://lms.example/cert/1' } })).toThrow(
      expect.objectContaining({ issues: [{ path: 'completedAt', message: 'Completed at must be an ISO 8601 date and time' }] }),
    );
  });
});
