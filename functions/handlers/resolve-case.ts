import { ResolveInputSchema, resolveCase } from '../core/actions/resolve';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/resolve: resolution with a summary; a complaint's checklist complete (C3.2, M9.2). Roles: routes.ts. */
export const handler = caseActionHandler('resolve-case', ResolveInputSchema, resolveCase);
