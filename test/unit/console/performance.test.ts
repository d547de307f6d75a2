import type { PerformanceReview } from '../../../web/console/src/api/types';
import { figureTables, monthOptions, periodOfMonth, picksRepresentative, readsTeamSummary, reportTarget } from '../../../web/console/src/logic/performance';
import { navigationFor } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import { session } from './fixtures';

const stats = (p50Ms: number | null, p90Ms: number | null) => ({ count: 2, p50Ms, p90Ms, maxMs: p90Ms });
const attainment = (met: number, breached: number, value: number | null) => ({ met, breached, pending: 0, stopped: 0, attainment: value });

const report: PerformanceReview = {
  staffId: 'ana',
  period: { from: '2026-10-01', to: '2026-10-31', days: 31 },
  asOf: '2026-11-02T12:00:00.000Z',
  attention: [],
  metrics: {
    cases: 3,
    acknowledgementTime: stats(10 * 60_000, 20 * 60_000),
    firstResponseTime: stats(2 * 3_600_000, null),
    sla: { acknowledgement: attainment(2, 1, 0.6667), initialResponse: attainment(3, 0, 1), escalationResponse: attainment(0, 0, null) },
    breaches: { recorded: 1, cases: 1, rate: 0.3333 },
    resolution: { resolved: 2, rate: 0.6667, time: stats(3 * 3_600_000, null) },
    escalation: { escalated: 0, rate: 0 },
    reopen: { reopened: 0, rate: null },
  },
  csat: { answers: 2, meanRating: 3.5, satisfied: 0.5, solved: 0.5 },
  quality: { sampled: 3, scored: 2, failed: 1, meanOverall: 3.2, meanByCriterion: { accuracy: 2.5 } },
  nonCompliance: { opened: 1, byCause: { slaBreach: 0, reported: 1, qualityReview: 0 }, byStatus: { open: 0, overdue: 1, action_recorded: 0, closed: 0 }, repeated: false },
  training: { courses: [{ courseId: 'crm-software', title: 'CRM software', requiredForCases: true, status: 'never_trained' }], requiredMissing: ['crm-software'] },
};

describe('the console’s Performance screen (C7.3, M6.2)', () => {
  it('offers the last complete calendar months, newest first, each with its first and last day (C7.3)', () => {
    const months = monthOptions(Date.parse('2026-03-15T10:00:00Z'), 3);
    expect(months).toEqual([
      { value: '2026-02', label: 'February 2026', from: '2026-02-01', to: '2026-02-28' },
      { value: '2026-01', label: 'January 2026', from: '2026-01-01', to: '2026-01-31' },
      { value: '2025-12', label: 'December 2025', from: '2025-12-01', to: '2025-12-31' },
    ]);
    expect(periodOfMonth('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('lets supervisors pick any representative and shows a representative their own report only (C7.3)', () => {
    expect(reportTarget(session(['supervisors']), ' ben ')).toBe('ben');
    expect(reportTarget(session(['supervisors']), '')).toBeUndefined();
    expect(reportTarget(session(['agents'], 'ana'), 'ben')).toBe('ana');
    expect(picksRepresentative(session(['agents']))).toBe(false);
    expect(picksRepresentative(session(['auditors']))).toBe(true);
    expect(readsTeamSummary(session(['feedback']))).toBe(false);
    expect(readsTeamSummary(session(['managers']))).toBe(true);
  });

  it('shows the figures as labelled rows: durations, attainment with its counts, rates as percentages, a dash for none (C7.3, M6.2)', () => {
    const tables = figureTables(report);
    expect(tables.map((t) => t.title)).toEqual(['Cases and response', 'Customer satisfaction', 'Quality reviews', 'Non-compliance', 'Training']);
    const rows = Object.fromEntries(tables.flatMap((t) => t.rows.map((r) => [r.label, r.value])));
    expect(rows['Acknowledgement time p50 / p90']).toBe('10m 00s / 20m 00s');
    expect(rows['First response time p50 / p90']).toBe('2h 00m / —');
    expect(rows['SLA attainment: acknowledgement']).toBe('66.7% (2 met, 1 breached)');
    expect(rows['SLA attainment: escalation response']).toBe('— (0 met, 0 breached)');
    expect(rows['Reopen rate']).toBe('—');
    expect(rows['Rated 4 or 5']).toBe('50%');
    expect(rows['Sampled / scored / failed']).toBe('3 / 2 / 1');
    expect(rows['Open / overdue / action recorded / signed off']).toBe('0 / 1 / 0 / 0');
    expect(rows['CRM software (required)']).toBe('Never taken');
  });

  it('is offered to representatives, supervisors, the feedback team and auditors, at #/performance (C7.3)', () => {
    for (const role of ['agents', 'supervisors', 'managers', 'feedback', 'auditors'] as const) expect(navigationFor(session([role])).map((i) => i.id)).toContain('performance');
    expect(navigationFor(session(['admins'])).map((i) => i.id)).not.toContain('performance');
    expect(parseRoute('#/performance')).toEqual({ view: 'performance' });
    expect(formatRoute({ view: 'performance' })).toBe('#/performance');
  });
});
