import { UnassignInputSchema, unassignCase } from '../core/actions/assignment';
import { caseActionHandler } from './http/staff-route';

/** DELETE /v1/cases/{caseId}/assignment: the case returns to the unassigned queue. Roles: routes.ts. */
export const handler = caseActionHandler('unassign-case', UnassignInputSchema, unassignCase);
