import { ReleaseLegalHoldInputSchema, releaseLegalHold } from '../core/actions/legal-hold';
import { caseActionHandler } from './http/staff-route';

/** DELETE /v1/cases/{caseId}/legal-hold: the hold ends. Roles: routes.ts. */
export const handler = caseActionHandler('release-legal-hold', ReleaseLegalHoldInputSchema, releaseLegalHold);
