import type { Case } from '../../../functions/core/case';
import { timersMayHaveChanged } from '../../../functions/core/sla-workflows';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const base: Case = {
  caseId: '44444444-4444-4444-8444-444444444444',
  reference: 'CS-ABC123',
  type: 'inquiry',
  channel: 'web',
  priority: 'normal',
  status: 'in_progress',
  customer: { name: 'Pat', email: 'pat@example.com' },
  subject: 's',
  message: 'm',
  receivedAt: new Date(T0).toISOString(),
  updatedAt: new Date(T0).toISOString(),
  sla: computeDeadlines('inquiry', new Date(T0), slaPolicy()),
  acknowledgedAt: new Date(T0).toISOString(),
  firstRespondedAt: new Date(T0).toISOString(),
  version: 3,
  lastEventHash: 'h',
};

describe('starting the SLA workflow again for a changed case (M7.2)', () => {
  it('starts it for a new case, and for a case just resolved (its automatic closure)', () => {
    const { acknowledgedAt: _a, firstRespondedAt: _f, ...fresh } = base;
    expect(timersMayHaveChanged(undefined, { ...fresh, status: 'new' }, T0)).toBe(true);
    const resolved: Case = { ...base, status: 'resolved', resolvedAt: new Date(T0 + 1000).toISOString(), autoCloseAt: new Date(T0 + 7 * 86_400_000).toISOString() };
    expect(timersMayHaveChanged(base, resolved, T0 + 1000)).toBe(true);
  });

  it('leaves it alone for a change that touches no timer, and for a case with nothing left to enforce', () => {
    expect(timersMayHaveChanged({ ...base, status: 'resolved', autoCloseAt: 'x' }, { ...base, status: 'resolved', autoCloseAt: 'x' } as Case, T0)).toBe(false);
    expect(timersMayHaveChanged({ ...base, status: 'acknowledged' }, base, T0)).toBe(false);
    const complaint: Case = { ...base, type: 'complaint', sla: computeDeadlines('complaint', new Date(T0), slaPolicy()) };
    expect(timersMayHaveChanged(base, complaint, T0)).toBe(true);
  });
});
