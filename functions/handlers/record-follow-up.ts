import { RecordFollowUpInputSchema, recordFollowUp } from '../core/actions/record-follow-up';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/follow-up: records what a complaint's follow-up found (M3.2), and schedules the next one if asked. Roles: routes.ts. */
export const handler = caseActionHandler('record-follow-up', RecordFollowUpInputSchema, recordFollowUp);
