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
/**
 * Where the browser tests' screenshots go: /tmp, or the directory CASEFLOW_SCREENSHOTS names. The
 * README's console screenshots are not these: `npm run screenshots` (scripts/console-screenshots.ts)
 * takes them from the demo data and writes docs/images itself.
 */
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

/** A case the web form made. */
export interface Created {
  caseId: string;
  reference: string;
}

/** The local stack's addresses the browser tests call besides the page: the API and the local issuer's token endpoint. */
export interface StackEndpoints {
  api: string;
  token: string;
}

/** A customer's case through the web form's API (an inquiry unless `type` says otherwise); 201 expected. */
export async function submitWebForm(endpoints: StackEndpoints, fields: { type?: 'inquiry' | 'complaint'; name: string; email: string; subject: string; message: string }): Promise<Created> {
  const res = await fetch(`${endpoints.api}/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ type: 'inquiry', ...fields, privacyConsent: true }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Created;
}

/** The staff API as `user` (a token from the local issuer): what the console cannot do by itself, or faster. */
export async function apiAs(endpoints: StackEndpoints, user: StaffUser, method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const minted = await fetch(endpoints.token, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ sub: user.id, groups: user.roles, name: user.name }) });
  const { token } = (await minted.json()) as { token: string };
  const res = await fetch(`${endpoints.api}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}
