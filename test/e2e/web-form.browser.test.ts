/**
 * The customer contact form (web/index.html, web/form.js) in a real browser, against the whole
 * local stack as `npm start` runs it: Debian's Chromium driven by playwright-core.
 * Run with `npx jest -c jest.browser.config.js`; `bash scripts/ensure-chromium.sh` installs Chromium.
 * Screenshots land in /tmp/caseflow-*.png.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from '../support/eventually';
import { startStackProcess, type RunningStack } from '../support/local-stack-process';
import { chromium, type Browser, type BrowserContext, type Page, type Request } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const REFERENCE = /^CS-[0-9A-Z]{6}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

interface Endpoints {
  web: string;
  outbox: string;
  token: string;
  api: string;
  pid: number;
}
interface CreatedCase {
  caseId: string;
  reference: string;
  type: string;
  acknowledgementDueAt: string;
  initialResponseDueAt: string;
}
interface CapturedEmail {
  subject: string;
  destination: { to: string[] };
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

let dataDir: string;
let stack: RunningStack | undefined;
let endpoints: Endpoints;
let origin: string;
let browser: Browser;
const contexts: BrowserContext[] = [];
/** Uncaught errors and console errors (CSP violations among them) per page. */
const pageProblems = new Map<Page, string[]>();

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests drive Debian's Chromium at ${CHROMIUM}, which is missing: run 'bash scripts/ensure-chromium.sh'.`);
  }
  dataDir = mkdtempSync(join(tmpdir(), 'caseflow-web-form-'));
  stack = await startStackProcess(dataDir, ['--fresh']);
  endpoints = stack.endpoints;
  origin = new URL(endpoints.web).origin;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await stack?.stop();
  if (endpoints?.pid) await eventually(() => (isAlive(endpoints.pid) ? undefined : true), 20_000, 'the local stack stops');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function openForm(options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 }, ...options });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  pageProblems.set(page, problems);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A 4xx answer is logged as a failed resource load: expected here, and asserted on its own.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console error: ${message.text()}`);
  });
  await page.goto(`${origin}/`);
  return page;
}

const uniqueEmail = (label: string) => `${label}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;

async function fillForm(page: Page, fields: { type?: 'inquiry' | 'complaint'; email: string; subject: string }) {
  if (fields.type === 'complaint') await page.getByRole('radio', { name: /A complaint/ }).check();
  await page.getByLabel('Full name').fill('Grace Hopper');
  await page.getByLabel('Email address').fill(fields.email);
  await page.getByLabel('Phone number').fill('+44 20 7946 0958');
  await page.getByLabel('Order number').fill('ORD-77123');
  await page.getByLabel('Subject').fill(fields.subject);
  await page.getByLabel('Message').fill('The parcel was marked as delivered on Monday, but it never arrived. Please send a replacement.');
  await page.getByRole('checkbox', { name: /I agree/ }).check();
}

const isCasePost = (request: Request) => request.method() === 'POST' && new URL(request.url()).pathname === '/v1/cases';

async function staffCases(): Promise<{ reference: string; subject: string }[]> {
  const tokenRes = await fetch(endpoints.token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: 'browser-test', groups: ['agents'] }),
  });
  const { token } = (await tokenRes.json()) as { token: string };
  const res = await fetch(`${endpoints.api}/cases?limit=100`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: { reference: string; subject: string }[] }).items;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).textContent()) ?? '').trim();
const activeId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

describe('the contact form', () => {
  it('opens a complaint with JavaScript, shows its reference and due times, and the acknowledgement email arrives (M3.1, M3.2, C3.3)', async () => {
    const page = await openForm({ locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    const key = await page.inputValue('#idempotencyKey');
    expect(key).toMatch(UUID);

    const email = uniqueEmail('grace');
    await fillForm(page, { type: 'complaint', email, subject: 'Parcel marked delivered but missing' });
    await page.screenshot({ path: '/tmp/caseflow-form-filled.png', fullPage: true });

    const [request, response] = await Promise.all([
      page.waitForRequest(isCasePost),
      page.waitForResponse((r) => isCasePost(r.request())),
      page.getByRole('button', { name: 'Send your request' }).click(),
    ]);
    expect(request.headers()['content-type']).toBe('application/json');
    expect(request.headers()['idempotency-key']).toBe(key);
    expect(response.status()).toBe(201);
    const created = (await response.json()) as CreatedCase;
    expect(created.type).toBe('complaint');

    await page.locator('#success').waitFor({ state: 'visible' });
    expect(await text(page, '[data-testid="reference"]')).toBe(created.reference);
    expect(created.reference).toMatch(REFERENCE);
    expect(await text(page, '#success-title')).toBe('Thank you, we have your complaint');
    expect(await activeId(page)).toBe('success');
    expect(await page.locator('#contact-form').isHidden()).toBe(true);
    expect(await page.locator('#success-complaint-note').isVisible()).toBe(true);
    // The due times are the API's instants, shown in the customer's time zone and locale.
    expect(await page.locator('#acknowledgement-due').getAttribute('datetime')).toBe(created.acknowledgementDueAt);
    expect(await page.locator('#initial-response-due').getAttribute('datetime')).toBe(created.initialResponseDueAt);
    const berlinTime = (iso: string) =>
      new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Berlin' }).format(new Date(iso));
    expect(await text(page, '#acknowledgement-due')).toContain(berlinTime(created.acknowledgementDueAt));
    expect(await text(page, '#initial-response-due')).toContain(berlinTime(created.initialResponseDueAt));
    await page.screenshot({ path: '/tmp/caseflow-form-success.png', fullPage: true });

    const acknowledgement = await eventually(
      async () => {
        const res = await fetch(`${endpoints.outbox}?to=${encodeURIComponent(email)}`);
        const { emails } = (await res.json()) as { emails: CapturedEmail[] };
        return emails.find((e) => e.subject.includes(created.reference));
      },
      30_000,
      `the acknowledgement email for ${created.reference}`,
    );
    expect(acknowledgement.destination.to).toEqual([email]);

    // "Submit another request" brings back an empty form with a fresh Idempotency-Key.
    await page.getByRole('button', { name: 'Submit another request' }).click();
    await page.locator('#contact-form').waitFor({ state: 'visible' });
    expect(await page.locator('#success').isHidden()).toBe(true);
    expect(await page.inputValue('#name')).toBe('');
    expect(await page.getByRole('checkbox', { name: /I agree/ }).isChecked()).toBe(false);
    const nextKey = await page.inputValue('#idempotencyKey');
    expect(nextKey).toMatch(UUID);
    expect(nextKey).not.toBe(key);
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('names each missing field inline and in a focused summary, and opens no case (M5.1)', async () => {
    const before = await staffCases();
    const page = await openForm();

    const [response] = await Promise.all([
      page.waitForResponse((r) => isCasePost(r.request())),
      page.getByRole('button', { name: 'Send your request' }).click(),
    ]);
    expect(response.status()).toBe(400);
    await page.locator('#error-summary').waitFor({ state: 'visible' });
    expect(await activeId(page)).toBe('error-summary');

    const expected: Record<string, RegExp> = {
      name: /Name is required/,
      email: /Email is required/,
      subject: /Subject is required/,
      message: /Message is required/,
      privacyConsent: /Privacy consent is required/,
    };
    for (const [field, message] of Object.entries(expected)) {
      const error = page.locator(`#${field}-error`);
      expect(await error.isVisible()).toBe(true);
      expect(await error.textContent()).toMatch(message);
      expect(await page.locator(`#${field}`).getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator(`#${field}`).getAttribute('aria-describedby')).toContain(`${field}-error`);
    }
    for (const field of ['phone', 'orderReference', 'type']) expect(await page.locator(`#${field}-error`).isHidden()).toBe(true);
    const summaryItems = await page.locator('#error-summary-list a').allTextContents();
    expect(summaryItems).toHaveLength(Object.keys(expected).length);
    expect(await page.getByRole('button', { name: 'Send your request' }).isEnabled()).toBe(true);
    await page.screenshot({ path: '/tmp/caseflow-form-errors.png', fullPage: true });

    // A summary entry takes the customer to its field.
    await page.locator('#error-summary-list a', { hasText: 'Email is required' }).click();
    expect(await activeId(page)).toBe('email');

    expect((await staffCases()).length).toBe(before.length);
    expect(pageProblems.get(page)).toEqual([]);
  });

  it('opens one case when the button is double-clicked and the first answer is lost on the way back', async () => {
    const page = await openForm();
    const key = await page.inputValue('#idempotencyKey');
    const subject = `Double click ${Date.now()}`;
    await fillForm(page, { email: uniqueEmail('double'), subject });

    const sentKeys: (string | undefined)[] = [];
    let lost: CreatedCase | undefined;
    await page.route(`${origin}/v1/cases`, async (route) => {
      sentKeys.push(route.request().headers()['idempotency-key']);
      if (sentKeys.length === 1) {
        // The server opens the case, but the answer never reaches the browser.
        lost = (await (await route.fetch()).json()) as CreatedCase;
        await route.abort('connectionreset');
        return;
      }
      await route.continue();
    });
    const replayed = page.waitForResponse((r) => isCasePost(r.request()) && r.status() === 201);
    await page.getByRole('button', { name: 'Send your request' }).dblclick();
    expect((await replayed).headers()['idempotent-replayed']).toBe('true');

    await page.locator('#success').waitFor({ state: 'visible' });
    expect(lost?.reference).toMatch(REFERENCE);
    expect(await text(page, '[data-testid="reference"]')).toBe(lost?.reference);
    expect(sentKeys).toEqual([key, key]); // one request per click that counted, plus one retry, same key
    expect((await staffCases()).filter((c) => c.subject === subject)).toHaveLength(1);
  });

  it('shows the case an unanswered attempt opened when the form is edited and sent again', async () => {
    const page = await openForm();
    const subject = `Edited after a dropped connection ${Date.now()}`;
    await fillForm(page, { email: uniqueEmail('edited'), subject });

    let lost: CreatedCase | undefined;
    await page.route(`${origin}/v1/cases`, async (route) => {
      if (!lost) {
        lost = (await (await route.fetch()).json()) as CreatedCase;
        await route.abort('connectionreset');
      } else {
        await route.abort('internetdisconnected'); // the automatic retries fail as well
      }
    });
    await page.getByRole('button', { name: 'Send your request' }).click();
    await page.locator('#error-summary').waitFor({ state: 'visible' });
    expect(await text(page, '#error-summary-text')).toMatch(/did not get an answer/);
    await page.unroute(`${origin}/v1/cases`);

    await page.getByLabel('Message').fill('Adding a detail after the connection dropped.');
    await page.getByRole('button', { name: 'Send your request' }).click();
    await page.locator('#success').waitFor({ state: 'visible' });
    expect(await text(page, '[data-testid="reference"]')).toBe(lost?.reference);
    expect(await text(page, '#success-earlier-note')).toMatch(/already received your request/);
    expect((await staffCases()).filter((c) => c.subject === subject)).toHaveLength(1);
  });

  it('opens a case without JavaScript and shows the server confirmation page with the reference', async () => {
    const page = await openForm({ javaScriptEnabled: false });
    expect(await page.inputValue('#idempotencyKey')).toBe('');
    await fillForm(page, { email: uniqueEmail('nojs'), subject: 'Question about my invoice' });

    const [request, response] = await Promise.all([
      page.waitForRequest(isCasePost),
      page.waitForResponse((r) => isCasePost(r.request())),
      page.getByRole('button', { name: 'Send your request' }).click(),
    ]);
    expect(request.headers()['content-type']).toBe('application/x-www-form-urlencoded');
    expect(response.status()).toBe(201);
    await page.waitForURL(`${origin}/v1/cases`);
    const reference = await text(page, '[data-testid="reference"]');
    expect(reference).toMatch(REFERENCE);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thank you, we have your request');
    await page.screenshot({ path: '/tmp/caseflow-nojs-confirmation.png', fullPage: true });
  });
});
