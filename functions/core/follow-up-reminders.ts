import type { Clock } from './clock';
import { dayOf, remindersOwed, type FollowUpDue, type FollowUpReminder, type FollowUpStore } from './follow-up';
import type { Mailer, OutgoingEmail } from './ports';
import type { StaffDirectory } from './staff';
import { escapeHtml } from './text/escape-html';

/**
 * Follow-up reminders (M3.2), once a day: every pending complaint follow-up due today or earlier
 * mails the staff member it is scheduled for on its date, and the supervisor on duty (the role
 * address) from the day after while it is still not recorded. Each reminder is marked on the
 * follow-up's entry before it is sent, so a rerun of the day sends nothing twice; a mail that fails
 * takes its mark back, so that the next run sends it. The mail names the case reference and links
 * to the case in the console: never the customer's details.
 */
export interface FollowUpReminderDeps {
  followUps: FollowUpStore;
  staff: Pick<StaffDirectory, 'find'>;
  mailer: Mailer;
  clock: Clock;
  /** The supervisor on duty's role address (SUPERVISOR_EMAIL, as the SLA workflow's). */
  supervisorEmail?: string | undefined;
  /** The staff console's address, for the link to the case (CONSOLE_URL); without it the mail names the reference only. */
  consoleUrl?: string | undefined;
}

export interface FollowUpReminderRun {
  /** Reminders mailed to the responsible staff member, and to the supervisor. */
  responsible: number;
  supervisor: number;
  /** Reminders owed to a staff member with no address in the directory (the supervisor's reminder still goes the day after). */
  withoutAddress: number;
}

export const caseLink = (consoleUrl: string | undefined, caseId: string) => (consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/#/cases/${caseId}` : undefined);

export function followUpReminderEmail(to: string, entry: FollowUpDue, reminder: FollowUpReminder, consoleUrl?: string): OutgoingEmail {
  const link = caseLink(consoleUrl, entry.caseId);
  const subject = reminder === 'responsible' ? `[${entry.reference}] Complaint follow-up due ${entry.date}` : `[${entry.reference}] Complaint follow-up overdue since ${entry.date}`;
  const lines =
    reminder === 'responsible'
      ? [`The follow-up planned for complaint ${entry.reference} is due today (${entry.date}).`, 'Contact the customer as planned, then record what the follow-up found on the case (Follow-up).']
      : [
          `The follow-up planned for complaint ${entry.reference} was due on ${entry.date} and its outcome is not recorded yet.`,
          'Please see that the staff member it was scheduled for follows up, or follow up yourself, and record the outcome on the case.',
        ];
  const open = link ? `Open the case: ${link}` : `Find case ${entry.reference} in the console.`;
  return {
    to,
    subject,
    text: [...lines, '', open].join('\n'),
    html: `<!doctype html><html><body>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}<p>${link ? `<a href="${escapeHtml(link)}">Open case ${escapeHtml(entry.reference)}</a>` : escapeHtml(open)}</p></body></html>`,
    autoSubmitted: 'auto-generated',
    headers: { 'X-Caseflow-Case': entry.reference },
  };
}

/** One run: today's owed reminders, each at most once. */
export async function sendFollowUpReminders(deps: FollowUpReminderDeps): Promise<FollowUpReminderRun> {
  const now = deps.clock.now();
  const today = dayOf(now);
  const run: FollowUpReminderRun = { responsible: 0, supervisor: 0, withoutAddress: 0 };
  for (const entry of await deps.followUps.dueBy(today)) {
    for (const reminder of remindersOwed(entry, today)) {
      const to = reminder === 'responsible' ? (await deps.staff.find(entry.responsible))?.email : deps.supervisorEmail;
      if (!to) {
        if (reminder === 'responsible') run.withoutAddress += 1;
        continue;
      }
      if (!(await deps.followUps.markReminded(entry, reminder, now))) continue;
      try {
        await deps.mailer.send(followUpReminderEmail(to, entry, reminder, deps.consoleUrl));
      } catch (error) {
        await deps.followUps.forgetReminded(entry, reminder);
        throw error;
      }
      run[reminder] += 1;
    }
  }
  return run;
}
