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
const caseOf = (version: string, assignee?: { id: string }) => ({ sla: { policyVersion: version, acknowledgementDueAt: '2026-03-02T09:15:00.000Z', initialResponseDueAt: '2026-03-03T09:00:00.000Z' }, ...(assignee ? { assignee } : {}) });

describe('escalation contacts per team (M3.3, M8.3)', () => {
  it("goes to the supervisor and manager the case's policy version lists for its assignee's team (M3.3, M8.3)", () => {
    expect(contactsFor(caseOf(v1.version, { id: 'agent-bea' }), v1, billingAgent, contacts)).toEqual({
      teamInbox: contacts.teamInbox,
      supervisor: 'billing.sup@example.com',
      manager: 'billing.mgr@example.com',
      team: 'billing',
    });
  });

  it('takes the configured manager for a team listed with a supervisor only (M3.3)', () => {
    const returnsAgent: StaffMember = { ...billingAgent, id: 'agent-rui', team: 'returns' };
    expect(contactsFor(caseOf(v1.version, { id: 'agent-rui' }), v1, returnsAgent, contacts)).toMatchObject({ supervisor: 'returns.sup@example.com', manager: contacts.manager, team: 'returns' });
  });

  it('goes to the configured contacts for a team the version does not list, a team-less assignee, an unassigned case, or a version without contacts (M3.3, M8.3)', () => {
    const shopAgent: StaffMember = { ...billingAgent, id: 'agent-sam', team: 'shop' };
    expect(contactsFor(caseOf(v1.version, { id: 'agent-sam' }), v1, shopAgent, contacts)).toEqual(contacts);
    const teamless: StaffMember = { id: 'agent-ana', roles: ['agents'] };
    expect(contactsFor(caseOf(v1.version, { id: 'agent-ana' }), v1, teamless, contacts)).toEqual(contacts);
    expect(contactsFor(caseOf(v1.version), v1, undefined, contacts)).toEqual(contacts);
    // A directory entry for someone other than the assignee says nothing about the case's team.
    expect(contactsFor(caseOf(v1.version, { id: 'agent-ana' }), v1, billingAgent, contacts)).toEqual(contacts);
    expect(contactsFor(caseOf(slaPolicy().version, { id: 'agent-bea' }), slaPolicy(), billingAgent, contacts)).toEqual(contacts);
  });

  it("follows the case's own version: the same billing case has another version's contacts only once migrated to it (M8.3)", () => {
    const onV1 = caseOf(v1.version, { id: 'agent-bea' });
    expect(contactsFor(onV1, v1, billingAgent, contacts).supervisor).toBe('billing.sup@example.com');
    // Asking with a newer version than the case's is a mistake, never a silent change.
    expect(() => contactsFor(onV1, v2, billingAgent, contacts)).toThrow(/team-contacts-2.*team-contacts-1/);
    const migrated = { ...onV1, sla: { ...onV1.sla, policyVersion: v2.version } };
    expect(contactsFor(migrated, v2, billingAgent, contacts)).toMatchObject({ supervisor: 'billing.lead@example.com', manager: 'billing.head@example.com' });
  });
});

/** A complaint on `version` assigned to `assignee` (as a migration to it would leave it), and a directory that knows the billing agent. */
async function complaintOn(version: SlaPolicy, assignee: StaffMember) {
  const o = await opened('complaint');
  const c = (await o.store.getCase(o.caseId))!;
  o.store.cases.set(o.caseId, { ...c, acknowledgedAt: c.receivedAt, firstRespondedAt: c.receivedAt, assignee: { id: assignee.id, email: assignee.email ?? '' }, sla: { ...migratedDeadlines(c, version), warned: ['escalation'] } });
  const staff = new InMemoryStaffDirectory([...STAFF, billingAgent]);
  return { ...o, staff, deps: { ...o.deps, staff } };
}

describe('escalations go to the case team\'s contacts (M3.3, M8.3)', () => {
  it("escalates a billing agent's complaint at 24 hours to billing's supervisor of the case's version, then to billing's manager: record and mail; a later version changes neither (M3.2, M3.3, M8.3)", async () => {
    const { store, caseId, clock, staff } = await complaintOn(v1, billingAgent);
    clock.advance(24 * HOUR);
    await applySla(caseId, { store, clock, contacts, staff });
    expect(await store.getEscalations(caseId)).toEqual([expect.objectContaining({ level: 1, trigger: 'automatic', responsibleParty: 'billing.sup@example.com', escalatedFrom: 'bea@staff.example' })]);
    expect(await store.getOutbox(caseId, 'escalation#1')).toMatchObject({ kind: 'escalation', to: 'billing.sup@example.com' });
    // v2 (known, with other billing contacts) is not the case's version: level 2 is v1's manager.
    clock.advance(24 * HOUR);
    await applySla(caseId, { store, clock, contacts, staff });
    expect((await store.getEscalations(caseId)).map((e) => [e.level, e.responsibleParty])).toEqual([
      [1, 'billing.sup@example.com'],
      [2, 'billing.mgr@example.com'],
    ]);
    expect(await store.getOutbox(caseId, 'escalation#2')).toMatchObject({ to: 'billing.mgr@example.com' });
  });

  it('escalates automatically to the configured supervisor without a directory, or for a team the version does not list (M3.3)', async () => {
    const shop = await complaintOn(v1, { ...billingAgent, team: 'shop' });
    shop.clock.advance(24 * HOUR);
    await applySla(shop.caseId, { store: shop.store, clock: shop.clock, contacts, staff: new InMemoryStaffDirectory([{ ...billingAgent, team: 'shop' }]) });
    expect(await shop.store.getOutbox(shop.caseId, 'escalation#1')).toMatchObject({ to: contacts.supervisor });

    const noDirectory = await complaintOn(v1, billingAgent);
    noDirectory.clock.advance(24 * HOUR);
    await applySla(noDirectory.caseId, { store: noDirectory.store, clock: noDirectory.clock, contacts });
    expect(await noDirectory.store.getOutbox(noDirectory.caseId, 'escalation#1')).toMatchObject({ to: contacts.supervisor });
  });

  it("escalates by hand to the supervisor of the case's team under the case's version, and to the configured one when its team is not listed (M3.3, M8.3)", async () => {
    const billing = await complaintOn(v2, billingAgent);
    await escalateCase(billing.caseId, { reason: 'Refund above my authority' }, { actor: agent }, billing.deps);
    expect((await billing.store.getEscalations(billing.caseId))[0]).toMatchObject({ trigger: 'manual', responsibleParty: 'billing.lead@example.com' });
    expect(await billing.store.getOutbox(billing.caseId, 'escalation#1')).toMatchObject({ to: 'billing.lead@example.com' });

    const teamless = await complaintOn(v2, { ...billingAgent, id: 'agent-ana' });
    await escalateCase(teamless.caseId, { reason: 'Refund above my authority' }, { actor: agent }, teamless.deps);
    expect(await teamless.store.getOutbox(teamless.caseId, 'escalation#1')).toMatchObject({ to: contacts.supervisor });
  });
});
