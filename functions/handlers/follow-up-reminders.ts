import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { sendFollowUpReminders, type FollowUpReminderRun } from '../core/follow-up-reminders';

const config = configFor('follow-up-reminders');
const app = wiring(config);

/**
 * Scheduled daily (M3.2, docs/complaint-follow-ups.md): each complaint follow-up due today mails the
 * staff member it is scheduled for, and one still not recorded the day after mails the supervisor's
 * role address; each at most once. A failed mail fails the run (its mark taken back: the retry or
 * the next day sends it). Logs counts only.
 */
export const handler = middy<unknown, FollowUpReminderRun>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const run = await sendFollowUpReminders({
      followUps: app.followUps,
      staff: app.staff,
      mailer: app.mailer,
      clock: app.clock,
      supervisorEmail: config.SUPERVISOR_EMAIL,
      consoleUrl: config.CONSOLE_URL,
    });
    logger.info('follow-up reminders sent', { ...run });
    return run;
  });
