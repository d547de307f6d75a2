import { LegalHoldInputSchema, placeLegalHold } from '../core/actions/legal-hold';
import { caseActionHandler } from './http/staff-route';

/** PUT /v1/cases/{caseId}/legal-hold: an admin holds the case; erasure requests are refused while it stands. Roles: routes.ts. */
export const handler = caseActionHandler('place-legal-hold', LegalHoldInputSchema, placeLegalHold);
