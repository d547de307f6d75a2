import type { Case } from '../../../functions/core/case';
import type { CaseEvent } from '../../../functions/core/case-event';
import { itemExpiryChanged, itemExpiryOf, itemsOfCase, needsStamping } from '../../../functions/core/case-items';
import { fixedClock } from '../../../functions/core/clock';
import { openCaseFromSubmission } from '../../../functions/core/open-case';
import type { OutboxMessage } from '../../../functions/core/outbox';
import { slaPolicy } from '../../../functions/core/sla-policy';
import { InMemoryCaseStore } from '../../support/in-memory-case-store';
import { seededRandom, submission } from '../../support/fixtures';

const caseId = '6f1c2a8e-1d2b-4c3d-8e4f-5a6b7c8d9e0f';
const archive = { key: `records/${caseId}/case-archive.json.gz`, sha256: 'ab'.repeat(32), archivedAt: '2026-03-09T10:00:00.000Z', retainUntil: '2031-03-09T10:00:00.000Z', bytes: 1234 };

async function opened(): Promise<{ c: Case; events: CaseEvent[] }> {
  const store = new InMemoryCaseStore();
  const { case: c } = await openCaseFromSubmission(
    { submission: submission(), channel: 'web' },
    { store, clock: fixedClock('2026-03-02T09:00:00.000Z'), newCaseId: () => caseId, random: seededRandom(), policy: slaPolicy() },
  );
  return { c, events: await store.getTimeline(caseId) };
}

const emailEvent = (seq: number, type: 'customer_replied' | 'reply_sent', messageId: string): CaseEvent =>
  (type === 'customer_replied'
    ? { caseId, seq, at: '2026-03-03T09:00:00.000Z', actor: { kind: 'customer' }, prevHash: 'p', hash: 'h', type, data: { messageId, rawObjectKey: 'raw/1', inboundKey: 'c0ffee', subject: 's', attachments: [], matchedBy: 'reference' } }
    : { caseId, seq, at: '2026-03-03T09:00:00.000Z', actor: { kind: 'system', id: 'caseflow' }, prevHash: 'p', hash: 'h', type, data: { outboxId: 'o', messageId, recipient: 'r' } }) as CaseEvent;

describe('the items of a case (M7.2, C4.3: every record of a closed case expires with it)', () => {
  it('names the reference item, every Message-ID link of the thread (customer messages, the ids SES gave sent mail) and the inbound records of its messages', async () => {
    const { c, events } = await opened();
    const outbox = [{ caseId, id: 'acknowledgement', kind: 'acknowledgement', status: 'sent', createdAt: c.receivedAt, attempts: 1, messageId: '<0100-ACK@email.amazonses.com>' }] as OutboxMessage[];
    const items = itemsOfCase(c, [...events, emailEvent(2, 'customer_replied', 'reply-1@example.org'), emailEvent(3, 'reply_sent', '0100-REPLY')], outbox);
    expect(items).toEqual({ caseId, reference: c.reference, messageIds: ['0100-ack@email.amazonses.com', '0100-reply', 'reply-1@example.org'], inboundKeys: ['c0ffee'] });
  });

  it('stamps when the change records the archive of a closed case, not before and not again', async () => {
    const { c } = await opened();
    const closed: Case = { ...c, status: 'closed', closedAt: '2026-03-09T10:00:00.000Z', expiresAt: 1_930_000_000 };
    expect(itemExpiryChanged(closed, { ...closed, archive })).toBe(true);
    expect(itemExpiryChanged({ ...closed, archive }, { ...closed, archive })).toBe(false);
    expect(itemExpiryChanged(c, closed)).toBe(false);
    expect(itemExpiryChanged(undefined, { ...c, archive })).toBe(false);
  });

  it('takes the expiry off every item while a legal hold stands, and gives it back on the release (M5.1, C6.1, M7.2)', async () => {
    const { c } = await opened();
    const archived: Case = { ...c, status: 'closed', closedAt: '2026-03-09T10:00:00.000Z', expiresAt: 1_930_000_000, archive };
    const held: Case = { ...archived, legalHold: { basis: 'litigation', placedBy: 'admin-1', placedAt: '2026-04-01T09:00:00.000Z' } };
    expect(itemExpiryOf(archived)).toBe(1_930_000_000);
    expect(itemExpiryOf(held)).toBeUndefined();
    expect(itemExpiryChanged(archived, held)).toBe(true);
    expect(itemExpiryChanged(held, archived)).toBe(true);
    expect(needsStamping(held, [{ expiresAt: 1_930_000_000 }])).toBe(true);
    expect(needsStamping(held, [{}, {}])).toBe(false);
    // A hold on an open case changes nothing until it closes: open cases never expire.
    expect(itemExpiryChanged(c, { ...c, legalHold: held.legalHold })).toBe(false);
  });

  it('finds a closed, archived case whose items lack its expiry; an open case never needs stamping', async () => {
    const { c } = await opened();
    const done: Case = { ...c, status: 'closed', expiresAt: 1_930_000_000, archive };
    expect(needsStamping(done, [{ expiresAt: 1_930_000_000 }, {}])).toBe(true);
    expect(needsStamping(done, [{ expiresAt: 1_930_000_000 }])).toBe(false);
    expect(needsStamping(c, [{}])).toBe(false);
  });
});
