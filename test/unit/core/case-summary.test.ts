import { nextDueAt, summarize, type Case } from '../../../functions/core/case';
import { computeDeadlines, slaPolicy } from '../../../functions/core/sla-policy';

const T0 = new Date('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(T0.getTime() + ms).toISOString();

function complaint(overrides: Partial<Case> = {}): Case {
  return {
    caseId: '0b8c7e8e-3a56-4d0e-9d7b-3f4a5b6c7d8e',
    reference: 'CS-7K3M9Q',
    type: 'complaint',
    channel: 'web',
    priority: 'normal',
    status: 'new',
    customer: { name: 'Ada', email: 'ada@example.com', phone: '+44 20 7946 0000' },
    subject: 'Charged twice',
    message: 'Hello',
    receivedAt: T0.toISOString(),
    updatedAt: T0.toISOString(),
    sla: computeDeadlines('complaint', T0, slaPolicy()),
    version: 1,
    lastEventHash: 'f'.repeat(64),
    ...overrides,
  };
}

describe('the case summary a queue shows', () => {
  it('has the nearest unmet SLA deadline: the acknowledgement first, then initial assistance or escalation (M3.1, M3.2)', () => {
    const c = complaint();
    expect(summarize(c).nextDueAt).toBe(c.sla.acknowledgementDueAt);
    const acknowledged = complaint({ status: 'acknowledged', acknowledgedAt: iso(60_000) });
    expect(nextDueAt(acknowledged)).toBe(iso(24 * HOUR));
  });

  it('drops the complaint-escalation deadline once the complaint is escalated (M3.3)', () => {
    const answered = complaint({ status: 'in_progress', acknowledgedAt: iso(60_000), firstRespondedAt: iso(HOUR) });
    expect(nextDueAt(answered)).toBe(answered.sla.escalationDueAt);
    const escalated = { ...answered, escalation: { number: 1, level: 1, escalatedAt: iso(2 * HOUR), responsibleParty: 'sup@example.com', respondBy: iso(26 * HOUR) } };
    expect(nextDueAt(escalated)).toBeUndefined();
  });

  it('moves initial assistance by the time spent waiting for the customer', () => {
    const c = complaint({ type: 'inquiry', acknowledgedAt: iso(60_000), sla: { ...computeDeadlines('inquiry', T0, slaPolicy()), pausedMs: 3 * HOUR } });
    expect(nextDueAt(c)).toBe(iso(27 * HOUR));
  });

  it('has no deadline for a resolved case, and says when it closes by itself (M7.2)', () => {
    const resolved = complaint({ status: 'resolved', autoCloseAt: iso(7 * 24 * HOUR) });
    const summary = summarize(resolved);
    expect(summary.nextDueAt).toBeUndefined();
    expect(summary.autoCloseAt).toBe(iso(7 * 24 * HOUR));
  });

  it('carries no customer contact details', () => {
    const text = JSON.stringify(summarize(complaint()));
    expect(text).not.toContain('ada@example.com');
    expect(text).not.toContain('7946');
  });
});
