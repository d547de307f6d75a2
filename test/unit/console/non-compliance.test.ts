import type { NonComplianceRecord } from '../../../web/console/src/api/types';
import type { StaffRole } from '../../../web/console/src/api/types';
import { navigationFor, type Session } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import { actionProblems, byUrgency, causeLabel, deadlineLabel, maySignOff, reportProblems } from '../../../web/console/src/logic/non-compliance';

const HOUR = 3_600_000;
const record = (over: Partial<NonComplianceRecord>): NonComplianceRecord => ({
  id: 'nc-1',
  version: 1,
  openedAt: '2026-11-02T09:00:00.000Z',
  openedBy: { kind: 'system', id: 'caseflow' },
  cause: { kind: 'sla_breach', milestone: 'initial_response', dueAt: '2026-11-02T08:00:00.000Z' },
  correctiveActionDueAt: '2026-11-09T09:00:00.000Z',
  status: 'open',
  warned: false,
  correctiveActions: [],
  repeated: false,
  repeatOf: [],
  ...over,
});

const session = (roles: StaffRole[]): Session => ({ sub: 's', name: 'S', roles, expiresAt: Date.now() + 60_000 });

describe('the console’s non-compliance screen (C8.1–C8.3)', () => {
  it('is offered to supervisors, managers, the feedback team and auditors, as the routes allow, at #/non-compliance', () => {
    for (const role of ['supervisors', 'managers', 'feedback', 'auditors'] as const) expect(navigationFor(session([role])).map((i) => i.id)).toContain('non-compliance');
    for (const role of ['agents', 'admins'] as const) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('non-compliance');
    expect(formatRoute({ view: 'non-compliance' })).toBe('#/non-compliance');
    expect(parseRoute('#/non-compliance')).toEqual({ view: 'non-compliance' });
  });

  it('says what caused a record and how its 7-day window stands (C8.1)', () => {
    expect(causeLabel(record({}))).toBe('SLA breach: initial response deadline missed');
    expect(causeLabel(record({ cause: { kind: 'reported', description: 'No checklist' } }))).toBe('Reported: No checklist');
    const due = Date.parse('2026-11-09T09:00:00.000Z');
    expect(deadlineLabel(record({}), due - 52 * HOUR)).toBe('due in 2 days 4 h');
    expect(deadlineLabel(record({}), due - 3 * HOUR)).toBe('due in 3 h');
    expect(deadlineLabel(record({ status: 'overdue' }), due + 25 * HOUR)).toBe('missed 1 day 1 h ago');
    expect(deadlineLabel(record({ status: 'action_recorded' }), due + HOUR)).toBeUndefined();
  });

  it('puts overdue records first, then open ones by deadline, then those awaiting sign-off', () => {
    const sorted = byUrgency([
      record({ id: 'closed', status: 'closed' }),
      record({ id: 'late-open', correctiveActionDueAt: '2026-11-20T00:00:00.000Z' }),
      record({ id: 'waiting', status: 'action_recorded' }),
      record({ id: 'soon-open', correctiveActionDueAt: '2026-11-05T00:00:00.000Z' }),
      record({ id: 'overdue', status: 'overdue' }),
    ]);
    expect(sorted.map((r) => r.id)).toEqual(['overdue', 'soon-open', 'late-open', 'waiting', 'closed']);
  });

  it('asks for the kind, the description and the evidence of a corrective action before sending it (C8.2)', () => {
    expect(actionProblems({ type: '', description: ' ', evidence: '' })).toEqual({
      type: 'Choose the kind of corrective action',
      description: 'Say what was done',
      evidence: 'Give the evidence: a training record, a rota, the revised procedure',
    });
    expect(actionProblems({ type: 'retraining', description: 'Refresher', evidence: 'Record 12' })).toEqual({});
    expect(reportProblems({ description: 'x', staffId: 'ana smith', caseId: 'CS-123' })).toEqual({ staffId: 'A staff id: letters, digits and . _ @ -', caseId: 'A case id (as in the case’s address)' });
  });

  it('offers the sign-off once an action is recorded, and never to the staff member the record is about', () => {
    const acted = record({ status: 'action_recorded', staffId: 'agent-ana', correctiveActions: [{ type: 'retraining', description: 'd', evidence: 'e', recordedBy: { kind: 'supervisor', id: 'sup-sam' }, recordedAt: '2026-11-03T09:00:00.000Z' }] });
    expect(maySignOff(acted, 'sup-sam')).toBe(true);
    expect(maySignOff(acted, 'agent-ana')).toBe(false);
    expect(maySignOff(record({}), 'sup-sam')).toBe(false);
  });
});
