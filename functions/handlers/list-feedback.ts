import { logger } from '../adapters/observability';
import { feedbackPeriod, FeedbackQuerySchema } from '../core/feedback-log';
import { json } from './http/http-event';
import { parseRouteQuery, staffRoute } from './http/staff-route';

/**
 * GET /v1/feedback?from&to&limit&cursor: the feedback log (C4.2; M8.1, C7.1), the survey answers
 * first given in [from, to) (default: the last 30 days), oldest first. Confidential: the feedback team and the supervisors
 * only (routes.ts). The log line counts entries; it never carries a comment.
 */
export const handler = staffRoute('list-feedback', async (req) => {
  const query = parseRouteQuery(req, FeedbackQuerySchema);
  const { from, to } = feedbackPeriod(query, req.app.clock.now());
  const page = await req.app.feedbackLog.list(from, to, query.limit, query.cursor);
  logger.info('list-feedback', { entries: page.entries.length, more: page.nextCursor !== undefined, actorRole: req.actor.kind });
  return json(200, { items: page.entries, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) });
});
