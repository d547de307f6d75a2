import { randomBytes } from 'node:crypto';
import type { Case } from './case';
import { floorToSecond, type SlaPolicy } from './sla-policy';
import type { CaseSurvey } from './survey-state';

/**
 * The satisfaction survey a resolved case owes its customer (M8.1, M9.4, C7.1): one email, the
 * policy's `surveyDelayHours` after resolution (default 24 h), and at most one reminder
 * `surveyReminderDays` later (default 3) if unanswered. Timed by the SLA workflow (sla-plan.ts),
 * so a case closed before its survey falls due still gets it.
 */
export type SurveyAction = { type: 'send_survey' } | { type: 'send_survey_reminder' };

/** What a survey link names: the case, the survey (its opaque id) and until when it answers. */
export interface SurveyRef {
  caseId: string;
  surveyId: string;
  expiresAt: string;
}

/** What checking a survey token found: the survey it names, or why it names none. */
export type SurveyTokenCheck = { ok: true; ref: SurveyRef } | { ok: false; reason: 'malformed' | 'unknown-key' | 'bad-signature' | 'expired' };

/**
 * The port that makes and checks survey links (an HMAC-signed token): a local keyring's keys
 * (adapters/survey-link-signer.ts) or KMS HMAC keys in AWS (adapters/kms-survey-link-signer.ts).
 * Asynchronous because KMS computes the MAC.
 */
export interface SurveyLinks {
  /** The page's address for the survey, with its signed token. */
  linkFor(ref: SurveyRef): Promise<string>;
  /** Checks a token from a link: signed by a known key, untouched, not expired at `nowMs`. */
  verify(token: string, nowMs: number): Promise<SurveyTokenCheck>;
}

/** Survey links cannot be made here: the deployment has no address for the page (yet). */
export class SurveyLinksNotConfiguredError extends Error {
  constructor(what: string) {
    super(`caseflow configuration error: survey links need ${what}`);
    this.name = 'SurveyLinksNotConfiguredError';
  }
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(iso);

/**
 * Why a case is owed no survey (or no more of it), or undefined when it may have one: never for
 * mail judged spam, a customer without an address or whose address bounces, a case not resolved,
 * or one whose personal data was erased.
 */
export function surveyBarred(c: Case): string | undefined {
  if (c.status !== 'resolved' && c.status !== 'closed') return 'not resolved';
  if (!c.resolvedAt) return 'no resolution';
  if (c.spam) return 'spam';
  if (c.erasure) return 'erased';
  if (c.customer.email === undefined) return 'no email address';
  if (c.customer.emailBouncing) return 'email bouncing';
  return undefined;
}

/** When the case's survey falls due: `surveyDelayHours` after resolution, on a whole second. */
export const surveyDueMs = (resolvedAt: string, policy: SlaPolicy) => floorToSecond(ms(resolvedAt) + policy.surveyDelayHours * HOUR);

/** The survey actions due now and the next moment one may fall due (like the rest of the SLA plan). */
export function planSurvey(c: Case, nowMs: number, policy: SlaPolicy): { due: SurveyAction[]; nextAt?: number } {
  if (surveyBarred(c) !== undefined || !c.resolvedAt) return { due: [] };
  const survey = c.survey;
  if (!survey) {
    const dueMs = surveyDueMs(c.resolvedAt, policy);
    if (nowMs < dueMs) return { due: [], nextAt: dueMs };
    // A survey weeks late (a workflow lost and found again, a case resolved before surveys existed) is not sent.
    return nowMs < dueMs + policy.surveyLinkDays * DAY ? { due: [{ type: 'send_survey' }] } : { due: [] };
  }
  if (survey.answeredAt || survey.remindedAt || policy.surveyReminderDays <= 0) return { due: [] };
  const remindMs = floorToSecond(ms(survey.sentAt) + policy.surveyReminderDays * DAY);
  const expiresMs = ms(survey.expiresAt);
  if (remindMs >= expiresMs || nowMs >= expiresMs) return { due: [] };
  return nowMs < remindMs ? { due: [], nextAt: remindMs } : { due: [{ type: 'send_survey_reminder' }] };
}

/** A new survey's record: a random id and its link's expiry. */
export function newSurvey(at: Date, policy: SlaPolicy, random: (size: number) => Uint8Array = randomBytes): CaseSurvey {
  return {
    surveyId: Buffer.from(random(16)).toString('hex'),
    sentAt: at.toISOString(),
    expiresAt: new Date(floorToSecond(at.getTime() + policy.surveyLinkDays * DAY)).toISOString(),
  };
}
