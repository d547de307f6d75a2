import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { presentationOf, trainingSettingsOf } from '../adapters/config';
import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { sendTrainingReminders, type TrainingReminderRun } from '../core/training-reminders';

const config = configFor('training-reminders');
const app = wiring(config);

/**
 * Scheduled daily (C5.3, docs/training.md): everyone who works cases with a refresher due soon or
 * lapsed gets one reminder a course a lapse window, and the supervisor on duty a copy. A failed
 * mail fails the run (its marks taken back: the retry or the next day sends it). Logs counts only.
 */
export const handler = middy<unknown, TrainingReminderRun>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async () => {
    const run = await sendTrainingReminders({
      records: app.training,
      settings: trainingSettingsOf(config),
      staff: app.staff,
      mailer: app.mailer,
      clock: app.clock,
      supervisorEmail: config.SUPERVISOR_EMAIL,
      presentation: presentationOf(config),
    });
    logger.info('training reminders sent', { ...run });
    return run;
  });
