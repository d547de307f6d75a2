import * as z from 'zod';
import type { Actor } from './case';
import type { Clock } from './clock';
import { PolicyVersionConflictError } from './sla-policy-versions';
import { parseInput } from './validation';
import { CURRENT_RETENTION_POLICY_VERSION, RETENTION_POLICIES, RetentionPolicySchema, type AnyRetentionPolicy, type RetentionPolicy } from './retention-policy';

/**
 * The retention policy as data (M7.2, C4.3, M8.3; docs/retention.md), as the SLA policy is
 * (sla-policy-versions.ts): admins publish versions, each immutable once published; the last
 * published is current, and a case closing takes the current version at that moment, its expiry
 * and the version's id recorded on it. The versions in code (RETENTION_POLICIES) are the seed:
 * with none published, closures run under the built-in version, as they always did.
 */

/** What an admin publishes (POST /v1/retention-policies). */
export const PublishRetentionPolicySchema = z
  .object({
    /** A sort key and a path segment: letters, digits, `.`, `_`, `-`. */
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'Use 1 to 64 letters, digits, dots, underscores or hyphens, starting with a letter or digit'),
    /** Whole calendar years from closure: the protocol's minimum is five (M7.2, C4.3), never fewer. */
    years: z.number().int('years must be a whole number of years').min(5, 'Records are kept at least 5 years from closure (M7.2, C4.3)').max(100, 'years must be at most 100'),
    /** Why the policy changes (the legal basis, the SOP revision): kept with the version. */
    reason: z.string().trim().min(1, 'Say why the retention policy changes').max(500, 'reason must be at most 500 characters'),
  })
  .strict();
export type PublishRetentionPolicyInput = z.infer<typeof PublishRetentionPolicySchema>;

export const PublishedRetentionPolicySchema = z.object({
  policy: RetentionPolicySchema,
  reason: z.string(),
  publishedAt: z.iso.datetime(),
  /** The admin's staff id. */
  publishedBy: z.string(),
});
export type PublishedRetentionPolicy = z.infer<typeof PublishedRetentionPolicySchema>;

/** The port to the published versions (the single table: dynamo/retention-policy-store.ts). */
export interface RetentionPolicyVersions {
  /** The version closures take now: the last published, else the built-in one. */
  current(): Promise<RetentionPolicy>;
  /** A published version by its id, or undefined. */
  published(version: string): Promise<PublishedRetentionPolicy | undefined>;
  /** Every published version (oldest first) and the current version's id (undefined: none published). */
  list(): Promise<{ currentVersion: string | undefined; published: PublishedRetentionPolicy[] }>;
  /** Writes a version and makes it current, in one transaction. False when its id is taken (nothing written). */
  publish(version: PublishedRetentionPolicy): Promise<boolean>;
}

/** What a closure asks for: the policy in force now (the current version; a local override locally). */
export interface RetentionSource {
  current(): Promise<AnyRetentionPolicy>;
}

/** A source that always answers one policy (tests, and callers that already hold one). */
export const fixedRetention = (policy: AnyRetentionPolicy): RetentionSource => ({ current: () => Promise.resolve(policy) });

const policyOf = (input: PublishRetentionPolicyInput): RetentionPolicy =>
  RetentionPolicySchema.parse({ version: input.version, years: input.years, atEnd: 'delete-from-table; archive kept until its own lock ends' });

/**
 * Publishes a retention version. The same id with the same years and reason answers the version
 * there is (`created: false`, a safe retry); with other content, or a built-in id with other years,
 * PolicyVersionConflictError (409). Cases closed already keep their expiry: it was fixed at closure.
 */
export async function publishRetentionPolicy(
  input: PublishRetentionPolicyInput,
  actor: Actor,
  deps: { versions: RetentionPolicyVersions; clock: Clock },
): Promise<{ created: boolean; version: PublishedRetentionPolicy | { policy: RetentionPolicy } }> {
  // The route's schema checks the body; checked again here so no caller publishes fewer than five years.
  const parsed = parseInput(PublishRetentionPolicySchema, input);
  const policy = policyOf(parsed);
  const builtIn = RETENTION_POLICIES[policy.version];
  if (builtIn) {
    if (builtIn.years === policy.years) return { created: false, version: { policy: builtIn } };
    throw new PolicyVersionConflictError(`Retention version ${policy.version} is built in and cannot change: publish the change under a new version id`);
  }
  const version: PublishedRetentionPolicy = { policy, reason: parsed.reason, publishedAt: deps.clock.now().toISOString(), publishedBy: actor.id ?? actor.kind };
  if (await deps.versions.publish(version)) return { created: true, version };
  const existing = await deps.versions.published(policy.version);
  if (existing && existing.policy.years === policy.years && existing.reason === version.reason) return { created: false, version: existing };
  throw new PolicyVersionConflictError(`Retention version ${policy.version} was published with other content and cannot change: publish the change under a new version id`);
}

/** GET /v1/retention-policies: the built-in versions, then the published ones (oldest first), the current one marked. */
export async function listRetentionPolicies(versions: RetentionPolicyVersions) {
  const { currentVersion = CURRENT_RETENTION_POLICY_VERSION, published } = await versions.list();
  const all: Array<{ policy: RetentionPolicy; reason?: string; publishedAt?: string; publishedBy?: string }> = [...Object.values(RETENTION_POLICIES).map((policy) => ({ policy })), ...published];
  return {
    currentPolicyVersion: currentVersion,
    policies: all.map(({ policy, ...rest }) => ({ policy, current: policy.version === currentVersion, ...rest })),
  };
}
