import * as z from 'zod';

/**
 * The satisfaction survey a resolved case owes its customer (M8.1, M9.4, C7.1), as the case keeps
 * it: which survey went out (an opaque random id, the link's subject), when, until when its link
 * answers, and whether the one reminder went and an answer came. The answer itself is on the
 * `survey_answered` event and in the feedback log (survey.ts), not on the case.
 */
export const CaseSurveySchema = z.object({
  /** Random, 128 bits in hex: says nothing of the case or the customer. */
  surveyId: z.string().regex(/^[0-9a-f]{32}$/),
  sentAt: z.iso.datetime(),
  /** The link is dead after this (410). */
  expiresAt: z.iso.datetime(),
  remindedAt: z.iso.datetime().optional(),
  /** The first answer: the feedback-log entry is filed under it; a later answer updates that entry. */
  firstAnsweredAt: z.iso.datetime().optional(),
  answeredAt: z.iso.datetime().optional(),
});
export type CaseSurvey = z.infer<typeof CaseSurveySchema>;
