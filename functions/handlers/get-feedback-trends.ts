import { logger } from '../adapters/observability';
import { DEFAULT_THEMES, FeedbackTrendsQuerySchema, reportFeedbackTrends } from '../core/feedback-trends';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/feedback/trends?from=YYYY-MM-DD&to=YYYY-MM-DD&groupBy=day|week|type|channel|agent: CSAT
 * and the comments' themes over the survey answers first given in the period (M4.3, M8.3, C2.3;
 * core/feedback-trends.ts, docs/feedback-analysis.md). Themes and counts only, never a comment.
 * The feedback team and the supervisors (routes.ts). The theme table: FEEDBACK_THEMES, or the default.
 */
export const handler = staffRoute('get-feedback-trends', async (req) => {
  const query = parseRouteQuery(req, FeedbackTrendsQuerySchema);
  const report = await reportFeedbackTrends(query, { log: req.app.feedbackLog, clock: req.app.clock, themes: req.config.FEEDBACK_THEMES ?? DEFAULT_THEMES });
  logger.info('get-feedback-trends', { from: report.period.from, to: report.period.to, groupBy: report.groupBy, answers: report.totals.csat.answers, actorRole: req.actor.kind });
  return json(200, report);
});
