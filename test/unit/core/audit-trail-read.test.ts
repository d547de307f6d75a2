import { addNote } from '../../../functions/core/actions/add-note';
import { chainEvents } from '../../../functions/core/audit-chain';
import { readAuditTrail, verifyAuditTrail } from '../../../functions/core/audit-verification';
import { agent, opened } from './actions/support';

describe('reading a case and its trail as of one moment (M7.3)', () => {
  it('does not report a change that lands between reading the case and its events as tampering', async () => {
    const { store, caseId, deps } = await opened();
    const read = store.getTimeline.bind(store);
    let raced = false;
    jest.spyOn(store, 'getTimeline').mockImplementation(async (id) => {
      if (!raced) {
        raced = true;
        await addNote(caseId, { text: 'written while the auditor reads' }, { actor: agent }, deps);
      }
      return read(id);
    });
    const trail = await readAuditTrail(store, caseId);
    expect(trail?.events.length).toBe(trail?.case.version);
    const verdict = verifyAuditTrail(trail?.events ?? [], trail?.case ?? { version: 0, lastEventHash: '' }, []);
    expect(verdict).toMatchObject({ valid: true });
  });

  it('still reports events added behind the API’s back, which no case head ever counted', async () => {
    const { store, caseId } = await opened();
    const events = store.events.get(caseId) ?? [];
    const c = await store.getCase(caseId);
    // A well-formed event, hashed onto the chain, written straight into the table: the case head never moved.
    const { events: forged } = chainEvents(c!, [{ type: 'note_added', at: c!.updatedAt, actor: agent, data: { text: 'forged' } }]);
    events.push(...forged);
    const trail = await readAuditTrail(store, caseId);
    expect(verifyAuditTrail(trail?.events ?? [], trail?.case ?? { version: 0, lastEventHash: '' }, [])).toMatchObject({ valid: false, reason: expect.stringContaining('added outside a change') });
  });
});
