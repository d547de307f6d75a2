import * as z from 'zod';
import { addDays, DaySchema, utcDay } from './audit-anchor';
import type { Clock } from './clock';
import { MAX_FEEDBACK_PAGE, type FeedbackEntry, type FeedbackLog } from './feedback-log';
import { CsatSchema, csatOf, dayPeriod, groupKeys, UNASSIGNED, weekOf } from './metrics';

/**
 * Feedback trends and themes (M4.3, M8.3, C2.3; docs/feedback-analysis.md): satisfaction over a
 * period of survey answers, by day, week, type, channel or agent, and the recurring themes of the
 * customers' comments, found by a documented, configurable keyword table. A pure function of (the
 * feedback log's entries, period, grouping, theme table): the same answers give the same figures.
 *
 * Which answers: the entries of the feedback log first answered on a UTC day from `from` to `to`,
 * both included (the log files an entry under its first answer; a later answer updates its rating).
 * The output carries themes and counts only: never a comment, a case, a reference or a customer.
 */

/** One theme and the words that tag a comment with it; a keyword of several words matches them in a row. */
export const ThemeRuleSchema = z.object({
  theme: z.string().trim().min(1).max(60),
  keywords: z.array(z.string().trim().min(1).max(60)).min(1).max(100),
});
export type ThemeRule = z.infer<typeof ThemeRuleSchema>;

/** The keyword -> theme table (configurable: FEEDBACK_THEMES, the same JSON). Themes are distinct. */
export const ThemeTableSchema = z
  .array(ThemeRuleSchema)
  .min(1)
  .max(50)
  .refine((t) => new Set(t.map((r) => r.theme)).size === t.length, { message: 'Each theme appears once' });
export type ThemeTable = z.infer<typeof ThemeTableSchema>;

/** The default table: the usual complaints of customer service, in English. */
export const DEFAULT_THEMES: ThemeTable = [
  { theme: 'response time', keywords: ['delay', 'delays', 'delayed', 'wait', 'waiting', 'waited', 'slow', 'slowly', 'late', 'took ages', 'took forever', 'no reply', 'no answer', 'never heard back'] },
  { theme: 'staff attitude', keywords: ['rude', 'unhelpful', 'impolite', 'arrogant', 'dismissive', 'unfriendly', 'condescending', 'friendly', 'polite', 'kind', 'helpful'] },
  { theme: 'billing', keywords: ['refund', 'refunds', 'refunded', 'charge', 'charged', 'charges', 'invoice', 'bill', 'billing', 'payment', 'overcharged', 'price'] },
  { theme: 'resolution', keywords: ['not solved', 'not resolved', 'unresolved', 'still broken', 'still not', 'again', 'same problem', 'fixed', 'solved', 'resolved'] },
  { theme: 'communication', keywords: ['unclear', 'confusing', 'confused', 'explain', 'explained', 'explanation', 'understand', 'misunderstood', 'clear'] },
  { theme: 'delivery', keywords: ['delivery', 'delivered', 'parcel', 'package', 'shipping', 'shipment', 'courier', 'tracking'] },
  { theme: 'product quality', keywords: ['broken', 'faulty', 'defective', 'damaged', 'quality'] },
];

/** A rating that counts as low: 1 or 2 of 5. */
export const LOW_RATING_MAX = 2;

/**
 * A text as words for matching: Unicode NFKD with the combining marks dropped (so "Délai" and
 * "delai", the full-width "ＲＥＦＵＮＤ" and "refund" are the same word), lower-cased, split on
 * anything that is not a letter or a digit (an apostrophe too: "didn't" is "didn", "t").
 */
export function wordsOf(text: string): string[] {
  const folded = text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  return folded.match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** Whether `words` holds `phrase` (already split into words) as consecutive words. */
function holds(words: readonly string[], phrase: readonly string[]): boolean {
  if (phrase.length === 0) return false;
  outer: for (let i = 0; i + phrase.length <= words.length; i += 1) {
    for (let j = 0; j < phrase.length; j += 1) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** The themes of a comment, in the table's order, each at most once: a keyword matches whole words only ("late" is not in "chocolate"). */
export function themesOf(comment: string, table: ThemeTable): string[] {
  const words = wordsOf(comment);
  return table.filter((rule) => rule.keywords.some((k) => holds(words, wordsOf(k)))).map((rule) => rule.theme);
}

// ---- the query and the report ----

export const FeedbackTrendsGroupBySchema = z.enum(['day', 'week', 'type', 'channel', 'agent']);
export type FeedbackTrendsGroupBy = z.infer<typeof FeedbackTrendsGroupBySchema>;

/** The longest period one request reads: a year and a day. */
export const TRENDS_MAX_DAYS = 366;
/** A period not given: the last 90 UTC days, today included (enough weeks to show a trend). */
export const TRENDS_DEFAULT_DAYS = 90;

/** GET /v1/feedback/trends: UTC days, both included; `to` defaults to today, `from` to 89 days before `to`. */
export const FeedbackTrendsQuerySchema = z
  .object({
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    groupBy: FeedbackTrendsGroupBySchema.default('week'),
  })
  .strict();
export type FeedbackTrendsQuery = z.infer<typeof FeedbackTrendsQuerySchema>;

const count = z.number().int().nonnegative();

export const ThemeCountSchema = z.object({
  theme: z.string(),
  /** Comments tagged with the theme. */
  comments: count,
  /** Of those, the ones whose answer rated 1 or 2. */
  lowRatings: count,
  /** lowRatings / comments, four decimals. */
  lowRatingShare: z.number().min(0).max(1).nullable(),
});
export type ThemeCount = z.infer<typeof ThemeCountSchema>;

export const FeedbackTrendFiguresSchema = z.object({
  csat: CsatSchema,
  /** Answers with a comment (an erased comment not counted), and those no theme tagged. */
  comments: count,
  untagged: count,
  /** Every theme of the table, most comments first (the table's order on a tie). */
  themes: z.array(ThemeCountSchema),
});
export type FeedbackTrendFigures = z.infer<typeof FeedbackTrendFiguresSchema>;

export const FeedbackTrendsReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  groupBy: FeedbackTrendsGroupBySchema,
  totals: FeedbackTrendFiguresSchema,
  /** The day or week's Monday (of the first answer), the type, the channel, the staff id or `unassigned`. */
  groups: z.array(FeedbackTrendFiguresSchema.extend({ key: z.string() })),
  /** The table the comments were tagged by, and what a low rating is. */
  method: z.object({ themes: ThemeTableSchema, lowRating: z.string() }),
});
export type FeedbackTrendsReport = z.infer<typeof FeedbackTrendsReportSchema>;

export interface TrendsPeriod {
  from: string;
  to: string;
}

const DAY_MS = 24 * 3600 * 1000;
const daysIn = (p: TrendsPeriod) => Math.round((Date.parse(`${p.to}T00:00:00Z`) - Date.parse(`${p.from}T00:00:00Z`)) / DAY_MS) + 1;

/** The period a query asks for, defaults filled in from `now`; a 400 naming the field when reversed or longer than a year and a day. */
export function trendsPeriod(q: Pick<FeedbackTrendsQuery, 'from' | 'to'>, now: Date): TrendsPeriod {
  return dayPeriod(q, now, TRENDS_DEFAULT_DAYS, TRENDS_MAX_DAYS);
}

interface Tagged {
  day: string;
  week: string;
  type: FeedbackEntry['type'];
  channel: FeedbackEntry['channel'];
  agent: string;
  rating: number;
  solved: boolean;
  /** Undefined: no comment (or an erased one). */
  themes?: string[];
}

const share = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

function figuresOf(rows: readonly Tagged[], table: ThemeTable): FeedbackTrendFigures {
  const commented = rows.filter((r) => r.themes !== undefined);
  const themes = table.map((rule, order) => {
    const tagged = commented.filter((r) => r.themes?.includes(rule.theme));
    const low = tagged.filter((r) => r.rating <= LOW_RATING_MAX).length;
    return { order, count: { theme: rule.theme, comments: tagged.length, lowRatings: low, lowRatingShare: share(low, tagged.length) } };
  });
  return {
    csat: csatOf(rows),
    comments: commented.length,
    untagged: commented.filter((r) => r.themes?.length === 0).length,
    themes: themes.sort((a, b) => b.count.comments - a.count.comments || a.order - b.order).map((t) => t.count),
  };
}

const keyOf: Record<FeedbackTrendsGroupBy, (r: Tagged) => string> = { day: (r) => r.day, week: (r) => r.week, type: (r) => r.type, channel: (r) => r.channel, agent: (r) => r.agent };

/**
 * The trends of the answers first given in `period`, grouped. Pure and deterministic: entries
 * outside the period are left out, and the order of the entries does not matter.
 */
export function feedbackTrends(entries: Iterable<FeedbackEntry>, period: TrendsPeriod, groupBy: FeedbackTrendsGroupBy, table: ThemeTable = DEFAULT_THEMES): FeedbackTrendsReport {
  const since = Date.parse(`${period.from}T00:00:00.000Z`);
  const until = Date.parse(`${addDays(period.to, 1)}T00:00:00.000Z`);
  const rows: Tagged[] = [];
  for (const e of entries) {
    const at = Date.parse(e.firstAnsweredAt);
    if (at < since || at >= until) continue;
    const day = utcDay(new Date(at));
    const comment = e.erasedBy === undefined && e.comment !== undefined && e.comment.trim() !== '' ? { themes: themesOf(e.comment, table) } : {};
    rows.push({ day, week: weekOf(day), type: e.type, channel: e.channel, agent: e.agent ?? UNASSIGNED, rating: e.rating, solved: e.solved, ...comment });
  }
  const of = keyOf[groupBy];
  return {
    period: { ...period, days: daysIn(period) },
    groupBy,
    totals: figuresOf(rows, table),
    groups: groupKeys(groupBy, period, rows).map((key) => ({ key, ...figuresOf(rows.filter((r) => of(r) === key), table) })),
    method: { themes: table, lowRating: `A rating of 1 to ${LOW_RATING_MAX} of 5` },
  };
}

/** GET /v1/feedback/trends: the period from the query, every page of the feedback log read, the trends computed. */
export async function reportFeedbackTrends(q: FeedbackTrendsQuery, deps: { log: Pick<FeedbackLog, 'list'>; clock: Clock; themes: ThemeTable }): Promise<FeedbackTrendsReport> {
  const period = trendsPeriod(q, deps.clock.now());
  const from = `${period.from}T00:00:00.000Z`;
  const to = `${addDays(period.to, 1)}T00:00:00.000Z`;
  const entries: FeedbackEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.log.list(from, to, MAX_FEEDBACK_PAGE, cursor);
    entries.push(...page.entries);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return feedbackTrends(entries, period, q.groupBy, deps.themes);
}
