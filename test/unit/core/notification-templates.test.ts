import { fixedClock } from '../../../functions/core/clock';
import { renderOutboxMessage } from '../../../functions/core/notification-templates';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import type { OutboxMessage } from '../../../functions/core/outbox';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

async function phishingCase() {
  const { case: c } = await openCaseFromSubmission(
    { submission: submission({ name: 'IT Helpdesk', subject: 'Your mailbox is full: log in at https://evil.example/owa or call 0800 555 0100' }), channel: 'web' },
    { store: new InMemoryCaseStore(), clock: fixedClock('2026-12-01T00:24:39.000Z'), newCaseId: () => '11111111-1111-4111-8111-111111111111', random: seededRandom(), policy: slaPolicy() },
  );
  return c;
}

const message = (kind: OutboxMessage['kind'], data: Record<string, string>): OutboxMessage => ({
  caseId: '11111111-1111-4111-8111-111111111111',
  id: kind,
  kind,
  to: kind === 'agent_reply' ? undefined : 'team@example.com',
  data,
  status: 'pending',
  createdAt: '2026-12-01T00:24:39.000Z',
  attempts: 0,
});

const DUE = '2026-12-02T00:24:39.000Z';
const STAFF_MESSAGES = [
  message('sla_warning', { milestone: 'initial_response', dueAt: DUE }),
  message('sla_breach', { milestone: 'initial_response', dueAt: DUE, detectedAt: DUE }),
  message('escalation', { level: '1', reason: 'complaint unresolved after 24 hours', respondBy: DUE }),
];

/** Digits that a phone's number detector could join into one number: 7 or more with phone punctuation between. */
const PHONE_LIKE = /\d(?:[\s()./~[\]\-+]*\d){6,}/;

describe('staff notifications', () => {
  it.each(STAFF_MESSAGES.map((m) => [m.kind, m] as const))('%s quotes the case subject defanged, marked as the customer\'s, with no working link', async (_kind, m) => {
    const mail = renderOutboxMessage(await phishingCase(), m);
    expect(mail.text).toContain("The customer's subject:\n> Your mailbox is full: log in at hxxps://evil[.]example/owa or call 0800·555·0100");
    expect(mail.html).toMatch(/<blockquote data-customer-text[^>]*>Your mailbox is full: log in at hxxps:\/\/evil\[\.\]example\/owa/);
    for (const part of [mail.subject, mail.text, mail.html ?? '']) {
      expect(part).not.toMatch(/https?:|www\.|evil\.example|<a[\s>]/i);
      expect(part).not.toMatch(PHONE_LIKE);
    }
  });

  it.each(STAFF_MESSAGES.map((m) => [m.kind, m] as const))('%s states its deadlines as human dates, in UTC by default and in a configured time zone', async (_kind, m) => {
    const c = await phishingCase();
    const mail = renderOutboxMessage(c, m);
    expect(`${mail.subject}\n${mail.text}\n${mail.html}`).not.toContain('GMT');
    expect(mail.text).toMatch(/Wednesday,? 2 December 2026(,| at) 00:24 UTC/);
    expect(renderOutboxMessage(c, m, { timeZone: 'America/New_York' }).text).toMatch(/Tuesday,? 1 December 2026(,| at) 19:24 (EST|GMT-5)/);
  });

  it('names the milestone and its human deadline in the warning\'s subject line', async () => {
    const mail = renderOutboxMessage(await phishingCase(), STAFF_MESSAGES[0]!);
    expect(mail.subject).toMatch(/^\[CS-[0-9A-Z]{6}\] SLA warning: initial assistance \(24 hours\) due Wednesday,? 2 December 2026(,| at) 00:24 UTC$/);
  });
});

describe('the agent reply', () => {
  it('sends the agent\'s words as written, links included', async () => {
    const words = 'Please see https://help.example.com/returns or call 0800 555 0100.\nKind regards, Sam';
    const mail = renderOutboxMessage(await phishingCase(), message('agent_reply', { message: words }));
    expect(mail.text.startsWith(`${words}\n\n--\n`)).toBe(true);
    expect(mail.html).toContain('Please see https://help.example.com/returns or call 0800 555 0100.<br>Kind regards, Sam');
  });

  it('carries the customer\'s subject in its subject line only defanged, so a reply to a forged case relays nothing', async () => {
    const c = await phishingCase();
    const mail = renderOutboxMessage(c, message('agent_reply', { message: 'We have no record of your request.' }));
    expect(mail.subject).toBe(`[${c.reference}] Your mailbox is full: log in at hxxps://evil[.]example/owa or call 0800·555·0100`);
  });
});
