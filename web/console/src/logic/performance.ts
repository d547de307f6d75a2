import type { PerformanceReview } from '../api/types';
import { formatDuration } from './format';
import type { Session } from './roles';

/**
 * The Performance screen's rules (C7.3, M6.2; docs/performance-reviews.md): the months a reader
 * may pick (the last complete ones, newest first) and the period each stands for, whose report a
 * reader may open (supervisors, the feedback team and auditors anyone's; representatives their
 * own), and the report's figures as rows of label and value for its tables.
 */

export interface MonthOption {
  /** YYYY-MM */
  value: string;
  label: string;
  from: string;
  to: string;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** A calendar month's first and last UTC day. */
export function periodOfMonth(month: string): { from: string; to: string } {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y ?? 1970, m ?? 1, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}

/** The `count` complete calendar months before `nowMs`'s (UTC), newest first: the default report is the first. */
export function monthOptions(nowMs: number, count = 12): MonthOption[] {
  const now = new Date(nowMs);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1 - i, 1));
    const value = `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
    return { value, label: `${MONTH_NAMES[d.getUTCMonth()] ?? ''} ${d.getUTCFullYear()}`, ...periodOfMonth(value) };
  });
}

const has = (s: Pick<Session, 'roles'>, ...roles: Session['roles'][number][]) => roles.some((r) => s.roles.includes(r));

/** Who sees the Performance screen (routes.ts): representatives, supervisors, the feedback team, auditors. */
export const readsPerformance = (s: Pick<Session, 'roles'>) => has(s, 'agents', 'supervisors', 'managers', 'feedback', 'auditors');
/** Who picks a representative (and sees the team's summary where the API allows it); a representative sees their own only. */
export const picksRepresentative = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'feedback', 'auditors');
/** Who reads the team's summary rows (GET /v1/performance-reviews): supervisors and auditors. */
export const readsTeamSummary = (s: Pick<Session, 'roles'>) => has(s, 'supervisors', 'managers', 'auditors');

/** Whose report the screen opens: the one picked, for those who pick; their own for a representative. */
export function reportTarget(s: Pick<Session, 'roles' | 'sub'>, picked: string | undefined): string | undefined {
  if (picksRepresentative(s)) return picked === undefined || picked.trim() === '' ? undefined : picked.trim();
  return has(s, 'agents') ? s.sub : undefined;
}

const pct = (r: number | null) => (r === null ? '—' : `${Math.round(r * 1000) / 10}%`);
const dur = (ms: number | null) => (ms === null ? '—' : formatDuration(ms));
const num = (n: number | null) => (n === null ? '—' : String(n));

export interface FigureRow {
  label: string;
  value: string;
}

/** The report's tables, in the screen's order (attention points are shown before them). */
export function figureTables(r: PerformanceReview): { title: string; rows: FigureRow[] }[] {
  const m = r.metrics;
  const att = (a: { attainment: number | null; met: number; breached: number }) => `${pct(a.attainment)} (${a.met} met, ${a.breached} breached)`;
  return [
    {
      title: 'Cases and response',
      rows: [
        { label: 'Cases received', value: String(m.cases) },
        { label: 'Acknowledgement time p50 / p90', value: `${dur(m.acknowledgementTime.p50Ms)} / ${dur(m.acknowledgementTime.p90Ms)}` },
        { label: 'First response time p50 / p90', value: `${dur(m.firstResponseTime.p50Ms)} / ${dur(m.firstResponseTime.p90Ms)}` },
        { label: 'SLA attainment: acknowledgement', value: att(m.sla.acknowledgement) },
        { label: 'SLA attainment: initial response', value: att(m.sla.initialResponse) },
        { label: 'SLA attainment: escalation response', value: att(m.sla.escalationResponse) },
        { label: 'Cases with a breach', value: `${m.breaches.cases} (${pct(m.breaches.rate)})` },
        { label: 'Resolved', value: `${m.resolution.resolved} (${pct(m.resolution.rate)}), p50 ${dur(m.resolution.time.p50Ms)}` },
        { label: 'Escalation rate', value: pct(m.escalation.rate) },
        { label: 'Reopen rate', value: pct(m.reopen.rate) },
      ],
    },
    {
      title: 'Customer satisfaction',
      rows: [
        { label: 'Answers', value: String(r.csat.answers) },
        { label: 'Mean rating (1–5)', value: num(r.csat.meanRating) },
        { label: 'Rated 4 or 5', value: pct(r.csat.satisfied) },
        { label: 'Said solved', value: pct(r.csat.solved) },
      ],
    },
    {
      title: 'Quality reviews',
      rows: [
        { label: 'Sampled / scored / failed', value: `${r.quality.sampled} / ${r.quality.scored} / ${r.quality.failed}` },
        { label: 'Mean overall (1–4)', value: num(r.quality.meanOverall) },
        ...Object.entries(r.quality.meanByCriterion).map(([c, v]) => ({ label: `Mean ${c}`, value: num(v) })),
      ],
    },
    {
      title: 'Non-compliance',
      rows: [
        { label: 'Opened', value: String(r.nonCompliance.opened) },
        { label: 'By cause (SLA breach / reported / quality review)', value: `${r.nonCompliance.byCause.slaBreach} / ${r.nonCompliance.byCause.reported} / ${r.nonCompliance.byCause.qualityReview}` },
        { label: 'Open / overdue / action recorded / signed off', value: `${r.nonCompliance.byStatus.open} / ${r.nonCompliance.byStatus.overdue} / ${r.nonCompliance.byStatus.action_recorded} / ${r.nonCompliance.byStatus.closed}` },
        { label: 'Repeated (C8.3)', value: r.nonCompliance.repeated ? 'Yes' : 'No' },
      ],
    },
    {
      title: 'Training',
      rows: r.training.courses.map((c) => ({ label: `${c.title}${c.requiredForCases ? ' (required)' : ''}`, value: TRAINING_LABEL[c.status] })),
    },
  ];
}

export const TRAINING_LABEL: Readonly<Record<PerformanceReview['training']['courses'][number]['status'], string>> = {
  current: 'Current',
  due_soon: 'Due soon',
  lapsed: 'Lapsed',
  never_trained: 'Never taken',
};
