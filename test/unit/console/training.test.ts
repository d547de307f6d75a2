import type { StaffRole, TrainingCourseStatus, TrainingMember } from '../../../web/console/src/api/types';
import { navigationFor, type Session } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import { completionBody, completionProblems, courseStatusLabel, filterTeam, overseesTraining } from '../../../web/console/src/logic/training';

const session = (roles: StaffRole[]): Session => ({ sub: 's', name: 'S', roles, expiresAt: Date.now() + 60_000 });
const course = (over: Partial<TrainingCourseStatus>): TrainingCourseStatus => ({ courseId: 'crm-software', title: 'CRM software', requiredForCases: true, status: 'current', ...over });
const member = (staffId: string, name: string, statuses: TrainingCourseStatus['status'][]): TrainingMember => {
  const courses = statuses.map((status, i) => course({ courseId: `c${i}`, status }));
  return { staffId, name, courses, requiredMissing: courses.filter((c) => c.status === 'lapsed' || c.status === 'never_trained').map((c) => c.courseId), records: [] };
};
const CATALOGUE = [{ id: 'complaint-handling' }, { id: 'crm-software' }];
const NOW = Date.parse('2026-11-30T12:00:00.000Z');

describe('the console’s training screen (C5.1-C5.3)', () => {
  it('is offered to everyone the training route serves, at #/training; only supervisors, managers and admins see the team and record completions', () => {
    for (const role of ['agents', 'supervisors', 'managers', 'admins'] as const) expect(navigationFor(session([role])).map((i) => i.id)).toContain('training');
    for (const role of ['feedback', 'auditors'] as const) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('training');
    expect(overseesTraining(session(['agents']))).toBe(false);
    for (const role of ['supervisors', 'managers', 'admins'] as const) expect(overseesTraining(session([role]))).toBe(true);
    // An admin alone still opens on the privacy requests.
    expect(navigationFor(session(['admins']))[0]?.id).toBe('privacy');
    expect(formatRoute({ view: 'training' })).toBe('#/training');
    expect(parseRoute('#/training')).toEqual({ view: 'training' });
    expect(parseRoute('#/training/ben')).toEqual({ view: 'home' });
  });

  it('says each course’s status with its dates: current until the refresher, due soon, lapsed since the due day, never trained (C5.3)', () => {
    const completed = '2026-06-03T00:00:00.000Z';
    const due = '2026-12-03T00:00:00.000Z';
    expect(courseStatusLabel(course({ status: 'current', lastCompletedAt: completed, dueAt: due }))).toBe('Current: completed 2026-06-03, refresher due 2026-12-03');
    expect(courseStatusLabel(course({ status: 'due_soon', lastCompletedAt: completed, dueAt: due }))).toBe('Due soon: refresher due 2026-12-03, completed 2026-06-03');
    expect(courseStatusLabel(course({ status: 'lapsed', lastCompletedAt: completed, dueAt: due }))).toBe('Lapsed on 2026-12-03 (completed 2026-06-03)');
    expect(courseStatusLabel(course({ status: 'never_trained' }))).toBe('Never trained');
  });

  it('filters the team to who is due soon or lapsed, those who lapsed first, and shows everyone on request (C5.3)', () => {
    const team = [member('cleo', 'Cleo', ['current', 'current']), member('ann', 'Ann', ['due_soon', 'current']), member('ben', 'Ben', ['current', 'lapsed']), member('dan', 'Dan', ['never_trained', 'current'])];
    expect(filterTeam(team, 'attention').map((m) => m.staffId)).toEqual(['ben', 'dan', 'ann']);
    expect(filterTeam(team, 'lapsed').map((m) => m.staffId)).toEqual(['ben', 'dan']);
    expect(filterTeam(team, 'due_soon').map((m) => m.staffId)).toEqual(['ann']);
    expect(filterTeam(team, 'all').map((m) => m.staffId)).toEqual(['ben', 'dan', 'ann', 'cleo']);
  });

  it('asks for a course of the catalogue, a day not in the future and an evidence note before recording a completion (C5.1, C5.2)', () => {
    expect(completionProblems({ courseId: '', completedOn: '', note: ' ' }, CATALOGUE, NOW)).toEqual({
      courseId: 'Choose the course',
      completedOn: 'Give the day the course was completed',
      note: 'Give the evidence: the certificate, the session, who gave it',
    });
    expect(completionProblems({ courseId: 'first-aid', completedOn: '2026-12-01', note: 'x'.repeat(2001) }, CATALOGUE, NOW)).toEqual({
      courseId: 'Not a course of the training catalogue',
      completedOn: 'The completion must not be in the future',
      note: 'At most 2,000 characters',
    });
    // Today counts: the day is sent as its midnight UTC, never later than now.
    const today = { courseId: 'crm-software', completedOn: '2026-11-30', note: ' Certificate 42 ' };
    expect(completionProblems(today, CATALOGUE, NOW)).toEqual({});
    expect(completionBody(today)).toEqual({ courseId: 'crm-software', completedAt: '2026-11-30T00:00:00.000Z', evidence: { note: 'Certificate 42' } });
  });
});
