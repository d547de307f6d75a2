import { claimCase } from '../../../functions/core/actions/assignment';
import { openCaseFromCall } from '../../../functions/core/actions/open-case-from-call';
import { reclassifyCase } from '../../../functions/core/actions/reclassify';
import { replyToCustomer } from '../../../functions/core/actions/reply';
import { resolveCase } from '../../../functions/core/actions/resolve';
import { setPriority } from '../../../functions/core/actions/set-priority';
import { applySla } from '../../../functions/core/apply-sla';
import { checkCaseState } from '../../../functions/core/case-state';
import { verifyAuditTrail } from '../../../functions/core/audit-verification';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { COMPLETE_CHECKLIST, seededRandom } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { staffDirectory } from '../../support/staff-directory';
import { agent, contacts, HOUR, movingClock, opened, supervisor } from './actions/support';

async function worked() {
  const o = await opened('inquiry');
  const { caseId, deps, clock } = o;
  await claimCase(caseId, {}, { actor: agent }, deps);
  await setPriority(caseId, { priority: 'high' }, { actor: agent }, deps);
  await reclassifyCase(caseId, { type: 'complaint', reason: 'unhappy' }, { actor: agent }, deps);
  await replyToCustomer(caseId, { message: 'Sorry', pendingCustomer: true }, { actor: agent }, deps);
  clock.advance(30 * HOUR);
  await applySla(caseId, { ...deps, contacts });
  // Escalated by the workflow at 24 hours: the supervisor resolves it.
  await resolveCase(caseId, { summary: 'Refunded', checklist: COMPLETE_CHECKLIST }, { actor: supervisor }, deps);
  return o;
}

describe('the case item checked against its trail (M7.3)', () => {
  it('finds a case worked through many actions exactly as its opening state and changes say', async () => {
    const { store, caseId } = await worked();
    const c = await store.getCase(caseId);
    const events = await store.getTimeline(caseId);
    expect(checkCaseState(c!, events)).toEqual([]);
    expect(verifyAuditTrail(events, c!, [], await store.getEscalations(caseId), c!)).toMatchObject({ valid: true });
  });

  it('finds a phone case, opened and worked in one write, as its trail says', async () => {
    const store = new InMemoryCaseStore();
    const { case: c } = await openCaseFromCall(
      { type: 'inquiry', customer: { name: 'Pat', phone: '+44 20 7946 0000' }, subject: 'Hours', message: 'When do you open?', call: { direction: 'inbound', durationSeconds: 30, transcript: 'Hello' } },
      { actor: agent, requestHash: 'h' },
      { store, clock: movingClock(), staff: staffDirectory(), newCaseId: () => '88888888-8888-4888-8888-888888888888', random: seededRandom(), policy: slaPolicy() },
    );
    expect(checkCaseState(c, await store.getTimeline(c.caseId))).toEqual([]);
  });

  it('names a changed field edited on the item behind the API, and one the trail never changed', async () => {
    const { store, caseId } = await worked();
    const c = await store.getCase(caseId);
    const events = await store.getTimeline(caseId);
    expect(checkCaseState({ ...c!, priority: 'low' }, events)).toEqual([{ field: 'priority', problem: 'its priority is not what the last change on the trail set' }]);
    expect(checkCaseState({ ...c!, subject: 'Nothing to see here' }, events)).toEqual([{ field: '(opening state)', problem: 'a field the trail never changed is not what the case was opened with' }]);
    const { resolution: _r, ...unresolved } = c!;
    expect(checkCaseState(unresolved, events).map((p) => p.field)).toEqual(['resolution']);
    expect(verifyAuditTrail(events, c!, [], await store.getEscalations(caseId), { ...c!, subject: 'x' })).toMatchObject({ valid: false, reason: expect.stringContaining('the case item differs from its trail'), caseState: [expect.objectContaining({ field: '(opening state)' })] });
  });
});
