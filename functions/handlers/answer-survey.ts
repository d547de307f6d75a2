import { configFor } from '../adapters/function-config';
import { logger } from '../adapters/observability';
import { wiring } from '../adapters/wiring';
import { InvalidInputError, RateLimitedError } from '../core/errors';
import { retryAfterSeconds, submissionWindow } from '../core/rate-limit';
import { answerSurvey, openSurvey, SurveyAnswerSchema, SurveyClosedError } from '../core/survey-answer';
import { parseInput } from '../core/validation';
import { html, json, type HttpEvent } from './http/http-event';
import { badRequest, httpHandler } from './http/http-handler';
import { parseBody } from './http/parse-body';
import { SURVEY_CSP } from './http/survey-csp';
import { surveyClosedPage, surveyFormPage, surveyThanksPage, type SurveyFormValues } from './http/survey-pages';

const config = configFor('answer-survey');
const app = wiring(config);

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

function closed(event: HttpEvent, status: 404 | 410) {
  return event.wantsHtml ? html(status, surveyClosedPage()) : json(status, { error: 'This survey is closed' });
}

/**
 * POST /survey/{token}: the customer's answer (M8.1, M9.4, C7.1), form-encoded from the page or
 * JSON: recorded on the case's timeline and in the feedback log (C4.2). Answering again while the
 * link is valid updates the answer; a dead link gets 410 and a kind page; a bad field 400 naming
 * it (the form again, with what was entered). Answers are counted per client network and hour,
 * like the contact form's submissions. The comment is never logged.
 */
export const handler = httpHandler(
  async (event) => {
    const at = app.clock.now();
    const window = { ...submissionWindow(event.requestContext.http.sourceIp, at, config.SURVEY_RATE_LIMIT_PER_HOUR), scope: 'survey-answers' };
    if (!(await app.rateLimiter.consume(window))) throw new RateLimitedError(retryAfterSeconds(at));

    const check = await app.surveyLinks.verify(event.pathParameters?.token ?? '', at.getTime());
    if (!check.ok) return closed(event, check.reason === 'expired' ? 410 : 404);
    const body = (event.parsedBody ?? {}) as Record<string, unknown>;
    const values: SurveyFormValues = { rating: text(body.rating), solved: text(body.solved), comment: text(body.comment) };
    try {
      const c = openSurvey(await app.cases.getCase(check.ref.caseId), check.ref, at.getTime());
      let answer;
      try {
        // An empty comment box is no comment.
        answer = parseInput(SurveyAnswerSchema, { ...body, comment: values.comment === '' ? undefined : body.comment });
      } catch (error) {
        if (error instanceof InvalidInputError && event.wantsHtml) return html(400, surveyFormPage(c.reference, values, error.issues, c.survey.answeredAt !== undefined));
        if (error instanceof InvalidInputError) throw badRequest(error.issues, error.message);
        throw error;
      }
      const updated = c.survey.answeredAt !== undefined;
      const entry = await answerSurvey(check.ref, answer, { store: app.cases, clock: app.clock });
      logger.info('survey answered', { caseId: entry.caseId, updated });
      return event.wantsHtml ? html(200, surveyThanksPage(updated)) : json(200, { recorded: true, updated, answeredAt: entry.answeredAt });
    } catch (error) {
      if (error instanceof SurveyClosedError) return closed(event, 410);
      throw error;
    }
  },
  [parseBody({ maxBytes: 16 * 1024 })],
  { csp: SURVEY_CSP },
);
