import type { Case } from './case';
import type { EscalationContacts } from './escalation';
import type { SlaPolicy } from './sla-policy';
import type { StaffDirectory, StaffMember } from './staff';

/** The contacts a case's escalation goes to, with the team they were chosen for (none: the defaults). */
export interface CaseEscalationContacts extends EscalationContacts {
  team?: string;
}

/**
 * Who a case's escalations go to (M3.3, M8.3, docs/sla-policies.md): the case's team is its
 * assignee's team in the staff directory at the time of escalation; the supervisor and manager
 * are that team's in the case's own policy version (`escalationContacts`), the version it was
 * opened under or migrated to, never the current one. Unassigned, team-less, a team the version
 * does not list, or a team listed without a manager: the configured contacts fill in. The team
 * inbox is always the configured one.
 *
 * `assignee` is the directory's entry for the case's assignee (undefined when unassigned or no
 * longer in the directory); an entry for anyone else is ignored.
 */
export function contactsFor(
  c: Pick<Case, 'assignee' | 'sla'>,
  policy: SlaPolicy,
  assignee: StaffMember | undefined,
  defaults: EscalationContacts,
): CaseEscalationContacts {
  // A caller passing another version's contacts would let a new version reach an open case (M8.3).
  if (policy.version !== c.sla.policyVersion) throw new Error(`Escalation contacts of version ${policy.version} asked for a case under ${c.sla.policyVersion}`);
  const team = c.assignee && assignee?.id === c.assignee.id ? assignee.team : undefined;
  const listed = team === undefined ? undefined : policy.escalationContacts?.[team];
  if (team === undefined || !listed) return { ...defaults };
  return { teamInbox: defaults.teamInbox, supervisor: listed.supervisor, manager: listed.manager ?? defaults.manager, team };
}

/** The same, looking the case's assignee up in the directory now (no directory: the defaults). */
export async function escalationContactsOf(
  c: Pick<Case, 'assignee' | 'sla'>,
  policy: SlaPolicy,
  staff: Pick<StaffDirectory, 'find'> | undefined,
  defaults: EscalationContacts,
): Promise<CaseEscalationContacts> {
  const assignee = c.assignee && staff ? await staff.find(c.assignee.id) : undefined;
  return contactsFor(c, policy, assignee, defaults);
}
