import { ReleaseLegalHoldInputSchema, releaseLegalHold } from '../core/actions/legal-hold';
import { heldCaseView } from './api-responses';
import { caseActionHandler } from './http/staff-route';

/** DELETE /v1/cases/{caseId}/legal-hold: the hold ends. The answer is the case's ids, not its content. Roles: routes.ts. */
export const handler = caseActionHandler('release-legal-hold', ReleaseLegalHoldInputSchema, releaseLegalHold, undefined, heldCaseView);
