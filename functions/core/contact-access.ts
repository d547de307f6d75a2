import * as z from 'zod';
import type { Actor, Case, Customer } from './case';

/**
 * The feedback team analyses cases without the customer's contact details (C4.2: the feedback log
 * is confidential; GDPR data minimisation). When one of them must reach a customer (a survey
 * follow-up, a complaint review), a supervisor grants them this case's contact details for a
 * limited time; the grant is on the audit trail.
 */
export const ContactAccessGrantSchema = z.object({
  staffId: z.string().min(1),
  grantedBy: z.string().min(1),
  grantedAt: z.iso.datetime(),
  expiresAt: z.iso.datetime(),
  reason: z.string().min(1),
});
export type ContactAccessGrant = z.infer<typeof ContactAccessGrantSchema>;

/** Who sees a case's contact details: every staff role but the feedback team, and them while a grant holds. */
export function seesContactDetails(c: Pick<Case, 'contactAccess'>, actor: Actor, at: Date): boolean {
  if (actor.kind !== 'feedback') return true;
  return (c.contactAccess ?? []).some((g) => g.staffId === actor.id && Date.parse(g.expiresAt) > at.getTime());
}

export type WithheldCustomer = Omit<Customer, 'email' | 'phone'> & { contactDetails: 'withheld' };

/** The customer as the feedback team sees them without a grant: the name, no way to reach them. */
export function withoutContactDetails(customer: Customer): WithheldCustomer {
  const { email: _email, phone: _phone, ...rest } = customer;
  return { ...rest, contactDetails: 'withheld' };
}
