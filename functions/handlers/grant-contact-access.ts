import { GrantContactAccessInputSchema, grantContactAccess } from '../core/actions/grant-contact-access';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/contact-access: a supervisor lets a feedback-team member see contact details for a while (C4.2). Roles: routes.ts. */
export const handler = caseActionHandler('grant-contact-access', GrantContactAccessInputSchema, grantContactAccess);
