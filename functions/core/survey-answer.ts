import * as z from 'zod';
import type { Case } from './case';
import { changeCase } from './change-case';
import type { Clock } from './clock';
import { DomainError } from './errors';
import type { FeedbackEntry } from './feedback-log';
import type { CaseStore } from './ports';
import type { SurveyRef } from './survey';
import { cleanBody } from './text/normalise-text';

/**
 * The survey's questions (M9.4): a rating from 1 to 5, whether the issue was solved, and an
 * optional comment. Form fields arrive as text; every message names its field.
 */
export const SurveyAnswerSchema = z.object({
  rating: z.enum(['1', '2', '3', '4', '5'], { error: 'Rating: choose a number from 1 to 5' }).transform(Number),
  solved: z.enum(['yes', 'no'], { error: 'Solved: answer yes or no' }).transform((v) => v === 'yes'),
  comment: z.string({ error: 'Comment must be text' }).overwrite(cleanBody).trim().max(2000, 'Comment must be at most 2,000 characters').optional(),
});
export type SurveyAnswer = z.infer<typeof SurveyAnswerSchema>;

/** The survey's link no longer answers: expired, replaced, or the case's data erased. The page says so kindly (410). */
export class SurveyClosedError extends DomainError {}

export interface AnswerSurveyDeps {
  store: Pick<CaseStore, 'getCase' | 'applyChange'>;
  clock: Clock;
}

/** Whether the survey named by a verified link still takes answers; the case when it does. */
export function openSurvey(c: Case | undefined, ref: SurveyRef, nowMs: number): Case & { survey: NonNullable<Case['survey']> } {
  const survey = c?.survey;
  if (!c || !survey || survey.surveyId !== ref.surveyId || c.erasure || nowMs >= Date.parse(survey.expiresAt)) {
    throw new SurveyClosedError('This survey is closed');
  }
  return { ...c, survey };
}

/**
 * Records a customer's answer (M8.1, M9.4, C7.1, C4.2): on the timeline (`survey_answered`, by the
 * customer) and in the feedback log, in one transaction. One answer per case: answering again
 * while the link is valid updates it.
 */
export async function answerSurvey(ref: SurveyRef, answer: SurveyAnswer, deps: AnswerSurveyDeps): Promise<FeedbackEntry> {
  const done = await changeCase(deps.store, ref.caseId, (current) => {
    const at = deps.clock.now();
    const iso = at.toISOString();
    const c = openSurvey(current, ref, at.getTime());
    const firstAnsweredAt = c.survey.firstAnsweredAt ?? iso;
    const comment = answer.comment ? { comment: answer.comment } : {};
    const agent = c.assignee?.id ?? c.resolution?.resolvedBy;
    const entry: FeedbackEntry = {
      caseId: c.caseId,
      reference: c.reference,
      surveyId: c.survey.surveyId,
      rating: answer.rating,
      solved: answer.solved,
      ...comment,
      ...(agent ? { agent } : {}),
      type: c.type,
      channel: c.channel,
      answeredAt: iso,
      firstAnsweredAt,
    };
    const next: Case = { ...c, updatedAt: iso, survey: { ...c.survey, answeredAt: iso, firstAnsweredAt } };
    return {
      next,
      drafts: [{ type: 'survey_answered', at: iso, actor: { kind: 'customer' }, data: { surveyId: c.survey.surveyId, rating: answer.rating, solved: answer.solved, ...comment, updated: c.survey.answeredAt !== undefined } }],
      with: { feedback: entry },
      result: entry,
    };
  });
  if (!done) throw new SurveyClosedError('This survey is closed');
  return done.result;
}
