import * as z from 'zod';
import { escalateManually } from '../core/case-actions';
import { cleanBody } from '../core/text/normalise-text';
import { requiredText } from '../core/validation';
import { staffAction } from './staff-action';

const EscalationSchema = z.object({ reason: requiredText('Reason', 2000, cleanBody) });

/**
 * POST /v1/cases/{caseId}/escalations: escalate by hand, one level up (M3.3), with the same log
 * and email as automatic escalations. Anyone on the case escalates to the supervisor; only the
 * escalated party (or a role above) escalates further.
 */
export const handler = staffAction('escalate-case', 'case escalated', EscalationSchema, (caseId, body, actor, deps, config) =>
  escalateManually(caseId, body.reason, actor, { ...deps, contacts: { teamInbox: config.TEAM_INBOX_EMAIL, supervisor: config.SUPERVISOR_EMAIL, manager: config.MANAGER_EMAIL } }),
);
