import type { CorrectiveActionType } from '../core/non-compliance';
import { criterionLabel } from '../core/quality-review';
import type { TopLevelSpec } from 'vega-lite';
import type { Loader } from 'vega';
import {
  ESCALATION_ENDING_LABEL,
  REPORT_CHANNELS,
  REPORT_TYPES,
  type BreachMilestone,
  type MomFigure,
  type MonthlyReport,
} from '../core/monthly-report';
import type { DurationStats } from '../core/metrics';

/**
 * The monthly report as one self-contained HTML page (docs/reports.md): every chart a Vega-Lite
 * spec compiled and rendered to SVG here, at generation time (vega's headless `none` renderer,
 * `toSVG`), inlined; inline CSS with print rules; no script, no external URL, a Content-Security-
 * Policy that forbids fetching anything, so the page opens offline, from a mail attachment or the
 * exports bucket alike. Each chart is an `<svg role="img">` named by a text summary, followed by
 * the table of its numbers. The same report gives the same bytes.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
/** Colour-blind-safe (Okabe–Ito), dark enough on white for the marks to stand out. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00'];
const INK = '#1f2328';
const MUTED = '#57606a';

// ---- formatting (fixed, not locale-dependent: the same bytes everywhere) ----

export const monthName = (month: string) => `${MONTHS[Number(month.slice(5, 7)) - 1] ?? month} ${month.slice(0, 4)}`;
export const formatCount = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
export const formatRate = (r: number | null) => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/** A duration for people: "45 s", "12 min", "3 h 20 min", "2 d 4 h"; "—" for none. */
export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  const s = Math.round(Math.abs(ms) / 1000);
  const sign = ms < 0 ? '−' : '';
  if (s < 60) return `${sign}${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${sign}${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${sign}${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  const d = Math.floor(h / 24);
  return `${sign}${d} d${h % 24 ? ` ${h % 24} h` : ''}`;
}

const formatSigned = (f: MomFigure): string => {
  if (f.delta === null) return '—';
  if (f.delta === 0) return 'no change';
  const sign = f.delta > 0 ? '+' : '−';
  const size = Math.abs(f.delta);
  if (f.unit === 'rate') return `${sign}${(Math.round(size * 1000) / 10).toFixed(1)} pts`;
  if (f.unit === 'duration') return `${sign}${formatDuration(size)}`;
  return `${sign}${formatCount(size)}`;
};
const formatFigure = (unit: MomFigure['unit'], v: number | null) => (unit === 'rate' ? formatRate(v) : unit === 'duration' ? formatDuration(v) : v === null ? '—' : formatCount(v));

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const MILESTONE_SHORT: Record<BreachMilestone, string> = { acknowledgement: 'Acknowledgement', initialResponse: 'Initial response', escalationResponse: 'Escalation response' };

// ---- the charts ----

export type ChartId = 'volumes' | 'attainment' | 'acknowledgement-times' | 'first-response-times' | 'escalations' | 'breach-reasons' | 'month-over-month';

export interface Chart {
  id: ChartId;
  /** The Vega-Lite spec, its data inline. */
  spec: TopLevelSpec;
  /** What the chart shows, in words: the SVG's accessible name. */
  summary: string;
}

const BASE_CONFIG = {
  // The page names each chart as a whole; vega's per-mark ARIA roles would only clutter it.
  aria: false,
  font: 'sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 11, gridColor: '#e5e7eb', domainColor: MUTED, tickColor: MUTED },
  legend: { labelColor: INK, titleColor: INK, labelFontSize: 11, titleFontSize: 11, orient: 'bottom' as const, labelLimit: 0 },
  range: { category: PALETTE },
};

const most = <T>(items: readonly T[], by: (t: T) => number): T | undefined => items.reduce<T | undefined>((best, t) => (best === undefined || by(t) > by(best) ? t : best), undefined);

export function reportCharts(r: MonthlyReport): Chart[] {
  const name = monthName(r.month);
  const busiest = most(r.daily, (d) => d.cases);
  const volumes = r.daily.flatMap((d) => REPORT_CHANNELS.map((channel) => ({ day: Number(d.day.slice(8)), channel, cases: d.byChannel[channel] })));
  const ack = r.responseTimes.acknowledgement;
  const first = r.responseTimes.firstResponse;
  const e = r.escalations;
  const rates = r.monthOverMonth.filter((f) => f.unit === 'rate');
  const hbar = (data: { label: string; count: number }[], title: string, color: string, height: number): TopLevelSpec => ({
    width: 560,
    height,
    config: BASE_CONFIG,
    data: { values: data },
    mark: { type: 'bar', color },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
      x: { field: 'count', type: 'quantitative', title, axis: { tickMinStep: 1, format: 'd' } },
    },
  });
  const distribution = (d: typeof ack, title: string): TopLevelSpec => ({
    width: 560,
    height: 170,
    config: BASE_CONFIG,
    data: { values: d.buckets },
    mark: { type: 'bar', color: PALETTE[0] },
    encoding: {
      x: { field: 'label', type: 'ordinal', sort: null, title, axis: { labelAngle: 0 } },
      y: { field: 'count', type: 'quantitative', title: 'Cases', axis: { tickMinStep: 1, format: 'd' } },
      color: { condition: { test: "datum.label === 'Not reached'", value: '#8c959f' }, value: PALETTE[0] },
    },
  });
  const bucketWords = (d: typeof ack) => d.buckets.map((b) => `${b.label}: ${b.count}`).join('; ');
  return [
    {
      id: 'volumes',
      summary:
        `Daily volumes, ${name}: ${formatCount(r.totals.cases)} cases received over ${r.period.days} days` +
        (busiest && busiest.cases > 0 ? `, the busiest day ${busiest.day} with ${busiest.cases}` : '') +
        `; by channel ${REPORT_CHANNELS.map((c) => `${c} ${r.totals.byChannel[c]}`).join(', ')}.`,
      spec: {
        width: 640,
        height: 200,
        config: BASE_CONFIG,
        data: { values: volumes },
        mark: 'bar',
        encoding: {
          x: { field: 'day', type: 'ordinal', title: `Day of ${name}`, axis: { labelAngle: 0 } },
          y: { field: 'cases', type: 'quantitative', title: 'Cases received', stack: 'zero', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'channel', type: 'nominal', title: 'Channel', sort: [...REPORT_CHANNELS], scale: { domain: [...REPORT_CHANNELS] } },
          order: { field: 'channel', sort: 'ascending' },
        },
      },
    },
    {
      id: 'attainment',
      summary: `SLA attainment against target, ${name}: ${r.sla.map((s) => `${s.label} ${formatRate(s.attainment)} (target ${formatRate(s.target)}, ${s.met} met, ${s.breached} breached)`).join('; ')}.`,
      spec: {
        width: 560,
        height: 130,
        config: BASE_CONFIG,
        data: { values: r.sla.map((s) => ({ label: `${s.label} (${s.window})`, attainment: s.attainment ?? 0, shown: formatRate(s.attainment), target: s.target, meets: s.meetsTarget === false ? 'Below target' : 'At or above target' })) },
        encoding: { y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } } },
        layer: [
          {
            mark: 'bar',
            encoding: {
              x: { field: 'attainment', type: 'quantitative', title: 'Attainment (met ÷ met and breached)', scale: { domain: [0, 1] }, axis: { format: '.0%' } },
              color: { field: 'meets', type: 'nominal', title: null, scale: { domain: ['At or above target', 'Below target'], range: [PALETTE[2] ?? INK, PALETTE[5] ?? INK] } },
            },
          },
          { mark: { type: 'tick', color: INK, thickness: 3, size: 30 }, encoding: { x: { field: 'target', type: 'quantitative' } } },
          { mark: { type: 'text', align: 'left', dx: 4, color: INK, fontWeight: 'bold' }, encoding: { x: { value: 4 }, text: { field: 'shown' } } },
        ],
      },
    },
    {
      id: 'acknowledgement-times',
      summary: `Acknowledgement times, ${name}: ${ack.stats.count} cases acknowledged, median ${formatDuration(ack.stats.p50Ms)}, 90th percentile ${formatDuration(ack.stats.p90Ms)}. ${bucketWords(ack)}.`,
      spec: distribution(ack, 'Time from receipt to acknowledgement'),
    },
    {
      id: 'first-response-times',
      summary: `First-response times, ${name}: ${first.stats.count} cases answered, median ${formatDuration(first.stats.p50Ms)}, 90th percentile ${formatDuration(first.stats.p90Ms)}. ${bucketWords(first)}.`,
      spec: distribution(first, 'Time from receipt to first response'),
    },
    {
      id: 'escalations',
      summary: `Escalations and outcomes, ${name}: ${e.escalations} escalations of ${e.escalatedCases} cases (${formatRate(e.rate)} of cases), ${e.byTrigger.automatic} automatic and ${e.byTrigger.manual} by hand; ${e.endings.map((x) => `${x.label.toLowerCase()} ${x.count}`).join(', ')}.`,
      spec: hbar(
        e.endings.map((x) => ({ label: ESCALATION_ENDING_LABEL[x.ending], count: x.count })),
        'Escalations',
        PALETTE[3] ?? INK,
        150,
      ),
    },
    {
      id: 'breach-reasons',
      summary:
        r.breachReasons.length === 0
          ? `Breach reasons, ${name}: no milestone was breached.`
          : `Top breach reasons, ${name}: ${r.breachReasons.map((b) => `${b.reason} (${MILESTONE_SHORT[b.milestone].toLowerCase()}) ${b.count}`).join('; ')}.`,
      spec: {
        width: 560,
        height: Math.max(60, 26 * r.breachReasons.length),
        config: BASE_CONFIG,
        data: { values: r.breachReasons.map((b) => ({ label: b.reason, milestone: MILESTONE_SHORT[b.milestone], count: b.count })) },
        mark: 'bar',
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
          x: { field: 'count', type: 'quantitative', title: 'Milestones breached', axis: { tickMinStep: 1, format: 'd' } },
          color: { field: 'milestone', type: 'nominal', title: 'Milestone', scale: { domain: Object.values(MILESTONE_SHORT) } },
        },
      },
    },
    {
      id: 'month-over-month',
      summary: `Month over month, ${name} against ${monthName(r.previousMonth)}: ${rates.map((f) => `${f.label.toLowerCase()} ${formatRate(f.current)} (was ${formatRate(f.previous)})`).join('; ')}.`,
      spec: {
        width: 560,
        height: 24 * rates.length * 2,
        config: BASE_CONFIG,
        // A month without the figure (no escalation to judge, say) has no bar.
        data: {
          values: rates.flatMap((f) => [
            ...(f.previous === null ? [] : [{ label: f.label, month: monthName(r.previousMonth), value: f.previous }]),
            ...(f.current === null ? [] : [{ label: f.label, month: name, value: f.current }]),
          ]),
        },
        mark: 'bar',
        encoding: {
          y: { field: 'label', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0 } },
          yOffset: { field: 'month', type: 'nominal', sort: [monthName(r.previousMonth), name] },
          x: { field: 'value', type: 'quantitative', title: null, scale: { domain: [0, 1] }, axis: { format: '.0%' } },
          color: { field: 'month', type: 'nominal', title: null, sort: [monthName(r.previousMonth), name], scale: { range: ['#8c959f', PALETTE[0] ?? INK] } },
        },
      },
    },
  ];
}

// ---- rendering ----

/** A loader that fetches nothing: every chart's data is inline, and the report must never reach out. */
function refusingLoader(): Loader {
  const refuse = () => Promise.reject(new Error('the monthly report loads nothing'));
  return { load: refuse, sanitize: refuse, http: refuse, file: refuse };
}

/**
 * One chart's SVG, inline-ready: the namespace declarations an inline `<svg>` does not need are
 * dropped (the page names no URL outside itself), vega's own role attributes too (the chart is one image
 * to assistive technology), and the root gets `role="img"` with the summary as its name.
 */
async function renderChart(chart: Chart): Promise<string> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  const view = new vega.View(vega.parse(vl.compile(chart.spec).spec), { renderer: 'none', loader: refusingLoader() });
  try {
    const svg = await view.toSVG();
    return svg
      .replace(/ xmlns(?::xlink)?="[^"]*"/g, '')
      .replace(/ (?:role|aria-roledescription|aria-hidden)="[^"]*"/g, '')
      .replace(/^<svg /, `<svg role="img" aria-label="${escapeHtml(chart.summary)}" id="chart-${chart.id}" focusable="false" `);
  } finally {
    view.finalize();
  }
}

// ---- tables ----

interface Column {
  head: string;
  numeric?: boolean;
}
function table(caption: string, columns: readonly Column[], rows: readonly (readonly string[])[], foot?: readonly string[]): string {
  const cls = (c: Column | undefined) => (c?.numeric ? ' class="num"' : '');
  const head = columns.map((c) => `<th scope="col"${cls(c)}>${escapeHtml(c.head)}</th>`).join('');
  const line = (cells: readonly string[]) => `<tr>${cells.map((v, i) => (i === 0 ? `<th scope="row"${cls(columns[0])}>${escapeHtml(v)}</th>` : `<td${cls(columns[i])}>${escapeHtml(v)}</td>`)).join('')}</tr>`;
  return [
    '<table>',
    `<caption>${escapeHtml(caption)}</caption>`,
    `<thead><tr>${head}</tr></thead>`,
    `<tbody>${rows.map((r) => line(r)).join('\n')}</tbody>`,
    foot ? `<tfoot>${line(foot)}</tfoot>` : '',
    '</table>',
  ].join('\n');
}

const statsRow = (label: string, s: DurationStats) => [label, formatCount(s.count), formatDuration(s.p50Ms), formatDuration(s.p90Ms), formatDuration(s.maxMs)];
const STATS_COLUMNS: Column[] = [{ head: 'Measure' }, { head: 'Cases', numeric: true }, { head: 'Median (p50)', numeric: true }, { head: 'p90', numeric: true }, { head: 'Longest', numeric: true }];

const CSS = `
:root { color: ${INK}; font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; font-size: 15px; line-height: 1.45; }
body { margin: 0; background: #f6f8fa; }
header, main, footer { max-width: 960px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 1.7rem; margin: 0 0 4px; }
h2 { font-size: 1.25rem; margin: 0 0 12px; }
.subtitle { color: ${MUTED}; margin: 0 0 16px; }
section { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 20px 24px; margin: 0 0 20px; }
figure { margin: 0 0 12px; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: ${MUTED}; font-size: 0.9rem; margin-top: 4px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fit, minmax(160px, 1fr)); gap: 12px; margin: 0; }
.tile { border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px; }
.tile dt { color: ${MUTED}; font-size: 0.85rem; }
.tile dd { margin: 2px 0 0; font-size: 1.5rem; font-weight: 600; }
.tile dd small { display: block; font-size: 0.8rem; font-weight: 400; color: ${MUTED}; }
.below { color: #a40e26; }
.met { color: #116329; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; font-size: 0.9rem; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0 6px; }
th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid ${MUTED}; }
tfoot th, tfoot td { border-top: 2px solid ${MUTED}; font-weight: 600; }
.num { text-align: right; }
code, .hash { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.8rem; word-break: break-all; }
.notes { color: ${MUTED}; font-size: 0.9rem; }
.notes li { margin-bottom: 4px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root { font-size: 11px; }
  body { background: #fff; }
  header, main, footer { max-width: none; padding: 0; }
  section { border: none; border-radius: 0; padding: 0; margin: 0 0 14px; break-inside: auto; }
  figure, table, .tiles, h2 { break-inside: avoid; }
  h2 { break-after: avoid; }
  section + section { break-before: auto; }
  tr { break-inside: avoid; }
}
`.trim();

function tile(label: string, value: string, detail?: string, cls?: string): string {
  return `<div class="tile"><dt>${escapeHtml(label)}</dt><dd${cls ? ` class="${cls}"` : ''}>${escapeHtml(value)}${detail ? `<small>${escapeHtml(detail)}</small>` : ''}</dd></div>`;
}

const CORRECTIVE_ACTION_NAMES: Readonly<Record<CorrectiveActionType, string>> = {
  retraining: 'Retraining',
  additional_oversight: 'Additional oversight',
  revised_responsibilities: 'Revised responsibilities',
  process_change: 'Process change',
};

function section(id: string, title: string, body: string[]): string {
  return `<section aria-labelledby="h-${id}">\n<h2 id="h-${id}">${escapeHtml(title)}</h2>\n${body.join('\n')}\n</section>`;
}

const figure = (svg: string, caption: string) => `<figure>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;

/** The report as one HTML page (see the module comment). */
export async function renderMonthlyReportHtml(r: MonthlyReport): Promise<string> {
  const charts = reportCharts(r);
  const svgs = new Map<ChartId, string>();
  // One at a time: the same order, the same output, and little memory.
  for (const c of charts) svgs.set(c.id, await renderChart(c));
  const svg = (id: ChartId) => svgs.get(id) ?? '';
  const name = monthName(r.month);
  const t = r.totals;
  const e = r.escalations;
  const asOf = `${r.asOf.slice(0, 10)} ${r.asOf.slice(11, 16)} UTC`;

  const summary = section('summary', 'At a glance', [
    '<dl class="tiles">',
    tile('Cases received', formatCount(t.cases), `${t.byType.inquiry} inquiries, ${t.byType.complaint} complaints`),
    ...r.sla.map((s) => tile(`${s.label} within ${s.window}`, formatRate(s.attainment), `target ${formatRate(s.target)}`, s.meetsTarget === false ? 'below' : s.meetsTarget ? 'met' : undefined)),
    tile('Cases with a breach', formatCount(t.breachedCases), formatRate(t.breachRate)),
    tile('Resolved', formatRate(t.resolutionRate), `${formatCount(t.resolved)} cases`),
    tile('Escalated', formatCount(t.escalatedCases), formatRate(t.escalationRate)),
    '</dl>',
  ]);

  const volumeColumns: Column[] = [{ head: 'Day' }, { head: 'Cases', numeric: true }, ...REPORT_CHANNELS.map((c) => ({ head: c, numeric: true })), ...REPORT_TYPES.map((x) => ({ head: x, numeric: true }))];
  const monthRow = ['Month', formatCount(t.cases), ...REPORT_CHANNELS.map((c) => formatCount(t.byChannel[c])), ...REPORT_TYPES.map((x) => formatCount(t.byType[x]))];
  const volumes = section('volumes', 'Daily volumes', [
    figure(svg('volumes'), 'Cases received each UTC day, stacked by channel.'),
    table(`Cases received in ${name}, by channel and type`, volumeColumns, [monthRow]),
    // The day-by-day table is long: at the end, so that the charts come first.
    '<p class="notes"><a href="#h-days">Every day’s numbers</a> are at the end of the report.</p>',
  ]);
  const days = section('days', 'Daily volumes, day by day', [
    table(
      `Cases received each day of ${name}, by channel and type`,
      volumeColumns,
      r.daily.map((d) => [d.day, formatCount(d.cases), ...REPORT_CHANNELS.map((c) => formatCount(d.byChannel[c])), ...REPORT_TYPES.map((x) => formatCount(d.byType[x]))]),
      monthRow,
    ),
  ]);

  const attainment = section('attainment', 'SLA attainment against target', [
    figure(svg('attainment'), 'Bars: attainment of each milestone (green: at or above its target; orange: below); dark tick: the target.'),
    table(
      `SLA attainment per milestone, ${name}`,
      [
        { head: 'Milestone' },
        { head: 'Window' },
        { head: 'Met', numeric: true },
        { head: 'Breached', numeric: true },
        { head: 'Pending', numeric: true },
        { head: 'Stopped', numeric: true },
        { head: 'Attainment', numeric: true },
        { head: 'Target', numeric: true },
        { head: 'Gap', numeric: true },
      ],
      r.sla.map((s) => [`${s.label} (${s.clauses})`, s.window, formatCount(s.met), formatCount(s.breached), formatCount(s.pending), formatCount(s.stopped), formatRate(s.attainment), formatRate(s.target), s.gap === null ? '—' : `${s.gap >= 0 ? '+' : '−'}${(Math.round(Math.abs(s.gap) * 1000) / 10).toFixed(1)} pts`]),
    ),
    `<p class="notes">${escapeHtml(r.notes.targets)} Attainment is met ÷ (met + breached); pending milestones are not yet due, stopped ones were no longer owed (docs/metrics.md).</p>`,
  ]);

  const times = section('times', 'Response-time distribution', [
    figure(svg('acknowledgement-times'), 'Cases by time from receipt to acknowledgement; grey: not acknowledged yet.'),
    figure(svg('first-response-times'), 'Cases by time from receipt to first response (wall-clock, waits for the customer included); grey: not answered yet.'),
    table(
      `Cases by response time, ${name}`,
      [{ head: 'Time' }, { head: 'Acknowledgement', numeric: true }],
      r.responseTimes.acknowledgement.buckets.map((b) => [b.label, formatCount(b.count)]),
    ),
    table(
      `Cases by first-response time, ${name}`,
      [{ head: 'Time' }, { head: 'First response', numeric: true }],
      r.responseTimes.firstResponse.buckets.map((b) => [b.label, formatCount(b.count)]),
    ),
    table(`Response times, ${name} (nearest-rank percentiles)`, STATS_COLUMNS, [statsRow('Acknowledgement', r.responseTimes.acknowledgement.stats), statsRow('First response', r.responseTimes.firstResponse.stats)]),
  ]);

  const escalations = section('escalations', 'Escalations and outcomes', [
    figure(svg('escalations'), 'Each escalation of the month’s cases by how it ended (as of the report).'),
    table(
      `Escalations by ending, ${name}`,
      [{ head: 'Ending' }, { head: 'Escalations', numeric: true }],
      e.endings.map((x) => [x.label, formatCount(x.count)]),
      ['All escalations', formatCount(e.escalations)],
    ),
    table(
      `Escalation figures, ${name}`,
      [{ head: 'Figure' }, { head: 'Value', numeric: true }],
      [
        ['Cases escalated', `${formatCount(e.escalatedCases)} (${formatRate(e.rate)})`],
        ['Automatic escalations (the SLA workflow)', formatCount(e.byTrigger.automatic)],
        ['Escalations by hand', formatCount(e.byTrigger.manual)],
        ...e.byLevel.map((l) => [`Level ${l.level} (${l.level <= 1 ? 'supervisor' : 'manager'})`, formatCount(l.count)]),
        ['Accepted in time (escalation response)', `${formatCount(e.response.met)} of ${formatCount(e.response.met + e.response.breached)} (${formatRate(e.response.attainment)})`],
        ['Time to escalate, median', formatDuration(e.timeToEscalate.p50Ms)],
        ['Time to escalate, p90', formatDuration(e.timeToEscalate.p90Ms)],
      ],
    ),
    `<p class="notes">${escapeHtml(r.notes.escalationAudit)}</p>`,
  ]);

  const breaches = section('breaches', 'Top breach reasons', [
    figure(svg('breach-reasons'), 'Breached milestones by reason, most frequent first.'),
    table(
      `Breached milestones by reason, ${name}`,
      [{ head: 'Reason' }, { head: 'Milestone' }, { head: 'Breaches', numeric: true }, { head: 'Share of the milestone’s breaches', numeric: true }],
      r.breachReasons.length ? r.breachReasons.map((b) => [b.reason, MILESTONE_SHORT[b.milestone], formatCount(b.count), formatRate(b.share)]) : [['No breach', '—', '0', '—']],
    ),
  ]);

  const mom = section('mom', 'Month over month', [
    figure(svg('month-over-month'), `Rates of ${name} (blue) against ${monthName(r.previousMonth)} (grey).`),
    table(
      `${name} against ${monthName(r.previousMonth)}`,
      [{ head: 'Figure' }, { head: name, numeric: true }, { head: monthName(r.previousMonth), numeric: true }, { head: 'Change', numeric: true }, { head: 'Trend' }],
      r.monthOverMonth.map((f) => [f.label, formatFigure(f.unit, f.current), formatFigure(f.unit, f.previous), formatSigned(f), f.better === null ? '' : f.better ? 'better' : 'worse']),
    ),
    `<p class="notes">Both months’ figures as of ${escapeHtml(asOf)}.</p>`,
  ]);

  // CSAT of the month against the previous month's (M8.1, C7.1, M8.3): the numbers behind notes.csat.
  const cs = r.csat;
  const csat = section('csat', 'Customer satisfaction', [
    table(
      `CSAT of ${name} against ${monthName(r.previousMonth)} (M8.1)`,
      [{ head: 'Figure' }, { head: name, numeric: true }, { head: monthName(r.previousMonth), numeric: true }],
      [
        ['Survey answers', formatCount(cs.current.answers), formatCount(cs.previous.answers)],
        ['Mean rating (1–5)', cs.current.meanRating === null ? '—' : String(cs.current.meanRating), cs.previous.meanRating === null ? '—' : String(cs.previous.meanRating)],
        ['Rating 4 or 5', formatRate(cs.current.satisfied), formatRate(cs.previous.satisfied)],
        ['Solved', formatRate(cs.current.solved), formatRate(cs.previous.solved)],
      ],
    ),
  ]);

  const nc = r.nonCompliance;
  const nonCompliance = nc
    ? section('non-compliance', 'Non-compliance and corrective actions', [
        table(
          `Non-compliance records opened in ${name} (C8.1)`,
          [{ head: 'Figure' }, { head: 'Records', numeric: true }],
          [
            ['Opened', formatCount(nc.opened)],
            ['From SLA breaches', formatCount(nc.byCause.slaBreach)],
            ['Reported by staff', formatCount(nc.byCause.reported)],
            ['From failed quality reviews', formatCount(nc.byCause.qualityReview)],
            ['Corrected within 7 days', formatCount(nc.correctedInTime)],
            ['Corrected late', formatCount(nc.correctedLate)],
            ['Overdue: no corrective action, deadline passed', formatCount(nc.overdue)],
            ['Within their 7 days, no action yet', formatCount(nc.pending)],
            ['Signed off', formatCount(nc.signedOff)],
          ],
        ),
        table(
          `Corrective actions recorded, by type (C8.2)`,
          [{ head: 'Corrective action' }, { head: 'Actions', numeric: true }],
          nc.actionsByType.map((a) => [CORRECTIVE_ACTION_NAMES[a.type], formatCount(a.count)]),
        ),
        nc.repeated.length
          ? table(
              'Repeated non-compliance (C8.3): staff members with a record that was their third within 90 days',
              [{ head: 'Staff member' }, { head: 'Repeated records this month', numeric: true }],
              nc.repeated.map((x) => [x.staffId, formatCount(x.records)]),
            )
          : '<p>No repeated non-compliance this month (C8.3).</p>',
      ])
    : '';

  // The response-quality reviews of the month's replies and calls (M3.1, M6.1, C6.3).
  const qr = r.qualityReviews;
  const qualityReviews = qr
    ? section('quality-reviews', 'Response-quality reviews', [
        table(
          `Replies and calls of ${name} sampled and scored (M6.1)`,
          [{ head: 'Figure' }, { head: 'Count', numeric: true }],
          [
            ['Replies and logged calls', formatCount(qr.replies)],
            ['Sampled for review', formatCount(qr.sampled)],
            ['Scored', formatCount(qr.scored)],
            ['Awaiting a score', formatCount(qr.pending)],
            ['Failed (non-compliance opened, C8.1)', formatCount(qr.failed)],
            ['Representative-weeks with a reply', formatCount(qr.agentWeeks)],
            ['… with at least one reply sampled', `${formatCount(qr.agentWeeksSampled)} (${formatRate(qr.agentWeeks === 0 ? null : qr.agentWeeksSampled / qr.agentWeeks)})`],
          ],
        ),
        table(
          'Mean scores of the scored reviews (1 to 4)',
          [{ head: 'Criterion' }, { head: 'Mean', numeric: true }],
          [...qr.byCriterion.map((c) => [criterionLabel(c.criterion), c.mean === null ? '—' : c.mean.toFixed(2)]), ['Overall', qr.meanOverall === null ? '—' : qr.meanOverall.toFixed(2)]],
        ),
        qr.failedBy.length
          ? table(
              'Representatives with a failed review this month',
              [{ head: 'Staff member' }, { head: 'Failed reviews', numeric: true }],
              qr.failedBy.map((x) => [x.staffId, formatCount(x.failed)]),
            )
          : '<p>No failed review this month.</p>',
      ])
    : '';

  // The representatives' training as the month ended (C5.1–C5.3).
  const tr = r.training;
  const training = tr
    ? section('training', 'Training and refreshers', [
        table(
          `Training of the ${formatCount(tr.representatives)} representatives at ${tr.at.slice(0, 10)} (C5.1, C5.2)`,
          [{ head: 'Course' }, { head: 'Required to work cases' }, { head: 'Current', numeric: true }, { head: 'Refresher due soon', numeric: true }, { head: 'Lapsed', numeric: true }, { head: 'Never trained', numeric: true }],
          tr.courses.map((c) => [c.title, c.requiredForCases ? 'yes' : 'no', formatCount(c.current), formatCount(c.dueSoon), formatCount(c.lapsed), formatCount(c.neverTrained)]),
        ),
        tr.requiredMissing.length
          ? table(
              'Representatives the assignment guard applied to: required training lapsed or never taken (C5.3)',
              [{ head: 'Staff member' }, { head: 'Courses' }],
              tr.requiredMissing.map((x) => [x.staffId, x.courses.join(', ')]),
            )
          : '<p>Every representative’s required training was current (C5.3).</p>',
      ])
    : '';

  const ev = r.evidence;
  const evidence = section('evidence', 'Evidence: compliance exports', [
    ev.manifests.length
      ? table(
          `Export manifests whose period overlaps ${name}`,
          [{ head: 'Sequence', numeric: true }, { head: 'Export' }, { head: 'Sealed (UTC)' }, { head: 'Cases', numeric: true }, { head: 'Files', numeric: true }, { head: 'Manifest SHA-256' }, { head: 'Signing key' }],
          ev.manifests.map((m) => [`#${m.sequence}`, m.exportId, `${m.generatedAt.slice(0, 16).replace('T', ' ')}`, formatCount(m.cases), formatCount(m.files), m.sha256, m.keyId]),
        ).replace(/<td>([0-9a-f]{64})<\/td>/g, '<td class="hash">$1</td>')
      : '<p>No compliance export covers a day of this month yet.</p>',
    `<p>${formatCount(ev.daysCovered)} of ${r.period.days} days covered by an export${ev.uncoveredDays.length ? `; not covered: ${ev.uncoveredDays.map(escapeHtml).join(', ')}` : ''}.</p>`,
    `<p class="notes">${escapeHtml(r.notes.evidence)}</p>`,
  ]);

  const footer = [
    '<footer>',
    '<ul class="notes">',
    `<li>${escapeHtml(`The cases received on the UTC days ${r.period.from} to ${r.period.to}, as they stood at ${asOf}: figures settle as open cases are worked (docs/metrics.md defines each).`)}</li>`,
    `<li>${escapeHtml(r.notes.csat)}</li>`,
    '<li>This report holds ids, counts and times only: no customer’s name, address or message.</li>',
    `<li>${escapeHtml(`Format ${r.format}; SLA policy ${r.policyVersions.join(', ') || '—'}.`)}</li>`,
    '</ul>',
    '</footer>',
  ].join('\n');

  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Nothing to fetch, nothing to run: the page is whole as it is.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'">`,
    `<title>${escapeHtml(`Monthly compliance report, ${name} · caseflow`)}</title>`,
    `<style>\n${CSS}\n</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>Monthly compliance report: ${escapeHtml(name)}</h1>`,
    `<p class="subtitle">${escapeHtml(`Cases received ${r.period.from} to ${r.period.to} (UTC) · as of ${asOf} · ${formatCount(t.cases)} cases`)}</p>`,
    '</header>',
    '<main>',
    summary,
    volumes,
    attainment,
    times,
    escalations,
    breaches,
    mom,
    csat,
    nonCompliance,
    qualityReviews,
    training,
    evidence,
    days,
    '</main>',
    footer,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
