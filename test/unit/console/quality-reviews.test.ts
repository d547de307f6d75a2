import type { QualityReview, StaffRole } from '../../../web/console/src/api/types';
import { causeLabel } from '../../../web/console/src/logic/non-compliance';
import { byQueueOrder, emptyScorecard, isoWeekOf, mayScore, previewOutcome, scorecardOf, scorecardProblems, type ScorecardDraft } from '../../../web/console/src/logic/quality-review';
import { navigationFor } from '../../../web/console/src/logic/roles';
import { formatRoute, parseRoute } from '../../../web/console/src/logic/router';
import { describeEvent } from '../../../web/console/src/logic/timeline';
import { event, session } from './fixtures';

const review = (over: Partial<QualityReview>): QualityReview => ({
  id: 'qr-2026-W48-6f1c7e2a-0000-4000-8000-000000000001-2',
  version: 1,
  week: '2026-W48',
  caseId: '6f1c7e2a-0000-4000-8000-000000000001',
  seq: 2,
  staffId: 'ana',
  repliedAt: '2026-11-24T10:00:00.000Z',
  sampledAt: '2026-11-24T10:00:00.000Z',
  sampledBy: 'share',
  status: 'pending',
  history: [],
  ...over,
});

const filled = (scores: [number, number, number, number, number]): ScorecardDraft => {
  const d = emptyScorecard();
  (['accuracy', 'relevance', 'completeness', 'tone', 'protocolAdherence'] as const).forEach((c, i) => (d[c] = { score: scores[i], comment: `why ${c}` }));
  return d;
};

describe('the console’s Reviews screen (M3.1, M6.1, C6.3)', () => {
  it('is offered to supervisors, managers and representatives, whom the review routes let in, at #/reviews', () => {
    for (const role of ['supervisors', 'managers', 'agents'] as StaffRole[]) expect(navigationFor(session([role])).map((i) => i.id)).toContain('reviews');
    for (const role of ['feedback', 'auditors', 'admins'] as StaffRole[]) expect(navigationFor(session([role])).map((i) => i.id)).not.toContain('reviews');
    expect(formatRoute({ view: 'reviews' })).toBe('#/reviews');
    expect(parseRoute('#/reviews')).toEqual({ view: 'reviews' });
  });

  it('names every criterion left unscored or without its comment before the scorecard is sent', () => {
    const d = filled([3, 3, 3, 3, 3]);
    d.tone = { score: undefined, comment: ' ' };
    expect(Object.keys(scorecardProblems(d)).sort()).toEqual(['tone.comment', 'tone.score']);
    expect(scorecardOf(d)).toBeUndefined();
    expect(scorecardOf(filled([4, 3, 3, 3, 2]))?.protocolAdherence).toEqual({ score: 2, comment: 'why protocolAdherence' });
  });

  it('shows before sending that a scorecard below 2.5 overall or with a 1 fails and opens a non-compliance record (C8.1)', () => {
    expect(previewOutcome(filled([3, 2, 2, 2, 3]))).toEqual({ overall: 2.4, failed: true });
    expect(previewOutcome(filled([4, 4, 4, 4, 1]))).toEqual({ overall: 3.4, failed: true });
    expect(previewOutcome(filled([3, 3, 2, 2, 3]))).toEqual({ overall: 2.6, failed: false });
    expect(previewOutcome(emptyScorecard())).toBeUndefined();
  });

  it('offers no scorecard on one’s own reply, and lists pending reviews first', () => {
    expect(mayScore(review({ staffId: 'sam' }), 'sam')).toBe(false);
    expect(mayScore(review({ staffId: 'ana' }), 'sam')).toBe(true);
    const done = review({ id: 'a', status: 'done', repliedAt: '2026-11-23T10:00:00.000Z' });
    const pending = review({ id: 'b', repliedAt: '2026-11-25T10:00:00.000Z' });
    expect(byQueueOrder([done, pending]).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it('files the week picker’s default under the ISO week the API uses', () => {
    expect(isoWeekOf(Date.parse('2026-11-30T00:00:00.000Z'))).toBe('2026-W49');
    expect(isoWeekOf(Date.parse('2027-01-01T12:00:00.000Z'))).toBe('2026-W53');
  });

  it('reads a failed review on the timeline and as a non-compliance cause (M6.1, C8.1)', () => {
    const view = describeEvent(event(5, 'quality_review_scored', { kind: 'supervisor', id: 'sam' }, { reviewId: 'qr-x', replySeq: 2, staffId: 'ana', overall: 2, failed: true, rescored: false, nonComplianceId: 'nc-qr-x' }));
    expect(view.title).toBe('Quality review scored: 2.00 of 4, failed (reply by ana)');
    expect(causeLabel({ cause: { kind: 'quality_review', reviewId: 'qr-x', overall: 2.4, lowCriteria: [] } })).toBe('Failed quality review: overall 2.40 of 4');
  });
});
