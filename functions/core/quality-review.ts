import { createHash } from 'node:crypto';
import * as z from 'zod';
import { ActorSchema, type Actor } from './case';
import { CaseStateError, ConcurrentUpdateError, ForbiddenError } from './errors';
import { cleanBody } from './text/normalise-text';

/**
 * Response-quality reviews (manual 3.1 quality checkpoints, 6.1; contract 6.3, 8.1;
 * docs/quality-reviews.md). A share of the replies sent to customers is sampled into a review
 * queue, at least one reply of every agent who replied in an ISO week; a supervisor scores each
 * on the scorecard; a failed review opens a non-compliance record (C8.1). Pure: time is passed in.
 */

// ---- the scorecard ----

export const CRITERIA = ['accuracy', 'relevance', 'completeness', 'tone', 'protocolAdherence'] as const;
export type Criterion = (typeof CRITERIA)[number];

const CRITERION_LABELS: Readonly<Record<Criterion, string>> = {
  accuracy: 'Accuracy',
  relevance: 'Relevance',
  completeness: 'Completeness',
  tone: 'Tone',
  protocolAdherence: 'Protocol adherence',
};
export const criterionLabel = (c: Criterion) => CRITERION_LABELS[c];

const criterionSchema = (c: Criterion) =>
  z
    .object({
      score: z
        .number({ error: `${CRITERION_LABELS[c]} needs a score from 1 to 4` })
        .int(`${CRITERION_LABELS[c]} score must be a whole number from 1 to 4`)
        .min(1, `${CRITERION_LABELS[c]} score must be from 1 to 4`)
        .max(4, `${CRITERION_LABELS[c]} score must be from 1 to 4`),
      comment: z
        .string({ error: `${CRITERION_LABELS[c]} needs a comment` })
        .overwrite(cleanBody)
        .trim()
        .min(1, `${CRITERION_LABELS[c]} needs a comment`)
        .max(2000, `${CRITERION_LABELS[c]} comment must be at most 2,000 characters`),
    })
    .strict();

/** One score (1 poor … 4 excellent) and a comment for each criterion. */
export const ScorecardSchema = z
  .object({
    accuracy: criterionSchema('accuracy'),
    relevance: criterionSchema('relevance'),
    completeness: criterionSchema('completeness'),
    tone: criterionSchema('tone'),
    protocolAdherence: criterionSchema('protocolAdherence'),
  })
  .strict();
export type Scorecard = z.infer<typeof ScorecardSchema>;

/** POST /v1/quality-reviews/{reviewId}/score's body. */
export const ScoreReviewInputSchema = z.object({ scorecard: ScorecardSchema, summary: z.string().overwrite(cleanBody).trim().max(2000, 'Summary must be at most 2,000 characters').optional() }).strict();
export type ScoreReviewInput = z.infer<typeof ScoreReviewInputSchema>;

/** The scorecard's overall score: the mean of its criteria, to two decimals. */
export function overallScore(card: Scorecard): number {
  const sum = CRITERIA.reduce((s, c) => s + card[c].score, 0);
  return Math.round((sum / CRITERIA.length) * 100) / 100;
}

// ---- the policy ----

export const QualityReviewPolicySchema = z
  .object({
    /** The share of replies sampled (0–1): 5% by default. */
    share: z.number().min(0).max(1),
    /** A review fails when its overall score is below this (2.5 by default)… */
    failBelow: z.number().min(1).max(4),
    /** …or when any criterion scores 1. */
    failOnAnyOne: z.boolean(),
  })
  .strict();
export type QualityReviewPolicy = z.infer<typeof QualityReviewPolicySchema>;

export const DEFAULT_QUALITY_REVIEW_POLICY: QualityReviewPolicy = { share: 0.05, failBelow: 2.5, failOnAnyOne: true };

/** The policy from its configured form; anything not given is the default. */
export function qualityReviewPolicy(input: Partial<QualityReviewPolicy> = {}): QualityReviewPolicy {
  return QualityReviewPolicySchema.parse({ ...DEFAULT_QUALITY_REVIEW_POLICY, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) });
}

/** The criteria that scored 1, and whether the review fails under the policy. */
export function reviewOutcome(card: Scorecard, policy: QualityReviewPolicy): { overall: number; failed: boolean; lowCriteria: Criterion[] } {
  const overall = overallScore(card);
  const lowCriteria = CRITERIA.filter((c) => card[c].score === 1);
  return { overall, failed: overall < policy.failBelow || (policy.failOnAnyOne && lowCriteria.length > 0), lowCriteria };
}

// ---- sampling: deterministic, so running it again never samples a reply twice or differently ----

/** A reply sent to a customer: the case, the `agent_replied` event's seq, who wrote it and when. */
export interface ReplyRef {
  caseId: string;
  seq: number;
  staffId: string;
  repliedAt: string;
}

/** Where a reply falls in [0, 1): the first 48 bits of the SHA-256 of its event's id (case and seq). */
export function replyDraw(reply: Pick<ReplyRef, 'caseId' | 'seq'>): number {
  const hex = createHash('sha256').update(`${reply.caseId}#${reply.seq}`).digest('hex').slice(0, 12);
  return Number.parseInt(hex, 16) / 2 ** 48;
}

/** Whether the share samples this reply: the same answer every time it is asked. */
export const isSampled = (reply: Pick<ReplyRef, 'caseId' | 'seq'>, policy: Pick<QualityReviewPolicy, 'share'>) => replyDraw(reply) < policy.share;

/** The ISO 8601 week (YYYY-Www, weeks from Monday, week 1 holds the year's first Thursday) of a time, in UTC. */
export function isoWeekOf(at: Date | string): string {
  const d = new Date(typeof at === 'string' ? Date.parse(at) : at.getTime());
  const day = (d.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export const IsoWeekSchema = z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'week must be an ISO week, YYYY-Www');

/** The ISO week before this one. */
export function previousIsoWeek(week: string): string {
  return isoWeekOf(new Date(weekStartMs(week) - 86_400_000));
}

/** The Monday 00:00 UTC that starts an ISO week (epoch ms). */
export function weekStartMs(week: string): number {
  const [y, w] = week.split('-W').map(Number);
  const year = y ?? 1970;
  const jan4 = Date.UTC(year, 0, 4);
  const jan4Day = (new Date(jan4).getUTCDay() + 6) % 7;
  return jan4 - jan4Day * 86_400_000 + ((w ?? 1) - 1) * 7 * 86_400_000;
}

/** A review's id: its week and its reply's event (so a reply has one review, and its week partition is in the id). */
export const reviewIdOf = (reply: Pick<ReplyRef, 'caseId' | 'seq' | 'repliedAt'>) => `qr-${isoWeekOf(reply.repliedAt)}-${reply.caseId}-${reply.seq}`;
export const ReviewIdSchema = z.string().regex(/^qr-\d{4}-W\d{2}-[0-9a-f-]{36}-\d{1,8}$/, 'reviewId must be a quality review id (qr-…)');
export const weekOfReviewId = (id: string) => id.slice(3, 11);

/** The non-compliance record a failed review opens: one a review, whatever its re-scores. */
export const nonComplianceIdOfReview = (reviewId: string) => `nc-${reviewId}`;

/**
 * The weekly top-up (stratified by agent): for each agent with replies in the week but none
 * sampled, the one reply of theirs that draws lowest (so a rerun picks the same). `sampled`: the
 * staff ids that have a review in the week already.
 */
export function weeklyTopUp(replies: readonly ReplyRef[], sampled: ReadonlySet<string>): ReplyRef[] {
  const best = new Map<string, { reply: ReplyRef; draw: number }>();
  for (const reply of replies) {
    if (sampled.has(reply.staffId)) continue;
    const draw = replyDraw(reply);
    const held = best.get(reply.staffId);
    if (!held || draw < held.draw) best.set(reply.staffId, { reply, draw });
  }
  return [...best.values()].map((b) => b.reply).sort((a, b) => a.staffId.localeCompare(b.staffId));
}

// ---- the review ----

export const ReviewStatusSchema = z.enum(['pending', 'done']);
export type ReviewStatus = z.infer<typeof ReviewStatusSchema>;

export const ReviewScoreSchema = z.object({
  scorecard: ScorecardSchema,
  summary: z.string().optional(),
  overall: z.number(),
  failed: z.boolean(),
  by: ActorSchema,
  at: z.iso.datetime(),
});
export type ReviewScore = z.infer<typeof ReviewScoreSchema>;

export const ReviewHistoryEntrySchema = z.object({
  type: z.enum(['sampled', 'scored', 'rescored']),
  at: z.iso.datetime(),
  actor: ActorSchema,
  overall: z.number().optional(),
  failed: z.boolean().optional(),
});

export const QualityReviewSchema = z.object({
  id: z.string(),
  version: z.number().int().positive(),
  week: IsoWeekSchema,
  caseId: z.string(),
  /** The `agent_replied` event reviewed: its text is on the case's timeline. */
  seq: z.number().int().positive(),
  /** The member of staff whose reply it is. */
  staffId: z.string(),
  repliedAt: z.iso.datetime(),
  sampledAt: z.iso.datetime(),
  /** The share picked it as the reply went out, or the weekly top-up (an agent's one reply of the week). */
  sampledBy: z.enum(['share', 'weekly_top_up']),
  status: ReviewStatusSchema,
  score: ReviewScoreSchema.optional(),
  /** The non-compliance record its failure opened (C8.1). */
  nonComplianceId: z.string().optional(),
  history: z.array(ReviewHistoryEntrySchema),
  /** The erasure request that erased the scorecard's comments and summary (staff text: it may quote the customer; M5.1, C6.1). */
  erasedBy: z.string().optional(),
});
export type QualityReview = z.infer<typeof QualityReviewSchema>;

/** A reply put in the queue. */
export function sampleReview(reply: ReplyRef, sampledBy: QualityReview['sampledBy'], at: Date, actor: Actor): QualityReview {
  const iso = at.toISOString();
  return {
    id: reviewIdOf(reply),
    version: 1,
    week: isoWeekOf(reply.repliedAt),
    caseId: reply.caseId,
    seq: reply.seq,
    staffId: reply.staffId,
    repliedAt: new Date(reply.repliedAt).toISOString(),
    sampledAt: iso,
    sampledBy,
    status: 'pending',
    history: [{ type: 'sampled', at: iso, actor }],
  };
}

/**
 * A supervisor scores a review (or scores it again: a recorded update, and only naming the version
 * they saw, so a retried request never scores twice). Nobody scores their own reply.
 */
export function scoreReview(r: QualityReview, input: ScoreReviewInput, actor: Actor, at: Date, policy: QualityReviewPolicy, expectedVersion: number | undefined): { next: QualityReview; failed: boolean; opensNonCompliance: boolean } {
  if (actor.id !== undefined && actor.id === r.staffId) throw new ForbiddenError('Nobody scores their own reply: another supervisor reviews it');
  if (expectedVersion !== undefined && expectedVersion !== r.version) throw new ConcurrentUpdateError(`The review changed since version ${expectedVersion}: it is at version ${r.version}. Reload it and try again`, r.version);
  if (r.status === 'done' && expectedVersion === undefined) throw new CaseStateError('The review is scored already: to score it again, send If-Match with the version you saw');
  const { overall, failed } = reviewOutcome(input.scorecard, policy);
  const iso = at.toISOString();
  const opensNonCompliance = failed && r.nonComplianceId === undefined;
  const next: QualityReview = {
    ...r,
    version: r.version + 1,
    status: 'done',
    score: { scorecard: input.scorecard, ...(input.summary ? { summary: input.summary } : {}), overall, failed, by: actor, at: iso },
    ...(opensNonCompliance ? { nonComplianceId: nonComplianceIdOfReview(r.id) } : {}),
    history: [...r.history, { type: r.status === 'done' ? 'rescored' : 'scored', at: iso, actor, overall, failed }],
  };
  return { next, failed, opensNonCompliance };
}

// ---- queries and the roll-up ----

export const ListReviewsQuerySchema = z
  .object({
    /** The ISO week the replies went out in; the current week when absent. */
    week: IsoWeekSchema.optional(),
    status: ReviewStatusSchema.optional(),
    staffId: z.string().trim().min(1).max(128).optional(),
  })
  .strict();
export type ListReviewsQuery = z.infer<typeof ListReviewsQuerySchema>;

export const MyReviewsQuerySchema = z.object({ week: IsoWeekSchema.optional() }).strict();

export const RollupQuerySchema = z
  .object({
    /** The first and last ISO week (the last, default the current one; at most 26 weeks). */
    from: IsoWeekSchema.optional(),
    to: IsoWeekSchema.optional(),
  })
  .strict();
export type RollupQuery = z.infer<typeof RollupQuerySchema>;

const count = z.number().int().nonnegative();
export const RollupRowSchema = z.object({
  week: z.string(),
  staffId: z.string(),
  replies: count,
  sampled: count,
  scored: count,
  failed: count,
  /** Mean overall score of the scored reviews, and each criterion's mean; absent when none is scored. */
  meanOverall: z.number().optional(),
  meanByCriterion: z.record(z.string(), z.number()).optional(),
});
export type RollupRow = z.infer<typeof RollupRowSchema>;

const mean2 = (xs: readonly number[]) => Math.round((xs.reduce((s, x) => s + x, 0) / xs.length) * 100) / 100;

/** One row a week and agent: replies sent, sampled, scored, failed, the mean scores. */
export function rollup(week: string, replies: readonly Pick<ReplyRef, 'staffId'>[], reviews: readonly QualityReview[]): RollupRow[] {
  const staff = new Set([...replies.map((r) => r.staffId), ...reviews.map((r) => r.staffId)]);
  return [...staff].sort().map((staffId) => {
    const mine = reviews.filter((r) => r.staffId === staffId);
    const scores = mine.flatMap((r) => (r.score ? [r.score] : []));
    return {
      week,
      staffId,
      replies: replies.filter((r) => r.staffId === staffId).length,
      sampled: mine.length,
      scored: scores.length,
      failed: scores.filter((s) => s.failed).length,
      ...(scores.length > 0
        ? { meanOverall: mean2(scores.map((s) => s.overall)), meanByCriterion: Object.fromEntries(CRITERIA.map((c) => [c, mean2(scores.map((s) => s.scorecard[c].score))])) }
        : {}),
    };
  });
}

/** The weeks from `from` to `to`, oldest first (at most `max`). */
export function weeksBetween(from: string, to: string, max = 26): string[] {
  const weeks: string[] = [];
  for (let w = to; weeks.length < max; w = previousIsoWeek(w)) {
    weeks.unshift(w);
    if (w === from || weekStartMs(w) <= weekStartMs(from)) break;
  }
  return weeks;
}

/**
 * The review with its free text erased (M5.1, C6.1: staff write customers' details into comments):
 * every criterion's comment and the summary become `erased`; scores, outcome and history stay.
 */
export function eraseReviewText(r: QualityReview, requestId: string, erased: string): QualityReview | undefined {
  const score = r.score;
  if (!score || r.erasedBy !== undefined) return undefined;
  const scorecard = Object.fromEntries(CRITERIA.map((c) => [c, { ...score.scorecard[c], comment: erased }])) as Scorecard;
  return { ...r, version: r.version + 1, erasedBy: requestId, score: { ...score, scorecard, ...(score.summary !== undefined ? { summary: erased } : {}) } };
}
