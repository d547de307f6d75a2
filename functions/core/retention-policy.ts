import * as z from 'zod';

/**
 * The retention policy, as typed and versioned configuration (like the SLA policy, sla-policy.ts).
 * M7.2 / C4.3: records are kept at least five years from the case's closure; at the end of that
 * period every item of the case is deleted from the table by TTL, while the case's archive stays
 * until its own Object Lock ends.
 */
export const RetentionPolicySchema = z
  .object({
    version: z.string().min(1),
    /** Whole calendar years from closure (leap days included): never fewer than five. */
    years: z.number().int().min(5),
    atEnd: z.literal('delete-from-table; archive kept until its own lock ends'),
  })
  .strict();
export type RetentionPolicy = z.infer<typeof RetentionPolicySchema>;

/**
 * A policy for the local stack only: items expire `seconds` after closure, so a user can watch a
 * closed case expire (DynamoDB Local runs TTL). The deployed schema above refuses it (it is
 * `.strict()` and has no such field); only the local composition calls this.
 */
export interface LocalRetentionPolicy {
  version: string;
  local: true;
  retentionSecondsOverride: number;
}

export type AnyRetentionPolicy = RetentionPolicy | LocalRetentionPolicy;

export function localRetention(seconds: number): LocalRetentionPolicy {
  if (!Number.isInteger(seconds) || seconds <= 0) throw new Error('the local retention override must be a whole number of seconds above zero');
  return { version: `local-${seconds}s`, local: true, retentionSecondsOverride: seconds };
}

export const RETENTION_POLICIES: Readonly<Record<string, RetentionPolicy>> = {
  '2026-11': RetentionPolicySchema.parse({ version: '2026-11', years: 5, atEnd: 'delete-from-table; archive kept until its own lock ends' }),
};

export const CURRENT_RETENTION_POLICY_VERSION = '2026-11';

export function retentionPolicy(version: string = CURRENT_RETENTION_POLICY_VERSION): RetentionPolicy {
  const policy = RETENTION_POLICIES[version];
  if (!policy) throw new Error(`Unknown retention policy version ${version}`);
  return policy;
}

/** Epoch seconds at which a case closed at `closedAt` and every item of it may expire (DynamoDB TTL), M7.2 / C4.3. */
export function retentionExpiryOf(closedAt: Date, policy: AnyRetentionPolicy): number {
  if ('local' in policy) return Math.floor(closedAt.getTime() / 1000) + policy.retentionSecondsOverride;
  const expiry = new Date(closedAt.getTime());
  // Calendar years: a case closed on 29 February expires on 1 March (setUTCFullYear rolls over), never earlier.
  expiry.setUTCFullYear(expiry.getUTCFullYear() + policy.years);
  return Math.floor(expiry.getTime() / 1000);
}
