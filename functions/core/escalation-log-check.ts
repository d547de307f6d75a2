import type { CaseEvent } from './case-event';
import type { EscalationRecord } from './escalation';

/**
 * The escalation log (M3.3, M9.3) is kept as records beside the case, updated as the escalation
 * goes on; every update is an event on the hash-chained trail. The records are checked against
 * those events, so a log edited behind the API's back (an outcome rewritten, an action removed)
 * is found: each record's start (date, level, parties, reason, deadline), its acceptance, the
 * actions recorded, its outcome and its ending must be what the trail says.
 */
export interface EscalationLogProblem {
  escalationId: string;
  problem: string;
}

type Of<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
const byWhom = (e: CaseEvent) => e.actor.id ?? e.actor.kind;

export function checkEscalationLog(records: readonly EscalationRecord[], events: readonly CaseEvent[]): EscalationLogProblem[] {
  const problems: EscalationLogProblem[] = [];
  const escalated = events.filter((e): e is Of<'escalated'> => e.type === 'escalated');
  const ids = new Set([...escalated.map((e) => e.data.escalationId), ...records.map((r) => r.escalationId)]);
  for (const id of [...ids].sort()) {
    const say = (problem: string) => problems.push({ escalationId: id, problem });
    const record = records.find((r) => r.escalationId === id);
    const started = escalated.find((e) => e.data.escalationId === id);
    if (!record) {
      say('the trail has this escalation but the log has no record of it');
      continue;
    }
    if (!started) {
      say('the log has a record the trail never started');
      continue;
    }
    const d = started.data;
    const start = { escalatedAt: started.at, level: d.level, trigger: d.trigger, escalatedFrom: d.escalatedFrom, responsibleParty: d.responsibleParty, reason: d.reason, respondBy: d.respondBy };
    for (const [field, value] of Object.entries(start)) {
      if (record[field as keyof typeof start] !== value) say(`its ${field} is not what the trail recorded when it started`);
    }
    const mine = <T extends CaseEvent['type']>(type: T) => events.filter((e): e is Of<T> => e.type === type && (e.data as { escalationId?: string }).escalationId === id);

    const [accepted] = mine('escalation_acknowledged');
    if (accepted ? record.acknowledgedAt !== accepted.at || record.acceptedBy !== byWhom(accepted) : record.acknowledgedAt !== undefined) {
      say(accepted ? 'who accepted it, or when, is not what the trail recorded' : 'it says it was accepted, which the trail never recorded');
    }
    for (const action of mine('escalation_action_recorded')) {
      if (!record.actionsTaken.some((a) => a.at === action.at && a.by === byWhom(action) && a.action === action.data.action)) say(`the action recorded at ${action.at} is missing or altered`);
    }
    const [resolved] = mine('escalation_resolved');
    const [handedBack] = mine('deescalated');
    const further = escalated.find((e) => e.seq > started.seq && e.data.level > d.level && e.data.escalationId !== id);
    const ended = resolved ?? handedBack ?? further;
    const ending = resolved ? 'resolved' : handedBack ? 'de-escalated' : further ? 'escalated-further' : undefined;
    if (record.ending !== ending || (ended && record.endedAt !== ended.at)) say(ending ? `it ended (${ending}) at ${ended?.at}, which the record does not say` : 'it says it ended, which the trail never recorded');
    if (resolved && record.outcome !== resolved.data.outcome) say('its outcome is not the one recorded on the trail');
    if (!resolved && record.outcome !== undefined) say('it has an outcome the trail never recorded');
  }
  return problems;
}
