import * as z from 'zod';
import type { PrivacySubject } from './privacy-subject';
import { CaseStatusSchema, CaseTypeSchema, PrioritySchema, type CaseSummary } from './case';
import { emailAddress } from './email-address';

/**
 * The staff queues (M4.1, M4.2): each one is read from one index partition, page by page, in its
 * own order, with no Scan and no filter expression (docs/data-model.md has the keys):
 * - `all`: cases by status (one status, or `open` for every open one), optionally one type and one priority; newest first.
 * - `mine`: the caller's open cases, nearest deadline first.
 * - `unassigned`: open cases nobody holds, nearest deadline first.
 * - `breaching`: every open case, nearest open deadline first (SLA breaches at the top).
 * - `escalated`: active escalations at one level, soonest respond-by first: the caller's (supervisors: level 1; managers: level 2
 *   and above), or the one `level` names (`supervisors` or `managers`): a supervisor's board shows their team's escalations at
 *   both levels. Nothing new is disclosed: whoever reads this queue reads every open case in `breaching` too.
 * A reference finds its one case; a customer's cases are searched by their email address or phone
 * number in a request body (POST /v1/cases/search): personal data never goes in a URL.
 */
export const QUEUE_NAMES = ['all', 'mine', 'unassigned', 'breaching', 'escalated'] as const;
export const QueueNameSchema = z.enum(QUEUE_NAMES);
export type QueueName = z.infer<typeof QueueNameSchema>;

export const StatusFilterSchema = z.enum(['open', ...CaseStatusSchema.options]);
export type StatusFilter = z.infer<typeof StatusFilterSchema>;

/** The escalated queue's levels, named for the role that answers them: level 1 the supervisors', level 2 and above the managers' (M3.3). */
export const EscalationLevelSchema = z.enum(['supervisors', 'managers']);
export type EscalationLevel = z.infer<typeof EscalationLevelSchema>;

export const PAGE_LIMIT_DEFAULT = 25;
export const PAGE_LIMIT_MAX = 100;
const limit = z.coerce.number({ error: `limit must be a number from 1 to ${PAGE_LIMIT_MAX}` }).int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT);
const cursor = z.string().max(2048, 'cursor is too long').optional();

/** GET /v1/cases: the queue, its filters, the page. Filters belong to the `all` queue, `level` to the `escalated` one; a reference stands alone. */
export const ListCasesQuerySchema = z
  .object({
    queue: QueueNameSchema.default('all'),
    status: StatusFilterSchema.optional(),
    type: CaseTypeSchema.optional(),
    priority: PrioritySchema.optional(),
    level: EscalationLevelSchema.optional(),
    reference: z
      .string()
      .trim()
      .toUpperCase()
      .regex(/^CS-[0-9A-Z]{6}$/, 'reference must look like CS-7K3M9Q')
      .optional(),
    limit,
    cursor,
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.queue !== 'all') {
      for (const f of ['status', 'type', 'priority'] as const) {
        if (q[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: `The ${q.queue} queue takes no ${f} filter (filters are for queue=all)` });
      }
    }
    if (q.level !== undefined && q.queue !== 'escalated') {
      ctx.addIssue({ code: 'custom', path: ['level'], message: `The ${q.queue} queue takes no level (level is for queue=escalated)` });
    }
    if (q.reference !== undefined && (q.queue !== 'all' || q.status !== undefined || q.type !== undefined || q.priority !== undefined || q.cursor !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['reference'], message: 'A reference finds one case: give it without a queue, filters or cursor' });
    }
  });
export type ListCasesQuery = z.infer<typeof ListCasesQuerySchema>;

/** POST /v1/cases/search: a customer's cases by their email address or phone number (GDPR access requests use the same index). */
export const SearchCasesInputSchema = z
  .object({
    email: z.string().trim().toLowerCase().pipe(emailAddress()).optional(),
    phone: z.string().trim().regex(/^\+?[0-9 ().-]{6,32}$/, 'Enter a valid phone number').optional(),
    limit,
    cursor,
  })
  .strict()
  .refine((q) => (q.email === undefined) !== (q.phone === undefined), { message: 'Give either an email address or a phone number', path: ['email'] });
export type SearchCasesInput = z.infer<typeof SearchCasesInputSchema>;

/** What the store reads for one page: the partition a queue is served from. */
export type QueueSelection =
  | { queue: 'all'; status: StatusFilter; type?: z.infer<typeof CaseTypeSchema>; priority?: z.infer<typeof PrioritySchema> }
  | { queue: 'mine'; staffId: string }
  | { queue: 'unassigned' }
  | { queue: 'breaching' }
  | { queue: 'escalated'; role: EscalationLevel }
  | { queue: 'customer'; email: string }
  | { queue: 'customer'; phone: string }
  /** By the digest the index is keyed by (privacy requests: they hold no address). */
  | { queue: 'customer'; subject: PrivacySubject };

export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. Bound to the selection it was made for. */
  cursor?: string;
}

/** The port the queues are read through (dynamo/case-queues.ts). */
export interface CaseQueues {
  /** One page of a queue, in the queue's order. A cursor made for another selection, or altered, is an InvalidInputError naming `cursor`. */
  listQueue(selection: QueueSelection, page: { limit: number; cursor?: string }): Promise<Page<CaseSummary>>;
  /** The case with this reference, if any. */
  findByReference(reference: string): Promise<CaseSummary | undefined>;
}
