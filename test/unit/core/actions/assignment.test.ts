import { assignCase, claimCase, unassignCase } from '../../../../functions/core/actions/assignment';
import { CaseStateError, ForbiddenError, InvalidInputError } from '../../../../functions/core/errors';
import { agent, opened, otherAgent, supervisor } from './support';

describe('assignment (M4.1, M4.2)', () => {
  it('lets a supervisor assign a case to a named representative, with their name and address from the staff directory', async () => {
    const { store, caseId, deps } = await opened();
    const c = await assignCase(caseId, { assigneeId: 'agent-ben', reason: 'speaks Portuguese' }, { actor: supervisor }, deps);
    expect(c.assignee).toEqual({ id: 'agent-ben', name: 'Ben Agent', email: 'ben@staff.example' });
    expect((await store.getTimeline(caseId)).at(-1)).toMatchObject({ type: 'assignment_changed', data: { to: { id: 'agent-ben' }, how: 'assigned', reason: 'speaks Portuguese' } });
  });

  it('refuses to assign someone who is not in the directory, or who does not work cases, naming the field', async () => {
    const { caseId, deps } = await opened();
    await expect(assignCase(caseId, { assigneeId: 'nobody' }, { actor: supervisor }, deps)).rejects.toMatchObject({ issues: [{ path: 'assigneeId', message: 'No staff member nobody' }] });
    await expect(assignCase(caseId, { assigneeId: 'fb-fay' }, { actor: supervisor }, deps)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it('lets a representative claim an unassigned case, and not one someone else holds', async () => {
    const { caseId, deps } = await opened();
    expect((await claimCase(caseId, {}, { actor: agent }, deps)).assignee?.id).toBe('agent-ana');
    await expect(claimCase(caseId, {}, { actor: agent }, deps)).rejects.toThrow('is yours already');
    await expect(claimCase(caseId, {}, { actor: otherAgent }, deps)).rejects.toThrow(/assigned to Ana Agent; a supervisor can reassign it/);
  });

  it('lets the assignee or a supervisor unassign a case, and not another representative', async () => {
    const { caseId, deps } = await opened();
    await claimCase(caseId, {}, { actor: agent }, deps);
    await expect(unassignCase(caseId, {}, { actor: otherAgent }, deps)).rejects.toBeInstanceOf(ForbiddenError);
    expect((await unassignCase(caseId, { reason: 'off sick' }, { actor: supervisor }, deps)).assignee).toBeUndefined();
    await expect(unassignCase(caseId, {}, { actor: agent }, deps)).rejects.toBeInstanceOf(CaseStateError);
  });
});
