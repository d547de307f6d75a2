import type { FeedbackEntry } from '../../../functions/core/feedback-log';
import { DEFAULT_THEMES, feedbackTrends, themesOf, ThemeTableSchema, trendsPeriod, wordsOf, type ThemeTable } from '../../../functions/core/feedback-trends';
import { InvalidInputError } from '../../../functions/core/errors';

let n = 0;
/** A feedback-log entry first answered at `at`. */
function entry(at: string, rating: number, solved: boolean, extra: Partial<FeedbackEntry> = {}): FeedbackEntry {
  n += 1;
  return {
    caseId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    reference: `CF-2026-${String(n).padStart(6, '0')}`,
    surveyId: `s-${n}`,
    rating,
    solved,
    type: 'inquiry',
    channel: 'web',
    answeredAt: at,
    firstAnsweredAt: at,
    ...extra,
  };
}

/*
 * Six answers over two ISO weeks (Mon 2 and Mon 9 March 2026):
 * 1  Tue 3 Mar, 2 not solved, web inquiry, a1: "Waited DAYS for a reply, and the agent was rude."  -> response time, staff attitude
 * 2  Wed 4 Mar, 5 solved, email complaint, a1: "Refund arrived quickly, thank you"                  -> billing
 * 3  Sun 8 Mar 23:59:59.999, 1 not solved, web complaint, a2: "Ｗａｉｔｉｎｇ for my ｒｅｆｕｎｄ" -> response time, billing
 * 4  Mon 9 Mar, 4 solved, phone inquiry, unassigned: no comment
 * 5  Tue 10 Mar, 3 solved, web inquiry, a2: "Chocolate was fine"                                   -> untagged ("late" is not a word of it)
 * 6  Wed 11 Mar, 1 not solved, email inquiry, a1: an erased comment                                -> a rating, no comment
 * 7  Mon 16 Mar 00:00, after the period; 8 Sun 1 Mar 23:59:59.999, before it.
 */
const ENTRIES = [
  entry('2026-03-03T10:00:00.000Z', 2, false, { agent: 'a1', comment: 'Waited DAYS for a reply, and the agent was rude.' }),
  entry('2026-03-04T10:00:00.000Z', 5, true, { agent: 'a1', type: 'complaint', channel: 'email', comment: 'Refund arrived quickly, thank you' }),
  entry('2026-03-08T23:59:59.999Z', 1, false, { agent: 'a2', type: 'complaint', comment: 'Ｗａｉｔｉｎｇ for my ｒｅｆｕｎｄ' }),
  entry('2026-03-09T00:00:00.000Z', 4, true, { channel: 'phone' }),
  entry('2026-03-10T10:00:00.000Z', 3, true, { agent: 'a2', comment: 'Chocolate was fine' }),
  entry('2026-03-11T10:00:00.000Z', 1, false, { agent: 'a1', channel: 'email', comment: '[erased]', erasedBy: 'r-1' }),
  entry('2026-03-16T00:00:00.000Z', 5, true, { agent: 'a3', comment: 'rude' }),
  entry('2026-03-01T23:59:59.999Z', 5, true, { agent: 'a3', comment: 'rude' }),
];
const PERIOD = { from: '2026-03-02', to: '2026-03-15' };

describe('theme tagging of feedback comments (M4.3, C2.3)', () => {
  it('matches whole words case-insensitively after Unicode normalisation: accents, full-width letters and capitals fold', () => {
    expect(wordsOf('Délai ＲＥＦＵＮＤ, DIDN’T')).toEqual(['delai', 'refund', 'didn', 't']);
    expect(themesOf('ＷＡＩＴＩＮＧ for my Refund', DEFAULT_THEMES)).toEqual(['response time', 'billing']);
    const french: ThemeTable = [{ theme: 'response time', keywords: ['délai'] }];
    expect(themesOf('Un DELAI trop long', french)).toEqual(['response time']);
    expect(themesOf('Un de\u0301lai trop long', french)).toEqual(['response time']);
  });

  it('matches a keyword of several words only in a row, and never inside another word', () => {
    expect(themesOf('It took ages', DEFAULT_THEMES)).toEqual(['response time']);
    expect(themesOf('It ages, it took', DEFAULT_THEMES)).toEqual([]);
    expect(themesOf('Chocolate was fine', DEFAULT_THEMES)).toEqual([]);
  });

  it('tags the same comments with the same themes whatever the order of the answers (deterministic)', () => {
    const forward = feedbackTrends(ENTRIES, PERIOD, 'week');
    const backward = feedbackTrends([...ENTRIES].reverse(), PERIOD, 'week');
    expect(backward).toEqual(forward);
  });

  it('takes a configured table and refuses one naming a theme twice', () => {
    const table = ThemeTableSchema.parse([{ theme: 'chocolate', keywords: ['chocolate'] }]);
    expect(feedbackTrends(ENTRIES, PERIOD, 'week', table).totals.themes).toEqual([{ theme: 'chocolate', comments: 1, lowRatings: 0, lowRatingShare: 0 }]);
    expect(ThemeTableSchema.safeParse([{ theme: 'x', keywords: ['a'] }, { theme: 'x', keywords: ['b'] }]).success).toBe(false);
  });
});

describe('feedback trends over a period (M4.3, M8.3, C2.3, C7.1)', () => {
  const report = feedbackTrends(ENTRIES, PERIOD, 'week');

  it('computes CSAT of the answers first given in the period, hand-computed (C7.1)', () => {
    // Answers 1-6: ratings 2 5 1 4 3 1 = 16 / 6 = 2.67; rating 4-5: 2 and 4 = 2 / 6; solved: 2 4 5 = 3 / 6.
    expect(report.totals.csat).toEqual({ answers: 6, meanRating: 2.67, satisfied: 0.3333, solved: 0.5 });
  });

  it('counts each theme’s comments and the share of them rated 1 or 2, most frequent first (M4.3, C2.3)', () => {
    // Comments: 1 2 3 5 (6's was erased). Response time: 1 (2) and 3 (1), both low. Billing: 2 (5) and 3 (1): one low of two.
    // Staff attitude: 1, low. Untagged: 5.
    expect(report.totals.comments).toBe(4);
    expect(report.totals.untagged).toBe(1);
    expect(report.totals.themes.slice(0, 3)).toEqual([
      { theme: 'response time', comments: 2, lowRatings: 2, lowRatingShare: 1 },
      { theme: 'billing', comments: 2, lowRatings: 1, lowRatingShare: 0.5 },
      { theme: 'staff attitude', comments: 1, lowRatings: 1, lowRatingShare: 1 },
    ]);
    expect(report.totals.themes.slice(3).every((t) => t.comments === 0 && t.lowRatingShare === null)).toBe(true);
  });

  it('groups by the ISO week of the first answer: week of 2 March answers 1-3, week of 9 March answers 4-6', () => {
    expect(report.groups.map((g) => [g.key, g.csat.answers, g.csat.meanRating, g.comments])).toEqual([
      ['2026-03-02', 3, 2.67, 3],
      ['2026-03-09', 3, 2.67, 1],
    ]);
  });

  it('groups by agent, `unassigned` last, and by channel, every channel listed', () => {
    expect(feedbackTrends(ENTRIES, PERIOD, 'agent').groups.map((g) => [g.key, g.csat.answers, g.csat.meanRating])).toEqual([
      ['a1', 3, 2.67],
      ['a2', 2, 2],
      ['unassigned', 1, 4],
    ]);
    expect(feedbackTrends(ENTRIES, PERIOD, 'channel').groups.map((g) => [g.key, g.csat.answers])).toEqual([
      ['web', 3],
      ['email', 2],
      ['phone', 1],
      ['api', 0],
    ]);
  });

  it('carries no comment, case, reference or customer: themes and counts only (C4.2)', () => {
    const text = JSON.stringify(feedbackTrends(ENTRIES, PERIOD, 'agent'));
    for (const e of ENTRIES) {
      expect(text).not.toContain(e.caseId);
      expect(text).not.toContain(e.reference);
    }
    expect(text).not.toMatch(/Waited|Chocolate|arrived quickly|\[erased\]/);
  });

  it('defaults to the last 90 days and refuses a period longer than 366 days with a 400 naming `to`', () => {
    expect(trendsPeriod({}, new Date('2026-03-31T12:00:00Z'))).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(() => trendsPeriod({ from: '2025-01-01', to: '2026-03-01' }, new Date())).toThrow(InvalidInputError);
  });
});
