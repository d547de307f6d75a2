import { ReopenInputSchema, reopenCase } from '../core/actions/reopen';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/reopen: a resolved case reopened, with the reason. Roles: routes.ts. */
export const handler = caseActionHandler('reopen-case', ReopenInputSchema, reopenCase);
