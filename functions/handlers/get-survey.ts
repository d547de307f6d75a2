import { configFor } from '../adapters/function-config';
import { wiring } from '../adapters/wiring';
import { openSurvey, SurveyClosedError } from '../core/survey-answer';
import { html } from './http/http-event';
import { httpHandler } from './http/http-handler';
import { surveyClosedPage, surveyFormPage } from './http/survey-pages';
import { SURVEY_CSP } from './http/survey-csp';

const app = wiring(configFor('get-survey'));

/**
 * GET /survey/{token}: the satisfaction survey's page (M8.1, M9.4, C7.1), for a link that is
 * signed, untouched and not expired, while the case's survey still takes answers; otherwise a
 * kind page saying the survey is closed (410 for an expired or replaced link, 404 for a token
 * that was never valid).
 */
export const handler = httpHandler(
  async (event) => {
    const now = app.clock.now().getTime();
    const check = await app.surveyLinks.verify(event.pathParameters?.token ?? '', now);
    if (!check.ok) return html(check.reason === 'expired' ? 410 : 404, surveyClosedPage());
    try {
      const c = openSurvey(await app.cases.getCase(check.ref.caseId), check.ref, now);
      return html(200, surveyFormPage(c.reference, {}, [], c.survey.answeredAt !== undefined));
    } catch (error) {
      if (error instanceof SurveyClosedError) return html(410, surveyClosedPage());
      throw error;
    }
  },
  [],
  { csp: SURVEY_CSP },
);
