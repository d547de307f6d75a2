import type { CaseSummary, SlaPolicyVersions, StaffMember } from '../api/types';

/**
 * The escalations board's "My team" (M3.3, M4.2): a case escalates to the contacts its own SLA
 * policy version lists for its assignee's team (docs/sla-policies.md). The signed-in supervisor's
 * team contacts are every address any version lists for their team (open cases carry different
 * versions); none when they have no team or no version lists it.
 */
export function teamContacts(me: Pick<StaffMember, 'team'> | undefined, versions: SlaPolicyVersions): Set<string> {
  const team = me?.team;
  const addresses = new Set<string>();
  if (!team) return addresses;
  for (const { policy } of versions.policies) {
    const listed = policy.escalationContacts?.[team];
    if (!listed) continue;
    addresses.add(listed.supervisor.toLowerCase());
    if (listed.manager) addresses.add(listed.manager.toLowerCase());
  }
  return addresses;
}

/** The escalations whose responsible party is one of the team's contacts; with no team contacts, all of them (as before teams). */
export function onMyTeam<T extends Pick<CaseSummary, 'escalation'>>(rows: readonly T[], contacts: ReadonlySet<string>): T[] {
  if (contacts.size === 0) return [...rows];
  return rows.filter((c) => contacts.has((c.escalation?.responsibleParty ?? '').toLowerCase()));
}
