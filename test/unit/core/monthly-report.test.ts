import { ReportNotReadyError, assertMonthEnded, computeMonthlyReport, monthBefore, monthPeriod, MonthlyReportSchema, previousMonthOf, type MonthlyReport } from '../../../functions/core/monthly-report';
import { CaseEventSchema } from '../../../functions/core/case-event';
import { ALL_RECORDS, AS_OF, CUSTOMER, HOUR, MANIFESTS, MIN, MONTH } from '../../support/monthly-report-fixture';

const report = computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS, manifests: MANIFESTS });
const mom = (r: MonthlyReport, key: string) => r.monthOverMonth.find((f) => f.key === key);


/** The month's report with the first November case's customer answering the survey on the 29th. */
function reportWithOneAnswer(rating: number, solved: boolean) {
  const first = ALL_RECORDS.find((r) => r.case.receivedAt.startsWith(MONTH));
  if (!first) throw new Error('no November case');
  const survey = { caseId: first.case.caseId, seq: first.timeline.length + 1, at: '2026-11-29T10:00:00.000Z', actor: { kind: 'customer' }, prevHash: 'p', hash: 'h', type: 'survey_answered', data: { surveyId: 's', rating, solved, updated: false } };
  const answered = { ...first, timeline: [...first.timeline, CaseEventSchema.parse(survey)] };
  return computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS.map((r) => (r === first ? answered : r)), manifests: MANIFESTS });
}

describe('the months a report covers', () => {
  it('spans a calendar month’s UTC days, February and December included', () => {
    expect(monthPeriod('2026-11')).toEqual({ from: '2026-11-01', to: '2026-11-30' });
    expect(monthPeriod('2028-02')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(monthPeriod('2026-12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(previousMonthOf('2027-01')).toBe('2026-12');
    expect(monthBefore(new Date('2026-12-01T00:05:00.000Z'))).toBe('2026-11');
    expect(() => monthPeriod('2026-13')).toThrow('YYYY-MM');
  });

  it('refuses a month that has not ended: its cases are still arriving', () => {
    expect(() => assertMonthEnded('2026-11', new Date('2026-11-30T23:59:59.999Z'))).toThrow(ReportNotReadyError);
    expect(() => assertMonthEnded('2026-11', new Date('2026-12-01T00:00:00.000Z'))).not.toThrow();
  });
});

describe('the monthly report of a hand-built month (M6.2, C6.2, M4.2)', () => {
  it('is a valid report of November’s seven cases, by channel and type, and none received outside it', () => {
    expect(MonthlyReportSchema.parse(report)).toEqual(report);
    expect(report).toMatchObject({ month: '2026-11', period: { from: '2026-11-01', to: '2026-11-30', days: 30 }, previousMonth: '2026-10', asOf: AS_OF, policyVersions: ['2026-11'] });
    expect(report.totals).toEqual({
      cases: 7,
      byChannel: { web: 3, email: 2, phone: 1, api: 1 },
      byType: { inquiry: 5, complaint: 2 },
      // Resolved: all but D. Breached: B, D, G. Escalated: B, D, F. Reopened: F, of the six ever resolved.
      resolved: 6,
      resolutionRate: 0.8571,
      breachedCases: 3,
      breachRate: 0.4286,
      escalatedCases: 3,
      escalationRate: 0.4286,
      reopenRate: 0.1667,
    });
  });

  it('gives every day’s volume by channel and type, the empty days too', () => {
    expect(report.daily).toHaveLength(30);
    expect(report.daily.filter((d) => d.cases > 0).map((d) => [d.day, d.cases, d.byChannel, d.byType])).toEqual([
      ['2026-11-02', 2, { web: 1, email: 1, phone: 0, api: 0 }, { inquiry: 1, complaint: 1 }],
      ['2026-11-03', 1, { web: 0, email: 0, phone: 1, api: 0 }, { inquiry: 1, complaint: 0 }],
      ['2026-11-05', 1, { web: 1, email: 0, phone: 0, api: 0 }, { inquiry: 0, complaint: 1 }],
      ['2026-11-10', 2, { web: 1, email: 1, phone: 0, api: 0 }, { inquiry: 2, complaint: 0 }],
      ['2026-11-30', 1, { web: 0, email: 0, phone: 0, api: 1 }, { inquiry: 1, complaint: 0 }],
    ]);
  });

  it('measures each milestone’s attainment against the protocol’s 100% target (M3.1, C3.1, M3.3)', () => {
    expect(report.sla.map((s) => [s.milestone, s.window, s.met, s.breached, s.pending, s.stopped, s.attainment, s.target, s.gap, s.meetsTarget])).toEqual([
      // Met A C F; breached B (recorded), D (never), G (30 min, none recorded); E stopped.
      ['acknowledgement', '15 min', 3, 3, 0, 1, 0.5, 1, -0.5, false],
      // Met A C F G; breached B (30 h) and D (never); E stopped.
      ['initialResponse', '24 h', 4, 2, 0, 1, 0.6667, 1, -0.3333, false],
      // Met B's ESC-01; breached D's ESC-01 (climbed unaccepted) and ESC-02 (accepted at 80 h, due 72 h); F's handed back before its respond-by: stopped.
      ['escalationResponse', '24 h', 1, 2, 0, 1, 0.3333, 1, -0.6667, false],
    ]);
  });

  it('holds each milestone to a target of the deployment’s own when one is given', () => {
    const agreed = computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS, manifests: [], targets: { acknowledgement: 0.5, initialResponse: 0.95, escalationResponse: 0.3 } });
    expect(agreed.sla.map((s) => [s.milestone, s.target, s.gap, s.meetsTarget])).toEqual([
      ['acknowledgement', 0.5, 0, true],
      ['initialResponse', 0.95, -0.2833, false],
      ['escalationResponse', 0.3, 0.0333, true],
    ]);
    expect(agreed.notes.targets).toContain('Initial response 95%');
  });

  it('buckets the response times, each bucket up to its bound included, the cases not reached last', () => {
    // Acknowledged: C 0, F 1 min, A 5 min (the bound: ≤ 5 min), B 20 min, G 30 min; D and E never.
    expect(report.responseTimes.acknowledgement.buckets.map((b) => [b.label, b.count])).toEqual([
      ['≤ 5 min', 3],
      ['5–15 min', 0],
      ['15–60 min', 2],
      ['1–4 h', 0],
      ['4–24 h', 0],
      ['> 24 h', 0],
      ['Not reached', 2],
    ]);
    expect(report.responseTimes.acknowledgement.stats).toEqual({ count: 5, p50Ms: 5 * MIN, p90Ms: 30 * MIN, maxMs: 30 * MIN });
    // Answered: C 0, A 2 h, G 3 h, F 10 h, B 30 h.
    expect(report.responseTimes.firstResponse.buckets.map((b) => b.count)).toEqual([1, 2, 0, 1, 1, 0, 2]);
    expect(report.responseTimes.firstResponse.stats).toEqual({ count: 5, p50Ms: 3 * HOUR, p90Ms: 30 * HOUR, maxMs: 30 * HOUR });
  });

  it('counts escalations by trigger, level and ending, from the cases’ timelines (M3.3)', () => {
    expect(report.escalations).toEqual({
      escalatedCases: 3,
      rate: 0.4286,
      // B and D 24 h after receipt, F 3 h.
      timeToEscalate: { count: 3, p50Ms: 24 * HOUR, p90Ms: 24 * HOUR, maxMs: 24 * HOUR },
      escalations: 4,
      byTrigger: { automatic: 3, manual: 1 },
      byLevel: [
        { level: 1, count: 3 },
        { level: 2, count: 1 },
      ],
      endings: [
        { ending: 'resolved', label: 'Resolved by the escalated party', count: 1 },
        { ending: 'handed-back', label: 'Handed back to the representative', count: 1 },
        { ending: 'escalated-further', label: 'Escalated further', count: 1 },
        { ending: 'case-resolved', label: 'Ended with the case’s resolution', count: 0 },
        { ending: 'open', label: 'Still open', count: 1 },
      ],
      response: { met: 1, breached: 2, pending: 0, stopped: 1, attainment: 0.3333 },
    });
  });

  it('ranks the breach reasons by milestone, most frequent first', () => {
    expect(report.breachReasons.map((b) => [b.milestone, b.kind, b.count, b.share])).toEqual([
      ['acknowledgement', 'late', 2, 0.6667],
      ['acknowledgement', 'missed', 1, 0.3333],
      ['initialResponse', 'late', 1, 0.5],
      ['initialResponse', 'missed', 1, 0.5],
      ['escalationResponse', 'late', 1, 0.5],
      ['escalationResponse', 'missed', 1, 0.5],
    ]);
  });

  it('compares the month with the one before, saying which changes are for the better (M8.3)', () => {
    // October: two cases, both acknowledged in time, one answered after 30 h.
    expect(mom(report, 'cases')).toEqual({ key: 'cases', label: 'Cases received', unit: 'count', current: 7, previous: 2, delta: 5, better: null });
    expect(mom(report, 'acknowledgementAttainment')).toMatchObject({ current: 0.5, previous: 1, delta: -0.5, better: false });
    expect(mom(report, 'initialResponseAttainment')).toMatchObject({ current: 0.6667, previous: 0.5, delta: 0.1667, better: true });
    expect(mom(report, 'escalationResponseAttainment')).toMatchObject({ current: 0.3333, previous: null, delta: null, better: null });
    expect(mom(report, 'breachRate')).toMatchObject({ current: 0.4286, previous: 0.5, delta: -0.0714, better: true });
    expect(mom(report, 'firstResponseP90')).toMatchObject({ current: 30 * HOUR, previous: 30 * HOUR, delta: 0, better: null });
  });

  it('lists as evidence the manifests whose period overlaps the month, and the days no export covers yet (M7.3)', () => {
    expect(report.evidence.manifests.map((m) => [m.sequence, m.exportId, m.sha256.slice(0, 4), m.keyId, m.cases])).toEqual([
      [2, '2026-11-01_2026-11-15', '2222', 'local:test-key', 6],
      [3, '2026-11-16_2026-11-20', '3333', 'local:test-key', 2],
    ]);
    expect(report.evidence.daysCovered).toBe(20);
    expect(report.evidence.uncoveredDays).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
  });

  it('holds no personal data: no customer name or address, no free text of a case (M5.1, C6.1)', () => {
    const text = JSON.stringify(report);
    expect(text).not.toContain(CUSTOMER.name);
    expect(text).not.toContain(CUSTOMER.email);
    expect(text).not.toContain('SECRET');
    expect(text).not.toMatch(/@example\.com/);
  });

  it('states the month’s satisfaction in its notes, or that no case of the month was answered (M8.1, C7.1)', () => {
    expect(report.notes.csat).toMatch(/No survey answers for this month's cases\.$/);
    // One November case answered: rated 2, not solved.
    const withAnswer = reportWithOneAnswer(2, false);
    expect(withAnswer.notes.csat).toMatch(/This month: 1 answer, mean rating 2, 0% rating 4 or 5, 0% solved\.$/);
  });

  it('reports the month’s CSAT figures next to the previous month’s, for month over month (M8.1, C7.1, M8.3)', () => {
    expect(report.csat.current.answers).toBe(0);
    const withAnswer = reportWithOneAnswer(4, true);
    expect(withAnswer.csat.current).toEqual({ answers: 1, meanRating: 4, satisfied: 1, solved: 1 });
    expect(withAnswer.csat.previous.answers).toBe(0);
  });

  it('is the same report whatever the order the cases come in', () => {
    const reversed = computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: [...ALL_RECORDS].reverse(), manifests: [...MANIFESTS].reverse() });
    expect(reversed).toEqual(report);
  });
});
