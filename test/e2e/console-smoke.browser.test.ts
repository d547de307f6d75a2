/**
 * The staff console's smoke test in a real browser, against the whole local stack as `npm start`
 * runs it (Debian's Chromium driven by playwright-core): it is served at /console/ with its
 * security headers, the sign-in page lists the seeded staff, and signing in shows the agent's queue.
 * Run with `npx jest -c jest.browser.config.js test/e2e/console-smoke.browser.test.ts`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

interface StaffEntry {
  id: string;
  name: string;
  roles: string[];
}

let dataDir: string;
let stack: RunningStack | undefined;
let origin: string;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}, which is missing: run 'bash scripts/ensure-chromium.sh'.`);
  dataDir = mkdtempSync(join(tmpdir(), 'caseflow-console-'));
  stack = await startStackProcess(dataDir, ['--fresh']);
  origin = new URL(stack.endpoints.web).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function seededStaff(): Promise<StaffEntry[]> {
  const res = await fetch(`${origin}/local/staff`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as StaffEntry[] | { items: StaffEntry[] };
  return Array.isArray(body) ? body : body.items;
}

/** A console page that records page errors, console errors (CSP violations among them) and every request that leaves the stack's origin. */
async function openConsole(): Promise<{ page: Page; problems: string[]; outside: string[] }> {
  context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const outside: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== origin) outside.push(request.url());
  });
  return { page, problems, outside };
}

describe('the staff console', () => {
  it('is served at /console/ with a CSP that allows no inline script or style, and its configuration is never cached', async () => {
    const redirect = await fetch(`${origin}/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/console/');

    const index = await fetch(`${origin}/console/`);
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    expect(index.headers.get('cache-control')).toBe('no-store');
    const html = await index.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|\sstyle=/);

    const config = await fetch(`${origin}/console/config.json`);
    expect(config.headers.get('cache-control')).toBe('no-store');
    expect(await config.json()).toEqual({ apiBase: '/v1', auth: { kind: 'local', tokenEndpoint: '/local/token', staffEndpoint: '/local/staff' } });
  });

  it('lists the seeded staff on its sign-in page, and signing in as an agent shows their cases', async () => {
    const staff = await seededStaff();
    const agent = staff.find((p) => p.roles.includes('agents'));
    expect(agent).toBeDefined();
    if (!agent) return;

    const { page, problems, outside } = await openConsole();
    await page.goto(`${origin}/console/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in to caseflow' }).waitFor();
    for (const person of staff) await expect(page.getByRole('button', { name: `Sign in as ${person.name}`, exact: true }).count()).resolves.toBe(1);
    await page.screenshot({ path: '/tmp/caseflow-console-sign-in.png' });

    await page.getByRole('button', { name: `Sign in as ${agent.name}`, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My cases', exact: true }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const link of ['My cases', 'Unassigned', 'Breaching soonest', 'All open']) await expect(nav.getByRole('link', { name: link, exact: true }).count()).resolves.toBe(1);
    await expect(nav.getByRole('link', { name: 'Escalations', exact: true }).count()).resolves.toBe(0);
    await expect(page.getByText(agent.name, { exact: true }).count()).resolves.toBeGreaterThan(0);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBe(1);
    // The URL holds the queue's name alone.
    expect(new URL(page.url()).hash).toBe('#/queues/mine');
    await page.screenshot({ path: '/tmp/caseflow-console-my-cases.png' });

    expect(problems).toEqual([]);
    expect(outside).toEqual([]);
  });
});
