import { DomUtils, parseDocument } from 'htmlparser2';
import type { Element } from 'domhandler';
import { formatDuration, renderMonthlyReportHtml } from '../../../functions/adapters/report-html';
import { computeMonthlyReport } from '../../../functions/core/monthly-report';
import { ALL_RECORDS, AS_OF, CUSTOMER, MANIFESTS, MONTH } from '../../support/monthly-report-fixture';

/*
 * The monthly report's page, parsed as a browser would (htmlparser2, the parser under
 * html-to-text): self-contained, accessible, with the hand-built month's numbers in its tables.
 */
const report = computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS, manifests: MANIFESTS });
let html: string;
let doc: ReturnType<typeof parseDocument>;

beforeAll(async () => {
  html = await renderMonthlyReportHtml(report);
  doc = parseDocument(html);
}, 60_000);

const all = (name: string) => DomUtils.getElementsByTagName(name, doc);
const text = (e: Element) => DomUtils.textContent(e).replace(/\s+/g, ' ').trim();
/** A table by its caption: its rows as the cells' text. */
function tableRows(caption: string): string[][] {
  const table = all('table').find((t) => DomUtils.getElementsByTagName('caption', t).some((c) => text(c) === caption));
  if (!table) throw new Error(`no table captioned ${caption}; captions: ${all('caption').map(text).join(' | ')}`);
  return DomUtils.getElementsByTagName('tr', table).map((tr) => DomUtils.getChildren(tr).filter((c): c is Element => DomUtils.isTag(c)).map(text));
}
const row = (caption: string, first: string) => tableRows(caption).find((r) => r[0] === first);

describe('the monthly report page (self-contained, accessible)', () => {
  it('runs nothing and fetches nothing: no script, no event handler, no URL, a policy that forbids loading', () => {
    expect(all('script')).toHaveLength(0);
    expect(html).not.toMatch(/<script/i);
    const elements = DomUtils.findAll(() => true, doc.children);
    const attributes = elements.flatMap((e) => Object.entries(e.attribs).map(([name, value]) => ({ tag: e.name, name, value })));
    expect(attributes.filter((a) => /^on/i.test(a.name))).toEqual([]);
    // Links within the page only.
    expect(attributes.filter((a) => ['src', 'href', 'xlink:href', 'action', 'srcset', 'data'].includes(a.name) && !/^#[\w-]+$/.test(a.value))).toEqual([]);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/url\(\s*['"]?(?!#)/i);
    const csp = all('meta').find((m) => m.attribs['http-equiv'] === 'Content-Security-Policy');
    expect(csp?.attribs.content).toContain("default-src 'none'");
  });

  it('inlines every chart as an SVG image named by a summary of its numbers', () => {
    const svgs = all('svg');
    expect(svgs.map((s) => s.attribs.id)).toEqual([
      'chart-volumes',
      'chart-attainment',
      'chart-acknowledgement-times',
      'chart-first-response-times',
      'chart-escalations',
      'chart-breach-reasons',
      'chart-month-over-month',
    ]);
    for (const svg of svgs) {
      expect(svg.attribs.role).toBe('img');
      // Marks drawn: the SVG is a chart, not an empty frame.
      expect(DomUtils.findAll((e) => e.name === 'path' || e.name === 'rect', svg.children).length).toBeGreaterThan(3);
    }
    const label = (id: string) => svgs.find((s) => s.attribs.id === `chart-${id}`)?.attribs['aria-label'] ?? '';
    expect(label('volumes')).toContain('7 cases received over 30 days, the busiest day 2026-11-02 with 2; by channel web 3, email 2, phone 1, api 1');
    expect(label('attainment')).toContain('Acknowledgement 50.0% (target 100.0%, 3 met, 3 breached)');
    expect(label('escalations')).toContain('4 escalations of 3 cases (42.9% of cases), 3 automatic and 1 by hand');
    expect(label('breach-reasons')).toContain('Acknowledged after the deadline (acknowledgement) 2');
    // One document: no two charts share an element id.
    const ids = DomUtils.findAll((e) => Boolean(e.attribs.id), doc.children).map((e) => e.attribs.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has the tables behind the charts, captioned, with the month’s numbers', () => {
    expect(all('table').every((t) => DomUtils.getElementsByTagName('caption', t).length === 1)).toBe(true);
    expect(all('h1').map(text)).toEqual(['Monthly compliance report: November 2026']);
    expect(all('h2').map(text)).toEqual([
      'At a glance',
      'Daily volumes',
      'SLA attainment against target',
      'Response-time distribution',
      'Escalations and outcomes',
      'Top breach reasons',
      'Month over month',
      'Customer satisfaction',
      'Evidence: compliance exports',
      'Daily volumes, day by day',
    ]);
    expect(row('Cases received in November 2026, by channel and type', 'Month')).toEqual(['Month', '7', '3', '2', '1', '1', '5', '2']);
    // The link to the day-by-day table leads to its heading.
    const link = all('a')[0];
    expect(all('h2').some((h) => `#${h.attribs.id}` === link?.attribs.href)).toBe(true);

    const daily = 'Cases received each day of November 2026, by channel and type';
    expect(tableRows(daily)[0]).toEqual(['Day', 'Cases', 'web', 'email', 'phone', 'api', 'inquiry', 'complaint']);
    expect(row(daily, '2026-11-10')).toEqual(['2026-11-10', '2', '1', '1', '0', '0', '2', '0']);
    expect(row(daily, 'Month')).toEqual(['Month', '7', '3', '2', '1', '1', '5', '2']);
    expect(tableRows(daily)).toHaveLength(1 + 30 + 1);

    const sla = 'SLA attainment per milestone, November 2026';
    expect(row(sla, 'Acknowledgement (M3.1)')).toEqual(['Acknowledgement (M3.1)', '15 min', '3', '3', '0', '1', '50.0%', '100.0%', '−50.0 pts']);
    expect(row(sla, 'Initial response (M3.1, C3.1)')).toEqual(['Initial response (M3.1, C3.1)', '24 h', '4', '2', '0', '1', '66.7%', '100.0%', '−33.3 pts']);

    expect(tableRows('Cases by response time, November 2026').slice(1)).toEqual([['≤ 5 min', '3'], ['5–15 min', '0'], ['15–60 min', '2'], ['1–4 h', '0'], ['4–24 h', '0'], ['> 24 h', '0'], ['Not reached', '2']]);
    expect(row('Response times, November 2026 (nearest-rank percentiles)', 'First response')).toEqual(['First response', '5', '3 h', '30 h', '30 h']);
    expect(row('Escalations by ending, November 2026', 'Handed back to the representative')).toEqual(['Handed back to the representative', '1']);
    expect(row('Escalation figures, November 2026', 'Accepted in time (escalation response)')).toEqual(['Accepted in time (escalation response)', '1 of 3 (33.3%)']);
    expect(tableRows('Breached milestones by reason, November 2026')[1]).toEqual(['Acknowledged after the deadline', 'Acknowledgement', '2', '66.7%']);
    expect(row('November 2026 against October 2026', 'Acknowledgement attainment')).toEqual(['Acknowledgement attainment', '50.0%', '100.0%', '−50.0 pts', 'worse']);
    expect(row('Export manifests whose period overlaps November 2026', '#2')).toEqual(['#2', '2026-11-01_2026-11-15', '2026-11-16 00:30', '6', '1', '2'.repeat(64), 'local:test-key']);
    expect(text(doc as unknown as Element)).toContain('20 of 30 days covered by an export; not covered: 2026-11-21');
  });

  it('has a customer satisfaction table of the month against the previous month (M8.1, C7.1)', () => {
    const captions = all('caption').map(text);
    const caption = captions.find((c) => c.startsWith('CSAT of '));
    if (!caption) throw new Error(`no CSAT table; captions: ${captions.join(' | ')}`);
    expect(row(caption, 'Survey answers')).toEqual(['Survey answers', String(report.csat.current.answers), String(report.csat.previous.answers)]);
    expect(row(caption, 'Mean rating (1–5)')?.slice(1)).toEqual(['—', '—']);
  });

  it('has the response-quality reviews and the training tables when the report has them (M6.1, C6.3, C5.1–C5.3)', async () => {
    const withQuality = {
      ...report,
      qualityReviews: {
        replies: 40,
        sampled: 6,
        scored: 5,
        pending: 1,
        failed: 1,
        meanOverall: 3.12,
        byCriterion: [
          { criterion: 'accuracy' as const, mean: 3.2 },
          { criterion: 'relevance' as const, mean: 3 },
          { criterion: 'completeness' as const, mean: null },
          { criterion: 'tone' as const, mean: 3.4 },
          { criterion: 'protocolAdherence' as const, mean: 2.9 },
        ],
        agentWeeks: 8,
        agentWeeksSampled: 6,
        failedBy: [{ staffId: 'agent-b', failed: 1 }],
      },
      training: {
        at: '2026-11-30T23:59:59.999Z',
        representatives: 3,
        courses: [{ courseId: 'complaint-handling', title: 'Complaint <handling>', requiredForCases: true, current: 1, dueSoon: 1, lapsed: 1, neverTrained: 0 }],
        requiredMissing: [{ staffId: 'agent-c', courses: ['complaint-handling'] }],
      },
    };
    const page = parseDocument(await renderMonthlyReportHtml(withQuality));
    const rows = (caption: string) => {
      const table = DomUtils.getElementsByTagName('table', page).find((t) => DomUtils.getElementsByTagName('caption', t).some((c) => text(c) === caption));
      if (!table) throw new Error(`no table captioned ${caption}`);
      return DomUtils.getElementsByTagName('tr', table).map((tr) => DomUtils.getChildren(tr).filter((c): c is Element => DomUtils.isTag(c)).map(text));
    };
    const find = (caption: string, first: string) => rows(caption).find((r) => r[0] === first);
    expect(find('Replies and calls of November 2026 sampled and scored (M6.1)', 'Sampled for review')).toEqual(['Sampled for review', '6']);
    expect(find('Replies and calls of November 2026 sampled and scored (M6.1)', '… with at least one reply sampled')).toEqual(['… with at least one reply sampled', '6 (75.0%)']);
    expect(find('Mean scores of the scored reviews (1 to 4)', 'Completeness')).toEqual(['Completeness', '—']);
    expect(find('Mean scores of the scored reviews (1 to 4)', 'Overall')).toEqual(['Overall', '3.12']);
    expect(find('Representatives with a failed review this month', 'agent-b')).toEqual(['agent-b', '1']);
    // The course's title is the admin's text: shown as text, never as markup.
    expect(find('Training of the 3 representatives at 2026-11-30 (C5.1, C5.2)', 'Complaint <handling>')).toEqual(['Complaint <handling>', 'yes', '1', '1', '1', '0']);
    expect(find('Representatives the assignment guard applied to: required training lapsed or never taken (C5.3)', 'agent-c')).toEqual(['agent-c', 'complaint-handling']);
    // A report made without them has neither section.
    expect(all('h2').map(text)).not.toContain('Response-quality reviews');
    expect(all('h2').map(text)).not.toContain('Training and refreshers');
  }, 60_000);

  it('prints on A4 with its own print rules', () => {
    const css = all('style').map(text).join('\n');
    expect(css).toContain('@page { size: A4');
    expect(css).toMatch(/@media print \{/);
  });

  it('holds no personal data (M5.1, C6.1)', () => {
    expect(html).not.toContain(CUSTOMER.name);
    expect(html).not.toContain(CUSTOMER.email);
    expect(html).not.toContain('SECRET');
  });

  it('is the same bytes for the same report', async () => {
    expect(await renderMonthlyReportHtml(report)).toBe(html);
  }, 60_000);

  it('writes durations for people', () => {
    expect([0, 45_000, 12 * 60_000, 200 * 60_000, 52 * 3_600_000, null].map(formatDuration)).toEqual(['0 s', '45 s', '12 min', '3 h 20 min', '2 d 4 h', '—']);
  });
});
