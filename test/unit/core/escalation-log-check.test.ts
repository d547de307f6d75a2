import { acceptEscalation, deescalateCase, escalateCase, recordEscalationAction, resolveEscalation } from '../../../functions/core/actions/escalation-handling';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { applySla } from '../../../functions/core/apply-sla';
import { checkEscalationLog } from '../../../functions/core/escalation-log-check';
import { agent, contacts, HOUR, manager, opened, supervisor } from './actions/support';

/** A case with every kind of escalation history: climbed automatically, handed back, resolved with an outcome, resolved with the case. */
async function history() {
  const o = await opened('complaint');
  const { caseId, deps, clock } = o;
  clock.advance(24 * HOUR + 1000);
  await applySla(caseId, { ...deps, contacts }); // ESC-01, automatic
  clock.advance(24 * HOUR);
  await applySla(caseId, { ...deps, contacts }); // ESC-01 ends escalated further; ESC-02 to the manager
  await acceptEscalation(caseId, { note: 'Looking' }, { actor: manager }, deps);
  await recordEscalationAction(caseId, { action: 'Approved a voucher' }, { actor: manager }, deps);
  await deescalateCase(caseId, { reason: 'The agent can finish it', assigneeId: 'agent-ana' }, { actor: manager }, deps);
  await escalateCase(caseId, { reason: 'Customer refuses the voucher' }, { actor: agent }, deps); // ESC-03
  await resolveEscalation(caseId, { outcome: 'Refund approved instead' }, { actor: supervisor }, deps);
  await escalateCase(caseId, { reason: 'Wants compensation too' }, { actor: agent }, deps); // ESC-04
  await resolveCase(caseId, { summary: 'Refunded and compensated', checklist: { complaintHeard: true, empathyShown: true, solutionOffered: 'Refund', correctiveAction: 'Fixed retries', followUp: { date: '2026-12-07', plan: 'Call' } } }, { actor: supervisor }, deps);
  return { ...o, records: await o.store.getEscalations(caseId), events: await o.store.getTimeline(caseId) };
}

describe('checking the escalation log against the trail (M3.3, M9.3, M7.3)', () => {
  it('finds every record of a long escalation history as the trail says', async () => {
    const { records, events } = await history();
    expect(records.map((r) => [r.escalationId, r.ending])).toEqual([
      ['ESC-01', 'escalated-further'],
      ['ESC-02', 'de-escalated'],
      ['ESC-03', 'resolved'],
      ['ESC-04', 'resolved'],
    ]);
    expect(checkEscalationLog(records, events)).toEqual([]);
  });

  it('names a record whose outcome, action, acceptance, ending or start was edited behind the API', async () => {
    const { records, events } = await history();
    const edited = records.map((r) => {
      if (r.escalationId === 'ESC-01') return { ...r, reason: 'Customer was rude' };
      if (r.escalationId === 'ESC-02') return { ...r, acceptedBy: 'someone-else', actionsTaken: r.actionsTaken.filter((a) => a.action !== 'Approved a voucher') };
      if (r.escalationId === 'ESC-03') return { ...r, outcome: 'Refund refused' };
      const { ending: _e, endedAt: _t, ...open } = r;
      return open;
    });
    expect(checkEscalationLog(edited, events).map((p) => `${p.escalationId}: ${p.problem}`)).toEqual([
      'ESC-01: its reason is not what the trail recorded when it started',
      'ESC-02: who accepted it, or when, is not what the trail recorded',
      expect.stringMatching(/^ESC-02: the action recorded at .* is missing or altered$/),
      'ESC-03: its outcome is not the one recorded on the trail',
      expect.stringMatching(/^ESC-04: it ended \(resolved\) at .*, which the record does not say$/),
    ]);
  });

  it('names a record the trail never started, and an escalation whose record was deleted', async () => {
    const { records, events } = await history();
    const [first, ...rest] = records;
    expect(checkEscalationLog([...rest, { ...first!, escalationId: 'ESC-09' }], events).map((p) => `${p.escalationId}: ${p.problem}`)).toEqual([
      'ESC-01: the trail has this escalation but the log has no record of it',
      'ESC-09: the log has a record the trail never started',
    ]);
  });
});
