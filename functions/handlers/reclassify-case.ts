import { ReclassifyInputSchema, reclassifyCase } from '../core/actions/reclassify';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/type: inquiry <-> complaint, the complaint milestones recomputed (M3.2, M8.3). Roles: routes.ts. */
export const handler = caseActionHandler('reclassify-case', ReclassifyInputSchema, reclassifyCase);
