import { addNote } from '../../../../functions/core/actions/add-note';
import { setPriority } from '../../../../functions/core/actions/set-priority';
import { verifyChain } from '../../../../functions/core/audit-chain';
import { ConcurrentUpdateError } from '../../../../functions/core/errors';
import { agent, opened, otherAgent } from './support';

describe('the audit events of staff actions (M5.3, M7.3)', () => {
  it('records who acted, in which role, when, and the before and after of every field the action changed', async () => {
    const { store, caseId, deps, clock } = await opened('inquiry');
    clock.advance(60_000);
    await setPriority(caseId, { priority: 'urgent', reason: 'customer is travelling tomorrow' }, { actor: agent }, deps);
    const event = (await store.getTimeline(caseId)).at(-1);
    expect(event).toMatchObject({
      type: 'priority_changed',
      actor: { kind: 'agent', id: 'agent-ana' },
      at: new Date(clock.ms()).toISOString(),
      data: { from: 'normal', to: 'urgent', reason: 'customer is travelling tomorrow' },
      changes: { priority: { before: 'normal', after: 'urgent' } },
    });
    expect(Object.keys(event?.changes ?? {})).toEqual(['priority']);
    expect(verifyChain(await store.getTimeline(caseId)).valid).toBe(true);
  });

  it('records an action that changes no field of the case with no before/after', async () => {
    const { store, caseId, deps } = await opened('inquiry');
    await addNote(caseId, { text: 'Customer prefers a call in the afternoon' }, { actor: agent }, deps);
    const note = (await store.getTimeline(caseId)).at(-1);
    expect(note).toMatchObject({ type: 'note_added', data: { text: 'Customer prefers a call in the afternoon' } });
    expect(note?.changes).toBeUndefined();
  });

  it('refuses a change made on a version the case has moved on from, naming the current version, and writes nothing', async () => {
    const { store, caseId, deps } = await opened('inquiry');
    const seen = (await store.getCase(caseId))?.version ?? 0;
    await addNote(caseId, { text: 'first' }, { actor: otherAgent, expectedVersion: seen }, deps);
    const before = await store.getTimeline(caseId);
    const refused = addNote(caseId, { text: 'second, on the old version' }, { actor: agent, expectedVersion: seen }, deps);
    await expect(refused).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(refused).rejects.toMatchObject({ currentVersion: seen + 1 });
    expect(await store.getTimeline(caseId)).toEqual(before);
  });

  it('names the case version in a refusal the case state causes, so a client can reload', async () => {
    const { caseId, deps, store } = await opened('inquiry');
    const version = (await store.getCase(caseId))?.version;
    await expect(setPriority(caseId, { priority: 'normal' }, { actor: agent }, deps)).rejects.toMatchObject({ currentVersion: version });
  });
});
