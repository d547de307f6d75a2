import { LegalHoldInputSchema, placeLegalHold } from '../core/actions/legal-hold';
import { heldCaseView } from './api-responses';
import { caseActionHandler } from './http/staff-route';

/**
 * PUT /v1/cases/{caseId}/legal-hold: an admin holds the case; erasure requests are refused and its
 * items do not expire while it stands. The answer is the hold, not the case (admins read no case).
 * Roles: routes.ts.
 */
export const handler = caseActionHandler('place-legal-hold', LegalHoldInputSchema, placeLegalHold, undefined, heldCaseView);
