import { isSupervisor } from '../core/roles';
import { readQualityReview } from '../core/quality-review-records';
import { parseInput } from '../core/validation';
import { json } from './http/http-event';
import { staffRoute } from './http/staff-route';
import { ReviewIdPathSchema } from './path-params';

/**
 * GET /v1/quality-reviews/{reviewId}: one review with the text of the reply it reviews (M6.1), for
 * supervisors, and for the representative whose reply it is (anyone else's: 403). Roles: routes.ts.
 */
export const handler = staffRoute('get-quality-review', async ({ event, app, actor }) => {
  const { reviewId } = parseInput(ReviewIdPathSchema, event.pathParameters ?? {});
  const review = await readQualityReview(reviewId, actor, isSupervisor(actor), app.qualityReviews);
  const reply = (await app.cases.getTimeline(review.caseId)).find((e) => e.seq === review.seq);
  // The response reviewed: an email reply's text, or a logged call's transcript.
  const text = reply?.type === 'agent_replied' ? reply.data.text : reply?.type === 'call_logged' ? reply.data.transcript : undefined;
  return json(200, { review, reply: { at: review.repliedAt, ...(text !== undefined ? { text } : {}) } });
});
