import { existsSync } from 'node:fs';
import type { PdfOutcome } from '../core/monthly-report-delivery';

/**
 * The monthly report's PDF: its page printed by headless Chromium through playwright-core, with the
 * page's print CSS (A4). Only where a Chromium is installed: on a laptop or CI (Debian's
 * `/usr/bin/chromium`, as the browser tests use; scripts/ensure-chromium.sh), or wherever
 * CASEFLOW_CHROMIUM names one. A Lambda function has none: there the report is the HTML page alone
 * and the outcome says why (docs/reports.md: run `npm run caseflow -- report` where Chromium is,
 * or give the function a Chromium layer and CASEFLOW_CHROMIUM).
 */

export const NO_CHROMIUM = 'PDF not produced: no Chromium';

/** Where a Chromium may be, in order. */
export function chromiumCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.CASEFLOW_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter((p): p is string => Boolean(p));
}

export const findChromium = (env: NodeJS.ProcessEnv = process.env): string | undefined => chromiumCandidates(env).find((p) => existsSync(p));

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Prints the page to PDF, or says why not. The page is whole as it is: any request it made would be refused. */
export async function renderReportPdf(html: string, opts: { executablePath?: string | undefined } = {}): Promise<PdfOutcome> {
  const executablePath = opts.executablePath ?? findChromium();
  if (!executablePath) return { produced: false, reason: NO_CHROMIUM };
  // Loaded only where a Chromium runs: a Lambda bundle never needs it.
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await context.route('**/*', (route) => route.abort());
    const page = await context.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
    return { produced: true, bytes: new Uint8Array(pdf) };
  } finally {
    await browser.close();
  }
}
