import * as z from 'zod';
import { readConfig, SlaContactsSchema } from '../adapters/config';
import { escalateManually } from '../core/case-actions';
import { staffAction } from './staff-action';

const contactsConfig = readConfig(SlaContactsSchema);
const contacts = { teamInbox: contactsConfig.TEAM_INBOX_EMAIL, supervisor: contactsConfig.SUPERVISOR_EMAIL, manager: contactsConfig.MANAGER_EMAIL };

const EscalationSchema = z.object({ reason: z.string({ error: 'Give the reason for the escalation' }).trim().min(1, 'Give the reason for the escalation').max(2000) });

/** POST /v1/cases/{caseId}/escalations: an agent escalates by hand, one level up (M3.3); the same log and email as automatic escalations. */
export const handler = staffAction('case escalated', EscalationSchema, (caseId, body, actor, deps) => escalateManually(caseId, body.reason, actor, { ...deps, contacts }));
