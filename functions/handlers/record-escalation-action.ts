import { EscalationActionInputSchema, recordEscalationAction } from '../core/actions/escalation-handling';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/escalation/actions: an action taken on the escalation (M3.3, M9.3). Roles: routes.ts. */
export const handler = caseActionHandler('record-escalation-action', EscalationActionInputSchema, recordEscalationAction);
