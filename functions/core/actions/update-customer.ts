import * as z from 'zod';
import { PhoneSchema, type Case } from '../case';
import { emailAddress } from '../email-address';
import { CaseStateError } from '../errors';
import { cleanBody, cleanLine } from '../text/normalise-text';
import { requiredText } from '../validation';
import { assertNotClosed } from './guards';
import { runCaseAction, type ActionRequest, type CaseActionDeps } from './case-action';

/**
 * Staff correct the customer's details (M5.1 / C6.1: the right to rectification; an address that
 * bounces, a caller who later gives an email): name, email, phone. A field set to null is removed,
 * as long as the customer keeps an email or a phone. The before and after are on the audit trail.
 */
export const UpdateCustomerInputSchema = z
  .object({
    name: requiredText('Name', 200).optional(),
    email: z.union([requiredText('Email', 254).toLowerCase().pipe(emailAddress()), z.null()]).optional(),
    phone: z.union([z.string().overwrite(cleanLine).trim().pipe(PhoneSchema), z.null()]).optional(),
    reason: requiredText('Reason', 1000, cleanBody),
  })
  .strict()
  .refine((i) => i.name !== undefined || i.email !== undefined || i.phone !== undefined, 'Name a field to correct: name, email or phone');

export function updateCustomer(caseId: string, input: z.infer<typeof UpdateCustomerInputSchema>, req: ActionRequest, deps: CaseActionDeps) {
  return runCaseAction(caseId, deps, req, (c, at) => {
    assertNotClosed(c, 'corrected');
    const customer: Case['customer'] = { ...c.customer };
    if (input.name !== undefined) customer.name = input.name;
    for (const field of ['email', 'phone'] as const) {
      const value = input[field];
      if (value === null) delete customer[field];
      else if (value !== undefined) customer[field] = value;
    }
    // A corrected address has not bounced yet.
    if (input.email !== undefined && input.email !== c.customer.email) delete customer.emailBouncing;
    if (customer.email === undefined && customer.phone === undefined) throw new CaseStateError('The customer must keep an email address or a phone number');
    const fields = (['name', 'email', 'phone'] as const).filter((f) => customer[f] !== c.customer[f]);
    if (fields.length === 0) throw new CaseStateError(`The customer of ${c.reference} has those details already`);
    const iso = at.toISOString();
    return { next: { ...c, customer, updatedAt: iso }, drafts: [{ type: 'customer_updated', at: iso, actor: req.actor, data: { fields, reason: input.reason } }] };
  });
}
