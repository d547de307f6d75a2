import { ResolveEscalationInputSchema, resolveEscalation } from '../core/actions/escalation-handling';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/escalation/resolve: the escalation's outcome (M3.3, M9.3). Roles: routes.ts. */
export const handler = caseActionHandler('resolve-escalation', ResolveEscalationInputSchema, resolveEscalation);
