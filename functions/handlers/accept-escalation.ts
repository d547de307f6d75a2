import { AcceptEscalationInputSchema, acceptEscalation } from '../core/actions/escalation-handling';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/escalation/accept: the escalated party accepts the escalation (M3.3). Roles: routes.ts. */
export const handler = caseActionHandler('accept-escalation', AcceptEscalationInputSchema, acceptEscalation);
