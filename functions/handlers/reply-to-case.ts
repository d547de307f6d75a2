import { qualityReviewPolicyOf } from '../adapters/config';
import { ReplyInputSchema, replyToCustomer } from '../core/actions/reply';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/replies: an email reply to the customer (M3.1, C3.1, C4.1); the quality-review sampler may pick it (M6.1). Roles: routes.ts. */
export const handler = caseActionHandler('reply-to-case', ReplyInputSchema, replyToCustomer, (config) => ({ qualityReviews: qualityReviewPolicyOf(config) }));
