import { retentionExpiryOf, retentionPolicy } from '../../../functions/core/retention-policy';
import { computeDeadlines, nextDeadline, SLA_POLICIES, slaPolicy, SlaPolicySchema } from '../../../functions/core/sla-policy';

const receivedAt = new Date('2026-03-02T09:00:00.000Z');

describe('SLA policy', () => {
  it('gives an inquiry 15 minutes to acknowledge and 24 hours for initial assistance (M3.1, C3.1)', () => {
    const d = computeDeadlines('inquiry', receivedAt, slaPolicy());
    expect(d.acknowledgementDueAt).toBe('2026-03-02T09:15:00.000Z');
    expect(d.initialResponseDueAt).toBe('2026-03-03T09:00:00.000Z');
    expect(d.escalationDueAt).toBeUndefined();
  });

  it('gives a complaint an escalation deadline 24 hours after receipt (M3.2, C3.3)', () => {
    const d = computeDeadlines('complaint', receivedAt, slaPolicy());
    expect(d.escalationDueAt).toBe('2026-03-03T09:00:00.000Z');
  });

  it('puts deadlines on the whole second, never later than the window allows', () => {
    const d = computeDeadlines('complaint', new Date('2026-03-02T09:00:00.999Z'), slaPolicy());
    expect(d.acknowledgementDueAt).toBe('2026-03-02T09:15:00.000Z');
    expect(d.escalationDueAt).toBe('2026-03-03T09:00:00.000Z');
  });

  it('records the policy version the deadlines were computed under (M8.3)', () => {
    expect(computeDeadlines('inquiry', receivedAt, slaPolicy()).policyVersion).toBe(slaPolicy().version);
  });

  it('rejects an unknown policy version instead of guessing', () => {
    expect(() => slaPolicy('1999-01')).toThrow(/Unknown SLA policy version/);
  });

  it('refuses a policy that keeps records for less than five years (M7.2, C4.3)', () => {
    expect(SlaPolicySchema.safeParse({ ...slaPolicy(), retentionYears: 4 }).success).toBe(false);
    for (const policy of Object.values(SLA_POLICIES)) expect(policy.retentionYears).toBeGreaterThanOrEqual(5);
  });

  it('keeps closed records five calendar years, leap days included (M7.2)', () => {
    const closed = new Date('2028-02-29T12:00:00.000Z');
    const expiry = new Date(retentionExpiryOf(closed, retentionPolicy()) * 1000);
    expect(expiry.getUTCFullYear()).toBe(2033);
    expect(expiry.getTime() - closed.getTime()).toBeGreaterThanOrEqual(5 * 365 * 24 * 3600 * 1000);
  });

  it('names the earliest milestone not yet met as the next deadline', () => {
    const sla = computeDeadlines('complaint', receivedAt, slaPolicy());
    expect(nextDeadline({ sla, type: 'complaint' })).toBe(sla.acknowledgementDueAt);
    expect(nextDeadline({ sla, type: 'complaint', acknowledgedAt: '2026-03-02T09:01:00.000Z' })).toBe(sla.initialResponseDueAt);
    expect(nextDeadline({ sla, type: 'inquiry', acknowledgedAt: 'x', firstRespondedAt: 'y' })).toBeUndefined();
  });
});
