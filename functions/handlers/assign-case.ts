import { AssignInputSchema, assignCase } from '../core/actions/assignment';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/assignment: a supervisor assigns the case to a named representative or supervisor (M4.2). Roles: routes.ts. */
export const handler = caseActionHandler('assign-case', AssignInputSchema, assignCase);
