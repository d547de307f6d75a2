import * as z from 'zod';
import { readConfig, SlaContactsSchema } from '../adapters/config';
import { escalateManually } from '../core/case-actions';
import { cleanBody } from '../core/text/normalise-text';
import { requiredText } from '../core/validation';
import { staffAction } from './staff-action';

const contactsConfig = readConfig(SlaContactsSchema);
const contacts = { teamInbox: contactsConfig.TEAM_INBOX_EMAIL, supervisor: contactsConfig.SUPERVISOR_EMAIL, manager: contactsConfig.MANAGER_EMAIL };

const EscalationSchema = z.object({ reason: requiredText('Reason', 2000, cleanBody) });

/**
 * POST /v1/cases/{caseId}/escalations: escalate by hand, one level up (M3.3), with the same log
 * and email as automatic escalations. Anyone on the case escalates to the supervisor; only the
 * escalated party (or a role above) escalates further.
 */
export const handler = staffAction('case escalated', EscalationSchema, (caseId, body, actor, deps) => escalateManually(caseId, body.reason, actor, { ...deps, contacts }));
