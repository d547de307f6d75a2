import { PendingCustomerInputSchema, clearPendingCustomer } from '../core/actions/pending-customer';
import { caseActionHandler } from './http/staff-route';

/** DELETE /v1/cases/{caseId}/pending-customer: work resumes. Roles: routes.ts. */
export const handler = caseActionHandler('clear-pending-customer', PendingCustomerInputSchema, clearPendingCustomer);
