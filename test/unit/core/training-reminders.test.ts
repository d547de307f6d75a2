import type { OutgoingEmail } from '../../../functions/core/ports';
import { sendTrainingReminders } from '../../../functions/core/training-reminders';
import { DEFAULT_TRAINING_CATALOGUE, type TrainingRecord, type TrainingRecords } from '../../../functions/core/training';
import { staffDirectory } from '../../support/staff-directory';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2026-06-01T06:00:00.000Z');

function memoryRecords(records: TrainingRecord[]): TrainingRecords & { marks: Set<string> } {
  const marks = new Set<string>();
  return {
    marks,
    append: async (r) => void records.push(r),
    listFor: async (id) => records.filter((r) => r.staffId === id),
    markReminded: async (id, course, dueAt) => {
      const key = `${id}|${course}|${dueAt}`;
      if (marks.has(key)) return false;
      marks.add(key);
      return true;
    },
    forgetReminded: async (id, course, dueAt) => void marks.delete(`${id}|${course}|${dueAt}`),
  };
}

/** Ana did every course 160 days ago (due soon, 30-day window); Ben 20 days ago (current); Sam never (lapsed-or-never: no completion, no reminder). */
const records = (): TrainingRecord[] =>
  (['agent-ana', 'agent-ben'] as const).flatMap((staffId) =>
    DEFAULT_TRAINING_CATALOGUE.map((c) => {
      const at = new Date(NOW - (staffId === 'agent-ana' ? 160 : 20) * DAY).toISOString();
      return { recordId: `${staffId}-${c.id}`, staffId, courseId: c.id, completedAt: at, evidence: { note: 'done' }, recordedBy: { kind: 'supervisor' as const, id: 'sup-sam' }, recordedAt: at };
    }),
  );

function deps(store: TrainingRecords, sent: OutgoingEmail[], failing = false) {
  let now = NOW;
  return {
    deps: {
      records: store,
      settings: { catalogue: DEFAULT_TRAINING_CATALOGUE, reminderDays: 30, guard: 'refuse' as const },
      staff: staffDirectory(),
      clock: { now: () => new Date(now) },
      supervisorEmail: 'supervisor@example.com',
      mailer: {
        send: async (m: OutgoingEmail) => {
          if (failing) throw new Error('mail relay down');
          sent.push(m);
          return { messageId: String(sent.length) };
        },
      },
    },
    advance: (ms: number) => void (now += ms),
  };
}

describe('refresher reminders (C5.3)', () => {
  it('reminds a staff member whose refresher is due soon, with a copy to the supervisor, once per lapse window (C5.3)', async () => {
    const store = memoryRecords(records());
    const sent: OutgoingEmail[] = [];
    const { deps: d, advance } = deps(store, sent);
    expect(await sendTrainingReminders(d)).toEqual({ members: 1, reminders: 4, withoutAddress: 0 });
    expect(sent.map((m) => m.to)).toEqual(['ana@staff.example', 'supervisor@example.com']);
    expect(sent[0]?.subject).toBe('Refresher training due: Communication skills, Complaint handling, Company policies, CRM software');
    expect(sent[0]?.text).toContain('Complaint handling: due by');

    advance(DAY);
    expect(await sendTrainingReminders(d)).toEqual({ members: 0, reminders: 0, withoutAddress: 0 });
    advance(40 * DAY); // lapsed now, but the same window: no second reminder
    expect(await sendTrainingReminders(d)).toEqual({ members: 0, reminders: 0, withoutAddress: 0 });
    expect(sent).toHaveLength(2);
  });

  it('takes the marks back when the mail fails, so that the next run sends the reminder (C5.3)', async () => {
    const store = memoryRecords(records());
    const sent: OutgoingEmail[] = [];
    await expect(sendTrainingReminders(deps(store, sent, true).deps)).rejects.toThrow('mail relay down');
    expect(store.marks.size).toBe(0);
    expect((await sendTrainingReminders(deps(store, sent).deps)).reminders).toBe(4);
  });
});
