/**
 * The README's console screenshots (docs/images/console-*.png), taken from a local stack filled
 * with the demo data (`npm start -- --demo`), in Debian's Chromium at 1280x800:
 *
 *   npm run screenshots
 */
import '../local/polyfills';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { startStackProcess } from '../test/support/local-stack-process';

const OUT = resolve(__dirname, '..', 'docs', 'images');
const CHROMIUM = '/usr/bin/chromium';

async function waitFor(probe: () => boolean, timeoutMs: number, what: string) {
  for (const deadline = Date.now() + timeoutMs; !probe(); ) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'caseflow-screenshots-'));
  const stack = await startStackProcess(dataDir, ['--fresh', '--demo'], 120_000);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    await waitFor(() => /demo: \d+ cases in [\d.]+ s/.test(stack.output()), 180_000, 'the demo data');
    const origin = new URL(stack.endpoints.web).origin;
    const shot = async (page: Page, name: string) => {
      await page.waitForLoadState('networkidle');
      await page.screenshot({ path: join(OUT, `console-${name}.png`) });
      console.log(`docs/images/console-${name}.png`);
    };
    const signedIn = async (name: string) => {
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
      await page.goto(`${origin}/console/`);
      await page.getByRole('button', { name: `Sign in as ${name}`, exact: true }).click();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      return page;
    };

    const signIn = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn.goto(`${origin}/console/`);
    await signIn.getByRole('heading', { name: 'Sign in to caseflow' }).waitFor();
    await shot(signIn, 'sign-in');

    const agent = await signedIn('Ada Agent');
    await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Breaching soonest', exact: true }).click();
    await agent.locator('table tbody tr').first().waitFor();
    await shot(agent, 'queue');
    // The open case with the longest history, escalated if one is.
    const minted = await fetch(stack.endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: 'ada-agent', groups: ['agents'] }) });
    const auth = { authorization: `Bearer ${((await minted.json()) as { token: string }).token}` };
    const open = ((await (await fetch(`${stack.endpoints.api}/cases?queue=all&limit=100`, { headers: auth })).json()) as { items: { caseId: string }[] }).items;
    let best = { caseId: '', score: -1 };
    for (const { caseId } of open) {
      const detail = (await (await fetch(`${stack.endpoints.api}/cases/${caseId}`, { headers: auth })).json()) as { case: { escalation?: unknown }; timeline: unknown[] };
      const score = detail.timeline.length + (detail.case.escalation ? 5 : 0);
      if (score > best.score) best = { caseId, score };
    }
    await agent.goto(`${origin}/console/#/cases/${best.caseId}`);
    await agent.getByRole('list', { name: 'Timeline' }).waitFor();
    await shot(agent, 'case');

    const supervisor = await signedIn('Sofia Supervisor');
    await supervisor.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Escalations', exact: true }).click();
    await supervisor.getByRole('table', { name: 'Escalations' }).waitFor();
    await shot(supervisor, 'escalations');
  } finally {
    await browser.close();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
