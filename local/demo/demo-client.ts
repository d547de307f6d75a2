import { createTransport, type Transporter } from 'nodemailer';
import { LOCAL_NAMES } from '../resources';
import { SEEDED_STAFF } from '../seeded-staff';
import type { DemoCase } from './demo-plan';

/** The local stack's addresses the demo uses (endpoints.json has them all). */
export interface DemoTarget {
  api: string;
  token: string;
  smtp: string;
  clock: string;
  outbox: string;
}

/** A request the stack refused: its method, route and status, never the customer data sent. */
export class DemoRequestError extends Error {
  constructor(what: string, status: number, detail: string) {
    super(`${what} answered ${status}${detail ? `: ${detail}` : ''}`);
    this.name = 'DemoRequestError';
  }
}

type Json = Record<string, unknown>;

/** Polls `check` until it gives a value; the demo waits on the stack's background work (mail, ingestion) this way. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`the demo gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/**
 * The demo's way into a running local stack: the public web form's JSON, the staff API with the
 * seeded staff's tokens, SMTP into the SES inbound stand-in, and the local clock.
 */
export class DemoClient {
  private readonly tokens = new Map<string, Promise<string>>();
  private readonly mail: Transporter;
  /** Makes this run's Message-IDs its own: a second demo's mail is new mail, not a redelivery. */
  private readonly run = Date.now().toString(36);

  constructor(private readonly target: DemoTarget) {
    const smtp = new URL(target.smtp);
    this.mail = createTransport({ host: smtp.hostname, port: Number(smtp.port), secure: false, ignoreTLS: true, pool: true, maxConnections: 4 });
  }

  close(): void {
    this.mail.close();
  }

  /** A token of a seeded staff member (local/seeded-staff.ts), minted once. */
  tokenOf(staffId: string): Promise<string> {
    let token = this.tokens.get(staffId);
    if (!token) {
      const member = SEEDED_STAFF.find((m) => m.id === staffId);
      if (!member) throw new Error(`no seeded staff member ${staffId}`);
      token = this.send('POST', this.target.token, 'POST /local/token', { sub: member.id, groups: member.roles, name: member.name, email: member.email, expiresInSeconds: 86_400 }).then((b) => String(b.token));
      this.tokens.set(staffId, token);
    }
    return token;
  }

  private async send(method: string, url: string, what: string, body?: unknown, token?: string): Promise<Json> {
    const res = await fetch(url, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : {}) as Json;
    if (!res.ok) throw new DemoRequestError(what, res.status, typeof parsed.error === 'string' ? parsed.error : '');
    return parsed;
  }

  /** A staff call to the API (`path` under /v1), as `staffId`. */
  async api(staffId: string, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<Json> {
    const what = `${method} /v1${path.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{caseId}')}`;
    return this.send(method, `${this.target.api}${path}`, what, body, await this.tokenOf(staffId));
  }

  /** A customer fills in the web form (its JSON form). */
  async openWebCase(c: DemoCase): Promise<string> {
    const body = { type: c.type, name: c.customer.name, email: c.customer.email, phone: c.customer.phone, subject: c.subject, message: c.message, privacyConsent: true };
    return String((await this.send('POST', `${this.target.api}/cases`, 'POST /v1/cases', body)).caseId);
  }

  /** An agent takes a call and opens its case. */
  async openPhoneCase(c: DemoCase): Promise<string> {
    const transcript = `Agent: Customer service, how can I help?\nCustomer: ${c.message}\nAgent: I have opened a case for you and will come back to you.`;
    const out = await this.api(c.agent, 'POST', '/calls', {
      type: c.type,
      priority: c.priority,
      customer: { name: c.customer.name, email: c.customer.email, phone: c.customer.phone },
      subject: c.subject,
      message: c.message,
      call: { direction: 'inbound', durationSeconds: 120 + c.index * 7, transcript },
    });
    return String((out.case as Json).caseId);
  }

  /** A customer emails support (complaints go to the complaints address), with their files. */
  async sendEmail(c: DemoCase): Promise<void> {
    await this.mail.sendMail({
      from: { name: c.customer.name, address: c.customer.email },
      to: c.type === 'complaint' ? LOCAL_NAMES.complaintsEmail : LOCAL_NAMES.senderEmail,
      subject: c.subject,
      text: `Hello,\n\n${c.message}\n\nKind regards,\n${c.customer.name}`,
      messageId: `<demo-${c.index + 1}.${this.run}@mail.example.com>`,
      attachments: c.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      // The local SMTP listener stands in for SES without its checks: this is the verdict SES's own header would carry.
      ...(c.unverifiedSender ? { headers: { 'Authentication-Results': 'amazonses.com; spf=fail smtp.mailfrom=example.com; dkim=none; dmarc=fail header.from=example.com' } } : {}),
    });
  }

  /** The case a customer's email opened (the search takes the address in the body, never in a URL). */
  async caseOfEmail(email: string): Promise<string | undefined> {
    const out = await this.api('ada-agent', 'POST', '/cases/search', { email });
    const [first] = out.items as Json[];
    return first ? String(first.caseId) : undefined;
  }

  /** Mail the SMTP listener accepted and ingestion has not finished with yet. */
  async pendingIngestions(): Promise<number> {
    const out = await this.send('GET', this.target.outbox.replace(/\/outbox$/, '/health'), 'GET /local/health').catch(() => ({ standIns: {} }) as Json);
    const smtp = (out.standIns as Record<string, { pendingIngestions?: number }> | undefined)?.smtp;
    return smtp?.pendingIngestions ?? 0;
  }

  /** Everyone the SES stand-in has mailed so far, lower case. */
  async mailedAddresses(): Promise<Set<string>> {
    const out = await this.send('GET', this.target.outbox, 'GET /local/outbox');
    // A recipient may be written `Name <address>`.
    const address = (to: string) => (/<([^>]+)>/.exec(to)?.[1] ?? to).trim().toLowerCase();
    return new Set((out.emails as { destination: { to: string[] } }[]).flatMap((m) => m.destination.to.map(address)));
  }

  /** True when the stack holds any case already (the demo fills a fresh system). */
  async hasCases(): Promise<boolean> {
    for (const status of ['open', 'resolved', 'closed']) {
      const page = await this.api('alex-auditor', 'GET', `/cases?queue=all&status=${status}&limit=1`);
      if ((page.items as unknown[]).length > 0) return true;
    }
    return false;
  }

  async advanceClock(hours: number): Promise<void> {
    await this.send('POST', `${this.target.clock}/advance`, 'POST /local/clock/advance', { hours });
  }
}
