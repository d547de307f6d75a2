import type { Scorecard } from '../../functions/core/quality-review';

/** A scorecard of the five criteria (M6.1) with these scores, in order, and one-letter comments. */
export const scorecardOf = (scores: [number, number, number, number, number]): Scorecard => ({
  accuracy: { score: scores[0], comment: 'a' },
  relevance: { score: scores[1], comment: 'r' },
  completeness: { score: scores[2], comment: 'c' },
  tone: { score: scores[3], comment: 't' },
  protocolAdherence: { score: scores[4], comment: 'p' },
});
