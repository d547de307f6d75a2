import { closeCase } from '../../../../functions/core/actions/close';
import { escalateCase } from '../../../../functions/core/actions/escalation-handling';
import { grantContactAccess } from '../../../../functions/core/actions/grant-contact-access';
import { reopenCase } from '../../../../functions/core/actions/reopen';
import { resolveCase } from '../../../../functions/core/actions/resolve';
import { updateChecklist } from '../../../../functions/core/actions/update-checklist';
import { applySla } from '../../../../functions/core/apply-sla';
import { seesContactDetails } from '../../../../functions/core/contact-access';
import { CaseStateError, ForbiddenError, IncompleteChecklistError } from '../../../../functions/core/errors';
import { planSla } from '../../../../functions/core/sla-plan';
import { slaPolicy } from '../../../../functions/core/sla-policy';
import { COMPLETE_CHECKLIST } from '../../../support/fixtures';
import { agent, contacts, DAY, HOUR, manager, opened, supervisor } from './support';

describe('resolution and closure (C3.2, M3.2, M9.2, M7.2)', () => {
  it('refuses to resolve a complaint whose checklist is incomplete, naming every missing item, and writes nothing', async () => {
    const { store, caseId, deps } = await opened('complaint');
    await updateChecklist(caseId, { complaintHeard: true, solutionOffered: 'Refund' }, { actor: agent }, deps);
    const before = await store.getTimeline(caseId);
    const refused = resolveCase(caseId, { summary: 'Refunded' }, { actor: agent }, deps);
    await expect(refused).rejects.toBeInstanceOf(IncompleteChecklistError);
    await expect(refused).rejects.toMatchObject({ missing: ['empathyShown', 'correctiveAction', 'followUp'] });
    await expect(refused).rejects.toThrow(/empathy was shown.*corrective action recorded.*follow-up planned, with a date/);
    expect(await store.getTimeline(caseId)).toEqual(before);
  });

  it('resolves a complaint once the checklist is complete, keeping the summary and checklist on the timeline', async () => {
    const { store, caseId, deps, clock } = await opened('complaint');
    const { followUp, ...rest } = COMPLETE_CHECKLIST;
    await updateChecklist(caseId, rest, { actor: agent }, deps);
    const c = await resolveCase(caseId, { summary: 'Refunded the second charge', checklist: { followUp } }, { actor: agent }, deps);
    expect(c).toMatchObject({ status: 'resolved', resolution: { summary: 'Refunded the second charge', resolvedBy: 'agent-ana' }, complaintChecklist: COMPLETE_CHECKLIST });
    expect(c.autoCloseAt).toBe(new Date(clock.ms() + 7 * DAY).toISOString());
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'status_changed', data: { to: 'resolved', resolution: { summary: 'Refunded the second charge', checklist: COMPLETE_CHECKLIST } } });
  });

  it('resolves an inquiry with a summary alone', async () => {
    const { caseId, deps } = await opened('inquiry');
    expect((await resolveCase(caseId, { summary: 'Sent the opening hours' }, { actor: agent }, deps)).status).toBe('resolved');
  });

  it('lets only the escalated party resolve an escalated case, which ends the escalation with the resolution as outcome (M3.3)', async () => {
    const { store, caseId, deps } = await opened('inquiry');
    await escalateCase(caseId, { reason: 'Needs approval' }, { actor: agent }, deps);
    await escalateCase(caseId, { reason: 'Needs the manager' }, { actor: supervisor }, deps);
    await expect(resolveCase(caseId, { summary: 'Done' }, { actor: supervisor }, deps)).rejects.toBeInstanceOf(ForbiddenError);
    const c = await resolveCase(caseId, { summary: 'Manager approved the refund' }, { actor: manager }, deps);
    expect(c.escalation).toMatchObject({ ending: 'resolved', acceptedBy: 'mgr-mia' });
    expect((await store.getEscalations(caseId)).at(-1)).toMatchObject({ ending: 'resolved', outcome: 'Manager approved the refund' });
  });

  it('closes a resolved case by itself after seven days, starting retention (M7.2)', async () => {
    const { store, caseId, deps, clock } = await opened('inquiry');
    const resolved = await resolveCase(caseId, { summary: 'Answered' }, { actor: agent }, deps);
    // The satisfaction survey falls due first (24 h), then the closure.
    expect(planSla(resolved, clock.ms(), slaPolicy())).toEqual({ due: [], nextAt: Date.parse(resolved.resolvedAt ?? '') + DAY });
    clock.advance(7 * DAY - 1000);
    expect(await applySla(caseId, { ...deps, contacts })).toEqual([{ type: 'send_survey' }]);
    expect(planSla((await store.getCase(caseId)) ?? resolved, clock.ms(), slaPolicy()).nextAt).toBe(Date.parse(resolved.autoCloseAt ?? ''));
    clock.advance(1000);
    expect(await applySla(caseId, { ...deps, contacts })).toEqual([{ type: 'close' }]);
    const closed = await store.getCase(caseId);
    expect(closed).toMatchObject({ status: 'closed', closedAt: new Date(clock.ms()).toISOString(), expiresAt: expect.any(Number) });
    expect(closed?.autoCloseAt).toBeUndefined();
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'status_changed', actor: { kind: 'system' }, data: { from: 'resolved', to: 'closed' } });
  });

  it('does not close a case the customer or staff reopened', async () => {
    const { caseId, deps, clock } = await opened('inquiry');
    await resolveCase(caseId, { summary: 'Answered' }, { actor: agent }, deps);
    clock.advance(DAY);
    const reopened = await reopenCase(caseId, { reason: 'Customer says the answer did not help' }, { actor: agent }, deps);
    expect(reopened).toMatchObject({ status: 'in_progress' });
    expect(reopened.autoCloseAt).toBeUndefined();
    expect(reopened.resolution).toBeUndefined();
    clock.advance(7 * DAY);
    expect((await applySla(caseId, { ...deps, contacts })).filter((a) => a.type === 'close')).toEqual([]);
  });

  it('closes a resolved case by hand and refuses to close an open one or to reopen a closed one', async () => {
    const { caseId, deps } = await opened('inquiry');
    await expect(closeCase(caseId, {}, { actor: agent }, deps)).rejects.toThrow(/resolve it before closing it/);
    await resolveCase(caseId, { summary: 'Answered' }, { actor: agent }, deps);
    expect((await closeCase(caseId, { reason: 'customer confirmed' }, { actor: agent }, deps)).status).toBe('closed');
    await expect(reopenCase(caseId, { reason: 'more questions' }, { actor: agent }, deps)).rejects.toThrow(/closed, which is final/);
    await expect(resolveCase(caseId, { summary: 'again' }, { actor: agent }, deps)).rejects.toBeInstanceOf(CaseStateError);
  });

  it('lets a supervisor grant one feedback-team member the contact details for a while (C4.2)', async () => {
    const { caseId, deps, clock } = await opened('inquiry');
    const fay = { kind: 'feedback' as const, id: 'fb-fay' };
    const c = await grantContactAccess(caseId, { staffId: 'fb-fay', reason: 'Survey follow-up call', hours: 24 }, { actor: supervisor }, deps);
    expect(seesContactDetails(c, fay, new Date(clock.ms()))).toBe(true);
    expect(seesContactDetails(c, { kind: 'feedback', id: 'someone-else' }, new Date(clock.ms()))).toBe(false);
    expect(seesContactDetails(c, fay, new Date(clock.ms() + 25 * HOUR))).toBe(false);
    await expect(grantContactAccess(caseId, { staffId: 'agent-ben', reason: 'x', hours: 1 }, { actor: supervisor }, deps)).rejects.toMatchObject({ issues: [{ path: 'staffId' }] });
  });
});

describe('correcting the customer and ending grants (M5.1, C4.2)', () => {
  it('corrects a bouncing address, clearing the bounce flag, with the before and after on the trail (M5.1 rectification)', async () => {
    const { updateCustomer } = await import('../../../../functions/core/actions/update-customer');
    const { store, caseId, deps } = await opened('inquiry', 'pat@exmaple.com');
    const c0 = await store.getCase(caseId);
    store.cases.set(caseId, { ...c0!, customer: { ...c0!.customer, emailBouncing: true } });
    const c = await updateCustomer(caseId, { email: 'pat@example.com', reason: 'Typo in the domain; confirmed by phone' }, { actor: agent }, deps);
    expect(c.customer).toEqual({ name: c0!.customer.name, email: 'pat@example.com' });
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({
      type: 'customer_updated',
      data: { fields: ['email'], reason: 'Typo in the domain; confirmed by phone' },
      changes: { customer: { before: expect.objectContaining({ email: 'pat@exmaple.com', emailBouncing: true }), after: { name: c0!.customer.name, email: 'pat@example.com' } } },
    });
  });

  it('removes a detail set to null, but never the last way to reach the customer', async () => {
    const { updateCustomer } = await import('../../../../functions/core/actions/update-customer');
    const { caseId, deps } = await opened();
    await expect(updateCustomer(caseId, { email: null, reason: 'asked to be called only' }, { actor: agent }, deps)).rejects.toThrow(/must keep an email address or a phone number/);
    await updateCustomer(caseId, { phone: '+44 20 7946 0002', reason: 'gave a number' }, { actor: agent }, deps);
    const c = await updateCustomer(caseId, { email: null, reason: 'asked to be called only' }, { actor: agent }, deps);
    expect(c.customer).toEqual({ name: expect.any(String), phone: '+44 20 7946 0002' });
  });

  it('ends a feedback-team member’s grant before it expires, and says so when there is none', async () => {
    const { revokeContactAccess } = await import('../../../../functions/core/actions/revoke-contact-access');
    const { caseId, deps, clock } = await opened();
    await grantContactAccess(caseId, { staffId: 'fb-fay', reason: 'Survey follow-up call', hours: 24 }, { actor: supervisor }, deps);
    const c = await revokeContactAccess(caseId, { staffId: 'fb-fay', reason: 'Call done' }, { actor: supervisor }, deps);
    expect(seesContactDetails(c, { kind: 'feedback', id: 'fb-fay' }, new Date(clock.ms()))).toBe(false);
    await expect(revokeContactAccess(caseId, { staffId: 'fb-fay' }, { actor: supervisor }, deps)).rejects.toThrow(/has no contact-detail grant/);
  });
});
