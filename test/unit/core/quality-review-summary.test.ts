import { DEFAULT_QUALITY_REVIEW_POLICY, isoWeekOf, sampleReview, scoreReview, type QualityReview, type ReplyRef } from '../../../functions/core/quality-review';
import { summarizeQualityReviews } from '../../../functions/core/quality-review-summary';
import { scorecardOf } from '../../support/scorecards';

/*
 * The monthly report's response-quality section (M3.1 quality checkpoints, M6.1, C6.3): a
 * hand-built November 2026 whose figures are counted by hand below.
 */
const SUPERVISOR = { kind: 'supervisor' as const, id: 'sup-1' };
const caseId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const reply = (n: number, staffId: string, repliedAt: string): ReplyRef => ({ caseId: caseId(n), seq: 3, staffId, repliedAt });
const scored = (r: ReplyRef, scores: [number, number, number, number, number]): QualityReview =>
  scoreReview(sampleReview(r, 'share', new Date(r.repliedAt), SUPERVISOR), { scorecard: scorecardOf(scores) }, SUPERVISOR, new Date(r.repliedAt), DEFAULT_QUALITY_REVIEW_POLICY, undefined).next;

// ISO week 2026-W44 runs from Monday 26 October to Sunday 1 November: its October replies are not November's.
const october = reply(1, 'agent-a', '2026-10-30T10:00:00.000Z');
const w44 = reply(2, 'agent-a', '2026-11-01T09:00:00.000Z');
const w45a = reply(3, 'agent-a', '2026-11-03T09:00:00.000Z');
const w45b = reply(4, 'agent-b', '2026-11-04T09:00:00.000Z');
const w45c = reply(5, 'agent-b', '2026-11-05T09:00:00.000Z');
const w49 = reply(6, 'agent-c', '2026-11-30T23:59:00.000Z');
const december = reply(7, 'agent-c', '2026-12-01T00:01:00.000Z');

const weeks = [
  { replies: [october, w44], reviews: [scored(october, [1, 1, 1, 1, 1])] },
  { replies: [w45a, w45b, w45c], reviews: [scored(w45a, [4, 4, 3, 4, 4]), scored(w45b, [1, 2, 2, 2, 2]), sampleReview(w45c, 'share', new Date(w45c.repliedAt), SUPERVISOR)] },
  { replies: [w49, december], reviews: [scored(december, [1, 1, 1, 1, 1])] },
];

describe('the monthly report’s response-quality reviews (M6.1, C6.3)', () => {
  const summary = summarizeQualityReviews({ from: '2026-11-01', to: '2026-11-30' }, weeks);

  it('counts the replies and calls of the month’s days, not the rest of the weeks it touches', () => {
    expect(isoWeekOf(october.repliedAt)).toBe(isoWeekOf(w44.repliedAt));
    expect(summary).toMatchObject({ replies: 5, sampled: 3, scored: 2, pending: 1, failed: 1 });
  });

  it('gives the mean overall score and each criterion’s mean over the scored reviews', () => {
    // Overall: (3.8 + 1.8) / 2 = 2.8; accuracy (4 + 1) / 2 = 2.5; completeness (3 + 2) / 2 = 2.5.
    expect(summary.meanOverall).toBe(2.8);
    expect(summary.byCriterion).toEqual([
      { criterion: 'accuracy', mean: 2.5 },
      { criterion: 'relevance', mean: 3 },
      { criterion: 'completeness', mean: 2.5 },
      { criterion: 'tone', mean: 3 },
      { criterion: 'protocolAdherence', mean: 3 },
    ]);
  });

  it('shows the sampling’s coverage: representative-weeks with a reply, and those with one sampled (M3.1)', () => {
    // agent-a in W44 (not sampled) and W45 (sampled), agent-b in W45 (sampled), agent-c in W49 (not sampled).
    expect({ agentWeeks: summary.agentWeeks, agentWeeksSampled: summary.agentWeeksSampled }).toEqual({ agentWeeks: 4, agentWeeksSampled: 2 });
  });

  it('names the representatives whose reviews failed (C8.1)', () => {
    expect(summary.failedBy).toEqual([{ staffId: 'agent-b', failed: 1 }]);
  });

  it('has no means in a month without a scored review', () => {
    const empty = summarizeQualityReviews({ from: '2026-11-01', to: '2026-11-30' }, [{ replies: [w44], reviews: [] }]);
    expect(empty).toMatchObject({ replies: 1, sampled: 0, scored: 0, meanOverall: null, agentWeeks: 1, agentWeeksSampled: 0, failedBy: [] });
    expect(empty.byCriterion.every((c) => c.mean === null)).toBe(true);
  });
});
