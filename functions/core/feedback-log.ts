import * as z from 'zod';
import { CaseTypeSchema, ChannelSchema } from './case';

/**
 * The feedback log (contract 4.2; M8.1, M9.4, C7.1): one entry per answered survey, kept apart
 * from the case for the feedback team and supervisors, and confidential: the comment is the
 * customer's own words (personal data: in access requests, erased by erasure requests, never
 * logged). A later answer to the same survey updates its entry, which stays filed under the
 * time of the first answer (`firstAnsweredAt`).
 */
export const FeedbackEntrySchema = z.object({
  caseId: z.uuid(),
  reference: z.string(),
  surveyId: z.string(),
  rating: z.number().int().min(1).max(5),
  solved: z.boolean(),
  comment: z.string().optional(),
  /** Who handled the case: its assignee, or who resolved it. */
  agent: z.string().optional(),
  type: CaseTypeSchema,
  channel: ChannelSchema,
  answeredAt: z.iso.datetime(),
  firstAnsweredAt: z.iso.datetime(),
  /** The comment was erased by this privacy request (M5.1, C6.1). */
  erasedBy: z.string().optional(),
});
export type FeedbackEntry = z.infer<typeof FeedbackEntrySchema>;

export const MAX_FEEDBACK_PAGE = 100;
const DAY_MS = 24 * 3600 * 1000;

/** A period not given: the last 30 days, up to now. */
export const FEEDBACK_DEFAULT_DAYS = 30;

/** GET /v1/feedback: entries first answered in [from, to), oldest first, a page at a time (the handler fills in a period not given). */
export const FeedbackQuerySchema = z
  .object({
    from: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    to: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_FEEDBACK_PAGE).default(50),
    cursor: z.string().max(2000).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.to) - Date.parse(q.from) <= 366 * DAY_MS, { message: 'Ask for a year at most', path: ['to'] });
export type FeedbackQuery = z.infer<typeof FeedbackQuerySchema>;

/** The period asked for, as ISO instants: `to` defaults to now, `from` to 30 days before `to`. */
export function feedbackPeriod(q: Pick<FeedbackQuery, 'from' | 'to'>, now: Date): { from: string; to: string } {
  const to = q.to === undefined ? now : new Date(q.to);
  const from = q.from === undefined ? new Date(to.getTime() - FEEDBACK_DEFAULT_DAYS * DAY_MS) : new Date(q.from);
  return { from: from.toISOString(), to: to.toISOString() };
}

/** What GET /v1/feedback answers. */
export const FeedbackPageSchema = z.object({ items: z.array(FeedbackEntrySchema), nextCursor: z.string().optional() });

export interface FeedbackPage {
  entries: FeedbackEntry[];
  /** Pass back as `cursor` for the next page; absent on the last. */
  nextCursor?: string;
}

/** Reads the log (the table's month partitions in AWS: adapters/dynamo/feedback-log.ts). */
export interface FeedbackLog {
  list(fromIso: string, toIso: string, limit: number, cursor?: string): Promise<FeedbackPage>;
  /** The entries of some cases (an access request's export). */
  ofCases(cases: readonly FeedbackKey[]): Promise<FeedbackEntry[]>;
  /** An erasure request (M5.1, C6.1): the entry's comment replaced, by which request; false when there was no entry. */
  eraseComment(key: FeedbackKey, requestId: string): Promise<boolean>;
}

/** Where a case's entry is: the case and its survey's first answer (the case keeps it: `survey.firstAnsweredAt`). */
export interface FeedbackKey {
  caseId: string;
  firstAnsweredAt: string;
}
