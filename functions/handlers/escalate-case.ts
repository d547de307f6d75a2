import { EscalateInputSchema, escalateCase } from '../core/actions/escalation-handling';
import { caseActionHandler } from './http/staff-route';

/**
 * POST /v1/cases/{caseId}/escalations: escalate by hand (M3.3), with the same log and email as
 * automatic escalations: to the supervisor, or further by the escalated party. Roles: routes.ts.
 */
export const handler = caseActionHandler('escalate-case', EscalateInputSchema, (caseId, input, req, deps) => escalateCase(caseId, input, req, { ...deps, contacts: deps.contacts ?? missingContacts() }), (config) => ({
  contacts: { teamInbox: config.TEAM_INBOX_EMAIL, supervisor: config.SUPERVISOR_EMAIL, manager: config.MANAGER_EMAIL },
}));

function missingContacts(): never {
  throw new Error('caseflow: escalate-case has no escalation contacts');
}
