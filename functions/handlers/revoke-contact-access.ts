import { RevokeContactAccessInputSchema, revokeContactAccess } from '../core/actions/revoke-contact-access';
import { caseActionHandler } from './http/staff-route';

/** DELETE /v1/cases/{caseId}/contact-access: a supervisor ends a feedback-team member's contact-detail grant (C4.2). Roles: routes.ts. */
export const handler = caseActionHandler('revoke-contact-access', RevokeContactAccessInputSchema, revokeContactAccess);
