import { localRetention, type LocalRetentionPolicy } from '../core/retention-policy';
import type { RetentionPolicyVersions, RetentionSource } from '../core/retention-policy-versions';

/**
 * The retention policy closures use. In AWS it is always the current published version, else the
 * built-in one (retention-policy-versions.ts). The local runtime may shorten it
 * (`npm start -- --retention-seconds N`) so that a user can watch a closed case expire; like the
 * local clock, the setting is process-wide and nothing in AWS changes it. The override wins over
 * every version, as before versions were data.
 */
let localOverride: LocalRetentionPolicy | undefined;

export function retentionSetting(versions: Pick<RetentionPolicyVersions, 'current'>): RetentionSource {
  return { current: async () => localOverride ?? (await versions.current()) };
}

/** For the local composition only (local/start.ts). */
export const localRetentionControl = {
  use(seconds: number): void {
    localOverride = localRetention(seconds);
  },
};
