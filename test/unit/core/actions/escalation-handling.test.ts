import { acceptEscalation, deescalateCase, escalateCase, recordEscalationAction, resolveEscalation } from '../../../../functions/core/actions/escalation-handling';
import { applySla } from '../../../../functions/core/apply-sla';
import { CaseStateError, ForbiddenError } from '../../../../functions/core/errors';
import { planSla } from '../../../../functions/core/sla-plan';
import { slaPolicy } from '../../../../functions/core/sla-policy';
import { agent, contacts, HOUR, manager, opened, supervisor } from './support';

describe('escalation handling (M3.3, M9.3)', () => {
  it('writes who accepted the escalation and when, and the workflow stops climbing the levels', async () => {
    const { store, caseId, deps, clock } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Refund above my authority' }, { actor: agent }, deps);
    clock.advance(2 * HOUR);
    const c = await acceptEscalation(caseId, { note: 'Looking at the payment logs' }, { actor: supervisor }, deps);
    const at = new Date(clock.ms()).toISOString();
    expect(c.escalation).toMatchObject({ level: 1, number: 1, acknowledgedAt: at, acceptedBy: 'sup-sam' });
    const [record] = await store.getEscalations(caseId);
    expect(record).toMatchObject({ escalationId: 'ESC-01', acknowledgedAt: at, acceptedBy: 'sup-sam' });
    expect(record?.actionsTaken.at(-1)).toEqual({ at, by: 'sup-sam', action: 'accepted: Looking at the payment logs' });
    // Past the respond-by time nothing climbs: the escalated party responded.
    clock.advance(30 * HOUR);
    expect(planSla(c, clock.ms(), slaPolicy()).due.filter((a) => a.type === 'escalate')).toEqual([]);
    await expect(acceptEscalation(caseId, {}, { actor: supervisor }, deps)).rejects.toThrow(/accepted already by sup-sam/);
  });

  it('appends each action taken to the escalation log with who and when, accepting the escalation on the first', async () => {
    const { store, caseId, deps, clock } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Needs a goodwill voucher' }, { actor: agent }, deps);
    clock.advance(HOUR);
    await recordEscalationAction(caseId, { action: 'Approved a 20 EUR voucher' }, { actor: supervisor }, deps);
    clock.advance(HOUR);
    await recordEscalationAction(caseId, { action: 'Asked finance to refund the fee' }, { actor: supervisor }, deps);
    const [record] = await store.getEscalations(caseId);
    expect(record?.acknowledgedAt).toBeDefined();
    expect(record?.actionsTaken.slice(1).map((a) => [a.by, a.action])).toEqual([
      ['sup-sam', 'Approved a 20 EUR voucher'],
      ['sup-sam', 'Asked finance to refund the fee'],
    ]);
    const types = (await store.getTimeline(caseId)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('escalation'))).toEqual(['escalation_acknowledged', 'escalation_action_recorded', 'escalation_action_recorded']);
  });

  it('resolves an escalation with its outcome; the case stays open for its resolution', async () => {
    const { store, caseId, deps } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Replacement needs approval' }, { actor: agent }, deps);
    const c = await resolveEscalation(caseId, { outcome: 'Replacement approved and shipped' }, { actor: supervisor }, deps);
    expect(c.status).not.toBe('resolved');
    expect(c.escalation).toMatchObject({ ending: 'resolved', endedAt: expect.any(String), acknowledgedAt: expect.any(String) });
    expect((await store.getEscalations(caseId))[0]).toMatchObject({ ending: 'resolved', outcome: 'Replacement approved and shipped' });
    await expect(recordEscalationAction(caseId, { action: 'late note' }, { actor: supervisor }, deps)).rejects.toThrow(/has ended/);
  });

  it('hands a case back to a representative, saying why, and a new escalation gets the next number', async () => {
    const { store, caseId, deps } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Customer asks for a supervisor' }, { actor: agent }, deps);
    const back = await deescalateCase(caseId, { reason: 'Standard refund: the agent can do it', assigneeId: 'agent-ana' }, { actor: supervisor }, deps);
    expect(back.assignee?.id).toBe('agent-ana');
    expect(back.escalation).toMatchObject({ ending: 'de-escalated' });
    await escalateCase(caseId, { reason: 'Customer refuses the refund' }, { actor: agent }, deps);
    const log = await store.getEscalations(caseId);
    expect(log.map((e) => [e.escalationId, e.level, e.ending])).toEqual([
      ['ESC-01', 1, 'de-escalated'],
      ['ESC-02', 1, undefined],
    ]);
  });

  it('ends the current escalation as escalated further when its party takes it a level up', async () => {
    const { store, caseId, deps } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Refund above my authority' }, { actor: agent }, deps);
    const c = await escalateCase(caseId, { reason: 'Above mine too' }, { actor: supervisor }, deps);
    expect(c.escalation).toMatchObject({ level: 2, number: 2, responsibleParty: contacts.manager });
    expect((await store.getEscalations(caseId)).map((e) => [e.level, e.ending])).toEqual([
      [1, 'escalated-further'],
      [2, undefined],
    ]);
  });

  it('lets only the escalated party, or a role above, act on an escalation (M3.3)', async () => {
    const { caseId, deps } = await opened('complaint');
    await escalateCase(caseId, { reason: 'Refund above my authority' }, { actor: agent }, deps);
    await escalateCase(caseId, { reason: 'Above mine too' }, { actor: supervisor }, deps);
    for (const act of [
      () => acceptEscalation(caseId, {}, { actor: supervisor }, deps),
      () => recordEscalationAction(caseId, { action: 'x' }, { actor: supervisor }, deps),
      () => resolveEscalation(caseId, { outcome: 'x' }, { actor: supervisor }, deps),
      () => deescalateCase(caseId, { reason: 'x' }, { actor: supervisor }, deps),
      () => escalateCase(caseId, { reason: 'x' }, { actor: agent }, deps),
    ]) {
      await expect(act()).rejects.toBeInstanceOf(ForbiddenError);
    }
    expect((await acceptEscalation(caseId, {}, { actor: manager }, deps)).escalation?.acceptedBy).toBe('mgr-mia');
  });

  it('refuses to act on an escalation that does not exist with 409', async () => {
    const { caseId, deps } = await opened('complaint');
    await expect(acceptEscalation(caseId, {}, { actor: supervisor }, deps)).rejects.toBeInstanceOf(CaseStateError);
  });

  it('numbers the automatic escalation like a manual one, and does not escalate again once it has ended (M3.2)', async () => {
    const { store, caseId, deps, clock } = await opened('complaint');
    clock.advance(24 * HOUR + 1000);
    await applySla(caseId, { ...deps, contacts });
    expect((await store.getEscalations(caseId))[0]).toMatchObject({ escalationId: 'ESC-01', number: 1, trigger: 'automatic' });
    await deescalateCase(caseId, { reason: 'Handled by the agent' }, { actor: supervisor }, deps);
    clock.advance(48 * HOUR);
    await applySla(caseId, { ...deps, contacts });
    expect(await store.getEscalations(caseId)).toHaveLength(1);
  });
});

describe('escalations by hand that nobody accepts (M3.3)', () => {
  it('climbs an escalated inquiry one level when the supervisor does not accept it in time, ending the first escalation', async () => {
    const { store, caseId, deps, clock } = await opened('inquiry');
    await escalateCase(caseId, { reason: 'Customer asks for a supervisor' }, { actor: agent }, deps);
    clock.advance(24 * HOUR - 1000);
    expect((await applySla(caseId, { ...deps, contacts })).filter((a) => a.type === 'escalate')).toEqual([]);
    clock.advance(1000);
    expect(await applySla(caseId, { ...deps, contacts })).toContainEqual(expect.objectContaining({ type: 'escalate', level: 2 }));
    expect((await store.getEscalations(caseId)).map((e) => [e.level, e.ending])).toEqual([
      [1, 'escalated-further'],
      [2, undefined],
    ]);
  });
});
