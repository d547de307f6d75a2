import { assignCase } from '../../../functions/core/actions/assignment';
import { escalateCase } from '../../../functions/core/actions/escalation-handling';
import { applySla } from '../../../functions/core/apply-sla';
import { contactsFor } from '../../../functions/core/escalation-contacts';
import { knowSlaPolicy, slaPolicy, SlaPolicySchema, type SlaPolicy } from '../../../functions/core/sla-policy';
import { migratedDeadlines } from '../../../functions/core/sla-migration';
import type { StaffMember } from '../../../functions/core/staff';
import { InMemoryStaffDirectory, STAFF } from '../../support/staff-directory';
import { agent, contacts, HOUR, opened } from './actions/support';

/** A version listing escalation contacts per team (docs/sla-policies.md). */
const versionWith = (version: string, escalationContacts: SlaPolicy['escalationContacts']) => SlaPolicySchema.parse({ ...slaPolicy(), version, escalationContacts });

const v1 = versionWith('team-contacts-1', { billing: { supervisor: 'billing.sup@example.com', manager: 'billing.mgr@example.com' }, returns: { supervisor: 'returns.sup@example.com' } });
const v2 = versionWith('team-contacts-2', { billing: { supervisor: 'billing.lead@example.com', manager: 'billing.head@example.com' } });
knowSlaPolicy(v1);
knowSlaPolicy(v2);

const billingAgent: StaffMember = { id: 'agent-bea', email: 'bea@staff.example', roles: ['agents'], team: 'billing' };
/** A case on `version`, assigned to someone of `team` (recorded at assignment), or unassigned. */
const caseOf = (version: string, team?: string | null) => ({
  sla: { policyVersion: version, acknowledgementDueAt: '2026-03-02T09:15:00.000Z', initialResponseDueAt: '2026-03-03T09:00:00.000Z' },
  ...(team === undefined ? {} : { assignee: { id: 'agent-x', ...(team === null ? {} : { team }) } }),
});

describe('escalation contacts per team (M3.3, M8.3)', () => {
  it("goes to the supervisor and manager the case's policy version lists for its assignee's team (M3.3, M8.3)", () => {
    expect(contactsFor(caseOf(v1.version, 'billing'), v1, contacts)).toEqual({
      teamInbox: contacts.teamInbox,
      supervisor: 'billing.sup@example.com',
      manager: 'billing.mgr@example.com',
      team: 'billing',
    });
  });

  it('takes the configured manager for a team listed with a supervisor only (M3.3)', () => {
    expect(contactsFor(caseOf(v1.version, 'returns'), v1, contacts)).toMatchObject({ supervisor: 'returns.sup@example.com', manager: contacts.manager, team: 'returns' });
  });

  it('goes to the configured contacts for a team the version does not list, a team-less assignee, an unassigned case, or a version without contacts (M3.3, M8.3)', () => {
    expect(contactsFor(caseOf(v1.version, 'shop'), v1, contacts)).toEqual(contacts);
    expect(contactsFor(caseOf(v1.version, null), v1, contacts)).toEqual(contacts);
    expect(contactsFor(caseOf(v1.version), v1, contacts)).toEqual(contacts);
    expect(contactsFor(caseOf(slaPolicy().version, 'billing'), slaPolicy(), contacts)).toEqual(contacts);
  });

  it("follows the case's own version: the same billing case has another version's contacts only once migrated to it (M8.3)", () => {
    const onV1 = caseOf(v1.version, 'billing');
    expect(contactsFor(onV1, v1, contacts).supervisor).toBe('billing.sup@example.com');
    // Asking with a newer version than the case's is a mistake, never a silent change.
    expect(() => contactsFor(onV1, v2, contacts)).toThrow(/team-contacts-2.*team-contacts-1/);
    const migrated = { ...onV1, sla: { ...onV1.sla, policyVersion: v2.version } };
    expect(contactsFor(migrated, v2, contacts)).toMatchObject({ supervisor: 'billing.lead@example.com', manager: 'billing.head@example.com' });
  });
});

/** A complaint on `version` (as a migration to it would leave it), assigned by a supervisor to `assignee` from the directory. */
async function complaintOn(version: SlaPolicy, assignee: StaffMember) {
  const o = await opened('complaint');
  const c = (await o.store.getCase(o.caseId))!;
  o.store.cases.set(o.caseId, { ...c, acknowledgedAt: c.receivedAt, firstRespondedAt: c.receivedAt, sla: { ...migratedDeadlines(c, version), warned: ['escalation'] } });
  const members = [...STAFF.filter((m) => m.id !== assignee.id), assignee];
  const deps = { ...o.deps, staff: new InMemoryStaffDirectory(members) };
  await assignCase(o.caseId, { assigneeId: assignee.id }, { actor: { kind: 'supervisor', id: 'sup-1' } }, deps);
  return { ...o, members, deps };
}

describe('escalations go to the case team\'s contacts (M3.3, M8.3)', () => {
  it("escalates a billing agent's complaint at 24 hours to billing's supervisor of the case's version, then to billing's manager: record and mail; a later version changes neither (M3.2, M3.3, M8.3)", async () => {
    const { store, caseId, clock } = await complaintOn(v1, billingAgent);
    clock.advance(24 * HOUR);
    await applySla(caseId, { store, clock, contacts });
    expect(await store.getEscalations(caseId)).toEqual([expect.objectContaining({ level: 1, trigger: 'automatic', responsibleParty: 'billing.sup@example.com', escalatedFrom: 'bea@staff.example' })]);
    expect(await store.getOutbox(caseId, 'escalation#1')).toMatchObject({ kind: 'escalation', to: 'billing.sup@example.com' });
    // v2 (known, with other billing contacts) is not the case's version: level 2 is v1's manager.
    clock.advance(24 * HOUR);
    await applySla(caseId, { store, clock, contacts });
    expect((await store.getEscalations(caseId)).map((e) => [e.level, e.responsibleParty])).toEqual([
      [1, 'billing.sup@example.com'],
      [2, 'billing.mgr@example.com'],
    ]);
    expect(await store.getOutbox(caseId, 'escalation#2')).toMatchObject({ to: 'billing.mgr@example.com' });
  });

  it('escalates automatically to the configured supervisor for a team the version does not list, without reading the staff directory (M3.3)', async () => {
    const shop = await complaintOn(v1, { ...billingAgent, team: 'shop' });
    expect((await shop.store.getCase(shop.caseId))?.assignee).toMatchObject({ id: billingAgent.id, team: 'shop' });
    shop.clock.advance(24 * HOUR);
    await applySla(shop.caseId, { store: shop.store, clock: shop.clock, contacts });
    expect(await shop.store.getOutbox(shop.caseId, 'escalation#1')).toMatchObject({ to: contacts.supervisor });
  });

  it('keeps the team recorded at assignment: a later change of team in the directory changes nothing until the case is assigned again (M3.3)', async () => {
    const billing = await complaintOn(v1, billingAgent);
    billing.members.splice(billing.members.findIndex((m) => m.id === billingAgent.id), 1, { ...billingAgent, team: 'returns' });
    billing.clock.advance(24 * HOUR);
    await applySla(billing.caseId, { store: billing.store, clock: billing.clock, contacts });
    expect(await billing.store.getOutbox(billing.caseId, 'escalation#1')).toMatchObject({ to: 'billing.sup@example.com' });
  });

  it("escalates by hand to the supervisor of the case's team under the case's version, and to the configured one when its team is not listed (M3.3, M8.3)", async () => {
    const billing = await complaintOn(v2, billingAgent);
    await escalateCase(billing.caseId, { reason: 'Refund above my authority' }, { actor: agent }, billing.deps);
    expect((await billing.store.getEscalations(billing.caseId))[0]).toMatchObject({ trigger: 'manual', responsibleParty: 'billing.lead@example.com' });
    expect(await billing.store.getOutbox(billing.caseId, 'escalation#1')).toMatchObject({ to: 'billing.lead@example.com' });

    const teamless = await complaintOn(v2, { id: 'agent-ana', email: 'ana@staff.example', roles: ['agents'] });
    await escalateCase(teamless.caseId, { reason: 'Refund above my authority' }, { actor: agent }, teamless.deps);
    expect(await teamless.store.getOutbox(teamless.caseId, 'escalation#1')).toMatchObject({ to: contacts.supervisor });
  });
});
