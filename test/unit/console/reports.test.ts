import { checkReportMonth, lastEndedMonth, monthLabel } from '../../../web/console/src/logic/reports';
import { navigationFor, type Session } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import type { StaffRole } from '../../../web/console/src/api/types';

const session = (roles: StaffRole[]): Session => ({ sub: 's', name: 'S', roles, expiresAt: Date.now() + 60_000 });

describe('the monthly report in the console', () => {
  it('is offered to supervisors, managers, the feedback team and auditors, as the route allows, and to no one else', () => {
    for (const role of ['supervisors', 'managers', 'feedback', 'auditors'] as const) expect(navigationFor(session([role])).map((i) => i.id)).toContain('reports');
    for (const role of ['agents', 'admins'] as const) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('reports');
    expect(navigationFor(session(['feedback'])).find((i) => i.id === 'reports')).toEqual({ id: 'reports', label: 'Reports', target: { kind: 'reports' } });
  });

  it('has a place of its own in the URL', () => {
    expect(formatRoute({ view: 'reports' })).toBe('#/reports');
    expect(parseRoute('#/reports')).toEqual({ view: 'reports' });
    expect(parseRoute('#/reports/2026-11')).toEqual({ view: 'home' });
  });

  it('asks for the last month that has ended, and refuses one still running or not a month', () => {
    expect(lastEndedMonth(Date.parse('2026-12-01T00:00:00.000Z'))).toBe('2026-11');
    expect(lastEndedMonth(Date.parse('2027-01-15T12:00:00.000Z'))).toBe('2026-12');
    const now = Date.parse('2026-11-30T23:59:59.000Z');
    expect(checkReportMonth('2026-10', now)).toBeUndefined();
    expect(checkReportMonth('2026-11', now)).toBe('November 2026 has not ended yet: a month is reported once it is over.');
    expect(checkReportMonth('2026-13', now)).toMatch(/YYYY-MM/);
    expect(monthLabel('2026-02')).toBe('February 2026');
  });
});
