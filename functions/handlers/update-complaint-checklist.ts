import { UpdateChecklistInputSchema, updateChecklist } from '../core/actions/update-checklist';
import { caseActionHandler } from './http/staff-route';

/** PATCH /v1/cases/{caseId}/checklist: complaint-checklist items (M3.2, M9.2). Roles: routes.ts. */
export const handler = caseActionHandler('update-complaint-checklist', UpdateChecklistInputSchema, updateChecklist);
