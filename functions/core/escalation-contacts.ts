import type { Case } from './case';
import type { EscalationContacts } from './escalation';
import type { SlaPolicy } from './sla-policy';

/** The contacts a case's escalation goes to, with the team they were chosen for (none: the defaults). */
export interface CaseEscalationContacts extends EscalationContacts {
  team?: string;
}

/**
 * Who a case's escalations go to (M3.3, M8.3, docs/sla-policies.md): the case's team is its
 * assignee's team, recorded on the case when it was assigned or claimed (as their name and address
 * are), so an escalation made anywhere — the API, or the SLA workflow of a stack without the staff
 * directory — chooses the same people. The supervisor and manager are that team's in the case's
 * own policy version (`escalationContacts`), the version it was opened under or migrated to, never
 * the current one. Unassigned, team-less, a team the version does not list, or a team listed
 * without a manager: the configured contacts fill in. The team inbox is always the configured one.
 */
export function contactsFor(c: Pick<Case, 'assignee' | 'sla'>, policy: SlaPolicy, defaults: EscalationContacts): CaseEscalationContacts {
  // A caller passing another version's contacts would let a new version reach an open case (M8.3).
  if (policy.version !== c.sla.policyVersion) throw new Error(`Escalation contacts of version ${policy.version} asked for a case under ${c.sla.policyVersion}`);
  const team = c.assignee?.team;
  const listed = team === undefined ? undefined : policy.escalationContacts?.[team];
  if (team === undefined || !listed) return { ...defaults };
  return { teamInbox: defaults.teamInbox, supervisor: listed.supervisor, manager: listed.manager ?? defaults.manager, team };
}
