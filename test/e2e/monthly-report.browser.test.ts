/**
 * The monthly report's page in a real browser: Debian's Chromium driven by playwright-core, the page
 * generated here from the hand-built month (test/support/monthly-report-fixture.ts) and opened with
 * nothing to fetch. Its charts are visible SVG images named by their summaries, its tables hold the
 * month's numbers, axe-core finds nothing serious, it prints to PDF; the screenshot for
 * docs/reports.md goes to docs/images/monthly-report.png (CASEFLOW_SCREENSHOTS names another
 * directory).
 */
import AxeBuilder from '@axe-core/playwright';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderMonthlyReportHtml } from '../../functions/adapters/report-html';
import { renderReportPdf } from '../../functions/adapters/report-pdf';
import { computeMonthlyReport } from '../../functions/core/monthly-report';
import { ALL_RECORDS, AS_OF, MANIFESTS, MONTH } from '../support/monthly-report-fixture';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = resolve(process.env.CASEFLOW_SCREENSHOTS ?? join(__dirname, '..', '..', 'docs', 'images'));

let browser: Browser;
let html: string;
let page: Page;
/** Every request the page tried: none may leave it. */
const requests: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}, which is missing: run 'bash scripts/ensure-chromium.sh'.`);
  html = await renderMonthlyReportHtml(computeMonthlyReport({ month: MONTH, asOf: AS_OF, records: ALL_RECORDS, manifests: MANIFESTS }));
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 1500 } });
  await context.route('**/*', (route) => {
    requests.push(route.request().url());
    return route.abort();
  });
  page = await context.newPage();
  await page.setContent(html, { waitUntil: 'load' });
});

afterAll(async () => {
  await browser?.close();
});

describe('the monthly report in Chromium', () => {
  it('shows every chart as a visible SVG image named by its summary, and fetches nothing', async () => {
    const charts = page.locator('svg[role="img"]');
    expect(await charts.count()).toBe(7);
    for (const chart of await charts.all()) {
      await expect(chart.isVisible()).resolves.toBe(true);
      const box = await chart.boundingBox();
      expect(box?.width).toBeGreaterThan(300);
      expect(box?.height).toBeGreaterThan(80);
    }
    await expect(page.getByRole('img', { name: /^Daily volumes, November 2026: 7 cases received over 30 days/ }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('img', { name: /^SLA attainment against target, November 2026: Acknowledgement 50\.0% \(target 100\.0%/ }).isVisible()).resolves.toBe(true);
    await expect(page.getByRole('img', { name: /^Top breach reasons, November 2026: Acknowledged after the deadline \(acknowledgement\) 2/ }).isVisible()).resolves.toBe(true);
    // The bars are drawn: one of some height for each channel of each day with cases (the 2nd and the 10th two each; the 3rd, 5th and 30th one).
    expect(await page.$$eval('#chart-volumes .mark-rect path', (bars) => bars.filter((b) => (b as SVGGraphicsElement).getBBox().height > 0).length)).toBe(7);
    expect(requests).toEqual([]);
  });

  it('shows the month’s numbers in the tables behind the charts', async () => {
    const cells = (caption: string, row: string) => page.getByRole('table', { name: caption }).getByRole('row', { name: new RegExp(`^${row}\\b`) }).getByRole('cell').allInnerTexts();
    expect(await cells('Cases received each day of November 2026, by channel and type', 'Month')).toEqual(['7', '3', '2', '1', '1', '5', '2']);
    expect(await cells('SLA attainment per milestone, November 2026', 'Initial response')).toEqual(['24 h', '4', '2', '0', '1', '66.7%', '100.0%', '−33.3 pts']);
    expect(await cells('Escalations by ending, November 2026', 'Still open')).toEqual(['1']);
    expect(await cells('November 2026 against October 2026', 'Cases received')).toEqual(['7', '2', '+5', '']);
    await expect(page.getByText('20 of 30 days covered by an export').isVisible()).resolves.toBe(true);
  });

  it('has no serious or critical accessibility violations', async () => {
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(serious).toEqual([]);
  });

  it('prints to a PDF of several A4 pages', async () => {
    const pdf = await renderReportPdf(html, { executablePath: CHROMIUM });
    if (!pdf.produced) throw new Error(pdf.reason);
    const text = Buffer.from(pdf.bytes).toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    // A4 is 210 × 297 mm: 595 × 842 points, as Chromium rounds them.
    const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
    expect([Math.round(Number(box?.[1])), Math.round(Number(box?.[2]))]).toEqual([595, 842]);
    expect(Number(/\/Count (\d+)/.exec(text)?.[1])).toBeGreaterThan(1);
  });

  it('is what docs/images/monthly-report.png shows', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const file = join(SCREENSHOTS, 'monthly-report.png');
    await page.screenshot({ path: file });
    expect(existsSync(file)).toBe(true);
  });
});
