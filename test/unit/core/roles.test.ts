import { actorFor, mayCall, rolesOf } from '../../../functions/core/roles';

describe('staff roles (M4.1–4.3, C2.1–2.3)', () => {
  it('counts a manager as a supervisor, and ignores groups that are no role', () => {
    expect([...rolesOf(['managers', 'staff-everyone'])].sort()).toEqual(['managers', 'supervisors']);
    expect(mayCall(['managers'], ['supervisors'])).toBe(true);
    expect(mayCall(['supervisors'], ['managers'])).toBe(false);
    expect(mayCall(['staff-everyone'], ['agents'])).toBe(false);
  });

  it('acts in the strongest role the route allows the caller', () => {
    expect(actorFor({ sub: 'm', groups: ['managers'] }, ['agents', 'supervisors'])).toEqual({ kind: 'manager', id: 'm' });
    expect(actorFor({ sub: 'x', groups: ['auditors', 'agents'] }, ['agents', 'supervisors'])).toEqual({ kind: 'agent', id: 'x' });
    expect(actorFor({ sub: 'y', groups: ['auditors', 'agents'] }, ['auditors'])).toEqual({ kind: 'auditor', id: 'y' });
  });
});
