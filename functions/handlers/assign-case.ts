import { AssignInputSchema, assignCase } from '../core/actions/assignment';
import { caseActionHandler } from './http/staff-route';
import { trainingDepsOf } from './training-deps';

/** POST /v1/cases/{caseId}/assignment: a supervisor assigns the case to a named representative or supervisor (M4.2), whose required training is checked (C5.3). Roles: routes.ts. */
export const handler = caseActionHandler('assign-case', AssignInputSchema, assignCase, (config, app) => ({ training: trainingDepsOf(app, config) }));
