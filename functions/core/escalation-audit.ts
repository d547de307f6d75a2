import * as z from 'zod';
import { DaySchema } from './audit-anchor';
import { CaseStatusSchema, CaseTypeSchema, isOpen, type Case } from './case';
import type { CaseEvent } from './case-event';
import type { Clock } from './clock';
import type { EscalationRecord } from './escalation';
import { checkEscalationLog } from './escalation-log-check';
import { DurationStatsSchema, durationStats, metricsPeriod, periodBounds, receivedIn, statusAt, type MetricsPeriod } from './metrics';
import type { CaseStore } from './ports';
import type { SlaDeadlines } from './sla-policy';

/**
 * The escalation audit (M6.3, C6.3: periodic audits of escalated cases): for the cases RECEIVED in a
 * period (the same cohort as the metrics, core/metrics.ts: received on a UTC day from `from` to `to`),
 * as they stood at `asOf`, every escalation with when it came, who it went to, who accepted it and
 * when, how many actions were recorded on it, how it ended and how long each step took; the cases
 * escalated more than once; and the findings: where a case broke the protocol, each under a rule.
 * Free text (reasons, actions, outcomes) is personal data (personal-data.ts) and never in the
 * report: counts, dates, parties and levels only. docs/escalation-audit.md explains it to readers.
 *
 * What is measured comes from the timeline (the hash-chained trail), events after `asOf` left out;
 * the escalation log (the records beside the case, M3.3 / M9.3) is checked against the whole trail as
 * read (escalation-log-check.ts). The chain itself is verified per case by POST /v1/cases/{id}/audit/verify.
 *
 * The rules (a finding's `rule`; `kind` breach, or review for the last):
 * - `M3.2-not-escalated` (M3.2, C3.3): a complaint still open (not resolved or closed) at its
 *   escalation deadline (the case's `sla.escalationDueAt`: receipt + the policy's
 *   `complaintEscalationHours`, 24 h) with no escalation by the deadline plus the grace, and none since.
 * - `M3.2-escalated-late` (M3.2, C3.3): such a complaint whose first escalation came after its
 *   deadline plus the grace. The grace (`escalationGraceMs`, 5 minutes) is the SLA workflow's own
 *   latency: it escalates when it wakes at the deadline, seconds after it. A complaint resolved
 *   before its deadline owed no escalation. A case reclassified as a complaint after its deadline is
 *   held to it all the same: the protocol's 24 h run from receipt.
 * - `M3.3-accepted-late` (M3.3): an escalation accepted (`escalation_acknowledged`) after its respond-by.
 * - `M3.3-not-accepted` (M3.3): an escalation never accepted whose respond-by passed while it was
 *   active: still open at `asOf`, or ended at or after its respond-by (the SLA workflow climbs a level
 *   AT the respond-by). One handed back, escalated further or ended with the case before its
 *   respond-by was answered in time (`acceptance: ended-first`).
 * - `M9.3-no-outcome` (M9.3, C3.2): an escalation resolved with a blank outcome, or left with no
 *   ending while the case was resolved or closed (so no outcome was ever recorded).
 * - `M9.3-no-action` (M9.3, M3.3): an escalation resolved with no action recorded on it: no
 *   `escalation_action_recorded` event and no note with its acceptance. The resolution itself is not
 *   an action: the escalation form asks what was done.
 * - `M9.3-log-differs` (M9.3, M3.3, M7.3): the escalation log differs from the trail (one finding per
 *   problem escalation-log-check.ts names: a record missing, edited, or never started).
 * - `M6.3-repeated` (review, M6.3): a case escalated more than `repeatLimit` times (2 by default).
 *
 * Durations are in milliseconds, p50 and p90 by nearest rank (metrics.ts); rates are fractions from
 * 0 to 1 rounded to four decimals, null when their denominator is 0.
 */

/** A case escalated more than this many times is flagged for review (`M6.3-repeated`). */
export const ESCALATION_AUDIT_REPEAT_LIMIT = 2;
/** How late after a complaint's escalation deadline its escalation may come: the SLA workflow's latency. */
export const ESCALATION_GRACE_MS = 5 * 60_000;

/** GET /v1/reports/escalation-audit: the period as for the metrics (the last 30 days by default, at most 93), and the review limit. */
export const EscalationAuditQuerySchema = z
  .object({
    from: DaySchema.optional(),
    to: DaySchema.optional(),
    repeatLimit: z.coerce
      .number({ error: 'repeatLimit must be a whole number from 1 to 10' })
      .int('repeatLimit must be a whole number from 1 to 10')
      .min(1, 'repeatLimit must be a whole number from 1 to 10')
      .max(10, 'repeatLimit must be a whole number from 1 to 10')
      .default(ESCALATION_AUDIT_REPEAT_LIMIT),
  })
  .strict();
export type EscalationAuditQuery = z.infer<typeof EscalationAuditQuerySchema>;

export interface EscalationAuditOptions {
  repeatLimit: number;
  escalationGraceMs: number;
}

// ---- what the audit reads of a case ----

/** The fields of a case the audit reads (the case as the metrics' reader yields it has them). */
export type EscalationAuditCase = Pick<Case, 'caseId' | 'reference' | 'type' | 'receivedAt'> & {
  sla: Pick<SlaDeadlines, 'escalationDueAt'>;
  /** The latest escalation's summary: a case that has one has an escalation log to check. */
  escalation?: unknown;
};

/** A case received in the period and its timeline, as the metrics' reader (metrics.ts `ReceivedCases`) yields it. */
export interface EscalationAuditCases {
  receivedBetween(since: string, until: string): AsyncIterable<{ case: EscalationAuditCase; timeline: readonly CaseEvent[] }>;
}

/** A case, its timeline (any order: sorted by `seq`) and its escalation log. */
export interface EscalationAuditRecord {
  case: EscalationAuditCase;
  timeline: readonly CaseEvent[];
  escalations: readonly EscalationRecord[];
}

/** Whether a case has an escalation log to read: its trail escalated it, or the case says it was. */
export const hasEscalationLog = (c: EscalationAuditCase, timeline: readonly CaseEvent[]): boolean =>
  c.escalation !== undefined || timeline.some((e) => e.type === 'escalated');

// ---- the report ----

const count = z.number().int().nonnegative();
const rate = z.number().min(0).max(1).nullable();

export const EscalationAuditRuleSchema = z.enum([
  'M3.2-not-escalated',
  'M3.2-escalated-late',
  'M3.3-accepted-late',
  'M3.3-not-accepted',
  'M9.3-no-outcome',
  'M9.3-no-action',
  'M9.3-log-differs',
  'M6.3-repeated',
]);
export type EscalationAuditRule = z.infer<typeof EscalationAuditRuleSchema>;

export const EscalationFindingSchema = z.object({
  rule: EscalationAuditRuleSchema,
  /** `breach`: the protocol was broken; `review`: a supervisor should look at the case. */
  kind: z.enum(['breach', 'review']),
  /** The escalation it is about (ESC-01…), when it is about one. */
  escalationId: z.string().optional(),
  /** What happened, in words: dates, durations, parties; never the case's free text. */
  text: z.string(),
});
export type EscalationFinding = z.infer<typeof EscalationFindingSchema>;

/**
 * Whether the escalated party accepted in time: `on-time` (at or before the respond-by), `late`,
 * `missed` (never, and the respond-by passed while it was active), `pending` (not yet, the
 * respond-by ahead), `ended-first` (handed back, escalated further or ended with the case before it).
 */
export const AcceptanceSchema = z.enum(['on-time', 'late', 'missed', 'pending', 'ended-first']);
export type Acceptance = z.infer<typeof AcceptanceSchema>;

export const AuditedEscalationSchema = z.object({
  escalationId: z.string(),
  number: z.number().int().positive(),
  level: z.number().int().positive(),
  trigger: z.enum(['automatic', 'manual']),
  escalatedAt: z.iso.datetime(),
  /** From the case's receipt. */
  timeToEscalateMs: z.number().int(),
  /** Who it came from (the assignee, or the party it was escalated further from) and who it went to. */
  escalatedFrom: z.string(),
  responsibleParty: z.string(),
  respondBy: z.iso.datetime(),
  acceptedBy: z.string().optional(),
  acceptedAt: z.iso.datetime().optional(),
  /** From the escalation to its acceptance. */
  timeToAcceptMs: z.number().int().optional(),
  acceptance: AcceptanceSchema,
  /** Actions recorded on it (and a note with its acceptance): how many and when, never what. */
  actionsTaken: count,
  actionDates: z.array(z.iso.datetime()),
  /** How it ended; null while it has not (or, for `M9.3-no-outcome`, never did). */
  ending: z.enum(['resolved', 'de-escalated', 'escalated-further']).nullable(),
  endedAt: z.iso.datetime().optional(),
  /** Resolved with an outcome (its text is not given). */
  outcomeRecorded: z.boolean(),
  /** From the escalation to its resolution (resolved ones only). */
  timeToResolveMs: z.number().int().optional(),
});
export type AuditedEscalation = z.infer<typeof AuditedEscalationSchema>;

export const AuditedCaseSchema = z.object({
  reference: z.string(),
  caseId: z.string(),
  type: CaseTypeSchema,
  receivedAt: z.iso.datetime(),
  /** As of `asOf`. */
  status: CaseStatusSchema,
  /** Complaints: the escalation deadline (M3.2). */
  escalationDueAt: z.iso.datetime().optional(),
  escalations: z.array(AuditedEscalationSchema),
  escalatedMoreThanOnce: z.boolean(),
  /** Escalated more than `repeatLimit` times. */
  flaggedForReview: z.boolean(),
  /** From the receipt to the first escalation. */
  timeToFirstEscalationMs: z.number().int().optional(),
  /** When the case was resolved (resolved or closed at `asOf`), and how long after its first escalation. */
  resolvedAt: z.iso.datetime().optional(),
  escalationToResolutionMs: z.number().int().optional(),
  findings: z.array(EscalationFindingSchema),
});
export type AuditedCase = z.infer<typeof AuditedCaseSchema>;

export const EscalationAuditSummarySchema = z.object({
  /** Cases received in the period, and the complaints among them. */
  cases: count,
  complaints: count,
  /** Cases escalated at least once; their rate of all cases. */
  escalatedCases: count,
  escalationRate: rate,
  escalations: count,
  byTrigger: z.object({ automatic: count, manual: count }),
  /** Cases escalated twice or more, and more than `repeatLimit` times. */
  escalatedMoreThanOnce: count,
  flaggedForReview: count,
  /** Complaints against their escalation deadline (M3.2): escalated in time, late, not at all (owed), not owed (resolved first) or not due yet. */
  complaintEscalation: z.object({ inTime: count, late: count, missing: count, notOwed: count, pending: count }),
  acceptance: z.object({ onTime: count, late: count, missed: count, pending: count, endedFirst: count }),
  endings: z.object({ resolved: count, deEscalated: count, escalatedFurther: count, none: count }),
  /** Receipt to first escalation (per case); escalation to acceptance, and to resolution (per escalation); first escalation to the case's resolution (per case). */
  timeToEscalate: DurationStatsSchema,
  timeToAccept: DurationStatsSchema,
  timeToResolve: DurationStatsSchema,
  escalationToCaseResolution: DurationStatsSchema,
  /** Cases audited: escalated, or complaints (every complaint answers to M3.2). */
  audited: count,
  /** Audited cases with at least one breach, and their rate of the audited. */
  casesBreakingProtocol: count,
  breachRate: rate,
  /** Findings by rule. */
  findings: z.record(EscalationAuditRuleSchema, count),
});
export type EscalationAuditSummary = z.infer<typeof EscalationAuditSummarySchema>;

export const EscalationAuditReportSchema = z.object({
  period: z.object({ from: z.string(), to: z.string(), days: z.number().int().positive() }),
  asOf: z.iso.datetime(),
  repeatLimit: z.number().int().positive(),
  escalationGraceMs: z.number().int().nonnegative(),
  summary: EscalationAuditSummarySchema,
  /** Escalated cases, and others with findings: those breaking the protocol first, then those for review, then the rest; each by receipt. */
  cases: z.array(AuditedCaseSchema),
});
export type EscalationAuditReport = z.infer<typeof EscalationAuditReportSchema>;

// ---- one case ----

type Of<T extends CaseEvent['type']> = Extract<CaseEvent, { type: T }>;
const ms = (iso: string) => Date.parse(iso);
const isoOf = (t: number) => new Date(t).toISOString();
const byWhom = (e: CaseEvent) => e.actor.id ?? e.actor.kind;

/** A duration in words, zero parts left out: "45 s", "12 min", "6 h", "30 h 5 min" (under two days), "3 d 4 h". */
export function inWords(durationMs: number): string {
  const minutes = Math.floor(durationMs / 60_000);
  if (minutes < 1) return `${Math.floor(durationMs / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  const [big, bigUnit, small, smallUnit] = hours < 48 ? [hours, 'h', minutes % 60, 'min'] : [Math.floor(hours / 24), 'd', hours % 24, 'h'];
  if (big === 0) return `${small} ${smallUnit}`;
  return small === 0 ? `${big} ${bigUnit}` : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

interface CaseAudit {
  row: AuditedCase;
  complaintEscalation?: keyof EscalationAuditSummary['complaintEscalation'];
}

function auditEscalations(record: EscalationAuditRecord, events: readonly CaseEvent[], asOf: number): { escalations: AuditedEscalation[]; findings: EscalationFinding[] } {
  const received = ms(record.case.receivedAt);
  const escalated = events.filter((e): e is Of<'escalated'> => e.type === 'escalated');
  const caseEnds = events.filter((e): e is Of<'status_changed'> => e.type === 'status_changed' && !isOpen(e.data.to));
  const findings: EscalationFinding[] = [];
  const escalations = escalated.map((start, i): AuditedEscalation => {
    const d = start.data;
    const id = d.escalationId;
    const say = (rule: EscalationAuditRule, text: string) => findings.push({ rule, kind: 'breach', escalationId: id, text: `${id}: ${text}` });
    const mine = <T extends CaseEvent['type']>(type: T) => events.filter((e): e is Of<T> => e.type === type && (e.data as { escalationId?: string }).escalationId === id);
    const at = ms(start.at);
    const respondBy = ms(d.respondBy);

    // How it ended: resolved or handed back by its party, or escalated further (as escalation-log-check.ts reads it).
    const [resolved] = mine('escalation_resolved');
    const [handedBack] = mine('deescalated');
    const further = escalated.find((e) => e.seq > start.seq && e.data.level > d.level);
    const ended = resolved ?? handedBack ?? further;
    const ending = resolved ? 'resolved' : handedBack ? 'de-escalated' : further ? 'escalated-further' : null;
    // The case resolved or closed while it was active ends it too, for its acceptance.
    const caseEnd = caseEnds.find((e) => e.seq > start.seq);
    const stoppedAt = Math.min(ended ? ms(ended.at) : Infinity, caseEnd ? ms(caseEnd.at) : Infinity);

    const [accepted] = mine('escalation_acknowledged');
    const acceptedAt = accepted ? ms(accepted.at) : undefined;
    let acceptance: Acceptance;
    if (acceptedAt !== undefined) acceptance = acceptedAt <= respondBy ? 'on-time' : 'late';
    else if (stoppedAt < respondBy) acceptance = 'ended-first';
    else acceptance = respondBy <= asOf ? 'missed' : 'pending';
    if (accepted && acceptance === 'late') say('M3.3-accepted-late', `accepted by ${byWhom(accepted)} at ${accepted.at}, ${inWords(ms(accepted.at) - respondBy)} after its respond-by ${d.respondBy} (M3.3)`);
    if (acceptance === 'missed') {
      const how = ending === 'escalated-further' ? `; it was escalated further at ${ended?.at}` : ending ? `; it ended (${ending}) at ${ended?.at}` : caseEnd ? `; the case was ${caseEnd.data.to} at ${caseEnd.at}` : '; it is still waiting';
      say('M3.3-not-accepted', `${d.responsibleParty} did not accept it by its respond-by ${d.respondBy}${how} (M3.3)`);
    }

    const noted = accepted?.data.actionsTaken !== undefined ? [accepted] : [];
    const actionDates = [...noted, ...mine('escalation_action_recorded')].map((e) => e.at).sort();
    const outcomeRecorded = resolved !== undefined && resolved.data.outcome.trim() !== '';
    if (resolved && !outcomeRecorded) say('M9.3-no-outcome', `resolved at ${resolved.at} with no outcome recorded (M9.3)`);
    if (!ended && caseEnd) say('M9.3-no-outcome', `the case was ${caseEnd.data.to} at ${caseEnd.at} with the escalation never ended: no outcome recorded (M9.3)`);
    if (resolved && actionDates.length === 0) say('M9.3-no-action', `resolved at ${resolved.at} with no action recorded by ${d.responsibleParty} (M9.3)`);

    return {
      escalationId: id,
      number: i + 1,
      level: d.level,
      trigger: d.trigger,
      escalatedAt: start.at,
      timeToEscalateMs: at - received,
      escalatedFrom: d.escalatedFrom,
      responsibleParty: d.responsibleParty,
      respondBy: d.respondBy,
      ...(accepted && acceptedAt !== undefined ? { acceptedBy: byWhom(accepted), acceptedAt: accepted.at, timeToAcceptMs: acceptedAt - at } : {}),
      acceptance,
      actionsTaken: actionDates.length,
      actionDates,
      ending,
      ...(ended ? { endedAt: ended.at } : {}),
      outcomeRecorded,
      ...(resolved ? { timeToResolveMs: ms(resolved.at) - at } : {}),
    };
  });
  return { escalations, findings };
}

/** M3.2: where a complaint stands against its escalation deadline, and its finding if it broke it. */
function complaintEscalation(
  record: EscalationAuditRecord,
  statusChanges: readonly Of<'status_changed'>[],
  first: AuditedEscalation | undefined,
  asOf: number,
  graceMs: number,
): { standing?: keyof EscalationAuditSummary['complaintEscalation']; finding?: EscalationFinding } {
  const c = record.case;
  const dueIso = c.sla.escalationDueAt;
  if (c.type !== 'complaint' || dueIso === undefined) return {};
  const due = ms(dueIso);
  const window = inWords(due - ms(c.receivedAt));
  if (first && ms(first.escalatedAt) <= due + graceMs) return { standing: 'inTime' };
  if (due > asOf) return { standing: 'pending' };
  if (!isOpen(statusAt(statusChanges, due))) return { standing: 'notOwed' };
  if (first) {
    const late = ms(first.escalatedAt) - due;
    return {
      standing: 'late',
      finding: { rule: 'M3.2-escalated-late', kind: 'breach', escalationId: first.escalationId, text: `${first.escalationId}: the complaint was escalated at ${first.escalatedAt}, ${inWords(late)} after its escalation deadline ${dueIso} (${window} after receipt) (M3.2)` },
    };
  }
  if (due + graceMs > asOf) return { standing: 'pending' };
  return {
    standing: 'missing',
    finding: { rule: 'M3.2-not-escalated', kind: 'breach', text: `the complaint was still open at its escalation deadline ${dueIso} (${window} after receipt) and has not been escalated (M3.2)` },
  };
}

function auditCase(record: EscalationAuditRecord, asOf: number, options: EscalationAuditOptions): CaseAudit {
  const c = record.case;
  const timeline = [...record.timeline].sort((a, b) => a.seq - b.seq);
  const events = timeline.filter((e) => ms(e.at) <= asOf);
  const statusChanges = events.filter((e): e is Of<'status_changed'> => e.type === 'status_changed');
  const status = statusAt(statusChanges, asOf);

  const { escalations, findings } = auditEscalations(record, events, asOf);
  const first = escalations[0];
  const m32 = complaintEscalation(record, statusChanges, first, asOf, options.escalationGraceMs);
  // The log as read, against the whole trail as read (it was written with it).
  const log = record.escalations.length > 0 || timeline.some((e) => e.type === 'escalated') ? checkEscalationLog(record.escalations, timeline) : [];
  const logFindings = log.map((p): EscalationFinding => ({ rule: 'M9.3-log-differs', kind: 'breach', escalationId: p.escalationId, text: `${p.escalationId}: the escalation log differs from the trail: ${p.problem} (M9.3)` }));
  const flaggedForReview = escalations.length > options.repeatLimit;
  const review: EscalationFinding[] = flaggedForReview
    ? [{ rule: 'M6.3-repeated', kind: 'review', text: `escalated ${escalations.length} times, more than ${options.repeatLimit}: for review (M6.3)` }]
    : [];

  const lastResolution = statusChanges.filter((e) => e.data.to === 'resolved').at(-1);
  const resolvedAt = (status === 'resolved' || status === 'closed') && lastResolution ? lastResolution.at : undefined;
  const sinceFirst = first && resolvedAt !== undefined && ms(resolvedAt) >= ms(first.escalatedAt) ? ms(resolvedAt) - ms(first.escalatedAt) : undefined;
  return {
    row: {
      reference: c.reference,
      caseId: c.caseId,
      type: c.type,
      receivedAt: c.receivedAt,
      status,
      ...(c.type === 'complaint' && c.sla.escalationDueAt ? { escalationDueAt: c.sla.escalationDueAt } : {}),
      escalations,
      escalatedMoreThanOnce: escalations.length > 1,
      flaggedForReview,
      ...(first ? { timeToFirstEscalationMs: first.timeToEscalateMs } : {}),
      ...(resolvedAt !== undefined ? { resolvedAt } : {}),
      ...(sinceFirst !== undefined ? { escalationToResolutionMs: sinceFirst } : {}),
      findings: [...(m32.finding ? [m32.finding] : []), ...findings, ...logFindings, ...review],
    },
    ...(m32.standing ? { complaintEscalation: m32.standing } : {}),
  };
}

// ---- aggregation ----

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);
const breaks = (row: AuditedCase) => row.findings.some((f) => f.kind === 'breach');
const rank = (row: AuditedCase) => (breaks(row) ? 0 : row.findings.length > 0 ? 1 : 2);

function summaryOf(audits: readonly CaseAudit[]): EscalationAuditSummary {
  const rows = audits.map((a) => a.row);
  const escalated = rows.filter((r) => r.escalations.length > 0);
  const all = rows.flatMap((r) => r.escalations);
  const n = <T>(items: readonly T[], test: (x: T) => boolean) => items.filter(test).length;
  const audited = rows.filter((r) => r.escalations.length > 0 || r.type === 'complaint');
  const breaking = n(audited, breaks);
  const defined = (values: readonly (number | undefined)[]) => values.filter((v): v is number => v !== undefined);
  return {
    cases: rows.length,
    complaints: n(rows, (r) => r.type === 'complaint'),
    escalatedCases: escalated.length,
    escalationRate: ratio(escalated.length, rows.length),
    escalations: all.length,
    byTrigger: { automatic: n(all, (e) => e.trigger === 'automatic'), manual: n(all, (e) => e.trigger === 'manual') },
    escalatedMoreThanOnce: n(rows, (r) => r.escalatedMoreThanOnce),
    flaggedForReview: n(rows, (r) => r.flaggedForReview),
    complaintEscalation: {
      inTime: n(audits, (a) => a.complaintEscalation === 'inTime'),
      late: n(audits, (a) => a.complaintEscalation === 'late'),
      missing: n(audits, (a) => a.complaintEscalation === 'missing'),
      notOwed: n(audits, (a) => a.complaintEscalation === 'notOwed'),
      pending: n(audits, (a) => a.complaintEscalation === 'pending'),
    },
    acceptance: {
      onTime: n(all, (e) => e.acceptance === 'on-time'),
      late: n(all, (e) => e.acceptance === 'late'),
      missed: n(all, (e) => e.acceptance === 'missed'),
      pending: n(all, (e) => e.acceptance === 'pending'),
      endedFirst: n(all, (e) => e.acceptance === 'ended-first'),
    },
    endings: {
      resolved: n(all, (e) => e.ending === 'resolved'),
      deEscalated: n(all, (e) => e.ending === 'de-escalated'),
      escalatedFurther: n(all, (e) => e.ending === 'escalated-further'),
      none: n(all, (e) => e.ending === null),
    },
    timeToEscalate: durationStats(defined(rows.map((r) => r.timeToFirstEscalationMs))),
    timeToAccept: durationStats(defined(all.map((e) => e.timeToAcceptMs))),
    timeToResolve: durationStats(defined(all.map((e) => e.timeToResolveMs))),
    escalationToCaseResolution: durationStats(defined(rows.map((r) => r.escalationToResolutionMs))),
    audited: audited.length,
    casesBreakingProtocol: breaking,
    breachRate: ratio(breaking, audited.length),
    findings: Object.fromEntries(EscalationAuditRuleSchema.options.map((rule) => [rule, rows.reduce((sum, r) => sum + n(r.findings, (f) => f.rule === rule), 0)])) as Record<EscalationAuditRule, number>,
  };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Audits the period's cases one at a time (a long period need not hold every timeline at once). */
export class EscalationAuditAccumulator {
  private readonly audits: CaseAudit[] = [];
  private readonly asOfMs: number;
  private readonly options: EscalationAuditOptions;

  constructor(
    private readonly period: MetricsPeriod,
    asOf: string,
    options: Partial<EscalationAuditOptions> = {},
  ) {
    this.asOfMs = ms(asOf);
    this.options = { repeatLimit: options.repeatLimit ?? ESCALATION_AUDIT_REPEAT_LIMIT, escalationGraceMs: options.escalationGraceMs ?? ESCALATION_GRACE_MS };
  }

  /** Adds a case; one received outside the period is left out. */
  add(record: EscalationAuditRecord): void {
    if (receivedIn(record.case, this.period)) this.audits.push(auditCase(record, this.asOfMs, this.options));
  }

  report(): EscalationAuditReport {
    const { since, until } = periodBounds(this.period);
    const listed = this.audits.map((a) => a.row).filter((r) => r.escalations.length > 0 || r.findings.length > 0);
    listed.sort((a, b) => rank(a) - rank(b) || ms(a.receivedAt) - ms(b.receivedAt) || a.reference.localeCompare(b.reference));
    return {
      period: { ...this.period, days: Math.round((ms(until) - ms(since)) / DAY_MS) },
      asOf: isoOf(this.asOfMs),
      repeatLimit: this.options.repeatLimit,
      escalationGraceMs: this.options.escalationGraceMs,
      summary: summaryOf(this.audits),
      cases: listed,
    };
  }
}

/**
 * The escalation audit of the cases received in `period`, as they stood at `asOf`. Pure: records
 * outside the period are left out, so a caller may pass more.
 */
export function computeEscalationAudit(records: Iterable<EscalationAuditRecord>, period: MetricsPeriod, asOf: string, options: Partial<EscalationAuditOptions> = {}): EscalationAuditReport {
  const acc = new EscalationAuditAccumulator(period, asOf, options);
  for (const r of records) acc.add(r);
  return acc.report();
}

/**
 * GET /v1/reports/escalation-audit: the period from the query (refused past 93 days, metrics.ts
 * `metricsPeriod`), its cases read by the metrics' reader, the escalation log of each case that has
 * one (one more read a case), audited as of now.
 */
export async function reportEscalationAudit(
  q: EscalationAuditQuery,
  deps: { cases: EscalationAuditCases; escalations: Pick<CaseStore, 'getEscalations'>; clock: Clock },
): Promise<EscalationAuditReport> {
  const now = deps.clock.now();
  const period = metricsPeriod(q, now);
  const { since, until } = periodBounds(period);
  const acc = new EscalationAuditAccumulator(period, now.toISOString(), { repeatLimit: q.repeatLimit });
  for await (const r of deps.cases.receivedBetween(since, until)) {
    if (!receivedIn(r.case, period)) continue;
    const escalations = hasEscalationLog(r.case, r.timeline) ? await deps.escalations.getEscalations(r.case.caseId) : [];
    acc.add({ case: r.case, timeline: r.timeline, escalations });
  }
  return acc.report();
}
