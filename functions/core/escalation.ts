import * as z from 'zod';
import type { Actor, Case } from './case';
import type { EventDraft } from './case-event';
import type { OutboxMessage } from './outbox';
import type { SlaPolicy } from './sla-policy';

/**
 * The escalation log (M3.3, M9.3 escalation form): one record per escalation with the date, who it
 * came from, the responsible party, the reason, who accepted it and when, every action taken (who,
 * when, what) and the outcome. The SLA workflow escalates automatically (M3.2 / C3.3); staff
 * escalate by hand through the same function. A case's escalations are numbered: ESC-01, ESC-02…
 */
export const EscalationActionSchema = z.object({ at: z.iso.datetime(), by: z.string(), action: z.string() });

export const EscalationRecordSchema = z.object({
  caseId: z.uuid(),
  escalationId: z.string(),
  /** 1, 2, 3… within the case (records written before numbering have none: their level is their number). */
  number: z.number().int().positive().optional(),
  level: z.number().int().positive(),
  trigger: z.enum(['automatic', 'manual']),
  escalatedAt: z.iso.datetime(),
  escalatedFrom: z.string(),
  responsibleParty: z.string(),
  reason: z.string().min(1),
  respondBy: z.iso.datetime(),
  actionsTaken: z.array(EscalationActionSchema),
  acknowledgedAt: z.iso.datetime().optional(),
  acceptedBy: z.string().optional(),
  /** How the escalation ended: resolved by the escalated party with an outcome, handed back to the agent, or escalated further. */
  ending: z.enum(['resolved', 'de-escalated', 'escalated-further']).optional(),
  endedAt: z.iso.datetime().optional(),
  outcome: z.string().optional(),
});
export type EscalationRecord = z.infer<typeof EscalationRecordSchema>;

/** Who is escalated to at each level; a roster service can replace this later. */
export interface EscalationContacts {
  teamInbox: string;
  /** Level 1: the supervisor on duty. */
  supervisor: string;
  /** Level 2 and above: the manager. */
  manager: string;
}

export const responsiblePartyFor = (level: number, contacts: EscalationContacts) => (level <= 1 ? contacts.supervisor : contacts.manager);

/** How far up the escalation levels a staff role reaches: level 1 is the supervisor, level 2 and above the manager. */
const ESCALATION_REACH: Readonly<Partial<Record<Actor['kind'], number>>> = { agent: 0, supervisor: 1, manager: 2 };

/**
 * Who may act on an escalation at `level` (accept it, record actions, resolve it, hand it back,
 * escalate it further): the escalated party or a role above them (M3.3). An agent cannot act for
 * the supervisor, nor a supervisor for the manager; the manager, the top of the chain, acts on every level.
 */
export function mayActOnEscalation(actor: Actor, level: number): boolean {
  return actor.kind === 'manager' || (ESCALATION_REACH[actor.kind] ?? 0) >= Math.max(1, level);
}

export const escalationPartyName = (level: number) => (level <= 1 ? 'the supervisor' : 'the manager');

/** The staff group an escalation level is for: its queue ("escalated to me"). */
export const escalationRoleFor = (level: number): 'supervisors' | 'managers' => (level <= 1 ? 'supervisors' : 'managers');

export const escalationIdOf = (number: number) => `ESC-${String(number).padStart(2, '0')}`;

/** The case's escalation number of its latest escalation (summaries written before numbering: the level). */
export const currentEscalationNumber = (c: Pick<Case, 'escalation'>): number | undefined => (c.escalation ? (c.escalation.number ?? c.escalation.level) : undefined);

/** An escalation is active from its start until it is resolved, handed back, or the case closes. */
export const isEscalationActive = (c: Pick<Case, 'escalation'>): boolean => Boolean(c.escalation && !c.escalation.endedAt);

export interface EscalationCommand {
  level: number;
  trigger: 'automatic' | 'manual';
  reason: string;
  actor: Actor;
  at: Date;
}

export interface EscalationChange {
  next: Case;
  record: EscalationRecord;
  draft: EventDraft;
  notification: OutboxMessage;
}

const who = (actor: Actor) => actor.id ?? actor.kind;

/**
 * Builds an escalation: the record, the timeline event, the email to the escalated party and the
 * case's new state. Escalating an active escalation further (a higher level) ends the current one
 * as `escalated-further`; the caller writes that record too (`endRecord`).
 */
export function escalate(c: Case, cmd: EscalationCommand, policy: SlaPolicy, contacts: EscalationContacts): EscalationChange {
  const iso = cmd.at.toISOString();
  const responsibleParty = responsiblePartyFor(cmd.level, contacts);
  const respondBy = new Date(cmd.at.getTime() + policy.escalationResponseHours * 3_600_000).toISOString();
  const active = isEscalationActive(c) ? c.escalation : undefined;
  const escalatedFrom = active ? active.responsibleParty : (c.assignee?.email ?? c.assignee?.id ?? 'unassigned');
  const number = (currentEscalationNumber(c) ?? 0) + 1;
  const escalationId = escalationIdOf(number);
  const record: EscalationRecord = {
    caseId: c.caseId,
    escalationId,
    number,
    level: cmd.level,
    trigger: cmd.trigger,
    escalatedAt: iso,
    escalatedFrom,
    responsibleParty,
    reason: cmd.reason,
    respondBy,
    actionsTaken: [{ at: iso, by: who(cmd.actor), action: `escalated to level ${cmd.level} and notified ${responsibleParty}` }],
  };
  return {
    next: { ...c, updatedAt: iso, escalation: { number, level: cmd.level, escalatedAt: iso, responsibleParty, respondBy } },
    record,
    draft: {
      type: 'escalated',
      at: iso,
      actor: cmd.actor,
      data: { escalationId, level: cmd.level, trigger: cmd.trigger, escalatedFrom, responsibleParty, reason: cmd.reason, respondBy },
    },
    notification: {
      caseId: c.caseId,
      id: `escalation#${number}`,
      kind: 'escalation',
      to: responsibleParty,
      data: { level: String(cmd.level), reason: cmd.reason, respondBy },
      status: 'pending',
      createdAt: iso,
      attempts: 0,
    },
  };
}

/** The current escalation's record as it ends (escalated further, resolved, handed back, or closed with the case). */
export function endRecord(record: EscalationRecord, ending: NonNullable<EscalationRecord['ending']>, actor: Actor, at: Date, note: string, outcome?: string): EscalationRecord {
  const iso = at.toISOString();
  return {
    ...record,
    ending,
    endedAt: iso,
    ...(outcome !== undefined ? { outcome } : {}),
    actionsTaken: [...record.actionsTaken, { at: iso, by: who(actor), action: note }],
  };
}

/** The record with one more action taken (M3.3: who, when, what). */
export const withAction = (record: EscalationRecord, actor: Actor, at: Date, action: string): EscalationRecord => ({
  ...record,
  actionsTaken: [...record.actionsTaken, { at: at.toISOString(), by: who(actor), action }],
});
