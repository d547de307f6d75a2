import { localRetention, retentionPolicy, type AnyRetentionPolicy, type LocalRetentionPolicy } from '../core/retention-policy';

/**
 * The retention policy closures use. In AWS it is always the current policy (retention-policy.ts).
 * The local runtime may shorten it (`npm start -- --retention-seconds N`) so that a user can watch a
 * closed case expire; like the local clock, the setting is process-wide and nothing in AWS changes it.
 */
let localOverride: LocalRetentionPolicy | undefined;

export const retentionSetting = {
  current: (): AnyRetentionPolicy => localOverride ?? retentionPolicy(),
};

/** For the local composition only (local/start.ts). */
export const localRetentionControl = {
  use(seconds: number): void {
    localOverride = localRetention(seconds);
  },
};
