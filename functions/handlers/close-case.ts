import { CloseInputSchema, closeCase } from '../core/actions/close';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/close: a resolved case closes; retention starts (M7.2). Roles: routes.ts. */
export const handler = caseActionHandler('close-case', CloseInputSchema, closeCase);
