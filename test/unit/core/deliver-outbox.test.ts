import { fixedClock } from '../../../functions/core/clock';
import { verifyChain } from '../../../functions/core/audit-chain';
import { deliverOutbox } from '../../../functions/core/deliver-outbox';
import { ConcurrentUpdateError } from '../../../functions/core/errors';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import type { CaseChange, Mailer, OutgoingEmail } from '../../../functions/core/ports';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { seededRandom, submission } from '../../support/fixtures';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';

class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  failures = 0;
  async send(email: OutgoingEmail) {
    if (this.failures > 0) {
      this.failures -= 1;
      const error = new Error('throttled');
      error.name = 'Throttling';
      throw error;
    }
    this.sent.push(email);
    return { messageId: `msg-${this.sent.length}` };
  }
}

const clock = fixedClock('2026-03-02T09:00:07.000Z');

async function setup() {
  const store = new InMemoryCaseStore();
  const { case: c } = await openCaseFromSubmission(
    { submission: submission(), channel: 'web' },
    { store, clock: fixedClock('2026-03-02T09:00:00.000Z'), newCaseId: () => '11111111-1111-4111-8111-111111111111', random: seededRandom(), policy: slaPolicy() },
  );
  return { store, c, mailer: new RecordingMailer() };
}

describe('delivering the acknowledgement', () => {
  it('asks the customer to reply to the support plus-address with the case reference, threading replies back (C4.1)', async () => {
    const { store, c, mailer } = await setup();
    await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock, replyAddress: 'support@example.com' });
    expect(mailer.sent[0]?.replyTo).toBe(`support+${c.reference}@example.com`);
  });

  it('remembers the provider message id with the case, so that replies by In-Reply-To thread back (C4.1)', async () => {
    const { store, c, mailer } = await setup();
    await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock });
    expect(await store.caseIdByMessageId('msg-1')).toBe(c.caseId);
  });

  it('emails the customer with the reference in the subject and marks the case acknowledged (M3.1)', async () => {
    const { store, c, mailer } = await setup();
    expect(await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock })).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: 'ada@example.com', autoSubmitted: 'auto-replied' });
    expect(mailer.sent[0]?.subject).toContain(`[${c.reference}]`);
    const after = await store.getCase(c.caseId);
    expect(after).toMatchObject({ status: 'acknowledged', acknowledgedAt: '2026-03-02T09:00:07.000Z', version: 3 });
    const timeline = await store.getTimeline(c.caseId);
    expect(timeline.map((e) => e.type)).toEqual(['case_received', 'acknowledgement_sent', 'status_changed']);
    expect(timeline[1]).toMatchObject({ data: { messageId: 'msg-1', template: 'acknowledgement' } });
    expect(verifyChain(timeline).valid).toBe(true);
  });

  it('does not send twice when the stream delivers the same record again', async () => {
    const { store, c, mailer } = await setup();
    await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock });
    expect(await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock })).toBe('already-sent');
    expect(mailer.sent).toHaveLength(1);
  });

  it('keeps the case and the owed message when sending fails, and succeeds on retry', async () => {
    const { store, c, mailer } = await setup();
    mailer.failures = 1;
    await expect(deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock })).rejects.toThrow('throttled');
    expect(await store.getOutbox(c.caseId, 'acknowledgement')).toMatchObject({ status: 'pending', attempts: 1, lastError: 'Throttling' });
    expect((await store.getCase(c.caseId))?.status).toBe('new');
    expect(await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock })).toBe('sent');
    expect(await store.getOutbox(c.caseId, 'acknowledgement')).toMatchObject({ status: 'sent', attempts: 2, messageId: 'msg-1' });
  });

  it('re-reads the case when an agent changed it while the mail was being sent', async () => {
    const { store, c, mailer } = await setup();
    const realApply = store.applyChange.bind(store);
    let conflicts = 1;
    store.applyChange = async (change: CaseChange) => {
      if (conflicts-- > 0) throw new ConcurrentUpdateError('agent moved it');
      return realApply(change);
    };
    expect(await deliverOutbox(c.caseId, 'acknowledgement', { store, mailer, clock })).toBe('sent');
    expect(mailer.sent).toHaveLength(1);
    expect(verifyChain(await store.getTimeline(c.caseId)).valid).toBe(true);
  });

  it('ignores a message for a case that does not exist', async () => {
    const { store, mailer } = await setup();
    expect(await deliverOutbox('22222222-2222-4222-8222-222222222222', 'acknowledgement', { store, mailer, clock })).toBe('no-such-message');
    expect(mailer.sent).toHaveLength(0);
  });
});
