import { transition } from '../../../functions/core/lifecycle';
import { localRetention, RETENTION_POLICIES, retentionExpiryOf, retentionPolicy, RetentionPolicySchema } from '../../../functions/core/retention-policy';
import { slaPolicy } from '../../../functions/core/sla-policy';

const DAY_S = 24 * 3600;
const closedAt = new Date('2026-03-02T10:00:00.000Z');

describe('retention policy (M7.2, C4.3)', () => {
  it('keeps every record five calendar years from closure under the current policy', () => {
    expect(retentionPolicy().years).toBe(5);
    expect(retentionExpiryOf(closedAt, retentionPolicy())).toBe(Math.floor(Date.UTC(2031, 2, 2, 10) / 1000));
  });

  it('refuses a policy that keeps records for fewer than five years, and accepts five', () => {
    expect(RetentionPolicySchema.safeParse({ ...retentionPolicy(), years: 4 }).success).toBe(false);
    expect(RetentionPolicySchema.safeParse({ ...retentionPolicy(), years: 5 }).success).toBe(true);
    for (const policy of Object.values(RETENTION_POLICIES)) expect(policy.years).toBeGreaterThanOrEqual(5);
  });

  it('never expires a record before five years have passed: 4 years 364 days is too early', () => {
    const expiry = retentionExpiryOf(closedAt, retentionPolicy());
    const fourYears364Days = Math.floor(Date.UTC(2030, 2, 1, 10) / 1000);
    expect(expiry).toBeGreaterThan(fourYears364Days);
    expect(expiry - Math.floor(closedAt.getTime() / 1000)).toBeGreaterThanOrEqual(5 * 365 * DAY_S);
  });

  it('keeps a case closed on a leap day until 1 March five years on, never a day short', () => {
    const leap = new Date('2028-02-29T12:00:00.000Z');
    expect(new Date(retentionExpiryOf(leap, retentionPolicy()) * 1000).toISOString()).toBe('2033-03-01T12:00:00.000Z');
  });

  it("decides a closure's expiry by the retention version alone, whatever the SLA policy's retentionYears says (M7.2, C4.3)", () => {
    const resolved = { status: 'resolved', sla: { policyVersion: '2026-11' }, updatedAt: closedAt.toISOString() } as unknown as Parameters<typeof transition>[0];
    const sevenYears = RetentionPolicySchema.parse({ ...retentionPolicy(), version: 'seven', years: 7 });
    expect(slaPolicy().retentionYears).toBe(5);
    expect(transition(resolved, 'closed', closedAt, { kind: 'system' }, 'done', sevenYears).next.expiresAt).toBe(Math.floor(Date.UTC(2033, 2, 2, 10) / 1000));
  });

  it('refuses the local override in the deployed schema: only localRetention makes a short policy', () => {
    expect(RetentionPolicySchema.safeParse({ ...retentionPolicy(), retentionSecondsOverride: 60 }).success).toBe(false);
    expect(RetentionPolicySchema.safeParse({ ...localRetention(60) }).success).toBe(false);
    expect(() => localRetention(0)).toThrow(/above zero/);
    expect(retentionExpiryOf(closedAt, localRetention(90))).toBe(Math.floor(closedAt.getTime() / 1000) + 90);
  });

  it('closes a case under the retention policy its caller gives, the current one by default', () => {
    const resolved = { status: 'resolved', sla: { policyVersion: '2026-11' }, updatedAt: closedAt.toISOString() } as unknown as Parameters<typeof transition>[0];
    const actor = { kind: 'system' } as const;
    expect(transition(resolved, 'closed', closedAt, actor).next.expiresAt).toBe(Math.floor(Date.UTC(2031, 2, 2, 10) / 1000));
    expect(transition(resolved, 'closed', closedAt, actor, 'done', localRetention(30)).next.expiresAt).toBe(Math.floor(closedAt.getTime() / 1000) + 30);
  });
});
