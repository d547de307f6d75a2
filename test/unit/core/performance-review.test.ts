import { randomUUID } from 'node:crypto';
import { scorecardOf } from '../../support/scorecards';
import { CaseEventSchema, type CaseEvent, type CaseEventType } from '../../../functions/core/case-event';
import { InvalidInputError } from '../../../functions/core/errors';
import { computeMetrics, type MetricsCaseRecord } from '../../../functions/core/metrics';
import { openNonCompliance, type NonComplianceRecord } from '../../../functions/core/non-compliance';
import {
  attentionPoints,
  composePerformanceReview,
  PERFORMANCE_THRESHOLDS,
  performancePeriod,
  PerformanceReviewSchema,
  summaryRowOf,
  type PerformanceInputs,
  type PerformanceReview,
} from '../../../functions/core/performance-review';
import { DEFAULT_QUALITY_REVIEW_POLICY, sampleReview, scoreReview, type QualityReview } from '../../../functions/core/quality-review';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';
import { DEFAULT_TRAINING_SETTINGS, staffTrainingStatus, type TrainingRecord } from '../../../functions/core/training';

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (base: string, plusMs: number) => new Date(Date.parse(base) + plusMs).toISOString();
const system = { kind: 'system' as const, id: 'caseflow' };
const supervisor = { kind: 'supervisor' as const, id: 'sup-sam' };

type DataOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>['data'];
const ev = <T extends CaseEventType>(type: T, at: string, data: DataOf<T>) => ({ type, at, data });

/** A web inquiry assigned to `agent`, its deadlines from the default policy, its timeline the steps. */
function inquiry(agent: string, receivedAt: string, o: { acknowledgedAfterMs?: number; answeredAfterMs?: number; steps?: { type: CaseEventType; at: string; data: unknown }[] } = {}): MetricsCaseRecord {
  const caseId = randomUUID();
  const sla = computeDeadlines('inquiry', new Date(receivedAt), slaPolicy());
  const steps = [ev('case_received', receivedAt, { channel: 'web', caseType: 'inquiry', sla }), ...(o.steps ?? [])];
  return {
    case: {
      caseId,
      type: 'inquiry',
      channel: 'web',
      receivedAt,
      sla,
      assignee: { id: agent },
      ...(o.acknowledgedAfterMs !== undefined ? { acknowledgedAt: iso(receivedAt, o.acknowledgedAfterMs) } : {}),
      ...(o.answeredAfterMs !== undefined ? { firstRespondedAt: iso(receivedAt, o.answeredAfterMs) } : {}),
    },
    timeline: steps.map((s, i) => CaseEventSchema.parse({ caseId, seq: i + 1, at: s.at, actor: system, prevHash: 'p', hash: 'h', type: s.type, data: s.data })),
  };
}

const card = scorecardOf;
function review(staffId: string, repliedAt: string, scores?: [number, number, number, number, number]): QualityReview {
  const sampled = sampleReview({ caseId: randomUUID(), seq: 3, staffId, repliedAt }, 'share', new Date(repliedAt), system);
  return scores ? scoreReview(sampled, { scorecard: card(scores) }, supervisor, new Date(iso(repliedAt, HOUR)), DEFAULT_QUALITY_REVIEW_POLICY, undefined).next : sampled;
}

function nonCompliance(id: string, staffId: string, at: string, earlier: NonComplianceRecord[] = []): NonComplianceRecord {
  return openNonCompliance({ id, cause: { kind: 'reported', description: 'no greeting' }, staffId, openedBy: supervisor, at: new Date(at), policy: slaPolicy(), earlier, notify: 'supervisors' });
}

const trained = (staffId: string, courseId: string, completedAt: string): TrainingRecord => ({
  recordId: randomUUID(),
  staffId,
  courseId,
  completedAt,
  evidence: { note: 'done' },
  recordedBy: supervisor,
  recordedAt: completedAt,
});

/*
 * October 2026, as of 2 November 12:00. Representative a1:
 * - case 1 (1 Oct 09:00): acknowledged +5 min, answered +2 h, resolved +3 h, survey 5 solved;
 * - case 2 (10 Oct 09:00): acknowledged +20 min (late: 15 min), answered +1 h, survey 2 not solved;
 * - case 3 (20 Oct 09:00): acknowledged +10 min, answered +30 h (late: 24 h), resolved +31 h.
 * a2 has one case (5 Oct), which is not a1's. Reviews: a1 three in October (one failed, one
 * pending), one in September (outside). Non-compliance: a1 one record on 25 Oct (overdue by
 * 2 Nov: 7 days), one on 28 Sep (outside); a2 one. Training: a1 took three courses in July
 * (current), one (crm-software) never.
 */
const R1 = '2026-10-01T09:00:00.000Z';
const R2 = '2026-10-10T09:00:00.000Z';
const R3 = '2026-10-20T09:00:00.000Z';
const ASOF = '2026-11-02T12:00:00.000Z';
const PERIOD = { from: '2026-10-01', to: '2026-10-31' };

const cases = [
  inquiry('a1', R1, {
    acknowledgedAfterMs: 5 * MIN,
    answeredAfterMs: 2 * HOUR,
    steps: [ev('status_changed', iso(R1, 3 * HOUR), { from: 'new', to: 'resolved' }), ev('survey_answered', iso(R1, 4 * HOUR), { surveyId: 's1', rating: 5, solved: true, updated: false })],
  }),
  inquiry('a1', R2, { acknowledgedAfterMs: 20 * MIN, answeredAfterMs: HOUR, steps: [ev('survey_answered', iso(R2, 4 * HOUR), { surveyId: 's2', rating: 2, solved: false, updated: false })] }),
  inquiry('a1', R3, { acknowledgedAfterMs: 10 * MIN, answeredAfterMs: 30 * HOUR, steps: [ev('status_changed', iso(R3, 31 * HOUR), { from: 'new', to: 'resolved' })] }),
  inquiry('a2', '2026-10-05T09:00:00.000Z', { acknowledgedAfterMs: MIN, answeredAfterMs: HOUR }),
];

function inputs(over: Partial<PerformanceInputs> = {}): PerformanceInputs {
  return {
    staffId: 'a1',
    name: 'Ada',
    period: PERIOD,
    asOf: ASOF,
    cases,
    reviews: [
      review('a1', '2026-10-02T10:00:00.000Z', [4, 4, 3, 4, 4]),
      review('a1', '2026-10-12T10:00:00.000Z', [1, 3, 3, 3, 3]),
      review('a1', '2026-10-30T10:00:00.000Z'),
      review('a1', '2026-09-30T23:59:59.999Z', [1, 1, 1, 1, 1]),
      review('a2', '2026-10-12T10:00:00.000Z', [1, 1, 1, 1, 1]),
    ],
    nonCompliance: [nonCompliance('nc-old', 'a1', '2026-09-28T10:00:00.000Z'), nonCompliance('nc-1', 'a1', '2026-10-25T10:00:00.000Z'), nonCompliance('nc-2', 'a2', '2026-10-26T10:00:00.000Z')],
    training: staffTrainingStatus(
      'a1',
      ['communication-skills', 'complaint-handling', 'company-policies'].map((c) => trained('a1', c, '2026-07-01T09:00:00.000Z')),
      DEFAULT_TRAINING_SETTINGS,
      new Date(ASOF),
    ),
    ...over,
  };
}

describe('one representative’s performance review (C7.3, M6.2)', () => {
  const report = composePerformanceReview(inputs());

  it('composes their figures from the metrics grouped by agent, not computed again differently (C7.3, M6.2)', () => {
    const byAgent = computeMetrics(cases, PERIOD, 'agent', ASOF);
    const { key: _key, ...a1 } = byAgent.groups.find((g) => g.key === 'a1') ?? { key: '' };
    expect(report.metrics).toEqual(a1);
    // Hand-computed: 3 cases; acknowledgement 5, 10, 20 min (p50 10 min, p90 20 min), one late.
    expect(report.metrics.cases).toBe(3);
    expect(report.metrics.acknowledgementTime).toEqual({ count: 3, p50Ms: 10 * MIN, p90Ms: 20 * MIN, maxMs: 20 * MIN });
    expect(report.metrics.firstResponseTime).toEqual({ count: 3, p50Ms: 2 * HOUR, p90Ms: 30 * HOUR, maxMs: 30 * HOUR });
    expect(report.metrics.sla.acknowledgement).toMatchObject({ met: 2, breached: 1, attainment: 0.6667 });
    expect(report.metrics.sla.initialResponse).toMatchObject({ met: 2, breached: 1, attainment: 0.6667 });
    expect(report.metrics.resolution).toMatchObject({ resolved: 2, rate: 0.6667 });
    expect(report.metrics.breaches).toMatchObject({ cases: 2, rate: 0.6667 });
  });

  it('reports CSAT of their cases’ answers: answers, mean, share 4–5 and share solved (C7.3, M8.1)', () => {
    expect(report.csat).toEqual({ answers: 2, meanRating: 3.5, satisfied: 0.5, solved: 0.5 });
  });

  it('counts the reviews of their replies sent in the period: sampled, scored, failed and the mean per criterion (C7.3, M6.1)', () => {
    expect(report.quality).toEqual({
      sampled: 3,
      scored: 2,
      failed: 1,
      meanOverall: Math.round(((3.8 + 2.6) / 2) * 100) / 100,
      meanByCriterion: { accuracy: 2.5, relevance: 3.5, completeness: 3, tone: 3.5, protocolAdherence: 3.5 },
    });
  });

  it('counts their non-compliance records opened in the period by cause and status, an open one past its deadline as overdue (C7.3, C8.1)', () => {
    expect(report.nonCompliance).toMatchObject({
      opened: 1,
      byCause: { slaBreach: 0, reported: 1, qualityReview: 0 },
      byStatus: { open: 0, overdue: 1, action_recorded: 0, closed: 0 },
      repeated: false,
    });
    expect(report.nonCompliance.records.map((r) => r.id)).toEqual(['nc-1']);
  });

  it('lists each course’s training status as of the report’s time (C7.3, C5.3)', () => {
    expect(report.training.courses.map((c) => [c.courseId, c.status])).toEqual([
      ['communication-skills', 'current'],
      ['complaint-handling', 'current'],
      ['company-policies', 'current'],
      ['crm-software', 'never_trained'],
    ]);
  });

  it('lists the attention points, each naming its figure and threshold, in the order of the rules (C7.3)', () => {
    expect(report.attention.map((p) => [p.rule, p.figure, p.value, p.threshold])).toEqual([
      ['sla_attainment', 'sla.acknowledgement.attainment', 0.6667, 1],
      ['sla_attainment', 'sla.initialResponse.attainment', 0.6667, 1],
      ['failed_review', 'quality.failed', 1, 0],
      ['overdue_corrective_action', 'nonCompliance.byStatus.overdue', 1, 0],
      ['required_training', 'training.crm-software', 1, 0],
    ]);
    expect(PerformanceReviewSchema.parse(report)).toEqual(report);
  });

  it('gives the figures of no cases, and no attention point, to a representative with nothing in the period (C7.3)', () => {
    const quiet = composePerformanceReview(
      inputs({ staffId: 'a9', training: staffTrainingStatus('a9', ['communication-skills', 'complaint-handling', 'company-policies', 'crm-software'].map((c) => trained('a9', c, '2026-09-01T00:00:00.000Z')), DEFAULT_TRAINING_SETTINGS, new Date(ASOF)) }),
    );
    expect(quiet.metrics.cases).toBe(0);
    expect(quiet.metrics.sla.acknowledgement.attainment).toBeNull();
    expect(quiet.quality.sampled).toBe(0);
    expect(quiet.nonCompliance.opened).toBe(0);
    expect(quiet.attention).toEqual([]);
  });

  it('sums one report into one summary row (C7.3)', () => {
    expect(summaryRowOf(report)).toEqual({
      staffId: 'a1',
      name: 'Ada',
      cases: 3,
      acknowledgementAttainment: 0.6667,
      initialResponseAttainment: 0.6667,
      resolutionRate: 0.6667,
      csatSatisfied: 0.5,
      reviewsFailed: 1,
      nonComplianceOpened: 1,
      nonComplianceOverdue: 1,
      requiredTrainingMissing: 1,
      attentionPoints: 5,
    });
  });
});

describe('the attention rules at their thresholds (C7.3)', () => {
  const base = composePerformanceReview(inputs({ staffId: 'a9', training: { staffId: 'a9', courses: [], requiredMissing: [] } }));
  const { attention: _a, ...quiet } = base;
  const rules = (r: Omit<PerformanceReview, 'attention'>) => attentionPoints(r).map((p) => p.rule);
  const sla = (attainment: number | null) => ({ ...quiet.metrics.sla, acknowledgement: { ...quiet.metrics.sla.acknowledgement, attainment } });

  it('raises attainment only below the target (C7.3, M4.2)', () => {
    expect(rules({ ...quiet, metrics: { ...quiet.metrics, sla: sla(PERFORMANCE_THRESHOLDS.attainment.acknowledgement) } })).toEqual([]);
    expect(rules({ ...quiet, metrics: { ...quiet.metrics, sla: sla(0.9999) } })).toEqual(['sla_attainment']);
    expect(rules({ ...quiet, metrics: { ...quiet.metrics, sla: sla(null) } })).toEqual([]);
  });

  it('raises CSAT only below 80% satisfied and with at least 3 answers (C7.3, M8.1)', () => {
    const csat = (answers: number, satisfied: number) => rules({ ...quiet, csat: { answers, meanRating: 3, satisfied, solved: 0.5 } });
    expect(csat(3, 0.8)).toEqual([]);
    expect(csat(3, 0.7999)).toEqual(['csat']);
    expect(csat(2, 0)).toEqual([]);
  });

  it('raises the reopen rate only above 10% (C7.3)', () => {
    const reopen = (rate: number) => rules({ ...quiet, metrics: { ...quiet.metrics, reopen: { reopened: 1, rate } } });
    expect(reopen(0.1)).toEqual([]);
    expect(reopen(0.1001)).toEqual(['reopen_rate']);
  });

  it('raises a repeated flag, a lapsed required course and a course due soon (C7.3, C8.3, C5.3)', () => {
    const first = nonCompliance('r1', 'a9', '2026-10-01T00:00:00.000Z');
    const second = nonCompliance('r2', 'a9', '2026-10-02T00:00:00.000Z', [first]);
    const third = nonCompliance('r3', 'a9', '2026-10-03T00:00:00.000Z', [first, second]);
    const withRecords = composePerformanceReview(inputs({ staffId: 'a9', nonCompliance: [first, second, third], asOf: '2026-10-04T00:00:00.000Z', training: { staffId: 'a9', courses: [], requiredMissing: [] } }));
    expect(withRecords.attention.map((p) => p.rule)).toEqual(['repeated_non_compliance']);
    const course = { courseId: 'c', title: 'C', requiredForCases: true };
    expect(rules({ ...quiet, training: { staffId: 'a9', courses: [{ ...course, status: 'lapsed' }], requiredMissing: ['c'] } })).toEqual(['required_training']);
    expect(rules({ ...quiet, training: { staffId: 'a9', courses: [{ ...course, status: 'due_soon', dueAt: '2026-11-20T00:00:00.000Z' }], requiredMissing: [] } })).toEqual(['training_due_soon']);
    expect(rules({ ...quiet, training: { staffId: 'a9', courses: [{ ...course, requiredForCases: false, status: 'lapsed' }], requiredMissing: [] } })).toEqual([]);
  });
});

describe('the period of a review (C7.3)', () => {
  it('is the last calendar month by default, in UTC', () => {
    expect(performancePeriod({}, new Date('2026-11-02T12:00:00.000Z'))).toEqual({ from: '2026-10-01', to: '2026-10-31' });
    expect(performancePeriod({}, new Date('2026-03-01T00:00:00.000Z'))).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(performancePeriod({}, new Date('2027-01-15T00:00:00.000Z'))).toEqual({ from: '2026-12-01', to: '2026-12-31' });
  });

  it('takes at most 93 days, refusing more or a reversed period naming the field', () => {
    const now = new Date('2026-11-02T12:00:00.000Z');
    expect(performancePeriod({ from: '2026-08-01', to: '2026-11-01' }, now)).toEqual({ from: '2026-08-01', to: '2026-11-01' });
    const refused = (q: { from?: string; to?: string }) => {
      try {
        performancePeriod(q, now);
      } catch (e) {
        return e instanceof InvalidInputError ? e.issues.map((i) => i.path) : e;
      }
      return 'accepted';
    };
    expect(refused({ from: '2026-07-31', to: '2026-11-01' })).toEqual(['to']);
    expect(refused({ from: '2026-10-10', to: '2026-10-01' })).toEqual(['to']);
    expect(() => composePerformanceReview(inputs({ period: { from: '2026-07-01', to: '2026-10-31' } }))).toThrow(InvalidInputError);
  });
});
