import { ClaimInputSchema, claimCase } from '../core/actions/assignment';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/claim: a representative takes an unassigned case. Roles: routes.ts. */
export const handler = caseActionHandler('claim-case', ClaimInputSchema, claimCase);
