import { SYSTEM, type Actor } from './case';
import type { Clock } from './clock';
import { ConcurrentUpdateError, NotFoundError } from './errors';
import {
  applyCorrectiveActionPlan,
  monthsOfWindow,
  openNonCompliance,
  planCorrectiveAction,
  recordCorrectiveAction,
  REPEAT_POLICY,
  signOffNonCompliance,
  type CorrectiveActionContacts,
  type CorrectiveActionStep,
  type ListNonComplianceQuery,
  type NonComplianceRecord,
  type RecordCorrectiveActionInput,
  type ReportNonComplianceInput,
  type SignOffInput,
} from './non-compliance';
import { renderNonComplianceNotice } from './non-compliance-notices';
import type { Mailer } from './ports';
import { slaPolicy } from './sla-policy';

/**
 * The use cases of non-compliance records (C8.1–C8.3): a report by staff, the corrective-action
 * workflow's plan and apply steps, recording an action, the sign-off, the list. Breaches open
 * their records in the SLA step's own transaction (apply-sla.ts), through the same
 * `openNonCompliance`.
 */

/** Where the records are (DynamoDB: dynamo/non-compliance-store.ts). */
export interface NonComplianceStore {
  /** Writes a new record, only if none has its id: `exists` otherwise (a breach applied twice). */
  create(record: NonComplianceRecord): Promise<'created' | 'exists'>;
  get(id: string): Promise<NonComplianceRecord | undefined>;
  /** Replaces the record if it is still at `expectedVersion` (else ConcurrentUpdateError). */
  update(record: NonComplianceRecord, expectedVersion: number): Promise<void>;
  /** The records opened in a month (YYYY-MM), oldest first. */
  listMonth(month: string): Promise<NonComplianceRecord[]>;
}

/** The corrective-action workflow engine (Step Functions; the local runner): one execution a record. */
export interface CorrectiveActionWorkflows {
  start(recordId: string): Promise<'started' | 'already-started'>;
}

export interface NonComplianceDeps {
  store: NonComplianceStore;
  clock: Clock;
}

/** The workflow's steps also tell people: the supervisor on duty, management, by email. */
export interface CorrectiveActionStepDeps extends NonComplianceDeps {
  contacts: CorrectiveActionContacts;
  mailer: Mailer;
}

/** The member of staff's records of the repeat window (C8.3), for `openNonCompliance`. */
export async function earlierRecords(store: Pick<NonComplianceStore, 'listMonth'>, staffId: string | undefined, now: Date): Promise<NonComplianceRecord[]> {
  if (staffId === undefined) return [];
  const months = monthsOfWindow(now, REPEAT_POLICY.windowDays);
  const all = await Promise.all(months.map((m) => store.listMonth(m)));
  return all.flat().filter((r) => r.staffId === staffId);
}

/** A report by a member of staff (C8.1: reported immediately): the record, its window running. */
export async function reportNonCompliance(input: ReportNonComplianceInput, actor: Actor, id: string, deps: NonComplianceDeps): Promise<NonComplianceRecord> {
  const at = deps.clock.now();
  const record = openNonCompliance({
    id,
    cause: { kind: 'reported', description: input.description },
    caseId: input.caseId,
    staffId: input.staffId,
    openedBy: actor,
    at,
    policy: slaPolicy(),
    earlier: await earlierRecords(deps.store, input.staffId, at),
    notify: 'supervisors',
  });
  await deps.store.create(record);
  return record;
}

export async function getNonCompliance(id: string, store: NonComplianceStore): Promise<NonComplianceRecord> {
  const record = await store.get(id);
  if (!record) throw new NotFoundError('No such non-compliance record');
  return record;
}

async function change(id: string, deps: NonComplianceDeps, fn: (r: NonComplianceRecord) => NonComplianceRecord, expectedVersion?: number): Promise<NonComplianceRecord> {
  const record = await getNonCompliance(id, deps.store);
  if (expectedVersion !== undefined && expectedVersion !== record.version) throw new ConcurrentUpdateError('The record changed meanwhile; reload it and try again', record.version);
  const next = fn(record);
  await deps.store.update(next, record.version);
  return next;
}

/** C8.2: a typed corrective action with its evidence; the workflow's timer stops. */
export const addCorrectiveAction = (id: string, input: RecordCorrectiveActionInput, actor: Actor, deps: NonComplianceDeps) =>
  change(id, deps, (r) => recordCorrectiveAction(r, input, actor, deps.clock.now()));

/** A supervisor's sign-off: the record closes. */
export const signOff = (id: string, input: SignOffInput, actor: Actor, deps: NonComplianceDeps) => change(id, deps, (r) => signOffNonCompliance(r, input, actor, deps.clock.now()));

/** The workflow's plan step: wait until a time, act now, or done (the SLA step's answer, for the same ASL shape). */
export async function planCorrectiveActionStep(id: string, deps: NonComplianceDeps): Promise<{ action: 'wait' | 'act' | 'done'; until?: string; reason: string }> {
  const record = await deps.store.get(id);
  if (!record) return { action: 'done', reason: 'no such record' };
  const plan = planCorrectiveAction(record, deps.clock.now().getTime());
  if (plan.due.length > 0) return { action: 'act', reason: plan.due.map((d) => d.type).join(',') };
  if (plan.nextAt === undefined) return { action: 'done', reason: record.status };
  return { action: 'wait', until: new Date(plan.nextAt).toISOString(), reason: record.warned ? 'deadline' : 'warning' };
}

/**
 * The workflow's apply step: the warning (supervisor) and the missed deadline (management), each
 * once. The emails go before the record changes: a retry after a failure may send one twice,
 * never none.
 */
export async function applyCorrectiveActionStep(id: string, deps: CorrectiveActionStepDeps): Promise<CorrectiveActionStep[]> {
  const record = await deps.store.get(id);
  if (!record) return [];
  const result = applyCorrectiveActionPlan(record, deps.clock.now(), deps.contacts, SYSTEM);
  if (!result) return [];
  for (const step of result.applied) {
    const notice = step.type === 'warn' ? renderNonComplianceNotice(record, 'non_compliance_warning', deps.contacts.supervisor) : renderNonComplianceNotice(record, 'non_compliance_overdue', deps.contacts.manager);
    await deps.mailer.send(notice);
  }
  await deps.store.update(result.next, record.version);
  return result.applied;
}

/** The list for supervisors and auditors: a month's records, filtered. */
export async function listNonCompliance(query: ListNonComplianceQuery, store: NonComplianceStore, now: Date): Promise<NonComplianceRecord[]> {
  const month = query.month ?? now.toISOString().slice(0, 7);
  return (await store.listMonth(month)).filter((r) => (query.status === undefined || r.status === query.status) && (query.staffId === undefined || r.staffId === query.staffId));
}
