import { qualityReviewPolicyOf } from '../adapters/config';
import { LogCallInputSchema, logCall } from '../core/actions/log-call';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/calls: a phone call with its transcript (C4.1); the quality-review sampler may pick it, as a reply (M6.1). Roles: routes.ts. */
export const handler = caseActionHandler('log-case-call', LogCallInputSchema, logCall, (config) => ({ qualityReviews: qualityReviewPolicyOf(config) }));
