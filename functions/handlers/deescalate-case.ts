import { DeescalateInputSchema, deescalateCase } from '../core/actions/escalation-handling';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/escalation/de-escalate: the case back to the representative. Roles: routes.ts. */
export const handler = caseActionHandler('deescalate-case', DeescalateInputSchema, deescalateCase);
