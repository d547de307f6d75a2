import { PendingCustomerInputSchema, setPendingCustomer } from '../core/actions/pending-customer';
import { caseActionHandler } from './http/staff-route';

/** POST /v1/cases/{caseId}/pending-customer: the case waits for the customer. Roles: routes.ts. */
export const handler = caseActionHandler('set-pending-customer', PendingCustomerInputSchema, setPendingCustomer);
