import { localRetentionControl, retentionSetting } from '../../../functions/adapters/retention-setting';
import { wiring } from '../../../functions/adapters/wiring';
import { retentionExpiryOf, retentionPolicy } from '../../../functions/core/retention-policy';

describe('the retention policy closures use (M7.2)', () => {
  it('is the current five-year policy unless the local stack shortens it, and then the wiring hands the short one to every handler of the process', () => {
    const app = wiring({});
    expect(app.retention).toEqual(retentionPolicy());
    localRetentionControl.use(120);
    const closedAt = new Date('2026-03-02T10:00:00.000Z');
    expect(retentionSetting.current()).toMatchObject({ local: true, retentionSecondsOverride: 120 });
    expect(retentionExpiryOf(closedAt, app.retention)).toBe(Math.floor(closedAt.getTime() / 1000) + 120);
  });

  it('refuses an override that is not a whole number of seconds above zero', () => {
    expect(() => localRetentionControl.use(0)).toThrow(/above zero/);
    expect(() => localRetentionControl.use(1.5)).toThrow(/above zero/);
  });
});
