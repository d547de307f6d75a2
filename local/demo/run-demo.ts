import { CaseStatusSchema, type CaseStatus } from '../../functions/core/case';
import { forEachBounded } from './bounded-concurrency';
import { COMPLETE_CHECKLIST } from './demo-catalogue';
import { DemoClient, waitFor, type DemoTarget } from './demo-client';
import type { DemoCase, DemoPlan } from './demo-plan';

const SUPERVISOR = 'sofia-supervisor';

export interface DemoReport {
  seconds: number;
  cases: number;
  byStatus: Partial<Record<CaseStatus, number>>;
  byType: Record<string, number>;
  byChannel: Record<string, number>;
  escalated: number;
  breached: number;
  withFiles: number;
  /** What the stack refused (method, route, status and its message): a demo that works has none. */
  failures: string[];
}

export interface RunDemoOptions {
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
}

/** Where staff take one case, as its plan says: claim or assignment, notes, calls, replies, escalations, resolutions. */
async function work(client: DemoClient, c: DemoCase, caseId: string): Promise<void> {
  if (c.outcome === 'untouched') return;
  const agent = c.agent;
  const on = (who: string, suffix: string, body: unknown = {}, method: 'POST' | 'PATCH' | 'DELETE' = 'POST') => client.api(who, method, `/cases/${caseId}/${suffix}`, body);

  // A phone case is its agent's already; others are claimed, or given out by the supervisor.
  if (c.channel !== 'phone') {
    if (c.index % 5 === 0) await on(SUPERVISOR, 'assignment', { assigneeId: agent, reason: 'Balancing the queue' });
    else await on(agent, 'claim');
  }
  if (c.outcome === 'acknowledged') {
    // Others were acknowledged automatically (or, by phone, by the call itself).
    if (c.unverifiedSender) await on(agent, 'acknowledge');
    return;
  }
  if (c.call) await on(agent, 'calls', { direction: 'outbound', durationSeconds: c.call.durationSeconds, transcript: c.call.transcript, summary: 'Called the customer back' });
  await on(agent, 'notes', { text: c.note });

  switch (c.outcome) {
    case 'in-progress':
      await on(agent, 'replies', { message: c.reply });
      return;
    case 'pending-customer':
      await on(agent, 'replies', { message: `${c.reply}\n\nCould you send us your order number?`, pendingCustomer: true });
      return;
    case 'escalated':
      await on(agent, 'escalations', { reason: c.escalationReason });
      return;
    case 'escalation-accepted':
      await on(agent, 'escalations', { reason: c.escalationReason });
      await on(SUPERVISOR, 'escalation/accept', { note: 'I will take this one.' });
      await on(SUPERVISOR, 'escalation/actions', { action: 'Called the customer and offered a goodwill voucher.' });
      return;
    default: {
      await on(agent, 'replies', { message: c.reply });
      await on(agent, 'resolve', { summary: c.resolution, ...(c.type === 'complaint' ? { checklist: COMPLETE_CHECKLIST } : {}) });
      if (c.outcome === 'closed') await on(agent, 'close', { reason: 'The customer confirmed' });
      if (c.outcome === 'reopened') await on(agent, 'reopen', { reason: 'The customer wrote that the problem came back' });
    }
  }
}

/** How the cases stand now, from the queues (a page of 100 at a time, status by status). */
async function tally(client: DemoClient, report: DemoReport): Promise<void> {
  for (const status of CaseStatusSchema.options) {
    let cursor: string | undefined;
    do {
      const page = await client.api(SUPERVISOR, 'GET', `/cases?queue=all&status=${status}&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      const items = page.items as { type: string; channel: string; slaBreached?: boolean; escalation?: unknown }[];
      for (const item of items) {
        report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
        report.byType[item.type] = (report.byType[item.type] ?? 0) + 1;
        report.byChannel[item.channel] = (report.byChannel[item.channel] ?? 0) + 1;
        if (item.escalation) report.escalated++;
        if (item.slaBreached) report.breached++;
      }
      cursor = typeof page.nextCursor === 'string' ? page.nextCursor : undefined;
    } while (cursor);
  }
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Fills a running local stack with the plan's cases, wave by wave: the customers write (web form,
 * SMTP, phone), staff work the cases through the API, the stack's acknowledgements go out, then the
 * clock moves on to the next wave, the SLA workflow warning, breaching and escalating on the way.
 */
export async function runDemo(target: DemoTarget, plan: DemoPlan, opts: RunDemoOptions = {}): Promise<DemoReport> {
  const started = Date.now();
  const concurrency = opts.concurrency ?? 6;
  const log = opts.log ?? (() => undefined);
  const client = new DemoClient(target);
  const report: DemoReport = { seconds: 0, cases: 0, byStatus: {}, byType: {}, byChannel: {}, escalated: 0, breached: 0, withFiles: 0, failures: [] };
  const fail = (what: string) => (error: unknown) => report.failures.push(`${what}: ${describe(error)}`);
  try {
    for (let wave = 0; wave < plan.waves; wave++) {
      const arriving = plan.cases.filter((c) => c.wave === wave);
      const caseIds = new Map<number, string>();

      // The customers write: the form and the calls answer with the case, mail is ingested behind SMTP.
      const intake = await forEachBounded(arriving, concurrency, async (c) => {
        if (c.channel === 'web') caseIds.set(c.index, await client.openWebCase(c));
        else if (c.channel === 'phone') caseIds.set(c.index, await client.openPhoneCase(c));
        else await client.sendEmail(c);
      });
      intake.forEach(fail(`wave ${wave + 1} intake`));
      const emailed = arriving.filter((c) => c.channel === 'email');
      if (emailed.length) {
        await waitFor('the mail to be ingested', async () => ((await client.pendingIngestions()) === 0 ? true : undefined));
        const found = await forEachBounded(emailed, concurrency, async (c) => {
          caseIds.set(c.index, await waitFor(`the case of email ${c.index + 1}`, () => client.caseOfEmail(c.customer.email), 10_000));
        });
        found.forEach(fail(`wave ${wave + 1} email`));
      }

      // Staff work the wave's cases.
      const worked = await forEachBounded(arriving, concurrency, async (c) => {
        const caseId = caseIds.get(c.index);
        if (caseId) await work(client, c, caseId);
      });
      worked.forEach(fail(`wave ${wave + 1} staff`));
      report.cases += caseIds.size;
      report.withFiles += arriving.filter((c) => c.attachments.length > 0 && caseIds.has(c.index)).length;

      // The acknowledgements go out before time moves on, as they would within the minute.
      const customers = arriving.filter((c) => c.channel !== 'phone' && !c.unverifiedSender && caseIds.has(c.index)).map((c) => c.customer.email);
      await waitFor('the acknowledgements', async () => {
        const mailed = await client.mailedAddresses();
        return customers.every((a) => mailed.has(a)) ? true : undefined;
      }).catch(fail(`wave ${wave + 1} acknowledgements`));
      log(`demo: wave ${wave + 1}/${plan.waves}: ${caseIds.size} cases (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      if (wave < plan.waves - 1) await client.advanceClock(plan.waveHours);
    }
    await tally(client, report);
  } finally {
    client.close();
  }
  report.seconds = Math.round((Date.now() - started) / 100) / 10;
  return report;
}

/** The report in a few lines, for the terminal. */
export function formatReport(r: DemoReport): string {
  const counts = (o: Record<string, number | undefined>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v ?? 0}`)
      .join(', ');
  return [
    `demo: ${r.cases} cases in ${r.seconds} s`,
    `  by status:  ${counts(r.byStatus)}`,
    `  by type:    ${counts(r.byType)}`,
    `  by channel: ${counts(r.byChannel)}`,
    `  escalated ${r.escalated}, SLA breached ${r.breached}, with attachments ${r.withFiles}`,
    ...(r.failures.length ? [`  ${r.failures.length} requests failed:`, ...r.failures.slice(0, 10).map((f) => `    ${f}`)] : []),
  ].join('\n');
}
