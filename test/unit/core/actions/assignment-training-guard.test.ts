import { assignCase, claimCase } from '../../../../functions/core/actions/assignment';
import { DEFAULT_TRAINING_CATALOGUE, TrainingLapsedError, type TrainingGuardMode, type TrainingRecord, type TrainingRecords } from '../../../../functions/core/training';
import { agent, opened, supervisor, T0 } from './support';

/** Training records in memory: the store the guard reads through its port. */
function memoryRecords(records: TrainingRecord[]): TrainingRecords {
  return {
    append: async (r) => void records.push(r),
    listFor: async (staffId) => records.filter((r) => r.staffId === staffId),
    markReminded: async () => true,
    forgetReminded: async () => undefined,
  };
}

const DAY = 24 * 60 * 60 * 1000;
/** Every default course completed by `staffId` `daysAgo` days before the case was opened. */
const trained = (staffId: string, daysAgo: number, except: string[] = []): TrainingRecord[] =>
  DEFAULT_TRAINING_CATALOGUE.filter((c) => !except.includes(c.id)).map((c) => ({
    recordId: `${staffId}-${c.id}`,
    staffId,
    courseId: c.id,
    completedAt: new Date(T0 - daysAgo * DAY).toISOString(),
    evidence: { note: 'Course attended' },
    recordedBy: supervisor,
    recordedAt: new Date(T0 - daysAgo * DAY).toISOString(),
  }));

async function withTraining(guard: TrainingGuardMode, records: TrainingRecord[]) {
  const o = await opened();
  return { ...o, deps: { ...o.deps, training: { records: memoryRecords(records), settings: { catalogue: DEFAULT_TRAINING_CATALOGUE, reminderDays: 30, guard } } } };
}

describe('the assignment guard (C5.3)', () => {
  it('refuses a claim by a representative whose required training lapsed, naming the lapsed course, and leaves the case unassigned (C5.3)', async () => {
    const { caseId, deps, store } = await withTraining('refuse', [...trained('agent-ana', 30, ['complaint-handling']), ...trained('agent-ana', 200).filter((r) => r.courseId === 'complaint-handling')]);
    const refused = claimCase(caseId, {}, { actor: agent }, deps);
    await expect(refused).rejects.toBeInstanceOf(TrainingLapsedError);
    await expect(refused).rejects.toThrow(/Complaint handling \(lapsed \d{4}-\d{2}-\d{2}\)/);
    expect((await store.getCase(caseId))?.assignee).toBeUndefined();
  });

  it('refuses to assign a case to someone who never had the required training (C5.1, C5.3)', async () => {
    const { caseId, deps } = await withTraining('refuse', []);
    await expect(assignCase(caseId, { assigneeId: 'agent-ben' }, { actor: supervisor }, deps)).rejects.toThrow(
      'Ben Agent lacks required training: Communication skills (never trained), Complaint handling (never trained), Company policies (never trained), CRM software (never trained); record the training first (C5.3)',
    );
  });

  it('lets a representative whose training is current claim a case, with no warning (C5.3)', async () => {
    const { caseId, deps, store } = await withTraining('refuse', trained('agent-ana', 30));
    expect((await claimCase(caseId, {}, { actor: agent }, deps)).assignee?.id).toBe('agent-ana');
    expect((await store.getTimeline(caseId)).at(-1)?.data).not.toHaveProperty('trainingWarning');
  });

  it('in warn mode lets the assignment through and records the lapsed courses on the case’s timeline (C5.3)', async () => {
    const { caseId, deps, store } = await withTraining('warn', trained('agent-ben', 200));
    expect((await assignCase(caseId, { assigneeId: 'agent-ben' }, { actor: supervisor }, deps)).assignee?.id).toBe('agent-ben');
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({
      type: 'assignment_changed',
      data: { how: 'assigned', trainingWarning: { courses: ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'], message: expect.stringMatching(/^Ben Agent lacks required training: Communication skills \(lapsed/) } },
    });
  });

  it('checks nothing when the guard is off', async () => {
    const { caseId, deps } = await withTraining('off', []);
    expect((await claimCase(caseId, {}, { actor: agent }, deps)).assignee?.id).toBe('agent-ana');
  });
});
