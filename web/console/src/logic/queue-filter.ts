import type { CaseSummary } from '../api/types';
import { isOpen } from './format';
import type { QueueFilters } from './router';

/**
 * The queue's filters applied to the rows on screen. The `all` queue is filtered by the server
 * (GET /v1/cases?status=…); the other queues take no filters there, so the console narrows the
 * rows it has. Either way a row shows only if it matches every filter chosen.
 */
export function filterRows(rows: readonly CaseSummary[], filters: QueueFilters): CaseSummary[] {
  return rows.filter(
    (c) =>
      (filters.status === undefined || (filters.status === 'open' ? isOpen(c.status) : c.status === filters.status)) &&
      (filters.type === undefined || c.type === filters.type) &&
      (filters.priority === undefined || c.priority === filters.priority),
  );
}

/**
 * What a search box entry is: a case reference (GET ?reference=, which holds no personal data),
 * or a customer's email address or phone number (POST /v1/cases/search: the terms go in the
 * body, never in a URL).
 */
export type SearchKind =
  | { kind: 'reference'; reference: string }
  | { kind: 'email'; email: string }
  | { kind: 'phone'; phone: string }
  | { kind: 'invalid'; message: string };

const REFERENCE = /^CS-?[0-9A-Z]{6}$/i;

/**
 * `customers: false` for those who may not search by a customer's contact details (the feedback
 * team, C4.2: POST /v1/cases/search refuses them): a reference is all they can look up.
 */
export function searchKind(input: string, opts: { customers?: boolean } = {}): SearchKind {
  const value = input.trim();
  const customers = opts.customers ?? true;
  if (value === '') return { kind: 'invalid', message: customers ? 'Enter a case reference or a customer email address' : 'Enter a case reference' };
  if (REFERENCE.test(value)) return { kind: 'reference', reference: `CS-${value.toUpperCase().replace(/^CS-?/, '')}` };
  if (!customers) return { kind: 'invalid', message: 'Enter a case reference (like CS-7K3M9Q): your role does not search by a customer’s contact details' };
  if (value.includes('@')) {
    return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? { kind: 'email', email: value.toLowerCase() } : { kind: 'invalid', message: 'That email address is not complete' };
  }
  if (/^\+?[0-9 ().-]{6,32}$/.test(value)) return { kind: 'phone', phone: value };
  return { kind: 'invalid', message: 'Enter a case reference (like CS-7K3M9Q) or a customer email address' };
}
