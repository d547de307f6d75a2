import * as z from 'zod';
import type { Actor, Case } from './case';
import type { EventDraft } from './case-event';
import type { OutboxMessage } from './outbox';
import type { SlaPolicy } from './sla-policy';

/**
 * The escalation log (M3.3, M9.3): one record per escalation with the date, who it came from,
 * the responsible party, the reason, the actions taken and the outcome. The SLA workflow escalates
 * automatically (M3.2 / C3.3); agents will escalate manually through the same function.
 */
export const EscalationRecordSchema = z.object({
  caseId: z.uuid(),
  escalationId: z.string(),
  level: z.number().int().positive(),
  trigger: z.enum(['automatic', 'manual']),
  escalatedAt: z.iso.datetime(),
  escalatedFrom: z.string(),
  responsibleParty: z.string(),
  reason: z.string().min(1),
  respondBy: z.iso.datetime(),
  actionsTaken: z.array(z.object({ at: z.iso.datetime(), by: z.string(), action: z.string() })),
  acknowledgedAt: z.iso.datetime().optional(),
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
 * Who may act on an escalation at `level` (accept it, record actions, escalate it further): the
 * escalated party or a role above them (M3.3). An agent cannot act for the supervisor, nor a
 * supervisor for the manager; the manager, the top of the chain, acts on every level.
 */
export function mayActOnEscalation(actor: Actor, level: number): boolean {
  return actor.kind === 'manager' || (ESCALATION_REACH[actor.kind] ?? 0) >= Math.max(1, level);
}

export const escalationPartyName = (level: number) => (level <= 1 ? 'the supervisor' : 'the manager');

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

/** Builds an escalation: the record, the timeline event, the email to the escalated party and the case's new state. */
export function escalate(c: Case, cmd: EscalationCommand, policy: SlaPolicy, contacts: EscalationContacts): EscalationChange {
  const iso = cmd.at.toISOString();
  const responsibleParty = responsiblePartyFor(cmd.level, contacts);
  const respondBy = new Date(cmd.at.getTime() + policy.escalationResponseHours * 3_600_000).toISOString();
  const escalatedFrom = c.escalation ? c.escalation.responsibleParty : (c.assignee?.email ?? c.assignee?.id ?? 'unassigned');
  const escalationId = `ESC-${String(cmd.level).padStart(2, '0')}`;
  const record: EscalationRecord = {
    caseId: c.caseId,
    escalationId,
    level: cmd.level,
    trigger: cmd.trigger,
    escalatedAt: iso,
    escalatedFrom,
    responsibleParty,
    reason: cmd.reason,
    respondBy,
    actionsTaken: [{ at: iso, by: cmd.actor.id ?? cmd.actor.kind, action: `escalated to level ${cmd.level} and notified ${responsibleParty}` }],
  };
  return {
    next: { ...c, updatedAt: iso, escalation: { level: cmd.level, escalatedAt: iso, responsibleParty, respondBy } },
    record,
    draft: {
      type: 'escalated',
      at: iso,
      actor: cmd.actor,
      data: { escalationId, level: cmd.level, trigger: cmd.trigger, escalatedFrom, responsibleParty, reason: cmd.reason, respondBy },
    },
    notification: {
      caseId: c.caseId,
      id: `escalation#${cmd.level}`,
      kind: 'escalation',
      to: responsibleParty,
      data: { level: String(cmd.level), reason: cmd.reason, respondBy },
      status: 'pending',
      createdAt: iso,
      attempts: 0,
    },
  };
}
