import { SYSTEM } from '../case';
import { DEFAULT_QUALITY_REVIEW_POLICY, isSampled, sampleReview, type QualityReview, type ReplyRef } from '../quality-review';
import type { ActionRequest, CaseActionDeps } from './case-action';

/**
 * A response to the customer by a member of staff — an email reply or a logged call — goes in its
 * week's ledger and, if the sampler picks it, into the review queue (M3.1 quality checkpoints,
 * M6.1), in the action's own transaction. Its event's seq is the case's next version, so the pick
 * is the same however often it is asked. Nothing for a response with no member of staff behind it.
 */
export function sampledResponse(caseId: string, seq: number, req: ActionRequest, at: Date, deps: Pick<CaseActionDeps, 'qualityReviews'>): { replies: ReplyRef[]; qualityReviews: QualityReview[] } {
  const staffId = req.actor.id;
  if (staffId === undefined) return { replies: [], qualityReviews: [] };
  const reply: ReplyRef = { caseId, seq, staffId, repliedAt: at.toISOString() };
  const sampled = isSampled(reply, deps.qualityReviews ?? DEFAULT_QUALITY_REVIEW_POLICY) ? [sampleReview(reply, 'share', at, SYSTEM)] : [];
  return { replies: [reply], qualityReviews: sampled };
}
