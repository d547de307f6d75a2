import { randomUUID } from 'node:crypto';
import { scorecardOf } from '../../support/scorecards';
import {
  DEFAULT_QUALITY_REVIEW_POLICY,
  isoWeekOf,
  isSampled,
  overallScore,
  qualityReviewPolicy,
  reviewOutcome,
  rollup,
  sampleReview,
  scoreReview,
  ScoreReviewInputSchema,
  weeklyTopUp,
  weeksBetween,
  type ReplyRef,
} from '../../../functions/core/quality-review';
import { parseInput } from '../../../functions/core/validation';
import { ConcurrentUpdateError, ForbiddenError, CaseStateError, InvalidInputError } from '../../../functions/core/errors';

const supervisor = { kind: 'supervisor' as const, id: 'sup-sam' };
const card = scorecardOf;
const reply = (staffId: string, seq = 2, caseId = randomUUID(), repliedAt = '2026-11-25T10:00:00.000Z'): ReplyRef => ({ caseId, seq, staffId, repliedAt });

describe('the scorecard and its fail threshold (M3.1 quality checkpoints, M6.1, C6.3)', () => {
  it('scores a reply overall as the mean of its five criteria', () => {
    expect(overallScore(card([4, 3, 3, 2, 3]))).toBe(3);
    expect(overallScore(card([4, 4, 3, 3, 3]))).toBe(3.4);
  });

  it('fails a review whose overall score is below 2.5, or that scores any criterion 1, by default (C8.1)', () => {
    expect(reviewOutcome(card([3, 2, 2, 2, 3]), DEFAULT_QUALITY_REVIEW_POLICY)).toMatchObject({ overall: 2.4, failed: true });
    expect(reviewOutcome(card([3, 3, 2, 2, 3]), DEFAULT_QUALITY_REVIEW_POLICY)).toMatchObject({ overall: 2.6, failed: false });
    expect(reviewOutcome(card([4, 4, 4, 4, 1]), DEFAULT_QUALITY_REVIEW_POLICY)).toMatchObject({ overall: 3.4, failed: true, lowCriteria: ['protocolAdherence'] });
  });

  it('takes a configured threshold: a higher bar fails more, and a 1 can be allowed', () => {
    const strict = qualityReviewPolicy({ failBelow: 3, failOnAnyOne: false });
    expect(reviewOutcome(card([3, 3, 3, 3, 2]), strict).failed).toBe(true);
    expect(reviewOutcome(card([4, 4, 4, 4, 1]), strict).failed).toBe(false);
    expect(qualityReviewPolicy({}).share).toBe(0.05);
  });

  it('refuses a scorecard with a criterion missing, out of range, or without its comment, naming the field', () => {
    const bad = { scorecard: { ...card([4, 4, 4, 4, 4]), tone: { score: 5, comment: 'x' }, accuracy: { score: 3, comment: ' ' } } };
    const { completeness: _, ...missing } = card([4, 4, 4, 4, 4]);
    const issues = (value: unknown) => {
      try {
        parseInput(ScoreReviewInputSchema, value);
        return [];
      } catch (error) {
        return error instanceof InvalidInputError ? error.issues.map((i) => i.path) : ['not an input error'];
      }
    };
    expect(issues(bad).sort()).toEqual(['scorecard.accuracy.comment', 'scorecard.tone.score']);
    expect(issues({ scorecard: missing })).toEqual(['scorecard.completeness']);
  });
});

describe('sampling replies for review (M3.1 quality checkpoints, M6.1)', () => {
  it('samples the same reply the same way every time it is asked, so a rerun never samples twice', () => {
    const replies = Array.from({ length: 200 }, (_, i) => reply('agent-ana', i + 1, '6f1c7e2a-0000-4000-8000-000000000001'));
    const first = replies.map((r) => isSampled(r, { share: 0.05 }));
    expect(replies.map((r) => isSampled(r, { share: 0.05 }))).toEqual(first);
  });

  it('samples the configured share of replies within tolerance over many replies', () => {
    const replies = Array.from({ length: 20_000 }, (_, i) => reply('agent-ana', (i % 40) + 1, randomUUID()));
    for (const share of [0.05, 0.2]) {
      const sampled = replies.filter((r) => isSampled(r, { share })).length / replies.length;
      // Binomial standard deviation at 20,000 is under 0.3 points: 1 point is a wide margin.
      expect(Math.abs(sampled - share)).toBeLessThan(0.01);
    }
    expect(replies.some((r) => isSampled(r, { share: 0 }))).toBe(false);
    expect(replies.every((r) => isSampled(r, { share: 1 }))).toBe(true);
  });

  it('tops the week up with one reply for each agent who replied and had none sampled, the same one on a rerun (stratified by agent)', () => {
    const ana = [reply('agent-ana'), reply('agent-ana'), reply('agent-ana')];
    const bo = [reply('agent-bo'), reply('agent-bo')];
    const cy = [reply('agent-cy')];
    const picks = weeklyTopUp([...ana, ...bo, ...cy], new Set(['agent-bo']));
    expect(picks.map((p) => p.staffId)).toEqual(['agent-ana', 'agent-cy']);
    expect(ana).toContainEqual(picks[0]);
    expect(weeklyTopUp([...cy, ...bo, ...[...ana].reverse()], new Set(['agent-bo']))).toEqual(picks);
    expect(weeklyTopUp([...ana, ...bo, ...cy], new Set(['agent-ana', 'agent-bo', 'agent-cy']))).toEqual([]);
  });

  it('files a reply under its ISO week, Monday to Sunday in UTC, the year of its Thursday', () => {
    expect(isoWeekOf('2026-11-30T00:00:00.000Z')).toBe('2026-W49');
    expect(isoWeekOf('2026-11-29T23:59:59.999Z')).toBe('2026-W48');
    expect(isoWeekOf('2027-01-01T12:00:00.000Z')).toBe('2026-W53');
    expect(isoWeekOf('2024-12-30T12:00:00.000Z')).toBe('2025-W01');
    expect(weeksBetween('2026-W52', '2027-W02')).toEqual(['2026-W52', '2026-W53', '2027-W01', '2027-W02']);
  });
});

describe('scoring a review (M6.1, C6.3, C8.1)', () => {
  const at = new Date('2026-11-27T09:00:00.000Z');
  const pending = sampleReview(reply('agent-ana'), 'share', at, { kind: 'system', id: 'caseflow' });

  it('refuses a supervisor scoring their own reply', () => {
    const own = sampleReview(reply('sup-sam'), 'share', at, supervisor);
    expect(() => scoreReview(own, { scorecard: card([4, 4, 4, 4, 4]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, undefined)).toThrow(ForbiddenError);
  });

  it('opens one non-compliance record when a review fails, however often it is scored again (C8.1)', () => {
    const first = scoreReview(pending, { scorecard: card([2, 2, 2, 2, 2]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, undefined);
    expect(first).toMatchObject({ failed: true, opensNonCompliance: true, next: { status: 'done', version: 2, nonComplianceId: `nc-${pending.id}` } });
    const again = scoreReview(first.next, { scorecard: card([1, 2, 2, 2, 2]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, 2);
    expect(again).toMatchObject({ failed: true, opensNonCompliance: false });
    expect(again.next.history.map((h) => h.type)).toEqual(['sampled', 'scored', 'rescored']);
  });

  it('scores a scored review again only naming the version seen: a retried request never scores twice', () => {
    const first = scoreReview(pending, { scorecard: card([3, 3, 3, 3, 3]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, undefined);
    expect(first.failed).toBe(false);
    expect(() => scoreReview(first.next, { scorecard: card([3, 3, 3, 3, 3]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, undefined)).toThrow(CaseStateError);
    expect(() => scoreReview(first.next, { scorecard: card([3, 3, 3, 3, 3]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, 1)).toThrow(ConcurrentUpdateError);
  });

  it('rolls the week up per agent: replies, sampled, scored, failed and the mean scores', () => {
    const scored = scoreReview(pending, { scorecard: card([2, 2, 2, 2, 2]) }, supervisor, at, DEFAULT_QUALITY_REVIEW_POLICY, undefined).next;
    const other = sampleReview(reply('agent-bo'), 'weekly_top_up', at, supervisor);
    const rows = rollup('2026-W48', [{ staffId: 'agent-ana' }, { staffId: 'agent-ana' }, { staffId: 'agent-bo' }], [scored, other]);
    expect(rows).toEqual([
      { week: '2026-W48', staffId: 'agent-ana', replies: 2, sampled: 1, scored: 1, failed: 1, meanOverall: 2, meanByCriterion: { accuracy: 2, relevance: 2, completeness: 2, tone: 2, protocolAdherence: 2 } },
      { week: '2026-W48', staffId: 'agent-bo', replies: 1, sampled: 1, scored: 0, failed: 0 },
    ]);
  });
});
