import AxeBuilder from '@axe-core/playwright';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';

/**
 * What the staff console's browser tests share: Debian's Chromium and how it is started, where
 * screenshots go, the local sign-in page's seeded staff, signing in as one of them, and the
 * accessibility check every screen passes (no serious or critical axe-core violation).
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** /tmp, or docs/images when CASEFLOW_SCREENSHOTS=docs/images (`npm run screenshots`). */
export const SCREENSHOTS = resolve(process.env.CASEFLOW_SCREENSHOTS ?? tmpdir());

/** A seeded staff member, as GET /local/staff lists them. */
export interface StaffUser {
  id: string;
  name: string;
  email?: string;
  roles: string[];
}

export function requireChromium(): void {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}, which is missing: run 'bash scripts/ensure-chromium.sh'.`);
}

/** Signs in on the local sign-in page as a seeded staff member, and waits for the console. */
export async function signIn(page: Page, origin: string, user: StaffUser): Promise<void> {
  await page.goto(`${origin}/console/`);
  await page.getByRole('heading', { name: 'Sign in to caseflow' }).waitFor();
  await page.getByRole('button', { name: `Sign in as ${user.name}`, exact: true }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

/** No serious or critical WCAG 2.1 A/AA violation on the screen as it stands. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${screen}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious).toEqual([]);
}
