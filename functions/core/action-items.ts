import * as z from 'zod';
import { DaySchema, utcDay } from './audit-anchor';
import type { Actor } from './case';
import type { Clock } from './clock';
import { ConcurrentUpdateError, ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import type { NonComplianceStore } from './non-compliance-records';
import type { CaseStore } from './ports';
import type { StaffDirectory } from './staff';

/**
 * Action items (M8.2, C7.2; docs/feedback-analysis.md): what the feedback team or a supervisor
 * recommends after a recurring issue in the feedback (a theme of the trends, some answers, cases or
 * non-compliance records), who owns it, by when, and where it stands: open, in progress, done, or
 * dropped with a reason. Every change is kept in the item's history, with who made it and when.
 *
 * Who: the feedback team and supervisors (managers too) create items and change any; the owner
 * changes their own. A change names the version it was made on (If-Match): two people changing one
 * item at once do not overwrite each other (409). The recommendation is staff's text about the
 * service: it names no customer (the links are case ids), and is never logged.
 */

export const ActionItemStatusSchema = z.enum(['open', 'in_progress', 'done', 'dropped']);
export type ActionItemStatus = z.infer<typeof ActionItemStatusSchema>;

/** Still owed: open or in progress. */
export const isActive = (s: ActionItemStatus) => s === 'open' || s === 'in_progress';

const CaseIdListSchema = z.array(z.uuid()).max(100);

/** What prompted the item: survey answers (by their case: a case has one answer), cases, non-compliance records. */
export const ActionItemLinksSchema = z.object({
  feedback: CaseIdListSchema.default([]),
  cases: CaseIdListSchema.default([]),
  // The record ids of handlers/path-params.ts RecordIdPathSchema.
  nonCompliance: z.array(z.string().regex(/^nc-[A-Za-z0-9_-]{1,73}$/, 'a non-compliance record id (nc-…)')).max(100).default([]),
});
export type ActionItemLinks = z.infer<typeof ActionItemLinksSchema>;

const Recommendation = z.string().trim().min(1, 'Say what should change').max(2000, 'At most 2,000 characters');
const Reason = z.string().trim().min(1).max(1000);
const StaffId = z.string().trim().min(1).max(200);

/** One change: the fields that changed, from what to what, and the reason given (a dropped item's, or a note). */
export const ActionItemChangeSchema = z.object({
  at: z.iso.datetime(),
  by: z.object({ id: z.string(), kind: z.string() }),
  status: z.object({ from: ActionItemStatusSchema.nullable(), to: ActionItemStatusSchema }).optional(),
  owner: z.object({ from: z.string().nullable(), to: z.string() }).optional(),
  dueOn: z.object({ from: z.string().nullable(), to: z.string() }).optional(),
  reason: z.string().optional(),
});
export type ActionItemChange = z.infer<typeof ActionItemChangeSchema>;

export const ActionItemSchema = z.object({
  itemId: z.string(),
  recommendation: z.string(),
  /** The trends' theme it answers, if any (docs/feedback-analysis.md). */
  theme: z.string().optional(),
  owner: z.string(),
  /** The last UTC day it is due on: overdue from the next day while still open or in progress. */
  dueOn: z.string(),
  status: ActionItemStatusSchema,
  droppedReason: z.string().optional(),
  links: ActionItemLinksSchema,
  createdBy: z.object({ id: z.string(), kind: z.string() }),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  /** Starts at 1; each change adds 1. The ETag, and what If-Match names. */
  version: z.number().int().positive(),
  history: z.array(ActionItemChangeSchema),
});
export type ActionItem = z.infer<typeof ActionItemSchema>;

/** An item as the API shows it: with whether it is overdue today. */
export const ActionItemViewSchema = ActionItemSchema.extend({ overdue: z.boolean() });
export type ActionItemView = z.infer<typeof ActionItemViewSchema>;

/**
 * The overdue rule (M8.2): an item is overdue when it is still open or in progress after its due
 * day (UTC) has ended. Done and dropped items are never overdue.
 */
export function isOverdue(item: Pick<ActionItem, 'status' | 'dueOn'>, now: Date): boolean {
  return isActive(item.status) && item.dueOn < utcDay(now);
}

export const viewOf = (item: ActionItem, now: Date): ActionItemView => ({ ...item, overdue: isOverdue(item, now) });

// ---- requests ----

export const CreateActionItemSchema = z
  .object({
    recommendation: Recommendation,
    theme: z.string().trim().min(1).max(60).optional(),
    owner: StaffId,
    dueOn: DaySchema,
    links: ActionItemLinksSchema.default({ feedback: [], cases: [], nonCompliance: [] }),
  })
  .strict()
  .refine((b) => b.links.feedback.length + b.links.cases.length + b.links.nonCompliance.length > 0, {
    message: 'Link the feedback answers, cases or non-compliance records that prompted it',
    path: ['links'],
  });
export type CreateActionItem = z.infer<typeof CreateActionItemSchema>;

export const UpdateActionItemSchema = z
  .object({
    status: ActionItemStatusSchema.optional(),
    owner: StaffId.optional(),
    dueOn: DaySchema.optional(),
    /** Required to drop an item; a note otherwise. */
    reason: Reason.optional(),
  })
  .strict()
  .refine((b) => b.status !== undefined || b.owner !== undefined || b.dueOn !== undefined, { message: 'Change the status, the owner or the due day', path: ['status'] })
  .refine((b) => b.status !== 'dropped' || b.reason !== undefined, { message: 'Give the reason it is dropped', path: ['reason'] });
export type UpdateActionItem = z.infer<typeof UpdateActionItemSchema>;

export const ActionItemIdPathSchema = z.object({ itemId: z.string().regex(/^ai-[0-9a-f-]{36}$/, 'an action item id (ai-…)') });

export const ListActionItemsQuerySchema = z
  .object({
    status: ActionItemStatusSchema.optional(),
    owner: StaffId.optional(),
    overdue: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
  })
  .strict();
export type ListActionItemsQuery = z.infer<typeof ListActionItemsQuerySchema>;

export const ActionItemListSchema = z.object({ items: z.array(ActionItemViewSchema) });

// ---- the store and the use cases ----

/** The action items (one partition of the table in AWS: adapters/dynamo/action-item-store.ts). */
export interface ActionItemStore {
  /** Writes a new item; fails if its id exists. */
  create(item: ActionItem): Promise<void>;
  get(itemId: string): Promise<ActionItem | undefined>;
  /** Writes the item's next version; false when the stored one is no longer `expectedVersion`. */
  replace(item: ActionItem, expectedVersion: number): Promise<boolean>;
  /** Every item, oldest first. */
  list(): Promise<ActionItem[]>;
}

export interface ActionItemDeps {
  items: ActionItemStore;
  staff: Pick<StaffDirectory, 'find'>;
  cases: Pick<CaseStore, 'getCase'>;
  nonCompliance: Pick<NonComplianceStore, 'get'>;
  clock: Clock;
  newId: () => string;
}

/** Who may own an item: someone who works cases or analyses feedback (not an auditor or an admin alone). */
async function checkOwner(staff: ActionItemDeps['staff'], id: string, path: string): Promise<void> {
  const member = await staff.find(id);
  if (!member?.roles.some((r) => r === 'agents' || r === 'supervisors' || r === 'managers' || r === 'feedback')) {
    throw new InvalidInputError([{ path, message: 'The owner must be a representative, supervisor or feedback-team member of the staff directory' }]);
  }
}

/** The links name what exists: each feedback link a case whose survey was answered, each case link a case, each record link a record. */
async function checkLinks({ cases, nonCompliance }: Pick<ActionItemDeps, 'cases' | 'nonCompliance'>, links: ActionItemLinks): Promise<void> {
  const issues: { path: string; message: string }[] = [];
  for (const [i, id] of links.feedback.entries()) {
    const c = await cases.getCase(id);
    if (!c?.survey?.answeredAt) issues.push({ path: `links.feedback.${i}`, message: 'No survey answer of that case' });
  }
  for (const [i, id] of links.cases.entries()) if (!(await cases.getCase(id))) issues.push({ path: `links.cases.${i}`, message: 'No such case' });
  for (const [i, id] of links.nonCompliance.entries()) if (!(await nonCompliance.get(id))) issues.push({ path: `links.nonCompliance.${i}`, message: 'No such non-compliance record' });
  if (issues.length > 0) throw new InvalidInputError(issues);
}

const mayManage = (actor: Actor) => actor.kind === 'feedback' || actor.kind === 'supervisor' || actor.kind === 'manager';

/** POST /v1/action-items (the feedback team, supervisors). */
export async function createActionItem(input: CreateActionItem, actor: Actor, deps: ActionItemDeps): Promise<ActionItemView> {
  if (!mayManage(actor) || actor.id === undefined) throw new ForbiddenError('Action items are created by the feedback team and supervisors');
  const now = deps.clock.now();
  if (input.dueOn < utcDay(now)) throw new InvalidInputError([{ path: 'dueOn', message: 'The due day is past' }]);
  await checkOwner(deps.staff, input.owner, 'owner');
  await checkLinks(deps, input.links);
  const at = now.toISOString();
  const by = { id: actor.id, kind: actor.kind };
  const item: ActionItem = {
    itemId: `ai-${deps.newId()}`,
    recommendation: input.recommendation,
    ...(input.theme !== undefined ? { theme: input.theme } : {}),
    owner: input.owner,
    dueOn: input.dueOn,
    status: 'open',
    links: input.links,
    createdBy: by,
    createdAt: at,
    updatedAt: at,
    version: 1,
    history: [{ at, by, status: { from: null, to: 'open' }, owner: { from: null, to: input.owner }, dueOn: { from: null, to: input.dueOn } }],
  };
  await deps.items.create(item);
  return viewOf(item, now);
}

/**
 * PATCH /v1/action-items/{itemId}: the status, owner or due day, on the version the caller saw
 * (If-Match; 409 with the current version when it moved on). The feedback team and supervisors
 * change any item; the owner their own; anyone else gets 403. A done or dropped item is closed:
 * reopening it is a status change back to open, with its reason.
 */
export async function updateActionItem(itemId: string, input: UpdateActionItem, expectedVersion: number, actor: Actor, deps: ActionItemDeps): Promise<ActionItemView> {
  const item = await deps.items.get(itemId);
  if (!item) throw new NotFoundError('No such action item');
  if (!mayManage(actor) && (actor.id === undefined || actor.id !== item.owner)) throw new ForbiddenError('Only the item’s owner, the feedback team and supervisors change an action item');
  if (item.version !== expectedVersion) throw new ConcurrentUpdateError('The action item changed meanwhile; reload it and try again', item.version);
  if (input.owner !== undefined && input.owner !== item.owner) await checkOwner(deps.staff, input.owner, 'owner');
  const now = deps.clock.now();
  const at = now.toISOString();
  const change: ActionItemChange = {
    at,
    by: { id: actor.id ?? 'unknown', kind: actor.kind },
    ...(input.status !== undefined && input.status !== item.status ? { status: { from: item.status, to: input.status } } : {}),
    ...(input.owner !== undefined && input.owner !== item.owner ? { owner: { from: item.owner, to: input.owner } } : {}),
    ...(input.dueOn !== undefined && input.dueOn !== item.dueOn ? { dueOn: { from: item.dueOn, to: input.dueOn } } : {}),
    ...(input.reason !== undefined ? { reason: input.reason } : {}),
  };
  if (!change.status && !change.owner && !change.dueOn) throw new InvalidInputError([{ path: 'status', message: 'Nothing changes: the item already stands so' }]);
  const status = change.status?.to ?? item.status;
  const { droppedReason: _previous, ...rest } = item;
  const next: ActionItem = {
    ...rest,
    status,
    ...(status === 'dropped' ? { droppedReason: input.reason ?? item.droppedReason ?? '' } : {}),
    owner: change.owner?.to ?? item.owner,
    dueOn: change.dueOn?.to ?? item.dueOn,
    updatedAt: at,
    version: item.version + 1,
    history: [...item.history, change],
  };
  if (!(await deps.items.replace(next, item.version))) {
    const current = await deps.items.get(itemId);
    throw new ConcurrentUpdateError('The action item changed meanwhile; reload it and try again', current?.version);
  }
  return viewOf(next, now);
}

/** GET /v1/action-items?status&owner&overdue: the items that match, overdue ones first, then by due day. */
export async function listActionItems(q: ListActionItemsQuery, deps: Pick<ActionItemDeps, 'items' | 'clock'>): Promise<ActionItemView[]> {
  const now = deps.clock.now();
  return (await deps.items.list())
    .map((i) => viewOf(i, now))
    .filter((i) => (q.status === undefined || i.status === q.status) && (q.owner === undefined || i.owner === q.owner) && (q.overdue === undefined || i.overdue === q.overdue))
    .sort((a, b) => Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn) || a.createdAt.localeCompare(b.createdAt));
}

/** GET /v1/action-items/{itemId}. */
export async function getActionItem(itemId: string, deps: Pick<ActionItemDeps, 'items' | 'clock'>): Promise<ActionItemView> {
  const item = await deps.items.get(itemId);
  if (!item) throw new NotFoundError('No such action item');
  return viewOf(item, deps.clock.now());
}
