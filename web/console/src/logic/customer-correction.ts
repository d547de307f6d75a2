import type { Customer } from '../api/types';

/**
 * A correction of the customer's details (M5.1 / C6.1, the right to rectification) as PATCH
 * …/customer takes it: only the fields changed, an emptied email or phone as null (removed). The
 * server keeps the customer reachable (an email or a phone must stay) and says so otherwise.
 */
export interface CustomerDraft {
  name: string;
  email: string;
  phone: string;
}

export const customerDraft = (c: Customer): CustomerDraft => ({ name: c.name, email: c.email ?? '', phone: c.phone ?? '' });

export function customerCorrection(current: Customer, draft: CustomerDraft): { name?: string; email?: string | null; phone?: string | null } {
  const out: { name?: string; email?: string | null; phone?: string | null } = {};
  const name = draft.name.trim();
  if (name && name !== current.name) out.name = name;
  for (const field of ['email', 'phone'] as const) {
    // Addresses are kept lower-cased: a change of case alone is no correction.
    const value = field === 'email' ? draft.email.trim().toLowerCase() : draft.phone.trim();
    const was = current[field];
    if (value === '' && was !== undefined) out[field] = null;
    else if (value !== '' && value !== (field === 'email' ? was?.toLowerCase() : was)) out[field] = value;
  }
  return out;
}
