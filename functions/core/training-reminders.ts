import type { Clock } from './clock';
import type { Mailer, OutgoingEmail } from './ports';
import { mayWorkCases, type StaffDirectory, type StaffMember } from './staff';
import { escapeHtml } from './text/escape-html';
import { humanDate, type Presentation } from './text/human-date';
import { remindersDue, staffTrainingStatus, type CourseStatus, type TrainingDeps } from './training';

/**
 * Refresher reminders (C5.3): once a day, everyone who works cases whose course is due soon (within
 * the reminder window) or has lapsed gets one mail naming those courses, and the supervisor on duty a
 * copy. One reminder a course a lapse window: each is marked by the refresher's due date before it
 * is sent (a mail that fails takes its marks back, so the next run sends it); a new completion
 * moves the due date and so opens the next window.
 */
export interface TrainingReminderDeps extends TrainingDeps {
  staff: StaffDirectory;
  mailer: Mailer;
  clock: Clock;
  /** The supervisor on duty, sent a copy of every reminder (SUPERVISOR_EMAIL, as the SLA workflow's). */
  supervisorEmail?: string | undefined;
  presentation?: Presentation;
}

export interface TrainingReminderRun {
  /** Staff members reminded, and reminders (courses) sent. */
  members: number;
  reminders: number;
  /** Staff members with a reminder owed but no address in the directory. */
  withoutAddress: number;
}

export function trainingReminderEmail(to: string, member: Pick<StaffMember, 'name'>, courses: readonly CourseStatus[], p: Presentation = {}): OutgoingEmail {
  const line = (c: CourseStatus) => `${c.title}: ${c.status === 'lapsed' ? 'lapsed on' : 'due by'} ${humanDate(c.dueAt ?? '', p)}`;
  const greeting = `Hello ${member.name ?? 'there'},`;
  const intro = 'Your refresher training is due (every six months under the service protocol). Until a required course is refreshed you may not be given cases.';
  return {
    to,
    subject: `Refresher training due: ${courses.map((c) => c.title).join(', ')}`,
    text: [greeting, '', intro, '', ...courses.map((c) => `- ${line(c)}`), '', 'Your supervisor records the completion in caseflow.'].join('\n'),
    html: `<p>${escapeHtml(greeting)}</p><p>${escapeHtml(intro)}</p><ul>${courses.map((c) => `<li>${escapeHtml(line(c))}</li>`).join('')}</ul><p>Your supervisor records the completion in caseflow.</p>`,
    autoSubmitted: 'auto-generated',
  };
}

/** One run: every member's owed reminders, each course at most once per due date. */
export async function sendTrainingReminders(deps: TrainingReminderDeps): Promise<TrainingReminderRun> {
  const now = deps.clock.now();
  const team = new Map<string, StaffMember>();
  for (const role of ['agents', 'supervisors', 'managers'] as const) for (const m of await deps.staff.list(role)) if (mayWorkCases(m)) team.set(m.id, m);
  const run: TrainingReminderRun = { members: 0, reminders: 0, withoutAddress: 0 };
  for (const m of team.values()) {
    const owed = remindersDue(staffTrainingStatus(m.id, await deps.records.listFor(m.id), deps.settings, now));
    if (owed.length === 0) continue;
    if (!m.email) {
      run.withoutAddress += 1;
      continue;
    }
    const fresh: CourseStatus[] = [];
    for (const c of owed) if (await deps.records.markReminded(m.id, c.courseId, c.dueAt ?? '', now)) fresh.push(c);
    if (fresh.length === 0) continue;
    const mail = trainingReminderEmail(m.email, m, fresh, deps.presentation);
    try {
      await deps.mailer.send(mail);
      // The mailer sends to one recipient: the supervisor's copy is a mail of its own.
      if (deps.supervisorEmail) await deps.mailer.send({ ...mail, to: deps.supervisorEmail, subject: `Copy for the supervisor: ${m.name ?? m.id}: ${mail.subject}` });
    } catch (error) {
      for (const c of fresh) await deps.records.forgetReminded(m.id, c.courseId, c.dueAt ?? '');
      throw error;
    }
    run.members += 1;
    run.reminders += fresh.length;
  }
  return run;
}
