import { SetPriorityInputSchema, setPriority } from '../core/actions/set-priority';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/priority: the case's priority. Roles: routes.ts. */
export const handler = caseActionHandler('set-case-priority', SetPriorityInputSchema, setPriority);
