import { AcknowledgeInputSchema, acknowledgeCase } from '../core/actions/acknowledge';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/acknowledge: an agent acknowledges a new case (M3.1). Roles: routes.ts. */
export const handler = caseActionHandler('acknowledge-case', AcknowledgeInputSchema, acknowledgeCase);
