import { UpdateCustomerInputSchema, updateCustomer } from '../core/actions/update-customer';
import { caseActionHandler } from './http/staff-route';

/** PATCH /v1/cases/{caseId}/customer: the customer's details corrected, with the reason (M5.1 rectification). Roles: routes.ts. */
export const handler = caseActionHandler('update-customer', UpdateCustomerInputSchema, updateCustomer);
