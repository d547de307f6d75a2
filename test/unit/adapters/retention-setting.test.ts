import { localRetentionControl, retentionSetting } from '../../../functions/adapters/retention-setting';
import { wiring } from '../../../functions/adapters/wiring';
import { retentionExpiryOf, retentionPolicy, RetentionPolicySchema } from '../../../functions/core/retention-policy';

describe('the retention policy closures use (M7.2)', () => {
  it('is the current version unless the local stack shortens it, and then the wiring hands the short one to every handler of the process', async () => {
    const sevenYears = RetentionPolicySchema.parse({ ...retentionPolicy(), version: 'seven', years: 7 });
    await expect(retentionSetting({ current: async () => sevenYears }).current()).resolves.toEqual(sevenYears);
    localRetentionControl.use(120);
    const app = wiring({});
    const closedAt = new Date('2026-03-02T10:00:00.000Z');
    // The override wins over any published version, and needs no table.
    await expect(retentionSetting({ current: async () => sevenYears }).current()).resolves.toMatchObject({ local: true, retentionSecondsOverride: 120 });
    expect(retentionExpiryOf(closedAt, await app.retention.current())).toBe(Math.floor(closedAt.getTime() / 1000) + 120);
  });

  it('refuses an override that is not a whole number of seconds above zero', () => {
    expect(() => localRetentionControl.use(0)).toThrow(/above zero/);
    expect(() => localRetentionControl.use(1.5)).toThrow(/above zero/);
  });
});
