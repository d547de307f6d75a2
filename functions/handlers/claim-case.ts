import { ClaimInputSchema, claimCase } from '../core/actions/assignment';
import { caseActionHandler } from './http/staff-route';
import { trainingDepsOf } from './training-deps';

/** POST /v1/cases/{caseId}/claim: a representative takes an unassigned case, their required training checked (C5.3). Roles: routes.ts. */
export const handler = caseActionHandler('claim-case', ClaimInputSchema, claimCase, (config, app) => ({ training: trainingDepsOf(app, config) }));
