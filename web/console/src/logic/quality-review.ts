import type { QualityReview, ReviewCriterion, Scorecard } from '../api/types';

/**
 * The Reviews screen's rules (M3.1, M6.1, C6.3; docs/quality-reviews.md): the scorecard's criteria
 * and what each asks, the week a time falls in, what a filled-in scorecard must hold before it is
 * sent, its overall score and whether it fails (the server's defaults, shown before sending), and
 * who may score which review.
 */

export const CRITERIA: readonly { id: ReviewCriterion; label: string; question: string }[] = [
  { id: 'accuracy', label: 'Accuracy', question: 'Is what the reply says correct?' },
  { id: 'relevance', label: 'Relevance', question: 'Does it address what the customer asked?' },
  { id: 'completeness', label: 'Completeness', question: 'Does it answer all of it, with the next step?' },
  { id: 'tone', label: 'Tone', question: 'Is it courteous and clear?' },
  { id: 'protocolAdherence', label: 'Protocol adherence', question: 'Does it follow the protocol?' },
];

export const SCORE_LABELS: Readonly<Record<number, string>> = { 1: '1: poor', 2: '2: fair', 3: '3: good', 4: '4: excellent' };

/** The ISO 8601 week (YYYY-Www, Monday to Sunday, UTC) of a time, as the API files replies. */
export function isoWeekOf(ms: number): string {
  const d = new Date(ms);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** A scorecard being filled in: a score (or none yet) and a comment per criterion. */
export type ScorecardDraft = Record<ReviewCriterion, { score: number | undefined; comment: string }>;

export const emptyScorecard = (): ScorecardDraft =>
  Object.fromEntries(CRITERIA.map((c) => [c.id, { score: undefined, comment: '' }])) as ScorecardDraft;

/** A scored review's card, to score it again from. */
export const draftOf = (card: Scorecard): ScorecardDraft => Object.fromEntries(CRITERIA.map((c) => [c.id, { ...card[c.id] }])) as ScorecardDraft;

/** The problems of a draft, by field (`accuracy.score`, `tone.comment`): the API's own rules. */
export function scorecardProblems(d: ScorecardDraft): Record<string, string> {
  const problems: Record<string, string> = {};
  for (const c of CRITERIA) {
    const { score, comment } = d[c.id];
    if (score === undefined || !Number.isInteger(score) || score < 1 || score > 4) problems[`${c.id}.score`] = `Score ${c.label.toLowerCase()} from 1 to 4`;
    if (comment.trim() === '') problems[`${c.id}.comment`] = `Say why: ${c.question}`;
    else if (comment.length > 2000) problems[`${c.id}.comment`] = 'At most 2,000 characters';
  }
  return problems;
}

/** The scorecard to send, once the draft has no problems. */
export function scorecardOf(d: ScorecardDraft): Scorecard | undefined {
  if (Object.keys(scorecardProblems(d)).length > 0) return undefined;
  return Object.fromEntries(CRITERIA.map((c) => [c.id, { score: d[c.id].score ?? 0, comment: d[c.id].comment.trim() }])) as Scorecard;
}

/** The overall score (the mean, two decimals) and whether it fails under the defaults (below 2.5, or any 1). */
export function previewOutcome(d: ScorecardDraft): { overall: number; failed: boolean } | undefined {
  const scores = CRITERIA.map((c) => d[c.id].score);
  if (scores.some((s) => s === undefined)) return undefined;
  const values = scores as number[];
  const overall = Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
  return { overall, failed: overall < 2.5 || values.includes(1) };
}

/** Whether this person may score the review: never their own reply (the API refuses it too). */
export const mayScore = (r: Pick<QualityReview, 'staffId'>, me: string) => r.staffId !== me;

/** Pending first, then by when the reply went out, oldest first. */
export function byQueueOrder(reviews: readonly QualityReview[]): QualityReview[] {
  return [...reviews].sort((a, b) => (a.status === b.status ? 0 : a.status === 'pending' ? -1 : 1) || a.repliedAt.localeCompare(b.repliedAt));
}
